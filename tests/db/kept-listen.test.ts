/**
 * The kept LISTEN connection (src/db/kept-listen.ts), under the response cache and the live
 * queries' change feed: a connection that dies right behind the answer setting it up, in the
 * same packet, is replaced like any other lost one.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import pino from "pino";
import { ResponseCache } from "../../src/cache/invalidation.js";
import { memoryStore } from "../../src/cache/store.js";
import { openPostgres, LISTENER_APPLICATION_NAME } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { ChangeFeed, LIVE_APPLICATION_NAME } from "../../src/live/changes.js";
import { createTestDatabase } from "../support/postgres.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const silent = pino({ level: "silent" });

onPostgres("Kept LISTEN connection: lost while it is being set up", () => {
  let database: { url: string; drop(): Promise<void> };
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await createTestDatabase();
    const direct = openPostgres(database.url);
    await migrate(direct);
    await direct.close();
    proxy = await startTcpProxy();
  });
  afterAll(async () => {
    await proxy?.close();
    await database?.drop();
  });

  async function sql<R>(text: string): Promise<R[]> {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(text)).rows as R[];
    } finally {
      await client.end();
    }
  }

  const listeners = async (name: string) =>
    (
      await sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = '${name}'`,
      )
    )[0]!.n;

  async function until(condition: () => Promise<boolean> | boolean) {
    for (let i = 0; i < 500 && !(await condition()); i++) await sleep(20);
    return condition();
  }

  /**
   * Every `every`-th answer from Postgres is followed, in the same packet, by the end of its
   * connection, until some connections were ended that way; then the network is sound again.
   */
  async function terminatingBehindAnswers(every: number) {
    proxy.cut();
    proxy.terminateAfterReplies(true, every);
    const before = proxy.terminated;
    proxy.restore();
    await until(() => proxy.terminated >= before + 3);
    proxy.terminateAfterReplies(false);
  }

  // With every second answer ending its connection, some connection of the feed dies right
  // behind the answer to its LISTEN.
  it("the change feed listens again, and hears a commit", async () => {
    const db = openPostgres(proxy.urlFor(database.url));
    const heard: string[] = [];
    const feed = new ChangeFeed(
      db,
      { changed: (tags) => heard.push(...tags), changedAll: () => heard.push("*") },
      silent,
    );
    try {
      feed.start();
      expect(await until(async () => (await listeners(LIVE_APPLICATION_NAME)) === 1)).toBe(true);
      await terminatingBehindAnswers(2);
      expect(await until(async () => (await listeners(LIVE_APPLICATION_NAME)) === 1)).toBe(true);
      heard.length = 0;
      await sql(`SELECT pg_notify('accord_cache', '|Visit:1')`);
      expect(await until(() => heard.some((tag) => tag !== "*"))).toBe(true);
    } finally {
      await feed.close();
      await db.close();
    }
  });

  // With every third answer ending its connection, some connection of the cache dies right
  // behind the answer to its catch-up (the generation it reads once listening).
  it("the response cache listens again, and answers from its cache once more", async () => {
    const db = openPostgres(proxy.urlFor(database.url));
    const store = memoryStore({
      ttlSeconds: 60,
      maxEntryBytes: 100_000,
      maxEntries: 100,
      maxBytes: 1_000_000,
    });
    const cache = new ResponseCache(store, db, silent);
    try {
      await cache.start();
      expect(cache.fresh()).toBe(true);
      await terminatingBehindAnswers(3);
      expect(await until(() => cache.fresh())).toBe(true);
      expect(await listeners(LISTENER_APPLICATION_NAME)).toBe(1);
    } finally {
      await cache.close();
      await db.close();
    }
  });
});
