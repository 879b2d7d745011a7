/**
 * Accord as an Apollo Federation 2 subgraph: the SDL it serves at `_service` composes into a
 * supergraph with another team's subgraph that extends its entities, and `_entities` turns
 * references into rows of a migrated, seeded database.
 */
import { readdirSync, readFileSync } from "node:fs";
import { composeServices } from "@apollo/composition";
import { printSubgraphSchema } from "@apollo/subgraph";
import { ApolloServer } from "@apollo/server";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  assertInterfaceType,
  assertObjectType,
  buildSchema,
  parse,
  print,
  validate,
  type ConstDirectiveNode,
  type GraphQLSchema,
} from "graphql";
import { createContext, type Context } from "../../src/context.js";
import { migrate } from "../../src/db/migrate.js";
import { entityTypes, subgraphSchema } from "../../src/federation.js";
import { toGlobalId } from "../../src/ids.js";
import { NODE_TYPES } from "../../src/registry.js";
import { resolvers } from "../../src/resolvers/index.js";
import { seed } from "../../src/seed/load.js";
import { typeDefs } from "../../src/server.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";
import { startTestServer, type TestServer } from "../support/server.js";

/** Another team's subgraph: reviews of actors, Relay-style like Accord. */
const REVIEWS_SDL = `
  extend schema
    @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])

  scalar DateTime

  interface Node {
    id: ID!
  }

  type Actor @key(fields: "id") {
    id: ID!
    reviews(first: Int = 20, after: String): ReviewConnection!
  }

  type Review implements Node @key(fields: "id") {
    id: ID!
    actor: Actor!
    rating: Int!
    at: DateTime!
  }

  type ReviewConnection {
    edges: [ReviewEdge!]!
    pageInfo: PageInfo!
  }

  type ReviewEdge {
    cursor: String!
    node: Review!
  }

  # Relay's PageInfo in full, as a subgraph written for Relay declares it.
  type PageInfo @shareable {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  type Query {
    review(id: ID!): Review
  }

  type Mutation {
    reviewActor(actorId: ID!, rating: Int!): Review!
  }
`;

/** Resolves references as a router does, asking for fields of two entity types. */
const ENTITIES = `
  query ($r: [_Any!]!) {
    _entities(representations: $r) {
      ... on Actor { id name }
      ... on Outcome { ordinal statement }
    }
  }
`;

let database: TestDatabase;
let server: ApolloServer<Context>;

beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db);
  await seed(database.db);
  server = new ApolloServer<Context>({ schema: subgraphSchema(typeDefs, resolvers) });
  await server.start();
});
afterAll(async () => {
  await server?.stop();
  await database?.close();
});

/** Executes an operation on the subgraph with a fresh request context, as the server would. */
async function execute(query: string, variables?: Record<string, unknown>) {
  const response = await server.executeOperation(
    { query, variables },
    { contextValue: createContext(database.db) },
  );
  if (response.body.kind !== "single") throw new Error("expected a single result");
  const { data, errors } = response.body.singleResult;
  return { data: data as any, errors };
}

describe("the subgraph schema", () => {
  it("makes every Node type an entity keyed by id, and nothing else", () => {
    expect(entityTypes(typeDefs).sort()).toEqual([...NODE_TYPES].sort());
  });

  it("still validates every operation the clients ship", () => {
    const schema = subgraphSchema(typeDefs, resolvers);
    const dir = new URL("../contract/operations/", import.meta.url);
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((name) =>
      name.endsWith(".graphql"),
    );
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const file of files) {
      const errors = validate(schema, parse(readFileSync(new URL(file, dir), "utf8")));
      expect({ file, errors: errors.map((e) => e.message) }).toEqual({ file, errors: [] });
    }
  });

  it("links Federation 2.9 and carries the cost directives as federation's own", () => {
    const sdl = printSubgraphSchema(subgraphSchema(typeDefs, resolvers));
    expect(sdl).toContain(
      '@link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@cost", "@listSize"])',
    );
    expect(sdl).toContain("body: String! @cost(weight: 1000)");
    expect(sdl).toContain("paragraphs: [Paragraph!]! @listSize(assumedSize: 2000)");
  });

  it("refuses a Node type that has no global ids, instead of leaving it unresolvable", () => {
    const extra = `${typeDefs}\ntype Review implements Node { id: ID! }\n`;
    expect(() => subgraphSchema(extra, resolvers)).toThrow(/Review implements Node/);
  });
});

