/**
 * A fresh, empty database for one test file: a new database on the Postgres server that
 * DATABASE_URL names (dropped afterwards), or, without DATABASE_URL, an in-memory PGlite.
 */
import { openEmbedded, openPostgres, type Database } from "../../src/db/database.js";
import { createTestDatabase } from "./postgres.js";

export interface TestDatabase {
  db: Database;
  /** The URL of the test database, when it lives on a Postgres server. */
  url: string | null;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  if (!process.env.DATABASE_URL) {
    const db = await openEmbedded("memory://");
    return { db, url: null, close: () => db.close() };
  }
  const database = await createTestDatabase();
  const db = openPostgres(database.url);
  return {
    db,
    url: database.url,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}
