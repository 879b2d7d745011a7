/**
 * List pages read only the columns a query selects, and each set of columns is a statement
 * text of its own, prepared on every pooled connection. Each connection keeps at most
 * ACCORD_DB_PREPARED_STATEMENTS (default 100) and evicts the least recently used: a client
 * that varies only which scalar fields it asks of one list, at one page size and order, must
 * not make enough statements to flush every other statement out of every connection.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { NamedStatement } from "../../src/db/database.js";
import { startTestServer, type TestServer } from "../support/server.js";

const PREPARED_PER_CONNECTION = 100;
const OPTIONAL_FIELDS = [
  "title",
  "kind",
  "endDate",
  "location",
  "documentsSignedCount",
  "version",
  "createdAt",
  "updatedAt",
];

let server: TestServer;
const names = new Set<string>();
beforeAll(async () => {
  server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
  const db = server.db as { read: (s: NamedStatement, p: unknown[]) => Promise<unknown[]> };
  const read = db.read.bind(db);
  db.read = (statement, params) => {
    names.add(statement.name);
    return read(statement, params);
  };
});
afterAll(() => server.stop());

describe("List statements", () => {
  it("stay fewer than a connection keeps prepared when a client varies the fields it selects", async () => {
    for (let mask = 0; mask < 2 ** OPTIONAL_FIELDS.length; mask++) {
      const fields = OPTIONAL_FIELDS.filter((_, i) => mask & (1 << i));
      const response = await server.graphql(
        `{ visits(first: 20) { edges { node { id ${fields.join(" ")} } } } }`,
      );
      expect(response.errors).toBeUndefined();
    }
    const visitLists = [...names].filter((name) => name.startsWith("list_Visit_"));
    expect(visitLists.length).toBeLessThan(PREPARED_PER_CONNECTION);
  }, 120_000);
});
