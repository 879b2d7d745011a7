/**
 * Relay: fragments with `@connection` and `@refetchable`, forward (`first`/`after`) and
 * backward (`last`/`before`), compiled by relay-compiler against schema.graphql, and the
 * queries it writes run against the server, page by page.
 */
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { toGlobalId } from "../../src/ids.js";
import { projectRoot } from "../../src/paths.js";
import { startTestServer, type GraphQLResponse, type TestServer } from "../support/server.js";

const FRAGMENTS = `import { graphql } from "relay-runtime";

export const actors = graphql\`
  fragment ActorsList_query on Query
  @refetchable(queryName: "ActorsListPaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 3 }, after: { type: "String" }) {
    actors(first: $first, after: $after, orderBy: { field: NAME, direction: ASC })
      @connection(key: "ActorsList_actors") {
      totalCount
      edges { node { id name } }
    }
  }
\`;

export const mentions = graphql\`
  fragment ActorMentions_actor on Actor
  @refetchable(queryName: "ActorMentionsPaginationQuery")
  @argumentDefinitions(first: { type: "Int", defaultValue: 4 }, after: { type: "String" }) {
    name
    mentions(first: $first, after: $after) @connection(key: "ActorMentions_mentions") {
      edges { node { quote start } }
    }
  }
\`;

export const actorsBackward = graphql\`
  fragment ActorsBackward_query on Query
  @refetchable(queryName: "ActorsBackwardPaginationQuery")
  @argumentDefinitions(last: { type: "Int", defaultValue: 3 }, before: { type: "String" }) {
    actors(last: $last, before: $before, orderBy: { field: NAME, direction: ASC })
      @connection(key: "ActorsBackward_actors") {
      edges { node { id } }
    }
  }
\`;

export const mentionsBackward = graphql\`
  fragment ActorMentionsBackward_actor on Actor
  @refetchable(queryName: "ActorMentionsBackwardPaginationQuery")
  @argumentDefinitions(last: { type: "Int", defaultValue: 4 }, before: { type: "String" }) {
    mentions(last: $last, before: $before) @connection(key: "ActorMentionsBackward_mentions") {
      edges { node { id } }
    }
  }
\`;
`;

let dir: string;
let compiled: { code: number | null; output: string };
let server: TestServer;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "accord-relay-"));
  mkdirSync(path.join(dir, "src"));
  mkdirSync(path.join(dir, "generated"));
  copyFileSync(path.join(projectRoot, "schema.graphql"), path.join(dir, "schema.graphql"));
  writeFileSync(path.join(dir, "src/fragments.ts"), FRAGMENTS);
  writeFileSync(
    path.join(dir, "relay.config.json"),
    JSON.stringify({
      src: "./src",
      schema: "./schema.graphql",
      language: "typescript",
      artifactDirectory: "./generated",
    }),
  );
  const compiler = path.join(projectRoot, "node_modules/.bin/relay-compiler");
  compiled = await promisify(execFile)(compiler, [], { cwd: dir, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({
      code: error.code ?? null,
      output: `${error.stdout ?? ""}${error.stderr ?? ""}`,
    }),
  );
  server = await startTestServer();
}, 90_000);
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server?.stop();
});

/** The operation text relay-compiler wrote for `name`. */
function operationText(name: string): string {
  const artifact = readFileSync(path.join(dir, "generated", `${name}.graphql.ts`), "utf8");
  return JSON.parse(/"text": ("(?:[^"\\]|\\.)*")/.exec(artifact)![1]!) as string;
}

