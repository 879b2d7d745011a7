/**
 * Hostile editors: input made to hit the slow paths of writing (repeat detection, mention
 * finding, alias checks) or to store what breaks later edits, sent with an EDITOR key to a
 * production server process while normal readers keep using it. Each is refused with
 * BAD_USER_INPUT naming the field, or served within its bounds; either way the readers stay
 * fast and the process alive and under its memory ceiling.
 *
 * The request-wide string, list and body-size limits (src/limits.ts) are raised on this server,
 * so that the edit-level checks are what answers: they must hold on their own, as they do for
 * the seed.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import {
  ARTICLE_SLUG,
  startHostileServer,
  underAttack,
  type AttackReport,
  type HostileResponse,
  expectReadersUnharmed,
} from "../support/hostile.js";
import { operation, RAISED_REQUEST_LIMITS } from "../support/server.js";
import { forSuite } from "../support/suite.js";
import { wireSource } from "../support/seed-article.js";

const CREATE_ARTICLE = `mutation($input: CreateArticleInput!) {
  createArticle(input: $input) { id paragraphs { index } } }`;
const CREATE_ACTOR = `mutation($input: CreateActorInput!) { createActor(input: $input) { id aliases } }`;
const CREATE_CITATION = `mutation($input: CreateCitationInput!) { createCitation(input: $input) { id } }`;

const article = (slug: string, body: string) => ({
  input: { slug, title: "A hostile article", language: "en", publishedOn: "2025-05-01", body },
});

const server = forSuite(() => startHostileServer({ env: RAISED_REQUEST_LIMITS }), 90_000);
let editor: Record<string, string>;
let articleId: string;
let outcomeId: string;
let kyrgyzstanId: string;

beforeAll(async () => {
  editor = await server.keyFor("EDITOR");
  // Warm up the server (JIT, prepared statements, the first error's stack), so that the first
  // test times its attack alone.
  for (let i = 0; i < 20; i++) {
    await server.graphql(operation("ArticlePage"), { slug: ARTICLE_SLUG });
  }
  await server.graphql(CREATE_ARTICLE, article("warm-up", "Warm.\n\nUp."), editor);
  await server.graphql(CREATE_ACTOR, { input: { name: "of", kind: "PERSON" } }, editor);
  const page = await server.graphql(
    `query($slug: String!) { article(slug: $slug) { id visits { outcomes { id } } } }`,
    { slug: ARTICLE_SLUG },
  );
  articleId = page.body.data.article.id;
  outcomeId = page.body.data.article.visits[0].outcomes[0].id;
  const actors = await server.graphql(`{ actors(first: 100) { edges { node { id name } } } }`);
  kyrgyzstanId = actors.body.data.actors.edges.find(
    (e: { node: { name: string } }) => e.node.name === "Kyrgyzstan",
  ).node.id;
}, 90_000);

/** Normal readers were served, fast, and the process stayed alive and under its ceiling. */
function expectUnharmed(report: AttackReport<unknown>) {
  console.log(JSON.stringify({ normal: report.normal, rss: report.peakRssBytes }));
  expectReadersUnharmed(server, report, 10);
}

/** One BAD_USER_INPUT naming the field, with this message and these extensions. */
function expectRefusal(
  response: HostileResponse,
  message: string | RegExp,
  extensions: Record<string, unknown> = {},
) {
  expect(response.status).toBe(200);
  expect(response.body).toEqual({
    data: null,
    errors: [
      {
        message: typeof message === "string" ? message : expect.stringMatching(message),
        locations: expect.any(Array),
        path: expect.any(Array),
        extensions: { code: "BAD_USER_INPUT", argumentName: expect.any(String), ...extensions },
      },
    ],
  });
}