describe("composition with another subgraph", () => {
  let supergraph: GraphQLSchema;
  beforeAll(async () => {
    const { data, errors } = await execute("{ _service { sdl } }");
    expect(errors).toBeUndefined();
    const result = composeServices([
      { name: "accord", url: "http://accord:4000/graphql", typeDefs: parse(data._service.sdl) },
      { name: "reviews", url: "http://reviews:4001/graphql", typeDefs: parse(REVIEWS_SDL) },
    ]);
    expect(result.errors?.map((e) => e.message)).toBeUndefined();
    supergraph = buildSchema(result.supergraphSdl!);
  });

  /** `GRAPH:key` of each `@join__type` on a supergraph type: who owns it, and by which key. */
  function joins(typeName: string): string[] {
    const directives: readonly ConstDirectiveNode[] =
      supergraph.getType(typeName)?.astNode?.directives ?? [];
    return directives
      .filter((d) => d.name.value === "join__type")
      .map((d) => {
        const arg = (name: string) => {
          const value = d.arguments?.find((a) => a.name.value === name)?.value;
          return value && "value" in value ? String(value.value) : "";
        };
        return `${arg("graph")}:${arg("key")}`;
      });
  }

  it("has each of Accord's Node types as an entity keyed by id", () => {
    for (const type of NODE_TYPES) expect(joins(type)).toContain("ACCORD:id");
  });

  it("joins Actor across both subgraphs, with the fields of each", () => {
    expect(joins("Actor").sort()).toEqual(["ACCORD:id", "REVIEWS:id"]);
    const actor = assertObjectType(supergraph.getType("Actor"));
    expect(Object.keys(actor.getFields())).toEqual(
      expect.arrayContaining(["id", "name", "aliases", "mentions", "reviews"]),
    );
  });

  it("keeps the list bounds in the supergraph, for the router's demand control", () => {
    const actor = assertObjectType(supergraph.getType("Actor"));
    const listSize = (field: string) =>
      actor
        .getFields()
        [field]!.astNode?.directives?.filter((d) => d.name.value === "listSize")
        .map((d) => print(d));
    expect(listSize("mentions")).toEqual([
      '@listSize(slicingArguments: ["first", "last"], sizedFields: ["edges"], requireOneSlicingArgument: false)',
    ]);
    expect(listSize("aliases")).toEqual(["@listSize(assumedSize: 50)"]);
  });

  it("merges the shared types: Node, PageInfo, the scalars, Query and Mutation", () => {
    const node = assertInterfaceType(supergraph.getType("Node"));
    expect(
      supergraph
        .getPossibleTypes(node)
        .map((t) => t.name)
        .sort(),
    ).toEqual([...NODE_TYPES, "Review"].sort());
    expect(joins("PageInfo").sort()).toEqual(["ACCORD:", "REVIEWS:"]);
    for (const scalar of ["Date", "DateTime", "JSON"])
      expect(supergraph.getType(scalar)).toBeDefined();
    expect(Object.keys(supergraph.getQueryType()!.getFields())).toEqual(
      expect.arrayContaining(["node", "article", "actors", "search", "review"]),
    );
    expect(Object.keys(supergraph.getMutationType()!.getFields())).toEqual(
      expect.arrayContaining(["createActor", "deleteCitation", "reviewActor"]),
    );
  });
});

