/**
 * Reads whose cost grows with the data cannot starve the pool, a busy server says so in a way
 * clients can retry (SERVER_BUSY, 503, Retry-After), `/readyz` tells a busy pool from a database
 * that is gone, and the small holes stay closed: fullwidth LIKE wildcards in a name search, and
 * dates Postgres cannot store.
 *
 * A search is held in its slot by a lock on "ActorAlias", a table every search and name search
 * reads and the article page does not. The lock needs a second connection to the database, so
 * those tests need a Postgres server (DATABASE_URL); the others run on the embedded one too.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { readConfig } from "../../src/config.js";
import { openPostgres, type Database } from "../../src/db/database.js";
import { createServer } from "../../src/server.js";
import {
  articleInput,
  CREATE_ARTICLE,
  operation,
  startTestServer,
  type TestServer,
} from "../support/server.js";
import { startTcpProxy } from "../support/tcp-proxy.js";
import { forSuite } from "../support/suite.js";
import { ownedStack } from "../support/stack.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
if (!process.env.DATABASE_URL) {
  console.warn(
    "Busy-server tests skipped: holding a search needs a second connection to a Postgres server (DATABASE_URL)",
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const started = performance.now();
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    ms: performance.now() - started,
    body,
  };
}

const readyz = async (url: string) =>
  (await fetch(new URL("/readyz", url), { signal: AbortSignal.timeout(5000) })).status;

const SEARCH = `query($q: String!) { search(query: $q, first: 100) { node { id } } }`;
const NAME_SEARCH = `query($q: String!) { actors(filter: { search: $q }) { totalCount } }`;

/** Holds an ACCESS EXCLUSIVE lock on "ActorAlias" until `release()`: every search waits on it. */
async function holdSearches(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`BEGIN; LOCK TABLE "ActorAlias" IN ACCESS EXCLUSIVE MODE`);
  return {
    async release() {
      await client.query("ROLLBACK");
      await client.end();
    },
  };
}

onPostgres("Expensive reads: a bounded number at once", () => {
  const server = forSuite(() =>
    startTestServer({
      env: {
        NODE_ENV: "production",
        ACCORD_RESPONSE_CACHE: "off",
        ACCORD_EXPENSIVE_CONCURRENCY: "1",
        ACCORD_EXPENSIVE_QUEUE: "1",
        ACCORD_EXPENSIVE_WAIT_MS: "300",
      },
    }),
  );

  it("answers a search that finds every slot taken with SERVER_BUSY, HTTP 503 and Retry-After once its wait runs out, while the article page and /readyz answer 200", async () => {
    const lock = await holdSearches(server.databaseUrl!);
    try {
      const holding = post(server.url, SEARCH, { q: "border treaty" });
      await sleep(100);
      const blocked = await post(server.url, SEARCH, { q: "Japarov" });
      expect({
        status: blocked.status,
        retryAfter: blocked.retryAfter,
        body: blocked.body,
      }).toEqual({
        status: 503,
        retryAfter: "1",
        body: {
          data: null,
          errors: [
            {
              message: "The server is busy (no search slot came free in 300 ms); try again shortly",
              locations: [{ line: 1, column: 22 }],
              path: ["search"],
              extensions: { code: "SERVER_BUSY", retryAfterSeconds: 1 },
            },
          ],
        },
      });
      expect(blocked.ms).toBeGreaterThanOrEqual(250);
      expect(blocked.ms).toBeLessThan(1500);

      const page = await post(server.url, operation("ArticlePage"), { slug: SLUG });
      expect(page.status).toBe(200);
      expect(page.body.errors).toBeUndefined();
      expect(page.ms).toBeLessThan(1000);
      expect(await readyz(server.url)).toBe(200);

      await lock.release();
      const held = await holding;
      expect(held.status).toBe(200);
      expect(held.body.errors).toBeUndefined();
    } finally {
      await lock.release().catch(() => undefined);
    }
  });

  it("refuses a name search at once when the queue of waiting ones is full", async () => {
    const lock = await holdSearches(server.databaseUrl!);
    try {
      const running = post(server.url, NAME_SEARCH, { q: "tajik" });
      await sleep(100);
      const waiting = post(server.url, NAME_SEARCH, { q: "kyrgyz" });
      await sleep(50);
      const refused = await post(server.url, NAME_SEARCH, { q: "japarov" });
      expect(refused.status).toBe(503);
      expect(refused.retryAfter).toBe("1");
      expect(refused.body.errors?.map((e) => [e.message, e.extensions])).toEqual([
        [
          "The server is busy (too many searches at once); try again shortly",
          { code: "SERVER_BUSY", retryAfterSeconds: 1 },
        ],
      ]);
      expect(refused.ms).toBeLessThan(200);
      expect((await waiting).body.errors?.map((e) => e.extensions?.code)).toEqual(["SERVER_BUSY"]);

      await lock.release();
      expect((await running).body).toEqual({ data: { actors: { totalCount: 3 } } });
      // With the slot free again, the same name search is served.
      expect((await post(server.url, NAME_SEARCH, { q: "japarov" })).body).toEqual({
        data: { actors: { totalCount: 1 } },
      });
    } finally {
      await lock.release().catch(() => undefined);
    }
  });
});

