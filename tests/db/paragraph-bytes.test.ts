/**
 * Each paragraph's "bodyBytes" (kept by the paragraph_search triggers) must cut out of the
 * body's UTF-8 exactly the text `body.slice(start, end)` gives in JavaScript, and its
 * "searchVector" must be that text's, for bodies mixing 1- to 4-byte characters, through edits.
 */
import { describe, expect, it } from "@jest/globals";
import { suiteWithEditor } from "../support/suite.js";

const { server, keys } = suiteWithEditor({ env: { ACCORD_RESPONSE_CACHE: "off" } });

const PIECES = ["a", "é", "ß", "中", "文", "😀", "𝔘", "\u0301", "ﬁ", "—", " ", "z", "🇰🇬", "👩‍👩‍👧"];

function randomBody(seed: number, paragraphs: number): string {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: paragraphs }, (_, p) => {
    const words = Array.from({ length: 3 + (next() % 12) }, () =>
      Array.from({ length: 1 + (next() % 6) }, () => PIECES[next() % PIECES.length]).join(""),
    );
    return `word${p} ${words.join(" ")} end${p}`;
  }).join(next() % 2 ? "\n\n" : "\n   \n");
}

async function checkArticle(slug: string, body: string) {
  const rows = await server.db.prisma.$queryRawUnsafe<
    { index: number; start: number; end: number; cut: string | null; matches: boolean }[]
  >(
    `SELECT p."index", p."start", p."end",
            convert_from(substring(convert_to(a."body", 'UTF8') FROM lower(p."bodyBytes") + 1
              FOR upper(p."bodyBytes") - lower(p."bodyBytes")), 'UTF8') AS cut,
            p."searchVector" = to_tsvector('english', convert_from(substring(convert_to(a."body", 'UTF8')
              FROM lower(p."bodyBytes") + 1 FOR upper(p."bodyBytes") - lower(p."bodyBytes")), 'UTF8')) AS matches
       FROM "ArticleParagraph" p JOIN "Article" a ON a."id" = p."articleId"
      WHERE a."slug" = $1 ORDER BY p."index"`,
    slug,
  );
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect({ index: row.index, cut: row.cut }).toEqual({
      index: row.index,
      cut: body.slice(row.start, row.end),
    });
    expect(row.matches).toBe(true);
  }
}

describe("Paragraph byte ranges", () => {
  it("cut each paragraph's own text from bodies of mixed characters, after creation and after edits", async () => {
    for (let seed = 1; seed <= 6; seed++) {
      const slug = `mixed-${seed}`;
      const first = randomBody(seed, 30);
      const created = await server.graphql(
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id version } }`,
        { input: { slug, title: "Mixed", language: "en", publishedOn: "2025-05-01", body: first } },
        keys.editor,
      );
      expect(created.errors).toBeUndefined();
      await checkArticle(slug, first);
      const { id, version } = created.data!.createArticle as { id: string; version: number };
      const second = randomBody(seed + 100, 25);
      const updated = await server.graphql(
        `mutation($id: ID!, $input: UpdateArticleInput!, $v: Int) { updateArticle(id: $id, input: $input, expectedVersion: $v) { version } }`,
        { id, input: { body: second }, v: version },
        keys.editor,
      );
      expect(updated.errors).toBeUndefined();
      await checkArticle(slug, second);
    }
  }, 120_000);
});
