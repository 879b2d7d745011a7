/**
 * Everything the database holds, table by table, for tests that prove a refused edit changed
 * nothing: compare the state before and after with `toEqual`.
 */
import { expect } from "@jest/globals";
import type { Database } from "../../src/db/database.js";
import { RECORD_TABLES } from "../../src/registry.js";
import type { GraphQLResponse, TestServer } from "./server.js";

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

/** Runs `send`, and expects the database to hold after it exactly what it held before. What `send` gave. */
export async function changingNothing<T>(db: Database, send: () => Promise<T>): Promise<T> {
  const before = await databaseState(db);
  const sent = await send();
  expect(await databaseState(db)).toEqual(before);
  return sent;
}

/**
 * The `expectRefusal` of one file's tests, on the server and with the editor's key that `server`
 * and `editor` give once the tests run. `expectRefusal(query, variables, extensions, message,
 * headers)` sends the request as `headers` (else as the editor) and expects it refused,
 * changing nothing: an answer with no data and one error, whose message contains `message` (or
 * matches it, a RegExp) and whose extensions hold at least `extensions` (code BAD_USER_INPUT
 * unless they say otherwise). It gives the error, for further checks.
 */
export function refusalsOn(
  server: () => Pick<TestServer, "db" | "graphql">,
  editor: () => Record<string, string>,
) {
  return async (
    query: string,
    variables: Record<string, unknown>,
    extensions: Record<string, unknown>,
    message: string | RegExp,
    headers = editor(),
  ) => {
    const { db, graphql } = server();
    const response: GraphQLResponse = await changingNothing(db, () =>
      graphql(query, variables, headers),
    );
    expect(response).toEqual({
      status: 200,
      data: null,
      errors: [
        expect.objectContaining({
          message:
            typeof message === "string"
              ? expect.stringContaining(message)
              : expect.stringMatching(message),
          extensions: expect.objectContaining({ code: "BAD_USER_INPUT", ...extensions }),
        }),
      ],
    });
    return response.errors![0]!;
  };
}
