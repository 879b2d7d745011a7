/**
 * `previewArticle`: the front matter with where each part was read, the paragraphs as an import
 * stores them, the mentions of actors in the record, and suggested facts that an editor sends
 * back to `importArticle` as they are. It writes nothing.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "@jest/globals";
import { projectRoot } from "../../src/paths.js";
import { evaluate } from "../../scripts/eval-suggest.js";
import { NO_TITLE_REFUSAL, seedSource } from "../support/seed-article.js";
import { startTestServer } from "../support/server.js";
import { databaseState } from "../support/state.js";
import { forSuite } from "../support/suite.js";

const PREVIEW = `query ($input: PreviewArticleInput!) {
  previewArticle(input: $input) {
    slug body
    frontMatter {
      masthead { text start end } publisher { text start end } title { text start end }
      subtitle { text start end } byline { text start end } author { text start end }
      affiliation { text start end } dateLine { text start end } publishedOn
    }
    paragraphs { index start end text duplicateOf }
    repeats
    mentions { actor { name } quote start end paragraphIndex }
    mentionCount
    suggestions { kind rule fact passage { quote start end paragraphIndex } }
    facts
  } }`;
const IMPORT = `mutation ($input: ImportArticleInput!) { importArticle(input: $input) { id slug } }`;

const example = (name: string) =>
  readFileSync(path.join(projectRoot, "docs/examples", `${name}.md`), "utf8");

describe("previewArticle", () => {
  const server = forSuite(() => startTestServer({ env: { NODE_ENV: "production" } }));
  let editor: Record<string, string>;
  beforeAll(async () => {
    editor = await server.keyFor("EDITOR");
  });

  /** Asks for the preview of `source`, as `headers` (an EDITOR key unless said otherwise). */
  const send = (source: string, headers = editor) =>
    server.graphql(PREVIEW, { input: { source } }, headers);

  /** The preview of `source`, which must be given. */
  const previewOf = async (source: string) => {
    const response = await send(source);
    expect(response.errors).toBeUndefined();
    return response.data!.previewArticle;
  };

  it("gives every part of the front matter at the place in the source it was read", async () => {
    const response = await send(seedSource);
    expect(response.errors).toBeUndefined();
    const { frontMatter } = response.data!.previewArticle;
    const passages = [
      ...frontMatter.masthead,
      ...["publisher", "title", "subtitle", "byline", "author", "affiliation", "dateLine"].map(
        (part) => frontMatter[part],
      ),
    ];
    for (const p of passages) expect(seedSource.slice(p.start, p.end)).toBe(p.text);
    expect({
      masthead: frontMatter.masthead.map((p: { text: string }) => p.text),
      publisher: frontMatter.publisher.text,
      title: frontMatter.title.text,
      subtitle: frontMatter.subtitle.text,
      author: frontMatter.author.text,
      affiliation: frontMatter.affiliation.text.slice(0, 28),
      dateLine: frontMatter.dateLine.text,
      publishedOn: frontMatter.publishedOn,
    }).toEqual({
      masthead: [
        "中国传媒大学",
        "COMMUNICATION UNIVERSITY OF CHINA",
        "Institute for a Community",
        "with Shared Future",
        "人类命运共同体研究院",
      ],
      publisher: "COMMUNICATION UNIVERSITY OF CHINA",
      title: "Resolution of border issues between Tajikistan and Kyrgyzstan",
      subtitle: "unique example in today's global conditions",
      author: "Parviz Muhammadzoda",
      affiliation: "Doctor of Political Sciences",
      dateLine: "*Published on 17<sup>th</sup> March 2025*",
      publishedOn: "2025-03-17",
    });
  });

  it("splits the body as the seed stored it, repeats included", async () => {
    const response = await send(seedSource);
    const preview = response.data!.previewArticle;
    const stored = await server.db.prisma.article.findUniqueOrThrow({
      where: { slug: preview.slug },
      include: { paragraphs: { orderBy: { index: "asc" } } },
    });
    expect(preview.body).toBe(stored.body);
    expect(preview.paragraphs).toEqual(
      stored.paragraphs.map(({ index, start, end, duplicateOf }) => ({
        index,
        start,
        end,
        duplicateOf,
        text: stored.body.slice(start, end),
      })),
    );
    expect(preview.repeats).toEqual(
      stored.paragraphs.filter((p) => p.duplicateOf !== null).map((p) => p.index),
    );
  });

  it("lists the mentions of actors in the record and suggests only the actors it lacks", async () => {
    const source = example("khujand-border-junction-summit");
    const response = await send(source);
    const preview = response.data!.previewArticle;
    for (const m of preview.mentions) expect(preview.body.slice(m.start, m.end)).toBe(m.quote);
    expect(preview.mentionCount).toBe(preview.mentions.length);
    expect([...new Set(preview.mentions.map((m: any) => m.actor.name))].sort()).toEqual([
      "Emomali Rahmon",
      "Kyrgyzstan",
      "Sadir Japarov",
      "Tajikistan",
    ]);
    const actors = preview.suggestions.filter((s: any) => s.kind === "ACTOR");
    expect(actors.map((s: any) => [s.fact.name, s.fact.kind ?? "in the record"])).toEqual([
      ["Kyrgyzstan", "in the record"],
      ["Tajikistan", "in the record"],
      ["Uzbekistan", "STATE"],
      ["Emomali Rahmon", "in the record"],
      ["Sadir Japarov", "in the record"],
      ["Shavkat Mirziyoyev", "PERSON"],
      ["Aziza Karimova", "PERSON"],
      ["Central Asia Wire", "ORGANIZATION"],
    ]);
  });

  it("rests every suggestion on a passage of the body, and names its rule", async () => {
    const source = example("astana-china-central-asia-summit");
    const preview = await previewOf(source);
    for (const s of preview.suggestions) {
      expect(s.rule).toMatch(/^[a-z]+: /);
      if (s.passage === null) {
        expect(s.rule).toMatch(/^(author|publisher): /);
        continue;
      }
      expect(preview.body.slice(s.passage.start, s.passage.end)).toBe(s.passage.quote);
    }
    expect(
      preview.suggestions
        .filter((s: any) => s.kind === "AGREEMENT" || s.kind === "VISIT")
        .map((s: any) => [s.kind, s.fact.kind, s.fact.title]),
    ).toEqual([
      ["VISIT", "STATE_VISIT", "State visit of Xi Jinping to Kazakhstan"],
      [
        "AGREEMENT",
        "TREATY",
        "Treaty on Permanent Good-Neighbourliness, Friendship and Cooperation",
      ],
      ["AGREEMENT", "DECLARATION", "Astana Declaration"],
    ]);
    expect(
      preview.suggestions
        .filter((s: any) => s.kind === "DATE")
        .map((s: any) => [s.fact.date, s.fact.precision]),
    ).toEqual([
      ["2025-06-17", "DAY"],
      ["2027", "YEAR"],
    ]);
  });

  it("leaves out of its facts the outcomes of a source whose visit it did not find", async () => {
    const source = example("khujand-border-junction-summit");
    const preview = await previewOf(source);
    expect(preview.suggestions.filter((s: any) => s.kind === "OUTCOME")).toHaveLength(3);
    expect([preview.facts.visits, preview.facts.outcomes]).toEqual([[], []]);
    const imported = await server.graphql(
      IMPORT,
      { input: { source, facts: preview.facts } },
      editor,
    );
    expect(imported.errors).toBeUndefined();
  });

  it("suggests a state only under a spelling no other state shares", async () => {
    const body =
      "The Republic of China and the People's Republic of China sent envoys. Congolese and Dominican delegates attended, with the Taiwanese minister.";
    const source = seedSource.replace(
      /(Published on[^\n]*\n)[\s\S]*$/,
      (_, dateLine: string) => `${dateLine}\n${body}\n`,
    );
    const preview = await previewOf(source);
    const states = preview.suggestions
      .filter((s: any) => s.kind === "ACTOR" && s.fact.kind === "STATE")
      .map((s: any) => [s.fact.name, s.fact.aliases]);
    expect(states.sort()).toEqual([
      ["China", ["China", "People's Republic of China"]],
      ["Taiwan", ["Taiwan", "Republic of China"]],
    ]);
  });

  it("gives facts that importArticle takes as they are: preview, then import", async () => {
    const source = example("astana-china-central-asia-summit");
    const preview = await previewOf(source);
    const imported = await server.graphql(
      IMPORT,
      { input: { source, facts: preview.facts } },
      editor,
    );
    expect(imported).toEqual({
      status: 200,
      data: { importArticle: { id: expect.any(String), slug: preview.slug } },
    });
    const visit = await server.db.prisma.visit.findFirstOrThrow({
      where: { title: "State visit of Xi Jinping to Kazakhstan" },
      include: { participants: { include: { actor: true } }, outcomes: true, citations: true },
    });
    expect(visit.participants.map((p) => [p.actor.name, p.role]).sort()).toEqual([
      ["Kazakhstan", "HOST"],
      ["Xi Jinping", "GUEST"],
    ]);
    expect(visit.outcomes).toHaveLength(3);
    expect(visit.citations).toHaveLength(1);
  });

  it("writes nothing, and refuses callers without an EDITOR key", async () => {
    const before = await databaseState(server.db);
    const editor = await server.keyFor("EDITOR");
    const after = await databaseState(server.db);
    const anonymous = await send(seedSource, {});
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    await send(seedSource, editor);
    expect(await databaseState(server.db)).toEqual(after);
    expect(after.ApiKey!.length).toBe(before.ApiKey!.length + 1);
  });

  it("refuses a source without front matter, saying what is missing", async () => {
    const response = await send("Just a paragraph.");
    expect(response.errors?.[0]).toMatchObject(NO_TITLE_REFUSAL);
  });
});

describe("npm run eval:suggest", () => {
  it("finds the hand-checked facts of every article with facts, as it reports", async () => {
    const all = Object.fromEntries(
      (await evaluate())
        .filter((row) => row.article === "all")
        .map(({ kind, score }) => [kind, [score.found, score.checked]]),
    );
    expect(all).toEqual({
      actors: [24, 25],
      visits: [2, 3],
      agreements: [6, 6],
      "document counts": [1, 1],
      outcomes: [15, 15],
      "dates (days)": [1, 2],
    });
  });
});
