/**
 * Search sends one SQL statement per request, whatever kinds of objects it finds (the hits'
 * rows come with it), and it ranks a bounded number of matches per kind: the newest.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { CANDIDATES_PER_KIND } from "../../src/read/search.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

let server: TestServer;
beforeAll(async () => {
  // Without the response cache: every request must reach the database to be counted.
  server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
});
afterAll(() => server.stop());

async function statementsFor(query: string, variables: Record<string, unknown>) {
  const before = server.db.statementCount;
  const response = await server.graphql(query, variables);
  expect(response.errors).toBeUndefined();
  return { statements: server.db.statementCount - before, data: response.data! };
}

describe("Search: statements and bounds", () => {
  it("answers in one statement, whatever kinds of objects it finds", async () => {
    for (const query of ["border treaty", "Japarov", "flights", "Tajikistan", "no such word"]) {
      const { statements, data } = await statementsFor(operation("Search"), { query });
      expect(statements).toBe(1);
      if (query !== "no such word") expect((data.search as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it("gives a hit the same fields as a lookup of its object", async () => {
    const fields = `id slug title subtitle language publishedOn body version
                    publisher { id name } authors { name }`;
    const { data } = await statementsFor(
      `query($q: String!) { search(query: $q, first: 100) { node { __typename ... on Article { ${fields} } } } }`,
      { q: "border treaty" },
    );
    const hit = (data.search as { node: Record<string, unknown> }[]).find(
      (h) => h.node.__typename === "Article",
    );
    const direct = await server.graphql(`{ article(slug: "${SLUG}") { ${fields} } }`);
    expect(hit?.node).toEqual({ __typename: "Article", ...direct.data!.article });
  });

  it("finds an article by its new words as soon as its text changes", async () => {
    const { prisma } = server.db;
    const article = await prisma.article.findUniqueOrThrow({ where: { slug: SLUG } });
    await prisma.article.update({
      where: { id: article.id },
      data: { subtitle: "Zanzibarian cartography" },
    });
    const { data } = await statementsFor(operation("Search"), { query: "zanzibarian" });
    expect(data.search).toMatchObject([
      { node: { __typename: "Article", slug: SLUG }, snippet: expect.any(String) },
    ]);
    await prisma.article.update({
      where: { id: article.id },
      data: { subtitle: article.subtitle },
    });
    expect((await statementsFor(operation("Search"), { query: "zanzibarian" })).data).toEqual({
      search: [],
    });
  });

  it(`ranks only the newest ${CANDIDATES_PER_KIND} matches of a kind, however many there are`, async () => {
    // The older visits say the word three times and would outrank every newer one.
    const visit = (title: string) => ({
      title,
      kind: "WORKING_VISIT" as const,
      editorialNote: "Made by a search test.",
    });
    const older = Array.from({ length: 50 }, (_, i) =>
      visit(`Samarkand, Samarkand, Samarkand ${i}`),
    );
    const newer = Array.from({ length: CANDIDATES_PER_KIND }, (_, i) =>
      visit(`Samarkand summit number ${i}`),
    );
    await server.db.prisma.visit.createMany({ data: older });
    const before = await statementsFor(operation("Search"), { query: "Samarkand", first: 20 });
    const top = before.data.search as { node: { __typename: string; title: string } }[];
    // With no more than the bound matching, the best are found wherever they are.
    expect(top.slice(0, 20).every((hit) => /^Samarkand, Samarkand/.test(hit.node.title))).toBe(
      true,
    );

    await server.db.prisma.visit.createMany({ data: newer });
    const { data, statements } = await statementsFor(operation("Search"), {
      query: "Samarkand",
      first: 20,
    });
    expect(statements).toBe(1);
    const hits = data.search as { node: { __typename: string; title: string } }[];
    expect(hits).toHaveLength(20);
    for (const hit of hits) expect(hit.node.title).toMatch(/^Samarkand summit number \d+$/);
  });
});
