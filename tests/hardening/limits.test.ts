/**
 * Query limits: each has a default that every contract operation passes, can be configured,
 * and refuses with its own code before any resolver runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  parse,
  print,
  type ConstDirectiveNode,
} from "graphql";
import { readConfig } from "../../src/config.js";
import { queryCost } from "../../src/cost.js";
import { toGlobalId } from "../../src/ids.js";
import { typeDefs } from "../../src/server.js";
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
    const nested =
      "mentions(first: 1) { edges { node { actor { ".repeat(6) + "name" + " } } } }".repeat(6);
    const error = await expectRefused(
      server,
      `{ actors(first: 1) { edges { node { ${nested} } } } }`,
      "MAX_DEPTH_EXCEEDED",
    );
    expect(error.message).toBe("Query depth exceeds the limit of 24");
  });

  /** What a query of `cost` is told, over the default limit. */
  const overCost = (cost: number) =>
    `Query cost ${cost} exceeds the limit of 1000000: ask for smaller pages (first or last) or fewer nested lists`;

  /**
   * Actors, their mentions' actors, and those actors' articles, each page `size: n`: 100 actors
   * x (edge, actor, mentions + 100 mentions x (edge, mention, actor, articles + 100 articles x
   * (edge, article))), plus the connection, when n is 100.
   */
  const threeDeep = (size: string, n: string) =>
    `{ actors(${size}: ${n}) { edges { node { mentions(${size}: ${n}) { edges { node { actor { articles(${size}: ${n}) { edges { node { title } } } } } } } } } } }`;
  const THREE_DEEP_COST = 1 + 100 * (1 + 1 + 1 + 100 * (1 + 1 + 1 + 1 + 100 * (1 + 1)));

  it("refuse a costly query: 100 actors, each with nested lists, naming the cost and the limit", async () => {
    const error = await expectRefused(
      server,
      `{ actors(first: 100) { edges { node { mentions { edges { node { article { visits { outcomes { citations { quote } } } } } } } } } } }`,
      "MAX_COST_EXCEEDED",
    );
    // 100 actors x 20 mentions x (edge, mention, article + 20 visits x (visit + 100 outcomes
    // x (outcome + 50 citations))), plus the connections.
    expect(error.message).toBe(
      overCost(1 + 100 * (1 + 1 + 1 + 20 * (1 + 1 + 1 + 20 * (1 + 100 * (1 + 50))))),
    );
    expect(error.extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", limit: 1_000_000 });
  });

  it.each(["first", "last"])(
    "refuse a costly query paged with %s at the same cost, three connections deep",
    async (size) => {
      const error = await expectRefused(server, threeDeep(size, "100"), "MAX_COST_EXCEEDED");
      expect(error.message).toBe(overCost(THREE_DEEP_COST));
      expect(error.extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", limit: 1_000_000 });
    },
  );

  it.each(["first", "last"])(
    "refuse a costly query paged with %s by a variable's default as if the value were sent",
    async (size) => {
      const query = `query($n: Int = 100) ${threeDeep(size, "$n")}`;
      const sent = await expectRefused(server, query, "MAX_COST_EXCEEDED", { n: 100 });
      const defaulted = await expectRefused(server, query, "MAX_COST_EXCEEDED");
      expect(defaulted).toEqual(sent);
      expect(defaulted.message).toBe(overCost(THREE_DEEP_COST));
    },
  );

  it("refuse a costly query whatever other variables ride along, even ones too deep to serialise", async () => {
    const query = `{ actors(first: 100) { edges { node { mentions { edges { node { article { visits { outcomes { citations { quote } } } } } } } } } } }`;
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

  it("refuse a query whose fragments spread into more fields than the estimate walks, running nothing", async () => {
    // Each fragment spreads the next twice: 2^14 copies of the selection once expanded.
    const fragments = Array.from(
      { length: 14 },
      (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    ).join("\n");
    const query = `query { ...F0 actors(first: 1) { totalCount } }\n${fragments}\nfragment F14 on Query { __typename }`;
    const statements = server.db.statementCount;

    const response = await server.graphql(query);

    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors).toMatchObject([
      {
        message:
          "The cost of this query cannot be bounded (Query exceeds the maximum allowed number of nodes.): use fewer fields and fragment spreads",
        extensions: { code: "MAX_COST_EXCEEDED", limit: 1_000_000 },
      },
    ]);
    expect(server.db.statementCount).toBe(statements);
  });

  it("count first from variables", async () => {
    const query = `query($n: Int) { actors(first: $n) { edges { node { mentions(first: $n) { edges { node { article { visits { outcomes { id } } } } } } } } } }`;
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
    await expectRefused(
      strict,
      `{ search(query: "border", first: 100) { node { id } } }`,
      "MAX_COST_EXCEEDED",
    );
  });

  it("let what is within them through", async () => {
    const response = await strict.graphql(`{ a: article(slug: "${SLUG}") { title } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      a: { title: "Resolution of border issues between Tajikistan and Kyrgyzstan" },
    });
  });
});

describe("Cost: read from the schema's @cost and @listSize", () => {
  const schema = buildSchema(typeDefs);
  const cost = (query: string, variables: Record<string, unknown> = {}) =>
    queryCost(schema, parse(query), variables);

  /** `@listSize` of a field, as its arguments' source text. */
  function listSize(directives: readonly ConstDirectiveNode[] | undefined) {
    const node = directives?.find((d) => d.name.value === "listSize");
    return node && Object.fromEntries(node.arguments!.map((a) => [a.name.value, print(a.value)]));
  }

  it("every list field declares its size: @listSize, or a connection that sizes it", () => {
    const lists: string[] = [];
    const sized = new Set<string>();
    const types = Object.values(schema.getTypeMap()).filter(
      (t) => (isObjectType(t) || isInterfaceType(t)) && !t.name.startsWith("__"),
    );
    for (const type of types) {
      if (!isObjectType(type) && !isInterfaceType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const size = listSize(field.astNode?.directives);
        if (size?.sizedFields) {
          for (const name of JSON.parse(size.sizedFields) as string[])
            sized.add(`${getNamedType(field.type).name}.${name}`);
        }
        if (isListType(getNullableType(field.type)) && !size)
          lists.push(`${type.name}.${field.name}`);
      }
    }
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.filter((list) => !sized.has(list))).toEqual([]);
  });

  it("states each plain list's maximum in its description too", () => {
    const bounded: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        const size = listSize(field.astNode?.directives);
        if (!size?.assumedSize) continue;
        bounded.push(`${type.name}.${field.name}`);
        const n = Number(size.assumedSize).toLocaleString("en-US");
        expect([`${type.name}.${field.name}`, field.description]).toEqual([
          `${type.name}.${field.name}`,
          expect.stringContaining(`At most ${n}.`),
        ]);
      }
    }
    expect(bounded.sort()).toEqual(
      [
        "Actor.aliases",
        "Agreement.citations",
        "Agreement.parties",
        "Article.authors",
        "Article.paragraphs",
        "Article.visits",
        "ArticlePreview.mentions",
        "ArticlePreview.paragraphs",
        "ArticlePreview.repeats",
        "ArticlePreview.suggestions",
        "FrontMatter.masthead",
        "Outcome.citations",
        "Query.apiKeys",
        "Visit.agreements",
        "Visit.citations",
        "Visit.outcomes",
        "Visit.participants",
      ].sort(),
    );
  });

  it("counts each object once, a page as first objects (default 20), pageInfo and totalCount once", () => {
    expect(cost(`{ actors { edges { node { name } } } }`)).toBe(1 + 20 * (1 + 1));
    expect(cost(`{ actors(first: 5) { edges { node { name } } } }`)).toBe(1 + 5 * 2);
    expect(cost(`query($n: Int) { actors(first: $n) { edges { node { name } } } }`, { n: 7 })).toBe(
      1 + 7 * 2,
    );
    expect(cost(`{ actors(first: 100) { totalCount pageInfo { endCursor } } }`)).toBe(2);
    expect(cost(`{ search(query: "x") { node { id } } }`)).toBe(10 * (1 + 1));
  });

  it("counts a plain list as its declared maximum, and a body as 1,000", () => {
    expect(cost(`{ article(slug: "x") { paragraphs { text } } }`)).toBe(1 + 2000);
    expect(cost(`{ article(slug: "x") { body authors { aliases } } }`)).toBe(1 + 1000 + 20);
  });

  it("sizes a connection's edges inside fragments too", () => {
    const fragment = `fragment Page on ActorConnection { edges { node { name } } }`;
    expect(cost(`{ actors(first: 5) { ...Page } } ${fragment}`)).toBe(1 + 5 * 2);
    expect(
      cost(`{ actors(first: 5) { ... on ActorConnection { edges { node { name } } } } }`),
    ).toBe(1 + 5 * 2);
  });

  it("counts an abstract type as its costliest possibility", () => {
    expect(
      cost(`{ node(id: "x") { ... on Article { paragraphs { index } } ... on Actor { name } } }`),
    ).toBe(1 + 2000);
  });

  it("keeps every contract operation, at its largest pages, under half the default limit", () => {
    const { maxCost } = readConfig({}).limits;
    const dir = new URL("../contract/operations/", import.meta.url);
    const names = readdirSync(dir).filter((f) => f.endsWith(".graphql"));
    const costs = Object.fromEntries(
      names.map((file) => [
        file,
        cost(readFileSync(new URL(file, dir), "utf8"), {
          id: "x",
          slug: "x",
          query: "x",
          first: 100,
        }),
      ]),
    );
    expect(Object.values(costs).every((c) => c < maxCost / 1.9)).toBe(true);
    expect(costs["ArticlePage.graphql"]).toBe(512_042);
  });

  const mentionLevels = (levels: number, id: string, leaf: string) =>
    `{ actor(id: ${JSON.stringify(id)}) { ${"mentions { edges { node { actor { ".repeat(levels - 1)}mentions { edges { node { article { ${leaf} } } } }${" } } } }".repeat(levels - 1)} } }`;

  it("serves the nested mentions query two levels deep, refuses three levels by the fields it builds, and with bodies or five levels deep by cost", async () => {
    const tajikistan = await server.db.prisma.actor.findFirstOrThrow({
      where: { name: "Tajikistan" },
    });
    const id = toGlobalId("Actor", tajikistan.id);
    expect(cost(mentionLevels(3, id, "body"))).toBe(8_025_682);
    await expectRefused(server, mentionLevels(3, id, "body"), "MAX_COST_EXCEEDED");
    const two = await server.graphql(mentionLevels(2, id, "slug"));
    expect(two.errors).toBeUndefined();
    const leaves = two.data!.actor.mentions.edges.flatMap((a: any) => a.node.actor.mentions.edges);
    expect(leaves).toHaveLength(20 * 20);
    // Within the cost (each level 20 of Tajikistan's 31 mentions), but 8,000 leaves: more
    // fields than a response may hold.
    const three = mentionLevels(3, id, "slug");
    expect(cost(three)).toBe(25_682);
    const refused = await server.graphql(three);
    expect(refused).toEqual({
      status: 400,
      data: null,
      errors: [
        {
          message:
            "The response would exceed 20000 fields: ask for fewer fields, smaller pages (first or last) or fewer aliases",
          extensions: { code: "RESPONSE_TOO_LARGE", limit: 20_000 },
        },
      ],
    });
    const five = mentionLevels(5, id, "body");
    expect(cost(five)).toBe(3_210_273_682);
    const error = await expectRefused(server, five, "MAX_COST_EXCEEDED");
    expect(error.message).toMatch(/^Query cost 3210273682 exceeds the limit of 1000000/);
  });
});
