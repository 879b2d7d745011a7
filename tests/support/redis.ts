/** Whether the machine's Redis (127.0.0.1:6379) answers: the Redis tests need it. */
import { Redis } from "ioredis";

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
