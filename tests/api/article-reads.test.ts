/**
 * An article reads the same whichever way it is reached: its page in one statement (by slug
 * or by id), a lookup without the page, a list, a citation or a node id. Lists and lookups
 * load articles without their body; the body and paragraph texts must still be whole.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { operation, startTestServer, type TestServer } from "../support/server.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

let server: TestServer;
let source: { body: string; id: number };
beforeAll(async () => {
  server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
  source = await server.db.prisma.article.findUniqueOrThrow({ where: { slug: SLUG } });
});
afterAll(() => server.stop());

const ARTICLE_FIELDS = `id slug title publishedOn body paragraphs { index start end text }`;

async function read(query: string, variables: Record<string, unknown> = {}) {
  const before = server.db.statementCount;
  const response = await server.graphql(query, variables);
  return { ...response, statements: server.db.statementCount - before };
}

function expectWhole(article: {
  body: string;
  paragraphs: { start: number; end: number; text: string }[];
}) {
  expect(article.body).toBe(source.body);
  expect(article.paragraphs.length).toBeGreaterThan(30);
  for (const p of article.paragraphs) expect(p.text).toBe(source.body.slice(p.start, p.end));
}

describe("Article reads: the page in one statement", () => {
  it("loads ArticlePage by slug with one SQL statement", async () => {
    const { data, errors, statements } = await read(operation("ArticlePage"), { slug: SLUG });
    expect(errors).toBeUndefined();
    expect(statements).toBe(1);
    expect(data!.article.visits).toHaveLength(1);
    expect(data!.article.paragraphs[0].text).toBe(
      source.body.slice(data!.article.paragraphs[0].start, data!.article.paragraphs[0].end),
    );
  });

  it("loads the same page by global id, and null for an id of another type", async () => {
    const bySlug = await read(operation("ArticlePage"), { slug: SLUG });
    const id = bySlug.data!.article.id as string;
    const page = `query ($id: ID!) { article(id: $id) { ${ARTICLE_FIELDS} visits { id title } } }`;
    const byId = await read(page, { id });
    expect(byId.errors).toBeUndefined();
    expect(byId.statements).toBe(1);
    expect(byId.data!.article.visits).toEqual(
      bySlug.data!.article.visits.map((v: { id: string; title: string }) => ({
        id: v.id,
        title: v.title,
      })),
    );
    expectWhole(byId.data!.article);

    const visitId = bySlug.data!.article.visits[0].id as string;
    expect((await read(page, { id: visitId })).data).toEqual({ article: null });
    expect((await read(page, { id: "not-an-id" })).data).toEqual({ article: null });
  });

  it("returns null for a slug no article has, in one statement", async () => {
    const { data, errors, statements } = await read(operation("ArticlePage"), { slug: "nope" });
    expect(errors).toBeUndefined();
    expect(data).toEqual({ article: null });
    expect(statements).toBe(1);
  });
});

describe("Article reads: lists and lookups load the body only when asked", () => {
  it("returns the whole body and paragraph texts from a lookup without the page", async () => {
    const { data, errors } = await read(
      `query ($slug: String!) { article(slug: $slug) { ${ARTICLE_FIELDS} } }`,
      {
        slug: SLUG,
      },
    );
    expect(errors).toBeUndefined();
    expectWhole(data!.article);
  });

  it("returns the whole body from a list, and a list without it reads no body", async () => {
    const withBody = await read(`{ articles(first: 5) { edges { node { ${ARTICLE_FIELDS} } } } }`);
    expect(withBody.errors).toBeUndefined();
    expectWhole(withBody.data!.articles.edges[0].node);

    const titles = await read(`{ articles(first: 5) { edges { node { title } } } }`);
    // The body is not read for a list of titles; with bodies and paragraphs, the page reads
    // them in the same statement.
    expect(titles.statements).toBe(1);
    expect(withBody.statements).toBe(1);
  });

  it("returns the whole body of the article a citation quotes", async () => {
    const { data, errors } = await read(
      `{ outcomes(first: 1) { edges { node { citations { quote article { body } } } } } }`,
    );
    expect(errors).toBeUndefined();
    const citation = data!.outcomes.edges[0].node.citations[0];
    expect(citation.article.body).toBe(source.body);
    expect(source.body).toContain(citation.quote);
  });

  it("loads ArticleList with its authors and their actors in one statement", async () => {
    const { data, errors, statements } = await read(operation("ArticleList"), { first: 20 });
    expect(errors).toBeUndefined();
    expect(data!.articles.edges[0].node.authors).toEqual([
      { id: expect.any(String), name: "Parviz Muhammadzoda" },
    ]);
    // The page, its count (a counter), and the authors with their actors, all at once.
    expect(statements).toBe(1);
  });
});
