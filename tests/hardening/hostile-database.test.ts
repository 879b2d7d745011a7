/**
 * Hostile reads aimed at the database, each sent to a production server process while normal
 * readers keep using it: a flood of searches over long articles, hundreds of different page
 * sizes and filters (each once a statement of its own on every connection), LIKE wildcards in
 * fullwidth, and dates Postgres cannot store. Each is refused or held to its bound with its
 * code, the readers stay fast, `/readyz` stays 200, and the process stays alive and under its
 * memory ceiling.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import {
  startHostileServer,
  underAttack,
  type AttackReport,
  type HostileServer,
  expectReadersUnharmed,
} from "../support/hostile.js";
import { articleInput, CREATE_ARTICLE } from "../support/server.js";

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) {
  console.warn("Hostile database tests skipped: the hostile server needs DATABASE_URL");
}

/** The default pool (10) gives searches a third of it. */
const EXPENSIVE_CONCURRENCY = 3;
/** Connections of the server in the prepared-statement test: few, so each sees many statements. */
const SMALL_POOL = 2;
/** Prepared statements each of its connections keeps: fewer than the reads' variants. */
const PREPARED = 20;

let server: HostileServer;
let admin: pg.Client;
beforeAll(async () => {
  if (!process.env.DATABASE_URL) return;
  server = await startHostileServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
  admin = new pg.Client({ connectionString: server.databaseUrl });
  await admin.connect();
  // 50 articles of 200 kB, each matching the searches below all through its body.
  await admin.query(`
    INSERT INTO "Article" (slug, title, language, "publishedOn", body, "updatedAt")
    SELECT 'long-' || i, 'Border report ' || i, 'en', date '2020-01-01' + i,
      (SELECT string_agg('The border treaty between Tajikistan and Kyrgyzstan was discussed by delegation ' || j || ' at length.', ' ')
         FROM generate_series(1, 2000) j),
      now()
    FROM generate_series(1, 50) i`);
}, 120_000);
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

const expectUnnoticed = (report: AttackReport<unknown>) => expectReadersUnharmed(server, report);

const readyz = async (at: HostileServer) =>
  (await fetch(new URL("/readyz", at.url), { signal: AbortSignal.timeout(5000) })).status;

/** A Postgres backend's private memory (RssAnon), in bytes: Postgres runs on this machine. */
function backendMemory(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^RssAnon:\s+(\d+) kB$/m.exec(status)![1]) * 1024;
}

