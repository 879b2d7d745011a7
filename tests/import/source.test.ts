/**
 * An imported article keeps its source exactly as submitted, with where its front matter was
 * read: every passage is `source.text.slice(start, end)`. The seed, `importArticle` and
 * `npm run import` all keep it, in the article's own transaction; an article an editor created
 * field by field has none, and corrections leave the source as it came in.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { buildSchema, parse } from "graphql";
import { queryCost } from "../../src/cost.js";
import { fromGlobalId } from "../../src/ids.js";
import { migrate } from "../../src/db/migrate.js";
import { readSourceFile } from "../../src/import/source.js";
import { seed, SeedError } from "../../src/seed/load.js";
import { typeDefs } from "../../src/server.js";
import { runCli } from "../support/cli.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";
import { SEED_SOURCE_FILE, seedSource, wireSource } from "../support/seed-article.js";
import { operation, startTestServer } from "../support/server.js";
import { databaseState } from "../support/state.js";
import { forSuite } from "../support/suite.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const AFFILIATION =
  "Doctor of Political Sciences, Professor of the Department of Diplomacy and Foreign Policy of Tajikistan, International Relations Faculty Tajik National University, Dushanbe, Tajikistan";

const PASSAGE = "{ text start end }";
const FRONT_MATTER = `frontMatter {
  masthead ${PASSAGE} publisher ${PASSAGE} title ${PASSAGE} subtitle ${PASSAGE}
  byline ${PASSAGE} author ${PASSAGE} affiliation ${PASSAGE} dateLine ${PASSAGE} publishedOn }`;
const SOURCE = `query ($slug: String!) {
  article(slug: $slug) { id source { text ${FRONT_MATTER} } } }`;
const PREVIEW = `query ($input: PreviewArticleInput!) {
  previewArticle(input: $input) { ${FRONT_MATTER} } }`;
const IMPORT = `mutation ($input: ImportArticleInput!) { importArticle(input: $input) { id slug } }`;

type Passage = { text: string; start: number; end: number };

/** Every passage of a front matter, each with the part it is. */
function passages(front: Record<string, unknown>): [string, Passage][] {
  return Object.entries(front).flatMap(([part, value]): [string, Passage][] => {
    if (Array.isArray(value)) return value.map((p: Passage, i) => [`${part}[${i}]`, p]);
    if (value !== null && typeof value === "object") return [[part, value as Passage]];
    return [];
  });
}

/** The passages `text` holds at their offsets: `[part, slice]`, to compare whole. */
const sliced = (text: string, front: Record<string, unknown>) =>
  passages(front).map(([part, p]) => [part, text.slice(p.start, p.end)]);
const quoted = (front: Record<string, unknown>) =>
  passages(front).map(([part, p]) => [part, p.text]);

// Without the response cache: each read below is answered from the database.
const server = forSuite(() =>
  startTestServer({ env: { NODE_ENV: "production", ACCORD_RESPONSE_CACHE: "off" } }),
);
let editor: Record<string, string>;
beforeAll(async () => {
  editor = await server.keyFor("EDITOR", "importer");
});

const sourceOf = async (slug: string) => {
  const response = await server.graphql(SOURCE, { slug });
  expect(response.errors).toBeUndefined();
  return response.data!.article;
};

