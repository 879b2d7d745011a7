/**
 * Where whole responses of public reads are kept: in this process's memory (an LRU), or in
 * Redis so that every instance behind a load balancer shares them. Each entry carries tags
 * (the ids of the objects it shows, and which root lists it read); a commit evicts the tags
 * its rows belong to (src/cache/invalidation.ts).
 *
 * A read that was computed while a mutation committed must not be stored afterwards: every
 * eviction raises an epoch number, and an entry is stored only if the epoch is still the one
 * its request started with. Redis keys also carry the generation kept in Postgres, which a
 * writer moves on when it cannot evict in Redis: entries of an older generation are never read.
 */
import { LRUCache } from "lru-cache";
import { once } from "node:events";
import { Redis } from "ioredis";

export interface CacheStore {
  kind: "memory" | "redis";
  /** Largest entry `set` stores, in bytes. */
  maxEntryBytes: number;
  get(key: string): Promise<string | null>;
  /** The current epoch, read when a request starts. */
  epoch(): Promise<number>;
  /** Stores `value` unless an eviction happened since `epoch`. */
  set(key: string, value: string, tags: Iterable<string>, epoch: number): Promise<boolean>;
  invalidate(tags: Iterable<string>): Promise<void>;
  /** Drops every entry this process holds (the memory store; Redis moves by generation). */
  clear(): void;
  /** The Postgres generation whose keys the store reads and writes from now on (Redis). */
  useGeneration(generation: number): void;
  /**
   * Resolves once the store takes commands, or after `timeoutMs` (or an error) if it cannot:
   * a server waits for it before listening, so its first requests use the cache too.
   */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface StoreBounds {
  ttlSeconds: number;
  /** Largest entry stored, in bytes: a bigger response is served but not cached. */
  maxEntryBytes: number;
}

/**
 * What an entry costs in memory, over-counted: its UTF-8 bytes (never fewer than V8 keeps
 * for the string), its key, and about 100 bytes per tag for the tag's string, its array slot
 * and its place in the tag index.
 */
function entrySize(key: string, bytes: number, tags: readonly string[]): number {
  return bytes + key.length + 100 * tags.length + 100;
}

/**
 * An LRU bounded both in entries and in bytes (`maxBytes`, counted as `entrySize`), so a few
 * huge responses cannot crowd the heap. The tag index holds only keys of live entries: an
 * entry's removal takes its key out of each tag's set, and an emptied set out of the index.
 */
export interface MemoryStore extends CacheStore {
  /** What the store holds now: entries, their counted bytes, and tags in the index. */
  stats(): { entries: number; bytes: number; tags: number };
}

export function memoryStore(
  bounds: StoreBounds & { maxEntries: number; maxBytes: number },
): MemoryStore {
  let epoch = 0;
  const keysByTag = new Map<string, Set<string>>();
  const maxEntryBytes = Math.min(bounds.maxEntryBytes, bounds.maxBytes);
  const entries = new LRUCache<string, { value: string; tags: string[]; size: number }>({
    max: bounds.maxEntries,
    maxSize: bounds.maxBytes,
    maxEntrySize: bounds.maxBytes,
    sizeCalculation: (entry) => entry.size,
    ttl: bounds.ttlSeconds * 1000,
    dispose: ({ tags }, key) => {
      for (const tag of tags) {
        const keys = keysByTag.get(tag);
        if (keys?.delete(key) && keys.size === 0) keysByTag.delete(tag);
      }
    },
  });
  return {
    kind: "memory",
    maxEntryBytes,
    get: (key) => Promise.resolve(entries.get(key)?.value ?? null),
    epoch: () => Promise.resolve(epoch),
    set(key, value, tags, started) {
      if (started !== epoch) return Promise.resolve(false);
      // A string's UTF-8 size is at least its length: most big values stop at the first test.
      if (value.length > maxEntryBytes) return Promise.resolve(false);
      const bytes = Buffer.byteLength(value);
      if (bytes > maxEntryBytes) return Promise.resolve(false);
      const list = [...tags];
      entries.set(key, { value, tags: list, size: entrySize(key, bytes, list) });
      // lru-cache drops an entry bigger than maxEntrySize without storing it: index only
      // what it kept.
      if (!entries.has(key)) return Promise.resolve(false);
      for (const tag of list) {
        let keys = keysByTag.get(tag);
        if (!keys) keysByTag.set(tag, (keys = new Set()));
        keys.add(key);
      }
      return Promise.resolve(true);
    },
    invalidate(tags) {
      epoch++;
      for (const tag of tags) {
        for (const key of [...(keysByTag.get(tag) ?? [])]) entries.delete(key);
        keysByTag.delete(tag);
      }
      return Promise.resolve();
    },
    clear() {
      epoch++;
      entries.clear();
    },
    useGeneration: () => undefined,
    ready: () => Promise.resolve(),
    close: () => Promise.resolve(entries.clear()),
    stats: () => ({ entries: entries.size, bytes: entries.calculatedSize, tags: keysByTag.size }),
  };
}

/**
 * Stores the entry and indexes its tags only if the epoch has not moved (atomic). A tag
 * is a sorted set of entry keys scored by when each entry expires, and each store drops the
 * members already expired: a tag that every request touches (`root:Article`, say) would
 * otherwise keep every key it ever indexed for as long as traffic refreshes its own expiry.
 */
const SET_IF_CURRENT = `
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
local now = tonumber(ARGV[4])
for i = 3, #KEYS do
  redis.call('ZADD', KEYS[i], now + tonumber(ARGV[3]), KEYS[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return 1`;

/** Deletes every entry of the tags and the tag sets, and moves the epoch on (atomic). */
const INVALIDATE = `
redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
  local members = redis.call('ZRANGE', KEYS[i], 0, -1)
  for _, key in ipairs(members) do redis.call('DEL', key) end
  redis.call('DEL', KEYS[i])
end
return 1`;

/**
 * Keeps a Redis that fails out of the request path. After `FAILURES` calls in a row fail
 * (each bounded by the command timeout), it opens: calls fail at once, without touching
 * Redis, for a cool-down that doubles from 1 s up to 10 s while Redis stays away; then one
 * call is let through, and its success closes it. A library (opossum, cockatiel) would add
 * rolling statistics and events that nothing here reads; ioredis already bounds each call.
 */
export function circuitBreaker(now: () => number = () => performance.now()) {
  const FAILURES = 2;
  const FIRST_COOL_DOWN_MS = 1000;
  const MAX_COOL_DOWN_MS = 10_000;
  let failures = 0;
  let coolDown = FIRST_COOL_DOWN_MS;
  let openUntil = 0;
  let probing = false;
  return {
    /** Whether Redis is being kept out of the path right now. */
    get open() {
      return failures >= FAILURES && (probing || now() < openUntil);
    },
    async run<T>(call: () => Promise<T>): Promise<T> {
      const open = failures >= FAILURES;
      if (open && (probing || now() < openUntil))
        throw new Error("Redis is kept out: circuit open");
      if (open) probing = true;
      try {
        const result = await call();
        failures = 0;
        coolDown = FIRST_COOL_DOWN_MS;
        return result;
      } catch (error) {
        failures++;
        if (failures >= FAILURES) {
          if (open) coolDown = Math.min(coolDown * 2, MAX_COOL_DOWN_MS);
          openUntil = now() + coolDown;
        }
        throw error;
      } finally {
        if (open) probing = false;
      }
    },
  };
}

/**
 * One Redis client and its circuit breaker: every use of Redis in an instance (the response
 * cache, automatic persisted queries) goes through one, so they fail and recover together.
 */
export interface RedisConnection {
  redis: Redis;
  breaker: ReturnType<typeof circuitBreaker>;
  /** Resolves once Redis takes commands, or after `timeoutMs` (or an error) if it cannot. */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function redisConnection(url: string): RedisConnection {
  // Fail fast rather than queue commands while Redis is away: a cache miss is always safe.
  // A paused or unreachable Redis costs a request at most these few hundred milliseconds,
  // and only until the breaker opens: Redis is never what a request waits on for long.
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
    connectTimeout: 500,
    commandTimeout: 300,
    // A socket that does not close when asked is destroyed this soon (at close).
    disconnectTimeout: 500,
  });
  redis.on("error", () => undefined);
  return {
    redis,
    breaker: circuitBreaker(),
    async ready(timeoutMs = 2000) {
      if (redis.status === "ready") return;
      // Without an offline queue, commands sent before the connection is up fail at once.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        once(redis, "ready").catch(() => undefined),
        new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

export interface RedisStore extends CacheStore {
  /** Whether the circuit breaker keeps Redis out right now. */
  readonly circuitOpen: boolean;
  /** The store's connection, for the other uses of the same Redis. */
  readonly connection: RedisConnection;
}

/**
 * Entries in Redis, each at most `maxEntryBytes`. The total is Redis's to bound: run it with
 * `maxmemory` and an eviction policy (`allkeys-lru`), as a cache should be. Every key carries
 * the generation: `<prefix><generation>:response:<key>`, `...:tags:<tag>`, `...:epoch`.
 */
export function redisStore(url: string, prefix: string, bounds: StoreBounds): RedisStore {
  const { ttlSeconds, maxEntryBytes } = bounds;
  const connection = redisConnection(url);
  const { redis, breaker } = connection;
  let namespace = `${prefix}0:`;
  const epochKey = () => `${namespace}epoch`;
  const entry = (key: string) => `${namespace}response:${key}`;
  const tagKey = (tag: string) => `${namespace}tags:${tag}`;
  return {
    kind: "redis",
    maxEntryBytes,
    connection,
    get circuitOpen() {
      return breaker.open;
    },
    ready: (timeoutMs) => connection.ready(timeoutMs),
    get(key) {
      const name = entry(key);
      return breaker.run(() => redis.get(name));
    },
    async epoch() {
      const name = epochKey();
      return Number((await breaker.run(() => redis.get(name))) ?? 0);
    },
    async set(key, value, tags, started) {
      if (value.length > maxEntryBytes || Buffer.byteLength(value) > maxEntryBytes) return false;
      // The names are taken now, in the generation the request started in.
      const keys = [epochKey(), entry(key), ...[...tags].map(tagKey)];
      const stored = await breaker.run(() =>
        redis.eval(
          SET_IF_CURRENT,
          keys.length,
          ...keys,
          String(started),
          value,
          String(ttlSeconds),
          String(Math.floor(Date.now() / 1000)),
        ),
      );
      return stored === 1;
    },
    async invalidate(tags) {
      const keys = [epochKey(), ...[...tags].map(tagKey)];
      await breaker.run(() => redis.eval(INVALIDATE, keys.length, ...keys));
    },
    clear: () => undefined,
    useGeneration(generation) {
      namespace = `${prefix}${generation}:`;
    },
    close: () => connection.close(),
  };
}
