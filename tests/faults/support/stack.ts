/**
 * Everything a fault test breaks, started for that test alone: a Postgres cluster (migrated
 * and seeded), optionally a Redis and a commit-cutting proxy in front of Postgres, and two
 * Accord instances sharing them, as two instances behind a load balancer would.
 */
import pg from "pg";
import { createApiKey } from "../../../src/auth.js";
import { openPostgres } from "../../../src/db/database.js";
import { migrate } from "../../../src/db/migrate.js";
import { seed } from "../../../src/seed/load.js";
import { startAccord, type AccordInstance } from "./accord.js";
import { CREATE_ACTOR, READ_ACTOR, UPDATE_ACTOR } from "./load.js";
import { startPostgresCluster, type ClusterOptions, type PostgresCluster } from "./postgres.js";
import { startCommitCutProxy, type CommitCutProxy } from "./proxy.js";
import { startRedis, type RedisServer } from "./redis.js";

export interface StackOptions {
  /** The response cache both instances use. */
  cache: "memory" | "redis";
  /** Redis keeps an AOF, fsynced on every write (the stale-after-restart case). */
  redisPersistence?: boolean;
  /** Both instances reach Postgres through a proxy that can lose COMMIT answers. */
  proxy?: boolean;
  cluster?: ClusterOptions;
  /** More environment for both instances. */
  env?: Record<string, string>;
}

export interface Stack {
  postgres: PostgresCluster;
  redis?: RedisServer;
  proxy?: CommitCutProxy;
  instances: [AccordInstance, AccordInstance];
  /** `Authorization` headers of an EDITOR key. */
  editor: Record<string, string>;
  /** Straight to Postgres (never through the proxy): for the checker and the faults. */
  admin: pg.Pool;
  stop(): Promise<void>;
}

/**
 * What the instances run with: small pools, so exhaustion is reachable, and a short
 * statement timeout, so a paused database is given up on within the test's fault window.
 */
const INSTANCE_ENV = {
  ACCORD_DB_POOL_SIZE: "5",
  ACCORD_STATEMENT_TIMEOUT_MS: "2000",
  ACCORD_SHUTDOWN_TIMEOUT_MS: "10000",
  ACCORD_CACHE_PREFIX: "faults:",
};

/**
 * A few requests of each kind before the load: a fresh process compiles its code on first
 * use, and the load's first second would otherwise measure that.
 */
async function warmUp(instance: AccordInstance, editor: Record<string, string>) {
  const send = async (query: string, variables: object, headers: Record<string, string> = {}) => {
    const response = await fetch(instance.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { data?: Record<string, { id: string }> };
    if (response.status !== 200 || !body.data) {
      throw new Error(
        `warming up ${instance.name}: HTTP ${response.status} ${JSON.stringify(body)}`,
      );
    }
    return body.data;
  };
  const name = `Warm-up ${instance.name}`;
  const { createActor } = await send(
    CREATE_ACTOR,
    { input: { name, kind: "ORGANIZATION", description: name } },
    editor,
  );
  for (let i = 0; i < 3; i++) {
    await send(
      UPDATE_ACTOR,
      { id: createActor!.id, input: { description: `${name} ${i}` } },
      editor,
    );
    await send(READ_ACTOR, { id: createActor!.id });
  }
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const postgres = await startPostgresCluster(options.cluster);
  const cleanups: (() => Promise<void>)[] = [() => postgres.stop()];
  const cleanup = async () => {
    for (const step of cleanups.reverse()) await step().catch(() => undefined);
  };
  try {
    const db = openPostgres(postgres.url());
    let key: string;
    try {
      await migrate(db);
      await seed(db);
      ({ key } = await createApiKey(db, { name: "Fault editor", role: "EDITOR" }));
    } finally {
      await db.close();
    }
    const admin = new pg.Pool({ connectionString: postgres.url(), max: 4 });
    // Idle connections die with every Postgres fault; the pool replaces them.
    admin.on("error", () => undefined);
    cleanups.push(() => admin.end());

    let redis: RedisServer | undefined;
    if (options.cache === "redis") {
      redis = await startRedis({ persistence: options.redisPersistence });
      cleanups.push(() => redis!.stop());
    }
    let proxy: CommitCutProxy | undefined;
    if (options.proxy) {
      proxy = await startCommitCutProxy({ host: "127.0.0.1", port: postgres.port });
      cleanups.push(() => proxy!.close());
    }
    const env = {
      ...INSTANCE_ENV,
      DATABASE_URL: proxy ? proxy.urlFor(postgres.url()) : postgres.url(),
      ACCORD_RESPONSE_CACHE: options.cache,
      ...(redis ? { REDIS_URL: redis.url } : { REDIS_URL: "" }),
      ...options.env,
    };
    const started = await Promise.allSettled([startAccord("A", env), startAccord("B", env)]);
    for (const result of started) {
      if (result.status === "fulfilled") cleanups.push(() => result.value.stop());
    }
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
    const [a, b] = started.map(
      (result) => (result as PromiseFulfilledResult<AccordInstance>).value,
    );
    const editor = { authorization: `Bearer ${key}` };
    for (const instance of [a!, b!]) await warmUp(instance, editor);
    return {
      postgres,
      redis,
      proxy,
      instances: [a!, b!],
      editor,
      admin,
      stop: cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