onPostgres("A busy pool is not an unreachable database", () => {
  const stack = ownedStack();
  let database: TestServer;
  let small: Database;
  let url: string;
  beforeAll(async () => {
    database = stack.own(await startTestServer(), (d) => d.stop());
    // Two connections, a short wait for one: a test can hold both.
    small = stack.pool(database.databaseUrl!, { poolSize: 2, connectTimeoutMs: 300 });
    ({ url } = await stack.serve(small, { NODE_ENV: "production", ACCORD_RESPONSE_CACHE: "off" }));
  });

  /** Checks out every connection of the pool until `release()`. */
  async function holdPool() {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const started: Promise<void>[] = [];
    const held = [0, 1].map(
      () =>
        new Promise<void>((checkedOut) => {
          started.push(
            small.withSession(async () => {
              checkedOut();
              await released;
            }),
          );
        }),
    );
    await Promise.all(held);
    return async () => {
      release();
      await Promise.all(started);
    };
  }

  it("answers SERVER_BUSY with 503 and Retry-After, not DATABASE_UNAVAILABLE, when every connection stays in use, and /readyz stays 200", async () => {
    const release = await holdPool();
    try {
      // The article page reads through the driver, the visit list through Prisma.
      for (const query of [
        `{ article(slug: "${SLUG}") { title visits { title } } }`,
        `{ visits(first: 5) { totalCount } }`,
      ]) {
        const busy = await post(url, query);
        expect({ status: busy.status, retryAfter: busy.retryAfter }).toEqual({
          status: 503,
          retryAfter: "1",
        });
        expect(busy.body.errors?.map((e) => [e.message, e.extensions])).toEqual([
          ["The server is busy; try again shortly", { code: "SERVER_BUSY", retryAfterSeconds: 1 }],
        ]);
        expect(busy.ms).toBeLessThan(1500);
      }
      expect(await readyz(url)).toBe(200);
    } finally {
      await release();
    }
    const served = await post(url, `{ visits(first: 5) { totalCount } }`);
    expect(served.body).toEqual({ data: { visits: { totalCount: 1 } } });
  });

  it("answers /readyz 503 within its time limit when the database cannot be reached", async () => {
    const proxy = await startTcpProxy();
    const behind = openPostgres(proxy.urlFor(database.databaseUrl!));
    const proxied = await createServer(behind, readConfig({ ACCORD_RESPONSE_CACHE: "off" }));
    const proxiedUrl = await proxied.listen(0);
    try {
      expect(await readyz(proxiedUrl)).toBe(200);
      proxy.cut();
      const started = performance.now();
      expect(await readyz(proxiedUrl)).toBe(503);
      expect(performance.now() - started).toBeLessThan(2500);
      const gone = await post(proxiedUrl, `{ visits(first: 5) { totalCount } }`);
      expect(gone.body.errors?.map((e) => e.extensions?.code)).toEqual(["DATABASE_UNAVAILABLE"]);
      proxy.restore();
      expect(await readyz(proxiedUrl)).toBe(200);
    } finally {
      await proxied.stop();
      await behind.close();
      await proxy.close();
    }
  });
});