describe("_entities: resolving references on the seeded database", () => {
  let actors: { id: string; name: string }[];
  let outcomes: { id: string; ordinal: number; statement: string }[];

  beforeAll(async () => {
    const { data, errors } = await execute(`{
      actors(first: 100) { edges { node { id name } } }
      outcomes(first: 3) { edges { node { id ordinal statement } } }
    }`);
    expect(errors).toBeUndefined();
    actors = data.actors.edges.map((e: any) => e.node);
    outcomes = data.outcomes.edges.map((e: any) => e.node);
  });

  it("turns actor and outcome references into their rows", async () => {
    const representations = [
      ...actors.map(({ id }) => ({ __typename: "Actor", id })),
      ...outcomes.map(({ id }) => ({ __typename: "Outcome", id })),
    ];
    const { data, errors } = await execute(ENTITIES, { r: representations });
    expect(errors).toBeUndefined();
    expect(data._entities).toEqual([
      ...actors,
      ...outcomes.map(({ ordinal, statement }) => ({ ordinal, statement })),
    ]);
    expect(data._entities.map((e: any) => e.name)).toEqual(
      expect.arrayContaining(["Sadir Japarov", "Emomali Rahmon", "Tajikistan"]),
    );
    expect(data._entities.slice(-3)).toEqual([
      { ordinal: 1, statement: "The issue of the state border was fully resolved" },
      { ordinal: 2, statement: "The full operation of the two border crossings was restored" },
      { ordinal: 3, statement: "Direct flights between the countries were restored" },
    ]);
  });

  it("loads a batch of references with one statement per type", async () => {
    const representations = [
      ...actors.map(({ id }) => ({ __typename: "Actor", id })),
      ...outcomes.map(({ id }) => ({ __typename: "Outcome", id })),
    ];
    expect(actors.length).toBeGreaterThanOrEqual(7);
    const before = database.db.statementCount;
    const { errors } = await execute(ENTITIES, { r: representations });
    expect(errors).toBeUndefined();
    expect(database.db.statementCount - before).toBe(2);
  });

  it("gives null for an unknown, malformed, missing or mistyped id", async () => {
    const japarov = actors.find((a) => a.name === "Sadir Japarov")!;
    const { data, errors } = await execute(ENTITIES, {
      r: [
        { __typename: "Actor", id: toGlobalId("Actor", 999_999) },
        { __typename: "Actor", id: "not-an-id" },
        { __typename: "Actor" },
        { __typename: "Actor", id: 42 },
        { __typename: "Outcome", id: japarov.id },
        { __typename: "Actor", id: japarov.id },
      ],
    });
    expect(errors).toBeUndefined();
    expect(data._entities).toEqual([null, null, null, null, null, japarov]);
  });

  it("answers every read operation the clients ship exactly as the standalone server does", async () => {
    const standalone = new ApolloServer<Context>({ typeDefs, resolvers });
    const japarov = actors.find((a) => a.name === "Sadir Japarov")!;
    const variables: Record<string, Record<string, unknown>> = {
      ArticlePage: { slug: "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan" },
      ActorProfile: { id: japarov.id },
      NodeLookup: { id: japarov.id },
      Search: { query: "border" },
    };
    const dir = new URL("../contract/operations/", import.meta.url);
    const names = readdirSync(dir)
      .filter((file) => file.endsWith(".graphql"))
      .map((file) => file.replace(/\.graphql$/, ""));
    expect(names.length).toBeGreaterThanOrEqual(9);
    try {
      for (const name of names) {
        const query = readFileSync(new URL(`${name}.graphql`, dir), "utf8");
        const federated = await execute(query, variables[name]);
        const plain = await standalone.executeOperation(
          { query, variables: variables[name] },
          { contextValue: createContext(database.db) },
        );
        if (plain.body.kind !== "single") throw new Error("expected a single result");
        expect(federated.errors).toBeUndefined();
        expect(federated.data).not.toBeNull();
        // As the client sees them: JSON on the wire.
        expect({ name, data: JSON.parse(JSON.stringify(federated.data)) }).toEqual({
          name,
          data: JSON.parse(JSON.stringify(plain.body.singleResult.data)),
        });
      }
    } finally {
      await standalone.stop();
    }
  });
});

// Over HTTP: the real server, started with ACCORD_FEDERATION=true as a deployment would be.
describe("over HTTP, with ACCORD_FEDERATION=true", () => {
  let subgraph: TestServer;
  let standalone: TestServer;
  beforeAll(async () => {
    [subgraph, standalone] = await Promise.all([
      startTestServer({ env: { ACCORD_FEDERATION: "true" } }),
      startTestServer(),
    ]);
  });
  afterAll(() => Promise.all([subgraph?.stop(), standalone?.stop()]));

  it("serves its SDL at _service and resolves references at _entities", async () => {
    const service = await subgraph.graphql("{ _service { sdl } }");
    expect(service.errors).toBeUndefined();
    expect(service.data._service.sdl).toContain('type Actor implements Node\n  @key(fields: "id")');

    const found = await subgraph.graphql(`{
      actors(filter: { search: "Japarov" }) { edges { node { id name } } }
      outcomes(first: 1) { edges { node { id } } }
    }`);
    const [{ node: japarov }] = found.data.actors.edges;
    const [{ node: outcome }] = found.data.outcomes.edges;
    const response = await subgraph.graphql(ENTITIES, {
      r: [
        { __typename: "Actor", id: japarov.id },
        { __typename: "Outcome", id: outcome.id },
        { __typename: "Actor", id: toGlobalId("Actor", 999_999) },
      ],
    });
    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data._entities).toEqual([
      { id: japarov.id, name: "Sadir Japarov" },
      { ordinal: 1, statement: "The issue of the state border was fully resolved" },
      null,
    ]);
  });

  it("is off by default: the standalone server has no federation fields", async () => {
    const response = await standalone.graphql("{ _service { sdl } }");
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });
});

