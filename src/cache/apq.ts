/**
 * Where Apollo's automatic persisted queries (APQ) keep their registrations, hash -> query
 * text. With `REDIS_URL`, in Redis under the cache prefix, so a query registered through one
 * instance runs by hash alone through any other; else in this process's memory, bounded.
 *
 * Redis is a help here, never a dependency: a lookup that fails (Redis slow, gone, or kept
 * out by the circuit breaker) is a miss, so the client gets PERSISTED_QUERY_NOT_FOUND and
 * sends the full query, which runs; a registration that fails is logged and forgotten. Each
 * call is bounded by the connection's command timeout, and by nothing once the breaker opens.
 *
 * With trusted documents (src/trusted.ts) APQ is off: no client may add a document, and the
 * manifest's own hashes are resolved before Apollo's APQ would look.
 */
import type { PersistedQueryOptions } from "@apollo/server";
import { LRUCache } from "lru-cache";
import type { Logger } from "../logging.js";
import type { Config } from "../config.js";
import { redisConnection, type CacheStore, type RedisConnection } from "./store.js";

type KeyValueCache = NonNullable<PersistedQueryOptions["cache"]>;

/** Registrations kept in memory, without Redis. */
export const APQ_MAX_ENTRIES = 10_000;
/** Bytes they may take together in memory (UTF-8 text and key). */
export const APQ_MAX_BYTES = 16_000_000;
/** Largest query text registered, in bytes (either store): a bigger one runs, unregistered. */
export const APQ_MAX_ENTRY_BYTES = 256_000;

export interface PersistedQueries {
  /** Apollo Server's `persistedQueries` option. */
  options: PersistedQueryOptions | false;
  /** Closes what it opened itself (a connection not shared with the response cache). */
  close(): Promise<void>;
}

/**
 * APQ for a server: off with trusted documents; in Redis with `cache.redisUrl`, through the
 * response cache's connection and breaker when that cache is in Redis too, else on a
 * connection of its own (awaited as the response cache's is, at most 2 s); else in memory.
 */
export async function persistedQueries(
  cache: Config["cache"],
  trusted: boolean,
  responseStore: CacheStore | undefined,
  logger: Logger,
): Promise<PersistedQueries> {
  const done = () => Promise.resolve();
  if (trusted) return { options: false, close: done };
  const ttl = cache.apqTtlSeconds;
  if (!cache.redisUrl) return { options: { cache: memoryCache(ttl), ttl }, close: done };
  const shared =
    responseStore && "connection" in responseStore
      ? (responseStore.connection as RedisConnection)
      : null;
  const connection = shared ?? redisConnection(cache.redisUrl);
  if (!shared) await connection.ready();
  return {
    options: { cache: redisCache(connection, cache.prefix, ttl, logger), ttl },
    close: shared ? done : () => connection.close(),
  };
}

const tooBig = (value: string) =>
  value.length > APQ_MAX_ENTRY_BYTES || Buffer.byteLength(value) > APQ_MAX_ENTRY_BYTES;

/** Keys come prefixed by Apollo (`apq:<sha256>`): in Redis, `<prefix>apq:<sha256>`. */
export function redisCache(
  { redis, breaker }: RedisConnection,
  prefix: string,
  ttlSeconds: number,
  logger: Logger,
): KeyValueCache {
  return {
    async get(key) {
      try {
        return (await breaker.run(() => redis.get(prefix + key))) ?? undefined;
      } catch (error) {
        // Every request would log it while Redis is away: debug, not warn.
        logger.debug({ err: error }, "persisted query lookup failed: answered as not found");
        return undefined;
      }
    },
    async set(key, value, options) {
      if (tooBig(value)) return;
      try {
        await breaker.run(() => redis.set(prefix + key, value, "EX", options?.ttl ?? ttlSeconds));
      } catch (error) {
        logger.warn({ err: error }, "persisted query not registered: Redis failed");
      }
    },
    async delete(key) {
      try {
        return (await breaker.run(() => redis.del(prefix + key))) > 0;
      } catch {
        return false;
      }
    },
  };
}

/** An LRU bounded in entries and bytes, each registration living `ttlSeconds`. */
export function memoryCache(ttlSeconds: number): KeyValueCache {
  const entries = new LRUCache<string, string>({
    max: APQ_MAX_ENTRIES,
    maxSize: APQ_MAX_BYTES,
    sizeCalculation: (value, key) => Buffer.byteLength(value) + key.length,
    ttl: ttlSeconds * 1000,
  });
  return {
    get: (key) => Promise.resolve(entries.get(key)),
    set(key, value, options) {
      if (!tooBig(value)) {
        entries.set(key, value, { ttl: (options?.ttl ?? ttlSeconds) * 1000 });
      }
      return Promise.resolve();
    },
    delete: (key) => Promise.resolve(entries.delete(key)),
  };
}
