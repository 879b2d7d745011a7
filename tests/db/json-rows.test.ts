/**
 * Rows read as JSON carry dates and timestamps as Postgres writes them in text; they come back
 * as the instants Postgres itself means, whatever the value's year or precision.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { fromJsonRow } from "../../src/db/rows.js";

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

let client: pg.Client;
beforeAll(async () => {
  if (!process.env.DATABASE_URL) return;
  client = new pg.Client(process.env.DATABASE_URL);
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

/** The JSON row Postgres writes, and the milliseconds since the epoch that it means. */
async function fromPostgres(value: string, type: "date" | "timestamp(3)") {
  const { rows } = await client.query<{ json: Record<string, unknown>; ms: string }>(
    `SELECT row_to_json(t) AS json, (extract(epoch FROM t.v::timestamp AT TIME ZONE 'UTC') * 1000)::bigint::text AS ms
       FROM (SELECT $1::${type} AS v) t`,
    [value],
  );
  const { json, ms } = rows[0]!;
  return { text: json.v as string, ms: Number(ms) };
}

onPostgres("fromJsonRow", () => {
  it.each(["2025-06-01", "2024-02-29", "1999-12-31", "0999-01-01", "0050-07-04", "0001-01-01"])(
    "reads the date %s as midnight UTC of that day",
    async (value) => {
      const { text, ms } = await fromPostgres(value, "date");
      const row = fromJsonRow({ publishedOn: text, signedOn: text });
      expect(row).toEqual({ publishedOn: new Date(ms), signedOn: new Date(ms) });
    },
  );

  it.each([
    "2026-12-01 12:21:20.942",
    "2026-12-01 12:21:20",
    "2026-12-01 12:21:20.5",
    "2000-01-01 00:00:00.001",
    "0050-03-01 23:59:59.999",
  ])("reads the timestamp %s as that instant in UTC", async (value) => {
    const { text, ms } = await fromPostgres(value, "timestamp(3)");
    const row = fromJsonRow({ createdAt: text, updatedAt: text });
    expect(row).toEqual({ createdAt: new Date(ms), updatedAt: new Date(ms) });
  });

  it("leaves other fields and values that are not text as they are", () => {
    const at = new Date(0);
    expect(fromJsonRow({ id: 7, title: "2025-06-01", createdAt: at, endDate: null })).toEqual({
      id: 7,
      title: "2025-06-01",
      createdAt: at,
      endDate: null,
    });
  });
});
