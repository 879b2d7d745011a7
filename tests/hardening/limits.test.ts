/**
 * Query limits: each has a default that every contract operation passes, can be configured,
 * and refuses with its own code before any resolver runs.
 */
import { readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { operation, startTestServer, type TestServer } from "../support/server.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

let server: TestServer;
let strict: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  strict = await startTestServer({
    env: {
      ACCORD_MAX_DEPTH: "3",
      ACCORD_MAX_ALIASES: "1",
      ACCORD_MAX_DIRECTIVES: "1",
      ACCORD_MAX_TOKENS: "40",
      ACCORD_MAX_COST: "100",
    },
  });
});
afterAll(async () => {
  await server.stop();
  await strict.stop();
});

/** Sends a query and expects the limit's refusal, with no resolver run (no SQL sent). */
async function expectRefused(target: TestServer, query: string, code: string, variables = {}) {
  const statements = target.db.statementCount;
  const response = await target.graphql(query, variables);
  expect(response.status).toBe(400);
  expect(response.data).toBeUndefined();
  expect(response.errors).toMatchObject([{ extensions: { code } }]);
  expect(target.db.statementCount).toBe(statements);
  return response.errors![0]!;
}

describe("Limits: the defaults", () => {
  const names = readdirSync(new URL("../contract/operations/", import.meta.url)).filter((f) =>
    f.endsWith(".graphql"),
  );

  it.each(names.map((f) => f.replace(".graphql", "")))(
    "let the contract operation %s through",
    async (name) => {
      const variables: Record<string, Record<string, unknown>> = {
        ArticlePage: { slug: SLUG },
        ActorProfile: { id: "none" },
        NodeLookup: { id: "none" },
        Search: { query: "border", first: 100 },
        ActorDirectory: { first: 100 },
        OutcomeTracker: { first: 100 },
        AgreementList: { first: 100 },
        ArticleList: { first: 100 },
        VisitList: { first: 100 },
      };
      const response = await server.graphql(operation(name), variables[name] ?? {});
      expect(response.errors).toBeUndefined();
    },
  );

  it("refuse a deep query", async () => {
    const nested = "mentions { actor { ".repeat(8) + "name" + " } }".repeat(8);
    const error = await expectRefused(
      server,
      `{ actors { edges { node { ${nested} } } } }`,
      "MAX_DEPTH_EXCEEDED",
    );
    expect(error.message).toBe("Query depth exceeds the limit of 12");
  });

  it("refuse a costly query: 100 actors, each with nested lists", async () => {
    const error = await expectRefused(
      server,
      `{ actors(first: 100) { edges { node { mentions { article { visits { outcomes { citations { quote } } } } } } } } }`,
      "MAX_COST_EXCEEDED",
    );
    expect(error.message).toMatch(/^Query cost \d+ exceeds the limit of 50000/);
  });

  it("refuse a costly query whatever other variables ride along, even ones too deep to serialise", async () => {
    const query = `{ actors(first: 100) { edges { node { mentions { article { visits { outcomes { citations { quote } } } } } } } } }`;
    // Built by hand: JSON.stringify itself cannot nest this deep.
    const junk = `${"[".repeat(5000)}1${"]".repeat(5000)}`;
    for (const variables of ['{"junk":1}', `{"junk":${junk}}`]) {
      const statements = server.db.statementCount;
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"query":${JSON.stringify(query)},"variables":${variables}}`,
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      expect(response.status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toMatchObject([{ extensions: { code: "MAX_COST_EXCEEDED" } }]);
      expect(server.db.statementCount).toBe(statements);
    }
  });

  it("count first from variables", async () => {
    const query = `query($n: Int) { actors(first: $n) { edges { node { mentions { article { visits { outcomes { id } } } } } } } }`;
    expect((await server.graphql(query, { n: 1 })).errors).toBeUndefined();
    await expectRefused(server, query, "MAX_COST_EXCEEDED", { n: 100 });
  });
});

describe("Limits: configured lower", () => {
  it("refuse each excess with its own code and the limit", async () => {
    const tokens = await expectRefused(
      strict,
      `{ ${"__typename ".repeat(50)}}`,
      "MAX_TOKENS_EXCEEDED",
    );
    expect(tokens).toEqual({
      message: "Number of tokens exceeds the limit of 40",
      extensions: { code: "MAX_TOKENS_EXCEEDED", limit: 40 },
    });
    await expectRefused(strict, `{ actors { edges { node { name } } } }`, "MAX_DEPTH_EXCEEDED");
    await expectRefused(
      strict,
      `{ a: articles { totalCount } b: articles { totalCount } }`,
      "MAX_ALIASES_EXCEEDED",
    );
    await expectRefused(
      strict,
      `{ __typename @include(if: true) @skip(if: false) }`,
      "MAX_DIRECTIVES_EXCEEDED",
    );
    await expectRefused(strict, `{ ${"__typename ".repeat(50)}}`, "MAX_TOKENS_EXCEEDED");
    await expectRefused(strict, `{ actors(first: 100) { totalCount } }`, "MAX_COST_EXCEEDED");
  });

  it("let what is within them through", async () => {
    const response = await strict.graphql(`{ a: article(slug: "${SLUG}") { title } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      a: { title: "Resolution of border issues between Tajikistan and Kyrgyzstan" },
    });
  });
});
