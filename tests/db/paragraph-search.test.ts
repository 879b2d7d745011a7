/**
 * Each paragraph's "searchVector" and "bodyBytes" are kept by the database, whoever writes the
 * rows: the byte range cuts exactly `body.slice(start, end)` out of the body's UTF-8 (offsets
 * count UTF-16 code units, as JavaScript does), and the vector is that text's.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/seed/load.js";
import { splitParagraphs } from "../../src/text/paragraphs.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db);
});
afterAll(() => database.close());

const query = <T>(sql: string, ...params: unknown[]) =>
  database.db.prisma.$queryRawUnsafe<T[]>(sql, ...params);

let slugs = 0;
async function insertArticle(body: string): Promise<number> {
  const [row] = await query<{ id: number }>(
    `INSERT INTO "Article" (slug, title, language, "publishedOn", body, "updatedAt")
     VALUES ($1, 'A title', 'en', date '2025-01-01', $2, now()) RETURNING id`,
    `paragraph-search-${++slugs}`,
    body,
  );
  return row!.id;
}

/** Inserts `body`'s paragraphs in one statement, as the edits do. */
async function insertParagraphs(articleId: number, body: string) {
  const paragraphs = splitParagraphs(body);
  await query(
    `INSERT INTO "ArticleParagraph" ("articleId", "index", "start", "end")
     SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[])`,
    articleId,
    paragraphs.map((p) => p.index),
    paragraphs.map((p) => p.start),
    paragraphs.map((p) => p.end),
  );
  return paragraphs;
}

interface Indexed {
  index: number;
  cut: string | null;
  words: string | null;
}

/** Each paragraph's text as its byte range cuts it, and its vector stripped of positions. */
const indexed = (articleId: number) =>
  query<Indexed>(
    `SELECT p."index",
            convert_from(substring(convert_to(a.body, 'UTF8') FROM lower(p."bodyBytes") + 1
                         FOR upper(p."bodyBytes") - lower(p."bodyBytes")), 'UTF8') AS cut,
            strip(p."searchVector")::text AS words
       FROM "ArticleParagraph" p JOIN "Article" a ON a.id = p."articleId"
      WHERE p."articleId" = $1 ORDER BY p."index"`,
    articleId,
  );

const vectorOf = async (text: string) =>
  (await query<{ v: string }>(`SELECT strip(to_tsvector('english', $1))::text AS v`, text))[0]!.v;

const BODIES: Record<string, string> = {
  ascii: "First paragraph.\n\nSecond one, longer.\n\n1. An item\n2) Another item",
  "emoji and other scripts":
    "😀 Grinning start 😀😀\n\n  Résumé of the talks in Душанбе 🇹🇯 and Бишкек 🇰🇬.\n\n\r\n" +
    "𝒳𝒴𝒵 mathematical letters, 日本語, e\u0301 combined 🏔️.\r\n\r\nLast: 👩‍👩‍👧 family",
  "three-byte spaces between paragraphs": "Α\u3000\n\u3000\nΒ 🙂\n\u00a0\nΓ",
};

describe("ArticleParagraph search columns", () => {
  it.each(Object.keys(BODIES))("cut each paragraph exactly out of a body (%s)", async (name) => {
    const body = BODIES[name]!;
    const articleId = await insertArticle(body);
    const paragraphs = await insertParagraphs(articleId, body);
    const rows = await indexed(articleId);
    expect(rows.map((r) => r.cut)).toEqual(paragraphs.map((p) => body.slice(p.start, p.end)));
    for (const row of rows) expect(row.words).toBe(await vectorOf(row.cut!));
  });

  it("indexes the seed's paragraphs, written through the Prisma client", async () => {
    await seed(database.db);
    const [article] = await query<{ id: number; body: string }>(
      `SELECT id, body FROM "Article" WHERE slug = $1`,
      "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan",
    );
    const spans = await query<{ start: number; end: number }>(
      `SELECT "start", "end" FROM "ArticleParagraph" WHERE "articleId" = $1 ORDER BY "index"`,
      article!.id,
    );
    expect(spans.length).toBeGreaterThan(10);
    const rows = await indexed(article!.id);
    expect(rows.map((r) => r.cut)).toEqual(spans.map((p) => article!.body.slice(p.start, p.end)));
    for (const row of rows) expect(row.words).toBe(await vectorOf(row.cut!));
  });

  it("indexes the paragraphs again when the body changes, whoever changes it", async () => {
    const body = "Old words here.\n\nMore old words.";
    const articleId = await insertArticle(body);
    await insertParagraphs(articleId, body);
    // Same offsets, other characters: two-unit emoji shift every UTF-8 offset.
    const changed = "😀😀 words new.\n\nFresh 😀 texts.";
    expect(changed.length).toBe(body.length);
    await query(`UPDATE "Article" SET body = $2 WHERE id = $1`, articleId, changed);
    const rows = await indexed(articleId);
    expect(rows.map((r) => r.words)).toEqual([
      await vectorOf(changed.slice(0, 15)),
      await vectorOf(changed.slice(17, 32)),
    ]);
    expect(rows[0]!.words).toContain("'new'");
  });

  it("indexes a paragraph again when its offsets change", async () => {
    const body = "Alpha beta gamma.\n\nDelta epsilon.";
    const articleId = await insertArticle(body);
    await insertParagraphs(articleId, body);
    await query(
      `UPDATE "ArticleParagraph" SET "start" = 6 WHERE "articleId" = $1 AND "index" = 0`,
      articleId,
    );
    const rows = await indexed(articleId);
    expect(rows[0]!.cut).toBe("beta gamma.");
    expect(rows[0]!.words).toBe(await vectorOf("beta gamma."));
  });
});
