/**
 * Where whole responses of public reads are kept: in this process's memory (an LRU), or in
 * Redis so that every instance behind a load balancer shares them. Each entry carries tags
 * (the ids of the objects it shows, and which root lists it read); a mutation evicts the tags
 * it touched.
 *
 * A read that was computed while a mutation committed must not be stored afterwards: every
 * eviction raises a generation number, and an entry is stored only if the generation is still
 * the one its request started with.
 */
import { LRUCache } from "lru-cache";
import { once } from "node:events";
import { Redis } from "ioredis";

export interface CacheStore {
  kind: "memory" | "redis";
  get(key: string): Promise<string | null>;
  /** The current generation, read when a request starts. */
  generation(): Promise<number>;
  /** Stores `value` unless an eviction happened since `generation`. */
  set(key: string, value: string, tags: Iterable<string>, generation: number): Promise<boolean>;
  invalidate(tags: Iterable<string>): Promise<void>;
  /**
   * Resolves once the store takes commands, or after `timeoutMs` (or an error) if it cannot:
   * a server waits for it before listening, so its first requests use the cache too.
   */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function memoryStore(maxEntries: number, ttlSeconds: number): CacheStore {
  let generation = 0;
  const keysByTag = new Map<string, Set<string>>();
  const entries = new LRUCache<string, { value: string; tags: string[] }>({
    max: maxEntries,
    ttl: ttlSeconds * 1000,
    dispose: ({ tags }, key) => {
      for (const tag of tags) keysByTag.get(tag)?.delete(key);
    },
  });
  return {
    kind: "memory",
    get: (key) => Promise.resolve(entries.get(key)?.value ?? null),
    generation: () => Promise.resolve(generation),
    set(key, value, tags, started) {
      if (started !== generation) return Promise.resolve(false);
      const list = [...tags];
      entries.set(key, { value, tags: list });
      for (const tag of list) {
        let keys = keysByTag.get(tag);
        if (!keys) keysByTag.set(tag, (keys = new Set()));
        keys.add(key);
      }
      return Promise.resolve(true);
    },
    invalidate(tags) {
      generation++;
      for (const tag of tags) {
        for (const key of [...(keysByTag.get(tag) ?? [])]) entries.delete(key);
        keysByTag.delete(tag);
      }
      return Promise.resolve();
    },
    ready: () => Promise.resolve(),
    close: () => Promise.resolve(entries.clear()),
  };
}

/** Stores the entry and indexes its tags only if the generation has not moved (atomic). */
const SET_IF_CURRENT = `
if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3])
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[2])
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return 1`;

/** Deletes every entry of the tags and the tag sets, and moves the generation on (atomic). */
const INVALIDATE = `
redis.call('INCR', KEYS[1])
for i = 2, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for _, key in ipairs(members) do redis.call('DEL', key) end
  redis.call('DEL', KEYS[i])
end
return 1`;

export function redisStore(url: string, prefix: string, ttlSeconds: number): CacheStore {
  // Fail fast rather than queue commands while Redis is away: a cache miss is always safe.
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
  });
  redis.on("error", () => undefined);
  const generationKey = `${prefix}generation`;
  const entry = (key: string) => `${prefix}response:${key}`;
  const tagKey = (tag: string) => `${prefix}tag:${tag}`;
  return {
    kind: "redis",
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
    get: (key) => redis.get(entry(key)),
    generation: async () => Number((await redis.get(generationKey)) ?? 0),
    async set(key, value, tags, started) {
      const keys = [generationKey, entry(key), ...[...tags].map(tagKey)];
      const stored = await redis.eval(
        SET_IF_CURRENT,
        keys.length,
        ...keys,
        String(started),
        value,
        String(ttlSeconds),
      );
      return stored === 1;
    },
    async invalidate(tags) {
      const keys = [generationKey, ...[...tags].map(tagKey)];
      await redis.eval(INVALIDATE, keys.length, ...keys);
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
