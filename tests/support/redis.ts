/** Whether the machine's Redis (127.0.0.1:6379) answers: the Redis tests need it. */
import { spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { inCI } from "./ci.js";

export async function redisReachable(): Promise<boolean> {
  const redis = new Redis("redis://127.0.0.1:6379", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Whether the Redis tests run: they skip, with a warning, on a machine without Redis at
 * 127.0.0.1:6379, and fail in CI, where one must be there.
 */
export async function redisForTests(): Promise<boolean> {
  if (await redisReachable()) return true;
  if (inCI) throw new Error("CI needs Redis at 127.0.0.1:6379");
  console.warn("Skipping the Redis tests: no Redis at 127.0.0.1:6379");
  return false;
}

/** Whether `redis-server` can be started here (tests that run a Redis of their own); in CI it must. */
export function redisServerInstalled(): boolean {
  if (spawnSync("redis-server", ["--version"]).status === 0) return true;
  if (inCI) throw new Error("CI needs redis-server installed");
  console.warn("Skipping the tests that start their own Redis: redis-server is not installed");
  return false;
}
