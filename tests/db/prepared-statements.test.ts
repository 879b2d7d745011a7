/**
 * The hot reads are named prepared statements, kept by each pooled connection. A migration
 * run while the server is up must not break them: Postgres re-plans a statement whose tables
 * changed, and no statement may hold a parameter of a type that a migration recreated. And
 * however a client varies page sizes, orders and filters, a connection keeps a bounded
 * number of them (ACCORD_DB_PREPARED_STATEMENTS).
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readConfig } from "../../src/config.js";
import { openPostgres, type Database } from "../../src/db/database.js";
import { createServer, type AccordServer } from "../../src/server.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { ownedStack } from "../support/stack.js";

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) {
  console.warn(
    "Prepared statement tests skipped: they need a Postgres server (DATABASE_URL); the embedded database prepares nothing by name",
  );
}

const stack = ownedStack();
let database: TestServer;
let pooled: Database;
let url: string;
beforeAll(async () => {
  if (!process.env.DATABASE_URL) return;
  const env = { ACCORD_RESPONSE_CACHE: "off" };
  database = stack.own(await startTestServer({ env }), (d) => d.stop());
  // A server on one connection: every statement runs on the connection that prepared it.
  pooled = stack.pool(database.databaseUrl!, { poolSize: 1 });
  ({ url } = await stack.serve(pooled, env));
});

async function graphql(query: string, at = url) {
  const response = await fetch(at, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: unknown; errors?: unknown[] };
}

const LISTS = `{
  outcomes(filter: { status: ACHIEVED }) { totalCount edges { node { id status visit { id } } } }
  byCategory: outcomes(filter: { category: BORDER, status: ACHIEVED }) { totalCount }
  actors(filter: { kind: STATE }) { totalCount edges { node { name aliases } } }
  found: actors(filter: { kind: STATE, search: "tajik" }) { totalCount }
}`;

onPostgres("Prepared statements: migrations under a running server", () => {
  it("keep answering after a migration recreates the enum types their filters use", async () => {
    const before = await graphql(LISTS);
    expect(before.errors).toBeUndefined();
    await pooled.withSession((session) =>
      session.exec(`
        BEGIN;
        ALTER TYPE "OutcomeStatus" RENAME TO "OutcomeStatus_old";
        CREATE TYPE "OutcomeStatus" AS ENUM ('ACHIEVED', 'IN_PROGRESS', 'PLANNED');
        ALTER TABLE "Outcome" ALTER COLUMN "status" TYPE "OutcomeStatus" USING ("status"::text::"OutcomeStatus");
        DROP TYPE "OutcomeStatus_old";
        ALTER TYPE "ActorKind" RENAME TO "ActorKind_old";
        CREATE TYPE "ActorKind" AS ENUM ('PERSON', 'STATE', 'ORGANIZATION');
        ALTER TABLE "Actor" ALTER COLUMN "kind" TYPE "ActorKind" USING ("kind"::text::"ActorKind");
        DROP TYPE "ActorKind_old";
        COMMIT;`),
    );
    const after = await graphql(LISTS);
    expect(after.errors).toBeUndefined();
    expect(after.data).toEqual(before.data);
  });
});

/** The named statements the connection behind `db` (a pool of one) holds. */
async function preparedOn(db: Database): Promise<string[]> {
  const rows = await db.withSession((session) =>
    session.query<{ name: string }>("SELECT name FROM pg_prepared_statements ORDER BY name"),
  );
  return rows.map((row) => row.name);
}

/** 800 different reads: every page size, both orders, and the filters, cursors and relations. */
function variants(): string[] {
  const kinds = ["PERSON", "STATE", "ORGANIZATION"];
  const statuses = ["ACHIEVED", "IN_PROGRESS", "PLANNED"];
  const categories = ["BORDER", "TRANSPORT", "TRADE", "SECURITY"];
  const queries: string[] = [];
  for (let first = 1; queries.length < 800; first = (first % 100) + 1) {
    const n = queries.length;
    const order = n % 2 ? "ASC" : "DESC";
    queries.push(
      `{ a${n}: articles(first: ${first}, orderBy: { field: PUBLISHED_ON, direction: ${order} }) { totalCount edges { node { slug ${n % 3 ? "authors { name }" : ""} } } } }`,
      `{ o${n}: outcomes(first: ${first}, orderBy: { field: ORDINAL, direction: ${order} }, filter: { status: ${statuses[n % 3]}, category: ${categories[n % 4]} }) { totalCount edges { node { ordinal ${n % 5 ? "visit { id }" : ""} } } } }`,
      `{ c${n}: actors(first: ${first}, orderBy: { field: NAME, direction: ${order} }, filter: { kind: ${kinds[n % 3]}${n % 4 ? "" : `, search: "a"`} }) { totalCount edges { node { name ${n % 2 ? "aliases" : ""} } } } }`,
      `{ s${n}: search(query: "border", first: ${first}) { snippet } }`,
    );
  }
  return queries.slice(0, 800);
}

onPostgres("Prepared statements: a bounded number per connection", () => {
  const MAX = 20;
  let bounded: Database;
  let boundedServer: AccordServer;
  let boundedUrl: string;
  beforeAll(async () => {
    if (!process.env.DATABASE_URL) return;
    bounded = openPostgres(database.databaseUrl!, { poolSize: 1, preparedPerConnection: MAX });
    boundedServer = await createServer(bounded, readConfig({ ACCORD_RESPONSE_CACHE: "off" }));
    boundedUrl = await boundedServer.listen(0);
  });
  afterAll(async () => {
    await boundedServer?.stop();
    await bounded?.close();
  });

  it(`leave at most ACCORD_DB_PREPARED_STATEMENTS (here ${MAX}) on a connection after 800 reads with different page sizes, orders and filters, and answer as before`, async () => {
    const queries = variants();
    expect(new Set(queries).size).toBe(800);
    const reference = queries.filter((_, i) => i % 97 === 0);
    const before = await Promise.all(reference.map((query) => graphql(query, boundedUrl)));
    let most = 0;
    for (let i = 0; i < queries.length; i += 8) {
      const answers = await Promise.all(
        queries.slice(i, i + 8).map((query) => graphql(query, boundedUrl)),
      );
      expect(answers.flatMap((answer) => answer.errors ?? [])).toEqual([]);
      if (i % 80 === 0) most = Math.max(most, (await preparedOn(bounded)).length);
    }
    const held = await preparedOn(bounded);
    expect(Math.max(most, held.length)).toBeLessThanOrEqual(MAX);
    expect(held.length).toBeGreaterThan(MAX / 2);
    const after = await Promise.all(reference.map((query) => graphql(query, boundedUrl)));
    expect(after).toEqual(before);
  }, 120_000);

  it("share four list statements among all page sizes from 1 to 100", async () => {
    // A fresh connection: the server on one connection above keeps only its own statements.
    const fresh = openPostgres(database.databaseUrl!, { poolSize: 1 });
    const freshServer = await createServer(fresh, readConfig({ ACCORD_RESPONSE_CACHE: "off" }));
    try {
      const at = await freshServer.listen(0);
      for (let first = 1; first <= 100; first++) {
        const answer = await graphql(`{ articles(first: ${first}) { totalCount } }`, at);
        expect(answer).toEqual({ data: { articles: { totalCount: 1 } } });
      }
      const lists = (await preparedOn(fresh)).filter((name) => name.startsWith("list_Article"));
      expect(lists).toHaveLength(4);
    } finally {
      await freshServer.stop();
      await fresh.close();
    }
  });
});
