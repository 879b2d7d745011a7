/**
 * Everything the database holds, table by table, for tests that prove a refused edit changed
 * nothing: compare the state before and after with `toEqual`.
 */
import type { Database } from "../../src/db/database.js";
import { RECORD_TABLES } from "../../src/registry.js";

/** The record's tables, and the API keys (src/registry.ts `MODELS`). */
const TABLES = [...RECORD_TABLES, "ApiKey"];

export async function databaseState(db: Database): Promise<Record<string, unknown[]>> {
  const state: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    state[table] = await db.prisma.$queryRawUnsafe<unknown[]>(
      `SELECT to_jsonb(t) AS row FROM "${table}" t ORDER BY to_jsonb(t)::text`,
    );
  }
  return state;
}