describe("Relay", () => {
  it("compiles fragments with @connection and @refetchable against schema.graphql", () => {
    expect(compiled).toEqual({ code: 0, output: expect.stringContaining("Compilation completed") });
  });

  it("pages a top-level connection with the query relay-compiler wrote", async () => {
    const query = operationText("ActorsListPaginationQuery");
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const response: GraphQLResponse = await server.graphql(query, { first: 3, after });
      expect(response.errors).toBeUndefined();
      const { edges, pageInfo, totalCount } = response.data!.actors as any;
      expect(pageInfo).toEqual({
        hasNextPage: expect.any(Boolean),
        endCursor: edges.at(-1)?.cursor ?? null,
      });
      names.push(...edges.map((edge: { node: { name: string } }) => edge.node.name));
      expect(totalCount).toBeGreaterThan(3);
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    const all = await server.graphql(
      `{ actors(first: 100, orderBy: { field: NAME, direction: ASC }) { edges { node { name } } } }`,
    );
    expect(names).toEqual(
      all.data!.actors.edges.map((e: { node: { name: string } }) => e.node.name),
    );
  });

  it("refetches a nested connection through node(id:), page after page", async () => {
    const query = operationText("ActorMentionsPaginationQuery");
    const actors = await server.graphql(`{ actors(first: 100) { edges { node { id name } } } }`);
    const { id } = actors.data!.actors.edges.find(
      (edge: { node: { name: string } }) => edge.node.name === "Tajikistan",
    ).node;
    const first = await server.graphql(query, { id, first: 4 });
    const second = await server.graphql(query, {
      id,
      first: 4,
      after: first.data!.node.mentions.pageInfo.endCursor,
    });
    const both = [...first.data!.node.mentions.edges, ...second.data!.node.mentions.edges].map(
      (edge: { node: { start: number } }) => edge.node.start,
    );
    const direct = await server.graphql(
      `query($id: ID!) { actor(id: $id) { mentions(first: 8) { edges { node { start } } } } }`,
      { id },
    );
    expect(first.data!.node.name).toBe("Tajikistan");
    expect(both).toEqual(
      direct.data!.actor.mentions.edges.map((edge: { node: { start: number } }) => edge.node.start),
    );
  });

  it.each([
    ["a top-level connection", "ActorsBackwardPaginationQuery", 3],
    ["a nested connection through node(id:)", "ActorMentionsBackwardPaginationQuery", 4],
  ])(
    "pages %s backward with last/before, with the query relay-compiler wrote",
    async (_, name, last) => {
      const query = operationText(name);
      const nested = name.startsWith("ActorMentions");
      const { prisma } = server.db;
      const tajikistan = await prisma.actor.findFirstOrThrow({ where: { name: "Tajikistan" } });
      const expected = nested
        ? (
            await prisma.mention.findMany({
              where: { actorId: tajikistan.id },
              orderBy: [{ articleId: "asc" }, { start: "asc" }, { id: "asc" }],
            })
          ).map((m) => toGlobalId("Mention", m.id))
        : (await prisma.actor.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] })).map((a) =>
            toGlobalId("Actor", a.id),
          );
      const ids: string[] = [];
      let before: string | null = null;
      for (let page = 0; page < 50; page++) {
        const variables = {
          last,
          before,
          ...(nested ? { id: toGlobalId("Actor", tajikistan.id) } : {}),
        };
        const response: GraphQLResponse = await server.graphql(query, variables);
        expect(response.errors).toBeUndefined();
        const connection: any = nested
          ? (response.data!.node as any).mentions
          : response.data!.actors;
        const { edges, pageInfo } = connection;
        // What relay-compiler selects for a connection read backward.
        expect(pageInfo).toEqual({
          hasPreviousPage: expect.any(Boolean),
          startCursor: edges[0]?.cursor ?? null,
        });
        ids.unshift(...edges.map((edge: { node: { id: string } }) => edge.node.id));
        if (!pageInfo.hasPreviousPage) break;
        before = pageInfo.startCursor;
      }
      expect(ids).toEqual(expected);
    },
  );

  it("says where each page begins, and that forward pages have nothing before", async () => {
    const response = await server.graphql(
      `{ actors(first: 2) { edges { cursor } pageInfo { startCursor endCursor hasPreviousPage } } }`,
    );
    const { edges, pageInfo } = response.data!.actors;
    expect(pageInfo).toEqual({
      startCursor: edges[0].cursor,
      endCursor: edges[1].cursor,
      hasPreviousPage: false,
    });
  });
});