describe("Article.source: the source as submitted", () => {
  it("holds the seed file byte for byte, with the front matter the preview reads in it", async () => {
    const { source } = await sourceOf(SLUG);
    expect(Buffer.from(source.text, "utf8")).toEqual(readFileSync(SEED_SOURCE_FILE));
    const preview = await server.graphql(PREVIEW, { input: { source: seedSource } }, editor);
    expect(source.frontMatter).toEqual(preview.data!.previewArticle.frontMatter);
    expect(sliced(source.text, source.frontMatter)).toEqual(quoted(source.frontMatter));
    expect(quoted(source.frontMatter)).toEqual([
      ["masthead[0]", "中国传媒大学"],
      ["masthead[1]", "COMMUNICATION UNIVERSITY OF CHINA"],
      ["masthead[2]", "Institute for a Community"],
      ["masthead[3]", "with Shared Future"],
      ["masthead[4]", "人类命运共同体研究院"],
      ["publisher", "COMMUNICATION UNIVERSITY OF CHINA"],
      ["title", "Resolution of border issues between Tajikistan and Kyrgyzstan"],
      ["subtitle", "unique example in today's global conditions"],
      ["byline", `By Mr. Parviz Muhammadzoda, ${AFFILIATION}`],
      ["author", "Parviz Muhammadzoda"],
      ["affiliation", AFFILIATION],
      ["dateLine", "*Published on 17<sup>th</sup> March 2025*"],
    ]);
    expect(source.frontMatter.publishedOn).toBe("2025-03-17");
  });

  it("keeps a source with a byte order mark and CRLF line ends as sent, its offsets into those bytes", async () => {
    const sent = `\uFEFF${wireSource("Rail talks resume", "Ministers met in Osh.\n\nTalks go on.")}`
      .replace(/\n/g, "\r\n")
      .concat("\r\n");
    const imported = await server.graphql(IMPORT, { input: { source: sent } }, editor);
    expect(imported).toEqual({
      status: 200,
      data: { importArticle: { id: expect.any(String), slug: "rail-talks-resume" } },
    });
    const { source } = await sourceOf("rail-talks-resume");
    expect(Buffer.from(source.text, "utf8")).toEqual(Buffer.from(sent, "utf8"));
    const at = (text: string) => ({
      text,
      start: sent.indexOf(text),
      end: sent.indexOf(text) + text.length,
    });
    expect(source.frontMatter).toEqual({
      masthead: [{ text: "WIRE DESK", start: 1, end: 10 }],
      publisher: { text: "WIRE DESK", start: 1, end: 10 },
      title: at("Rail talks resume"),
      subtitle: null,
      byline: at("By Dana Omarova, correspondent"),
      author: at("Dana Omarova"),
      affiliation: at("correspondent"),
      dateLine: at("*Published on 2nd May 2025*"),
      publishedOn: "2025-05-02",
    });
    expect(sliced(source.text, source.frontMatter)).toEqual(quoted(source.frontMatter));
    // The body is stored as the parser reads it; the source is not.
    const stored = await server.db.prisma.article.findUniqueOrThrow({
      where: { slug: "rail-talks-resume" },
      select: { body: true },
    });
    expect(stored.body).toBe("Ministers met in Osh.\n\nTalks go on.");
  });

  it("is null for an article created with createArticle, and no source row is written", async () => {
    const created = await server.graphql(
      `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { slug source { text } } }`,
      {
        input: {
          slug: "typed-by-an-editor",
          title: "Typed by an editor",
          language: "en",
          publishedOn: "2025-05-01",
          body: "Emomali Rahmon and Sadir Japarov met again.",
        },
      },
      editor,
    );
    expect(created).toEqual({
      status: 200,
      data: { createArticle: { slug: "typed-by-an-editor", source: null } },
    });
    expect(await sourceOf("typed-by-an-editor")).toEqual({ id: expect.any(String), source: null });
    expect(
      await server.db.prisma.articleSource.findMany({
        where: { article: { slug: "typed-by-an-editor" } },
      }),
    ).toEqual([]);
  });

  it("stays as submitted when the article is corrected with updateArticle", async () => {
    const before = await sourceOf(SLUG);
    const body = (await server.db.prisma.article.findUniqueOrThrow({ where: { slug: SLUG } })).body;
    const updated = await server.graphql(
      `mutation ($id: ID!, $input: UpdateArticleInput!) {
        updateArticle(id: $id, input: $input) { title version } }`,
      {
        id: before.id,
        input: {
          title: "Border issues between Tajikistan and Kyrgyzstan, resolved",
          publishedOn: "2025-03-18",
          body: `Editor's note: corrected on 18 March.\n\n${body}`,
        },
      },
      editor,
    );
    expect(updated).toEqual({
      status: 200,
      data: {
        updateArticle: {
          title: "Border issues between Tajikistan and Kyrgyzstan, resolved",
          version: 2,
        },
      },
    });
    expect(await sourceOf(SLUG)).toEqual(before);
  });

  it("can be removed by an admin, leaving a revision that says so and not what it said", async () => {
    const source = `WIRE DESK\n\n## **A source to remove**\n\nBy Dana Omarova, correspondent\n\n*Published on 4th May 2025*\n\nA private detail was printed here.`;
    const IMPORT_SHOWING = `mutation ($input: ImportArticleInput!) {
      importArticle(input: $input) { id source { text } } }`;
    const once = { ...editor, "idempotency-key": "import-to-remove" };
    const imported = await server.graphql(IMPORT_SHOWING, { input: { source } }, once);
    const { id } = imported.data!.importArticle;
    const REMOVE = `mutation ($id: ID!) { removeArticleSource(id: $id) { id version source { text } } }`;
    const refused = await server.graphql(REMOVE, { id }, editor);
    expect(refused.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    const admin = await server.keyFor("ADMIN", "desk admin");
    expect(await server.graphql(REMOVE, { id }, admin)).toEqual({
      status: 200,
      data: { removeArticleSource: { id, version: 2, source: null } },
    });
    expect(
      await server.db.prisma.articleSource.count({ where: { articleId: fromGlobalId(id)!.key } }),
    ).toBe(0);
    const history = await server.graphql(
      `query ($id: ID!) { revisions(nodeId: $id) { action version editor before after } }`,
      { id },
    );
    const [removal, creation] = history.data!.revisions;
    expect(removal).toMatchObject({
      action: "UPDATE",
      version: 2,
      editor: "desk admin",
      before: { sourceKept: true },
      after: { sourceKept: false },
    });
    expect(creation).toMatchObject({ action: "CREATE", version: 1, after: { sourceKept: true } });
    expect(JSON.stringify(history.data)).not.toContain("WIRE DESK");
    // The import's answer, kept for a replay of its Idempotency-Key, no longer shows it either.
    const replayed = await server.graphql(IMPORT_SHOWING, { input: { source } }, once);
    expect(replayed).toEqual({ status: 200, data: { importArticle: { id, source: null } } });
    const again = await server.graphql(REMOVE, { id }, admin);
    expect(again.errors![0]!.extensions!.code).toBe("NOT_FOUND");
  });

  it("is read in a statement of its own, only when a query asks for it", async () => {
    const count = async (query: string) => {
      const from = server.db.statementCount;
      const response = await server.graphql(query, { slug: SLUG });
      expect(response.errors).toBeUndefined();
      return server.db.statementCount - from;
    };
    const page = (fields: string) =>
      `query ($slug: String!) { article(slug: $slug) { title visits { title } ${fields} } }`;
    expect([
      await count(operation("ArticlePage")),
      await count(page("")),
      await count(page("source { text }")),
      await count(page("source { frontMatter { title { text } } }")),
    ]).toEqual([1, 1, 2, 2]);
  });

  it("weighs its text in a query's cost as Article.body does", () => {
    const schema = buildSchema(typeDefs);
    const cost = (query: string) => queryCost(schema, parse(query), {});
    expect([
      cost(`{ article(slug: "x") { body } }`),
      cost(`{ article(slug: "x") { source { text } } }`),
      cost(`{ article(slug: "x") { source { frontMatter { title { text } } } } }`),
    ]).toEqual([1 + 1000, 1 + 1 + 1000, 1 + 1 + 1 + 1]);
  });
});

describe("Article.source of an import refused", () => {
  it("is never written: a refused importArticle leaves no source row", async () => {
    const before = await databaseState(server.db);
    const refused = await server.graphql(
      IMPORT,
      {
        input: {
          source: wireSource("Port talks resume", "Ministers met in Aktau."),
          facts: {
            visits: [
              {
                key: "aktau",
                title: "Talks in Aktau",
                kind: "WORKING_VISIT",
                citations: [{ quote: "met in Baku" }],
              },
            ],
          },
        },
      },
      editor,
    );
    expect(refused.errors?.map((e) => e.extensions?.problems)).toEqual([
      [
        {
          path: "input.facts.visits[0].citations[0]",
          message: 'quote not found in the article body: "met in Baku"',
        },
      ],
    ]);
    const after = await databaseState(server.db);
    expect(after.ArticleSource).toEqual(before.ArticleSource);
    expect(after).toEqual(before);
  });

  it("is rolled back with the article when the seed stops at a later article", async () => {
    const database: TestDatabase = await openTestDatabase();
    try {
      await migrate(database.db);
      const first = {
        file: "1-rail.md",
        source: wireSource("Rail talks", "Ministers met."),
        facts: null,
      };
      // The masthead's publisher, which the first article brings in as an organisation.
      const second = {
        file: "2-port.md",
        source: wireSource("Port talks", "Ministers met again."),
        facts: { actors: [{ key: "desk", name: "Wire Desk", kind: "PERSON" as const }] },
      };
      const error = await seed(database.db, { articles: [first, second] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SeedError);
      expect((error as SeedError).message).toMatch(
        /^2-port\.md: input\.facts\.actors\[0\]\.kind: "Wire Desk" is [\w-]+, a ORGANIZATION, not a PERSON; nothing was written$/,
      );
      expect({
        articles: await database.db.prisma.article.findMany(),
        sources: await database.db.prisma.articleSource.findMany(),
      }).toEqual({ articles: [], sources: [] });
    } finally {
      await database.close();
    }
  });
});

// The embedded test database lives in this process's memory, out of a child process's reach.
const cliTest = process.env.DATABASE_URL ? it : it.skip;

describe("npm run import keeps the file's bytes", () => {
  let database: TestDatabase;
  const folder = mkdtempSync(path.join(tmpdir(), "accord-source-"));
  beforeAll(async () => {
    database = await openTestDatabase();
    await migrate(database.db);
  });
  afterAll(async () => {
    rmSync(folder, { recursive: true, force: true });
    await database.close();
  });

  cliTest("stores a file with a byte order mark and CRLF line ends as it is", async () => {
    const file = path.join(folder, "rail.md");
    const bytes = Buffer.from(
      `\uFEFF${wireSource("Rail talks resume", "Ministers met in Osh.")}\r\n`.replace(
        /(?<!\r)\n/g,
        "\r\n",
      ),
      "utf8",
    );
    writeFileSync(file, bytes);
    const result = await runCli("import", database.url!, [file]);
    expect([result.code, result.stdout]).toEqual([
      0,
      expect.stringContaining('Imported "rail-talks-resume" as '),
    ]);
    const stored = await database.db.prisma.articleSource.findMany({
      select: { text: true, article: { select: { slug: true } } },
    });
    expect(stored).toEqual([
      { text: readSourceFile(file), article: { slug: "rail-talks-resume" } },
    ]);
    expect(Buffer.from(stored[0]!.text, "utf8")).toEqual(bytes);
  });

  cliTest("refuses a file that is not UTF-8, and writes nothing", async () => {
    const file = path.join(folder, "latin1.md");
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(wireSource("Caf", "Menu.")), Buffer.from([0xe9])]),
    );
    const before = await databaseState(database.db);
    const result = await runCli("import", database.url!, [file]);
    expect([result.code, result.stderr]).toEqual([
      1,
      expect.stringContaining(`Import failed, nothing was written: ${file}: not UTF-8 text\n`),
    ]);
    expect(await databaseState(database.db)).toEqual(before);
  });
});
