/**
 * Automatic persisted queries: a query registered through one instance runs by its hash
 * alone through another that shares the Redis (one instance on the response cache's
 * connection, the other on a connection of its own). A Redis of the test's own, paused and
 * then killed, makes a hash alone PERSISTED_QUERY_NOT_FOUND without waiting on it, while the
 * full query still runs and its failed registration is logged. Without Redis, registrations
 * live in the instance's memory, bounded in entries and bytes.
 */
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { APQ_MAX_ENTRIES, APQ_MAX_ENTRY_BYTES, memoryCache } from "../../src/cache/apq.js";
import { startRedis, type RedisServer } from "../faults/support/redis.js";
import { waitFor } from "../faults/support/processes.js";
import { captureLogs } from "../support/logs.js";
import { redisServerInstalled } from "../support/redis.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { forSuite } from "../support/suite.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const QUERY = operation("ArticleList");
const HASH = createHash("sha256").update(QUERY).digest("hex");
const VARIABLES = { first: 2 };
const PERSISTED = { persistedQuery: { version: 1, sha256Hash: HASH } };

/**
 * A POST as Apollo Client's persisted query link sends it: the hash alone, or with the query
 * to register it. Bounded, so a server waiting on a gone Redis fails here instead of hanging.
 */
async function send(url: string, withQuery: boolean, variables: object = VARIABLES) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      ...(withQuery ? { query: QUERY } : {}),
      variables,
      extensions: PERSISTED,
    }),
    signal: AbortSignal.timeout(5_000),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const NOT_FOUND = {
  status: 200,
  errors: [
    {
      message: "PersistedQueryNotFound",
      extensions: { code: "PERSISTED_QUERY_NOT_FOUND" },
    },
  ],
};

const redisInstalled = redisServerInstalled();

(redisInstalled ? describe : describe.skip)("APQ shared through Redis", () => {
  let redis: RedisServer;
  let own: TestServer;
  let shared: TestServer;
  const logs = captureLogs();
  const prefix = "apq-test:";
  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      REDIS_URL: redis.url,
      ACCORD_CACHE_PREFIX: prefix,
      ACCORD_APQ_TTL_SECONDS: "600",
      NODE_ENV: "production",
    };
    // Its response cache in memory: APQ opens a connection of its own.
    own = await startTestServer({ env: { ...env, ACCORD_RESPONSE_CACHE: "memory" } });
    // Its response cache in Redis: APQ shares that connection and its breaker.
    shared = await startTestServer({ env, logger: logs.logger });
  }, 180_000);
  afterAll(async () => {
    await own?.stop();
    await shared?.stop();
    await redis?.stop();
  });

  it("runs a query registered through one instance by its hash alone through another", async () => {
    const before = await send(shared.url, false);
    const registered = await send(own.url, true);
    const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      // Apollo registers without waiting for Redis: the key appears once the SET is done.
      await waitFor(
        async () => (await client.exists(`${prefix}apq:${HASH}`)) === 1,
        5_000,
        "the registration never reached Redis",
      );
      const ttl = await client.ttl(`${prefix}apq:${HASH}`);
      expect(ttl > 0 && ttl <= 600).toBe(true);
      expect(await client.get(`${prefix}apq:${HASH}`)).toBe(QUERY);
    } finally {
      client.disconnect();
    }
    const byHash = await send(shared.url, false);

    expect(before).toEqual(NOT_FOUND);
    expect(registered).toEqual({ status: 200, data: expect.any(Object) });
    expect(byHash).toEqual(registered);
  });

  it("answers a hash alone as not found while Redis is paused, and runs the full query", async () => {
    redis.signal("SIGSTOP");
    try {
      const byHash = await send(shared.url, false, { first: 1 });
      const full = await send(shared.url, true, { first: 1 });

      expect(byHash).toEqual(NOT_FOUND);
      expect(full).toEqual({ status: 200, data: { articles: expect.any(Object) } });
    } finally {
      redis.signal("SIGCONT");
    }
  });

  it("answers a hash alone as not found once Redis is gone, runs the full query and logs the lost registration", async () => {
    await redis.crash();
    const page = await own.graphql(operation("ArticlePage"), { slug: SLUG });
    const results = [];
    for (const server of [own, shared]) {
      results.push(await send(server.url, false, { first: 3 }));
      results.push(await send(server.url, true, { first: 3 }));
    }

    expect(page.errors).toBeUndefined();
    const full = { status: 200, data: { articles: expect.any(Object) } };
    expect(results).toEqual([NOT_FOUND, full, NOT_FOUND, full]);
    // Apollo registers after answering: the failure is logged a moment later.
    await waitFor(
      () =>
        logs.lines().some((line) => line.msg === "persisted query not registered: Redis failed"),
      5_000,
      "the failed registration was not logged",
    );
  });
});

describe("APQ without Redis", () => {
  const server = forSuite(() => startTestServer({ env: { NODE_ENV: "production" } }));

  it("runs a query registered on the instance by its hash alone", async () => {
    const before = await send(server.url, false);
    const registered = await send(server.url, true);
    const byHash = await send(server.url, false);

    expect(before).toEqual(NOT_FOUND);
    expect(registered).toEqual({ status: 200, data: expect.any(Object) });
    expect(byHash).toEqual(registered);
  });

  it("keeps at most its stated entries, and no query over its stated size", async () => {
    const cache = memoryCache(600);
    await cache.set("apq:big", "x".repeat(APQ_MAX_ENTRY_BYTES + 1));
    for (let i = 0; i <= APQ_MAX_ENTRIES; i++) await cache.set(`apq:${i}`, `{ n${i} }`);

    expect(await cache.get("apq:big")).toBeUndefined();
    // The least recently used went first.
    expect(await cache.get("apq:0")).toBeUndefined();
    expect(await cache.get("apq:1")).toBe("{ n1 }");
    expect(await cache.get(`apq:${APQ_MAX_ENTRIES}`)).toBe(`{ n${APQ_MAX_ENTRIES} }`);
  });
});