describe("Hostile editors", () => {
  it("refuses 8,000 one-word paragraphs by the paragraph cap, and serves 2,000 at once", async () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `Word${i}`).join("\n\n");
    const report = await underAttack(server, async () => ({
      over: await server.graphql(CREATE_ARTICLE, article("eight-thousand", words(8_000)), editor),
      under: await server.graphql(CREATE_ARTICLE, article("two-thousand", words(2_000)), editor),
    }));

    expectRefusal(
      report.attack.over,
      "input.body: the body has 8000 paragraphs; an article holds at most 2000 (Article.paragraphs)",
      { argumentName: "input.body", max: 2000, paragraphs: 8000 },
    );
    expect(report.attack.under.body.errors).toBeUndefined();
    expect(report.attack.under.body.data.createArticle.paragraphs).toHaveLength(2_000);
    expectUnharmed(report);
  }, 120_000);

  it("refuses the overlapping-alias bomb by the 200,000-occurrence cap, as input.body and input.aliases, writing nothing", async () => {
    const words = (n: number, word = "ab") => Array(n).fill(word).join(" ");
    const aliases = (word: string) => Array.from({ length: 49 }, (_, i) => words(i + 2, word));
    const report = await underAttack(server, async () => {
      const actor = await server.graphql(
        CREATE_ACTOR,
        { input: { name: words(50), kind: "PERSON", aliases: aliases("ab") } },
        editor,
      );
      const started = performance.now();
      const body = await server.graphql(CREATE_ARTICLE, article("ab-bomb", words(60_000)), editor);
      const bodyMs = performance.now() - started;
      // The other way round: the article stored first, then the aliases that bomb it.
      const stored = await server.graphql(
        CREATE_ARTICLE,
        article("cd-stored", words(60_000, "cd")),
        editor,
      );
      const renamed = await server.graphql(
        CREATE_ACTOR,
        { input: { name: words(50, "cd"), kind: "PERSON", aliases: aliases("cd") } },
        editor,
      );
      return { actor, body, bodyMs, stored, renamed };
    });
    const { actor, body, bodyMs, stored, renamed } = report.attack;
    expect(actor.body.errors).toBeUndefined();
    expect(stored.body.errors).toBeUndefined();
    expectRefusal(
      body,
      "input.body: actors' names: the aliases occur more than 200,000 times in the body, overlapping occurrences included; at most 200,000 are searched",
      { argumentName: "input.body", max: 200_000 },
    );
    expectRefusal(
      renamed,
      /^input\.aliases: in article QXJ0aWNsZT.*: the aliases occur more than 200,000 times/,
      { argumentName: "input.aliases", max: 200_000 },
    );
    expect(bodyMs).toBeLessThan(2_000);
    const written = await server.graphql(
      `{ a: article(slug: "ab-bomb") { id } b: actors(filter: { search: "cd cd" }) { totalCount } }`,
    );
    expect(written.body.data).toEqual({ a: null, b: { totalCount: 0 } });
    expectUnharmed(report);
  }, 120_000);

  it('accepts a 220 kB body of "Kyrgyzstan " with its 20,000 mentions, readers unaffected', async () => {
    const mentions = async () =>
      (
        await server.graphql(
          `query($id: ID!) { actor(id: $id) { mentions(first: 1) { totalCount } } }`,
          {
            id: kyrgyzstanId,
          },
        )
      ).body.data.actor.mentions.totalCount as number;
    const before = await mentions();
    const body = "Kyrgyzstan ".repeat(20_000);
    expect(body.length).toBe(220_000);

    const report = await underAttack(server, () =>
      server.graphql(CREATE_ARTICLE, article("kyrgyzstan-twenty-thousand-times", body), editor),
    );

    expect(report.attack.body.errors).toBeUndefined();
    expect(report.attack.body.data.createArticle.paragraphs).toEqual([{ index: 0 }]);
    expect((await mentions()) - before).toBe(20_000);
    expectUnharmed(report);
  }, 120_000);

  it("previews and imports a source of 900,000 characters of Cyrillic, readers unaffected", async () => {
    // Beyond ASCII the name matcher reads grapheme by grapheme: seconds of work for this
    // source, which must not keep the readers waiting.
    const sentence = "Делегации Таджикистана и Кыргызстана обсудили границу в Бишкеке. ";
    const paragraph = sentence.repeat(14).trim();
    const body = Array<string>(1_000).fill(paragraph).join("\n\n");
    const source = wireSource("Border talks in Cyrillic", body);
    expect(source.length).toBeGreaterThan(900_000);

    const preview = await underAttack(server, () =>
      server.graphql(
        `query($input: PreviewArticleInput!) { previewArticle(input: $input) { slug paragraphs { index } } }`,
        { input: { source } },
        editor,
      ),
    );
    expect(preview.attack.body.errors).toBeUndefined();
    expect(preview.attack.body.data.previewArticle.paragraphs).toHaveLength(1_000);
    expectUnharmed(preview);

    const imported = await underAttack(server, () =>
      server.graphql(
        `mutation($input: ImportArticleInput!) { importArticle(input: $input) { slug } }`,
        { input: { source } },
        editor,
      ),
    );
    expect(imported.attack.body.errors).toBeUndefined();
    expect(imported.attack.body.data.importArticle.slug).toBe("border-talks-in-cyrillic");
    expectUnharmed(imported);
  }, 180_000);

  it("refuses 100,000 aliases by the alias cap", async () => {
    const aliases = Array.from({ length: 100_000 }, (_, i) => `Envoy number ${i}`);
    const report = await underAttack(server, () =>
      server.graphql(
        CREATE_ACTOR,
        { input: { name: "A Busy Envoy", kind: "PERSON", aliases } },
        editor,
      ),
    );

    expectRefusal(
      report.attack,
      "input.aliases: lists 100000 items; Actor.aliases holds at most 50",
      {
        argumentName: "input.aliases",
        max: 50,
      },
    );
    expectUnharmed(report);
  }, 120_000);

  it('refuses the noise aliases "the", "." and "of"', async () => {
    const report = await underAttack(server, () =>
      Promise.all(
        ["the", ".", "of"].map((alias) =>
          server.graphql(
            CREATE_ACTOR,
            { input: { name: "A Noisy Envoy", kind: "PERSON", aliases: [alias] } },
            editor,
          ),
        ),
      ),
    );

    const [the, dot, of] = report.attack;
    const common =
      "is only common English words and would match almost every article; write an acronym in capitals";
    expectRefusal(the!, `input.aliases[0]: "the" ${common}`, { argumentName: "input.aliases[0]" });
    expectRefusal(
      dot!,
      'input.aliases[0]: "." is too short: an alias needs at least 2 characters',
      {
        argumentName: "input.aliases[0]",
      },
    );
    expectRefusal(of!, `input.aliases[0]: "of" ${common}`, { argumentName: "input.aliases[0]" });
    expectUnharmed(report);
  }, 120_000);

  it('refuses a one-space quote and a quote of "\\n\\n", never as an internal error', async () => {
    const report = await underAttack(server, () =>
      Promise.all(
        [" ", "\n\n"].map((quote) =>
          server.graphql(
            CREATE_CITATION,
            { input: { articleId, quote, occurrence: 1, factId: outcomeId } },
            editor,
          ),
        ),
      ),
    );

    for (const response of report.attack) {
      expectRefusal(response, "input.quote: must not be empty or only whitespace", {
        argumentName: "input.quote",
      });
    }
    expectUnharmed(report);
  }, 120_000);

  it("refuses a citation of half an emoji, so later body edits keep working", async () => {
    const report = await underAttack(server, () =>
      server.graphql(
        CREATE_CITATION,
        { input: { articleId, quote: "\uD83D", occurrence: 1, factId: outcomeId } },
        editor,
      ),
    );

    expect(report.attack.status).toBeLessThan(500);
    expect(report.attack.body).toMatchObject({
      errors: [
        {
          message: expect.stringMatching(/quote.*lone surrogate/),
          extensions: { code: "BAD_USER_INPUT" },
        },
      ],
    });
    // The article's body can still be edited: no citation points into half a character.
    const edited = await server.graphql(
      `query($slug: String!) { article(slug: $slug) { id version body } }`,
      { slug: ARTICLE_SLUG },
    );
    const { body, version } = edited.body.data.article;
    const update = await server.graphql(
      `mutation($id: ID!, $input: UpdateArticleInput!, $v: Int) {
        updateArticle(id: $id, input: $input, expectedVersion: $v) { version } }`,
      { id: articleId, input: { body: `${body}\n\nAn editor's note.` }, v: version },
      editor,
    );
    expect(update.body).toEqual({ data: { updateArticle: { version: version + 1 } } });
    expectUnharmed(report);
  }, 120_000);
});

