/**
 * The hot reads are named prepared statements, kept by each pooled connection. A migration
 * run while the server is up must not break them: Postgres re-plans a statement whose tables
 * changed, and no statement may hold a parameter of a type that a migration recreated.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readConfig } from "../../src/config.js";
import { openPostgres, type Database } from "../../src/db/database.js";
import { createServer, type AccordServer } from "../../src/server.js";
import { startTestServer, type TestServer } from "../support/server.js";

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) {
  console.warn(
    "Prepared statement tests skipped: they need a Postgres server (DATABASE_URL); the embedded database prepares nothing by name",
  );
}

let database: TestServer;
let pooled: Database;
let server: AccordServer;
let url: string;
beforeAll(async () => {
  if (!process.env.DATABASE_URL) return;
  database = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
  // A server on one connection: every statement runs on the connection that prepared it.
  pooled = openPostgres(database.databaseUrl!, { poolSize: 1 });
  server = await createServer(pooled, readConfig({ ACCORD_RESPONSE_CACHE: "off" }));
  url = await server.listen(0);
});
afterAll(async () => {
  await server?.stop();
  await pooled?.close();
  await database?.stop();
});

async function graphql(query: string) {
  const response = await fetch(url, {
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