describe("Names and dates as typed", () => {
  let server: TestServer;
  let editor: Record<string, string>;
  beforeAll(async () => {
    server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
    editor = await server.keyFor("EDITOR");
  });
  afterAll(() => server?.stop());

  const names = `query($q: String!) { actors(filter: { search: $q }) { totalCount edges { node { name } } } }`;

  it("matches fullwidth and folded LIKE wildcards literally in a name search", async () => {
    for (const q of ["a＿", "ta％", "Taj∖", "％jik", "ta_"]) {
      const { data } = await server.graphql(names, { q });
      expect({ q, data }).toEqual({ q, data: { actors: { totalCount: 0, edges: [] } } });
    }
  });

  it("refuses a name search of punctuation alone, as BAD_USER_INPUT naming filter.search", async () => {
    for (const q of ["％", "＿", "﹪", "＼", "∖", "%", "_", "\\", "％％", " . "]) {
      const { status, data, errors } = await server.graphql(names, { q });
      // The development server adds a stack trace to extensions: compared without it.
      const shown = errors?.map(({ extensions, ...error }) => ({
        ...error,
        extensions: { code: extensions?.code, argumentName: extensions?.argumentName },
      }));
      expect({ q, status, data, errors: shown }).toEqual({
        q,
        status: 200,
        data: null,
        errors: [
          {
            message: "filter.search: must contain a letter or a digit",
            path: ["actors"],
            locations: [{ line: 1, column: 22 }],
            extensions: { code: "BAD_USER_INPUT", argumentName: "filter.search" },
          },
        ],
      });
    }
  });

  it("matches a name search of one or two characters at the start of a name or alias, and a longer one anywhere", async () => {
    const found = async (q: string) =>
      ((await server.graphql(names, { q })).data?.actors.edges as { node: { name: string } }[])
        .map((edge) => edge.node.name)
        .sort();
    expect(await found("ta")).toEqual(["Tajik National University", "Tajikistan"]);
    expect(await found("T")).toEqual(["Tajik National University", "Tajikistan"]);
    // Three characters or more: anywhere, so an alias ending "…of Tajikistan" counts.
    expect(await found("taj")).toEqual([
      "Emomali Rahmon",
      "Tajik National University",
      "Tajikistan",
    ]);
  });

  it("reads fullwidth letters as the letters they stand for", async () => {
    const { data } = await server.graphql(
      `{ actors(filter: { search: "Ｊａｐａｒｏｖ" }) { totalCount edges { node { name } } } }`,
    );
    expect(data).toEqual({
      actors: { totalCount: 1, edges: [{ node: { name: "Sadir Japarov" } }] },
    });
  });

  it("finds nothing in search for a query of fullwidth wildcards", async () => {
    for (const query of ["％", "＿", "∖"]) {
      const response = await server.graphql(
        `query($q: String!) { search(query: $q) { snippet } }`,
        {
          q: query,
        },
      );
      expect({ query, response }).toEqual({
        query,
        response: { status: 200, data: { search: [] } },
      });
    }
  });

  it("refuses a year-0000 date in an input, a variable or a literal, as BAD_USER_INPUT naming the field", async () => {
    const input = articleInput({ slug: "year-zero", publishedOn: "0000-01-01" });
    const byVariable = await server.graphql(CREATE_ARTICLE, { input }, editor);
    expect(byVariable.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      [
        'Variable "$input" got invalid value "0000-01-01" at "input.publishedOn"; Date cannot represent 0000-01-01: years run from 0001 to 9999 (there is no year 0000)',
        "BAD_USER_INPUT",
      ],
    ]);
    const byLiteral = await server.graphql(
      `mutation { createArticle(input: { slug: "year-zero", title: "Year zero", language: "en", publishedOn: "0000-01-01", body: "A text." }) { id } }`,
      {},
      editor,
    );
    expect(byLiteral.errors?.map((e) => [e.message, e.extensions?.code])).toEqual([
      [
        "Date cannot represent 0000-01-01: years run from 0001 to 9999 (there is no year 0000)",
        "BAD_USER_INPUT",
      ],
    ]);
    expect(await server.db.prisma.article.count({ where: { slug: "year-zero" } })).toBe(0);
  });

  it("refuses a cursor holding a year-0000 date as BAD_USER_INPUT on `after`", async () => {
    const cursor = (list: string) =>
      Buffer.from(JSON.stringify([list, "0000-01-01", 1])).toString("base64url");
    for (const [query, list] of [
      [
        `query($after: String) { articles(after: $after) { totalCount } }`,
        "Article.publishedOn.desc",
      ],
      [`query($after: String) { visits(after: $after) { totalCount } }`, "Visit.startDate.desc"],
    ] as const) {
      const response = await server.graphql(query, { after: cursor(list) });
      expect(
        response.errors?.map((e) => [e.message, e.extensions?.code, e.extensions?.argumentName]),
      ).toEqual([
        [
          "after: is not a cursor of this list; pass an `endCursor` or `cursor` it returned",
          "BAD_USER_INPUT",
          "after",
        ],
      ]);
    }
  });
});