describe("Hostile editors, at once", () => {
  it("imports five sources of 600,000 characters of Cyrillic at once, each naming an actor 9,450 times", async () => {
    // Five long reads, interleaved, keep each import's transaction open for seconds without a
    // statement: the read keeps it alive, or Postgres would end it as idle. A server whose
    // idle limit (the statement timeout) is 2 s shows it with five imports.
    const server = await startHostileServer({
      env: { ...RAISED_REQUEST_LIMITS, ACCORD_STATEMENT_TIMEOUT_MS: "2000" },
    });
    try {
      const editor = await server.keyFor("EDITOR");
      const actor = await server.graphql(
        CREATE_ACTOR,
        { input: { name: "Москва", kind: "STATE" } },
        editor,
      );
      expect(actor.body.errors).toBeUndefined();
      const paragraph = "Делегация прибыла в Москва сегодня утром и провела переговоры. ".repeat(
        15,
      );
      const body = Array<string>(630).fill(paragraph.trim()).join("\n\n");
      const source = (i: number) => wireSource(`Talks in Moscow, part ${i}`, body);
      const IMPORT = `mutation($input: ImportArticleInput!) { importArticle(input: $input) { slug } }`;
      // The first brings in the byline's author and the masthead's publisher, which the five name.
      const first = await server.graphql(IMPORT, { input: { source: source(0) } }, editor);
      expect(first.body.errors).toBeUndefined();
      const answers = await Promise.all(
        [1, 2, 3, 4, 5].map((i) =>
          server.graphql(IMPORT, { input: { source: source(i) } }, editor),
        ),
      );
      expect(answers.map((a) => a.body.errors ?? a.body.data.importArticle.slug)).toEqual(
        [1, 2, 3, 4, 5].map((i) => `talks-in-moscow-part-${i}`),
      );
    } finally {
      await server.stop();
    }
  }, 180_000);
});