describe("_entities: bounded", () => {
  let subgraph: TestServer;
  let actorIds: string[];
  beforeAll(async () => {
    subgraph = await startTestServer({
      env: { ACCORD_FEDERATION: "true", ACCORD_MAX_COST: "1000" },
    });
    const actors = await subgraph.db.prisma.actor.findMany({ orderBy: { id: "asc" } });
    actorIds = actors.map((a) => toGlobalId("Actor", a.id));
  });
  afterAll(() => subgraph?.stop());

  const references = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      __typename: "Actor",
      id: actorIds[i % actorIds.length],
    }));

  it("refuses more than 100 representations with BAD_USER_INPUT naming representations, before resolving any", async () => {
    const before = subgraph.db.statementCount;
    const response = await subgraph.graphql(ENTITIES, { r: references(101) });
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors).toMatchObject([
      {
        message: "representations: at most 100 per request, got 101",
        extensions: { code: "BAD_USER_INPUT", argumentName: "representations", max: 100 },
      },
    ]);
    expect(subgraph.db.statementCount).toBe(before);
  });

  it("refuses a representation of a type the subgraph does not have with BAD_USER_INPUT, echoing a bounded part", async () => {
    for (const typename of ["Nope", "N".repeat(100_000)]) {
      const response = await subgraph.graphql(ENTITIES, {
        r: [...references(2), { __typename: typename, id: "1" }],
      });
      expect(response.status).toBe(400);
      expect(response.errors).toMatchObject([
        {
          message: expect.stringMatching(/^representations\[2\]\.__typename: must be one of /),
          extensions: { code: "BAD_USER_INPUT", argumentName: "representations[2].__typename" },
        },
      ]);
      expect(JSON.stringify(response).length).toBeLessThan(2_000);
    }
  });

  it("refuses a representation without a __typename string with BAD_USER_INPUT naming it", async () => {
    for (const bad of [{ id: "1" }, "Place:1", { __typename: 7, id: "1" }]) {
      const response = await subgraph.graphql(ENTITIES, { r: [...references(1), bad] });
      expect(response.status).toBe(400);
      expect(response.errors).toMatchObject([
        {
          message: expect.stringMatching(/^representations\[1\]\.__typename: must be one of /),
          extensions: { code: "BAD_USER_INPUT", argumentName: "representations[1].__typename" },
        },
      ]);
    }
  });

  it("reads representations given as variables inside a list literal", async () => {
    const [one] = references(1);
    const query = `query($one: _Any!) { _entities(representations: [$one]) { ... on Actor { id } } }`;
    const response = await subgraph.graphql(query, { one });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ _entities: [{ id: one!.id }] });
  });

  it("counts representations given inline and across several _entities fields", async () => {
    const inline = references(60)
      .map((r) => `{ __typename: "Actor", id: "${r.id}" }`)
      .join(" ");
    const query = `{ a: _entities(representations: [${inline}]) { ... on Actor { id } }
                     b: _entities(representations: [${inline}]) { ... on Actor { id } } }`;
    const response = await subgraph.graphql(query);
    expect(response.errors).toMatchObject([
      { message: "representations: at most 100 per request, got 120" },
    ]);
  });

  it("serves 100 representations, counting each as one object times what is selected", async () => {
    const served = await subgraph.graphql(ENTITIES, { r: references(100) });
    expect(served.errors).toBeUndefined();
    expect(served.data!._entities).toHaveLength(100);
    // 20 actors, each with a page of 20 mentions: 20 x (1 + 1 + 20 x 2) = 840.
    const mentions = `query ($r: [_Any!]!) {
      _entities(representations: $r) { ... on Actor { mentions { edges { node { id } } } } }
    }`;
    expect((await subgraph.graphql(mentions, { r: references(20) })).errors).toBeUndefined();
    // 30 of them: 1,260, over the limit of 1,000.
    const refused = await subgraph.graphql(mentions, { r: references(30) });
    expect(refused.status).toBe(400);
    expect(refused.errors).toMatchObject([
      {
        message: expect.stringMatching(/^Query cost 1260 exceeds the limit of 1000/),
        extensions: { code: "MAX_COST_EXCEEDED", limit: 1000 },
      },
    ]);
  });
});