onPostgres("Hostile reads against the database", () => {
  it(`holds at most ${EXPENSIVE_CONCURRENCY} connections with 10 concurrent search(first: 100) over long articles, answers the rest SERVER_BUSY or in time, and /readyz stays 200`, async () => {
    const search = `query($q: String!) { search(query: $q, first: 100) { snippet } }`;
    const queries = ["border treaty", "delegation Kyrgyzstan"];
    // What each search finds on a quiet server.
    const hits: Record<string, number> = {};
    for (const q of queries) {
      const quiet = await server.graphql(search, { q });
      expect(quiet.status).toBe(200);
      hits[q] = quiet.body.data.search.length;
    }
    let sampling = true;
    let mostSearching = 0;
    const ready: number[] = [];
    const sampler = (async () => {
      while (sampling) {
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'accord'
              AND state = 'active' AND query LIKE '%websearch_to_tsquery%'`,
        );
        mostSearching = Math.max(mostSearching, rows[0]!.n);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const prober = (async () => {
      while (sampling) {
        ready.push(await readyz(server));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

    const report = await underAttack(server, async () => {
      const answers = [];
      for (let round = 0; round < 4; round++) {
        answers.push(
          ...(await Promise.all(
            Array.from({ length: 10 }, (_, i) => server.graphql(search, { q: queries[i % 2] })),
          )),
        );
      }
      return answers;
    });
    sampling = false;
    await Promise.all([sampler, prober]);

    const outcomes = report.attack.map((answer, i) =>
      answer.status === 200 && !answer.body.errors
        ? `200 ${answer.body.data.search.length === hits[queries[i % 2]!] ? "all" : "other"} hits`
        : `${answer.status} ${answer.body.errors?.map((e: any) => e.extensions?.code).join()} retry-after ${answer.headers.get("retry-after")}`,
    );
    console.log(
      `40 searches over 50 long articles: ${JSON.stringify(count(outcomes))}; at most ${mostSearching} searching at once; ` +
        `normal p99 ${Math.round(report.normal.p99Ms)} ms over ${report.normal.count}; /readyz ${JSON.stringify(count(ready))}`,
    );
    for (const outcome of outcomes) {
      expect(["200 all hits", "503 SERVER_BUSY retry-after 1"]).toContain(outcome);
    }
    expect(outcomes).toContain("200 all hits");
    expect(mostSearching).toBeGreaterThan(0);
    expect(mostSearching).toBeLessThanOrEqual(EXPENSIVE_CONCURRENCY);
    expect(ready.length).toBeGreaterThan(0);
    expect(ready.every((status) => status === 200)).toBe(true);
    expectUnnoticed(report);
  }, 120_000);

  it("refuses a flood of name searches of fullwidth `％` and `＿` before they read a name, and matches one with a letter literally", async () => {
    const names = `query($q: String!) { actors(filter: { search: $q }) { totalCount } }`;
    const report = await underAttack(server, () =>
      inRounds(200, (i) => server.graphql(names, { q: ["％", "＿", "％＿％", "a％"][i % 4] })),
    );
    expect(
      new Set(
        report.attack.map((answer) =>
          JSON.stringify([answer.status, answer.body.data, answer.body.errors?.[0]?.extensions]),
        ),
      ),
    ).toEqual(
      new Set([
        JSON.stringify([200, null, { code: "BAD_USER_INPUT", argumentName: "filter.search" }]),
        JSON.stringify([200, { actors: { totalCount: 0 } }, undefined]),
      ]),
    );
    expectUnnoticed(report);
  }, 60_000);

  it("refuses a 60-word phrase search over a repetitive article by the 12-term cap, and answers a 12-word one in time", async () => {
    const words = (n: number) => Array(n).fill("ab").join(" ");
    await admin.query(
      `INSERT INTO "Article" (slug, title, language, "publishedOn", body, "updatedAt")
       VALUES ('ab-60k', 'Repeats', 'en', date '2020-01-01', $1, now())`,
      [words(60_000)],
    );
    const search = `query($q: String!) { search(query: $q, first: 100) { snippet } }`;
    const report = await underAttack(server, async () => {
      const over = await server.graphql(search, { q: `"${words(60)}"` });
      const started = performance.now();
      const atCap = await server.graphql(search, { q: `"${words(12)}"` });
      return { over, atCap, atCapMs: performance.now() - started };
    });
    const { over, atCap, atCapMs } = report.attack;
    expect([over.status, over.body]).toEqual([
      200,
      {
        data: null,
        errors: [
          {
            message: "query: must hold at most 12 search terms, got 60",
            locations: expect.any(Array),
            path: ["search"],
            extensions: { code: "BAD_USER_INPUT", argumentName: "query", max: 12 },
          },
        ],
      },
    ]);
    expect(atCap.body.errors).toBeUndefined();
    expect(atCap.body.data.search).toEqual([{ snippet: expect.stringMatching(/^\*\*ab\*\* /) }]);
    expect(atCapMs).toBeLessThan(1_000);
    expectUnnoticed(report);
  }, 60_000);

  it("refuses year-0000 dates in cursors and inputs as BAD_USER_INPUT", async () => {
    const editor = await server.keyFor("EDITOR");
    const cursor = Buffer.from(
      JSON.stringify(["Article.publishedOn.desc", "0000-01-01", 1]),
    ).toString("base64url");
    const input = articleInput({ slug: "zero", publishedOn: "0000-01-01" });
    const report = await underAttack(server, () =>
      inRounds(100, (i) =>
        i % 2
          ? server.graphql(`query($after: String) { articles(after: $after) { totalCount } }`, {
              after: cursor,
            })
          : server.graphql(CREATE_ARTICLE, { input }, editor),
      ),
    );
    const refusals = new Set(
      report.attack.map((answer) =>
        JSON.stringify(
          answer.body.errors?.map((e: any) => [e.extensions?.code, e.message.split(";")[0]]),
        ),
      ),
    );
    expect(refusals).toEqual(
      new Set([
        JSON.stringify([["BAD_USER_INPUT", "after: is not a cursor of this list"]]),
        JSON.stringify([
          [
            "BAD_USER_INPUT",
            'Variable "$input" got invalid value "0000-01-01" at "input.publishedOn"',
          ],
        ]),
      ]),
    );
    expectUnnoticed(report);
  }, 60_000);
});

onPostgres("Hostile reads against the database: statement variants", () => {
  let small: HostileServer;
  let adminSmall: pg.Client;
  beforeAll(async () => {
    small = await startHostileServer({
      env: {
        ACCORD_RESPONSE_CACHE: "off",
        ACCORD_DB_POOL_SIZE: String(SMALL_POOL),
        ACCORD_DB_PREPARED_STATEMENTS: String(PREPARED),
      },
    });
    adminSmall = new pg.Client({ connectionString: small.databaseUrl });
    await adminSmall.connect();
  }, 120_000);
  afterAll(async () => {
    await adminSmall?.end();
    await small?.stop();
  });

  it("keeps each connection's memory bounded through 800 reads with different page sizes and filters", async () => {
    const statuses = ["ACHIEVED", "IN_PROGRESS", "PLANNED"];
    const kinds = ["PERSON", "STATE", "ORGANIZATION"];
    const queries = Array.from({ length: 800 }, (_, n) => {
      const first = (n % 100) + 1;
      const order = n % 200 < 100 ? "ASC" : "DESC";
      return n % 400 < 200
        ? `{ outcomes(first: ${first}, orderBy: { field: ORDINAL, direction: ${order} }, filter: { status: ${statuses[n % 3]} }) { totalCount edges { node { id } } } }`
        : `{ actors(first: ${first}, orderBy: { field: NAME, direction: ${order} }, filter: { kind: ${kinds[n % 3]} }) { totalCount edges { node { id } } } }`;
    });
    // Warm: the server opens its connections (the harness's own are older than the server).
    // Reads answered fast enough share one connection: send bursts until the pool is full.
    let pids: number[] = [];
    for (let burst = 0; burst < 20 && pids.length < SMALL_POOL; burst++) {
      await Promise.all(Array.from({ length: 8 }, () => small.graphql(queries[0]!)));
      pids = await backendsOf(adminSmall, small.spawnedAt);
    }
    expect(pids).toHaveLength(SMALL_POOL);
    const before = pids.map(backendMemory);

    const report = await underAttack(small, async () => {
      const answers = [];
      for (let i = 0; i < queries.length; i += 8) {
        answers.push(...(await Promise.all(queries.slice(i, i + 8).map((q) => small.graphql(q)))));
      }
      return answers;
    });
    expect(report.attack.filter((answer) => answer.status !== 200 || answer.body.errors)).toEqual(
      [],
    );
    const after = pids.map(backendMemory);
    expect(await backendsOf(adminSmall, small.spawnedAt)).toEqual(pids);
    const grown = after.map((bytes, i) => bytes - (before[i] ?? 0));
    console.log(
      `800 statement variants over ${SMALL_POOL} connections: backend memory ${before.map(mb).join(", ")} MB -> ${after.map(mb).join(", ")} MB; ` +
        `normal p99 ${Math.round(report.normal.p99Ms)} ms`,
    );
    // At most PREPARED statements a connection (ACCORD_DB_PREPARED_STATEMENTS): a few MB, where
    // 400 statements a connection took about 25 MB.
    for (const bytes of grown) expect(bytes).toBeLessThan(12 * 1024 * 1024);
    expectUnnoticed(report);
  }, 120_000);
});

/** The server's pool backends: application "accord", connected since `since`. */
async function backendsOf(client: pg.Client, since: Date): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'accord' AND backend_start >= $1
      ORDER BY pid`,
    [since],
  );
  return rows.map((row) => row.pid);
}

/** `total` requests made by `send`, ten at a time: a burst the size of a small client pool. */
async function inRounds<T>(total: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const answers: T[] = [];
  for (let i = 0; i < total; i += 10) {
    const round = Array.from({ length: Math.min(10, total - i) }, (_, j) => send(i + j));
    answers.push(...(await Promise.all(round)));
  }
  return answers;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

function count(values: (string | number)[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
