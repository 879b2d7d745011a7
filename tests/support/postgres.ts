/**
 * A throwaway Postgres database for one test file, on the server of `DATABASE_URL`.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * What test databases' names start with: `ACCORD_TEST_DATABASE_PREFIX`, so that runs sharing
 * one server (or a cleanup after them) can tell their databases apart.
 */
export function testDatabasePrefix(): string {
  const prefix = process.env.ACCORD_TEST_DATABASE_PREFIX || "accord_mig_";
  // 63 bytes is Postgres's limit for a name; 12 of them are the random part.
  if (!/^[a-z_][a-z0-9_]{0,50}$/.test(prefix)) {
    throw new Error(
      `ACCORD_TEST_DATABASE_PREFIX must be 1 to 51 lowercase letters, digits or _ (not first a digit), got "${prefix}"`,
    );
  }
  return prefix;
}

/**
 * Creates an empty database `<prefix><random>` (prefix `accord_mig_` unless
 * `ACCORD_TEST_DATABASE_PREFIX` says otherwise) on the server that `DATABASE_URL` points
 * at; `drop()` removes it again (closing whatever connections are still open on it).
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) throw new Error("createTestDatabase needs DATABASE_URL");
  const name = `${testDatabasePrefix()}${randomBytes(6).toString("hex")}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  return {
    url: withDatabase(serverUrl, name),
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
