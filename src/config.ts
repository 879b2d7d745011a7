/**
 * Accord's configuration, read from the environment once at start-up. A value that is set
 * but malformed stops the process with a message naming the variable: better than running
 * with a setting nobody asked for. README.md lists every variable.
 */
import path from "node:path";
import { readTrustedDocuments, type TrustedDocuments } from "./trusted.js";

export interface Limits {
  /** Deepest field nesting accepted. */
  maxDepth: number;
  /** Most aliases in one operation. */
  maxAliases: number;
  /** Most directives in one operation. */
  maxDirectives: number;
  /** Most lexical tokens in one document. */
  maxTokens: number;
  /**
   * Highest estimated cost: the most objects a response can hold, by the schema's `@cost`
   * and `@listSize` directives (src/cost.ts).
   */
  maxCost: number;
  /** Most representations one federated `_entities` call may resolve. */
  maxRepresentations: number;
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
  /** Largest response, in bytes: a bigger one is refused with RESPONSE_TOO_LARGE, not built. */
  maxResponseBytes: number;
  /**
   * Most fields a response resolves: building one costs the event loop a few µs a field
   * whatever its size, so a response of many small fields is bounded by this, not its bytes.
   */
  maxResponseFields: number;
  /** Longest string argument (a variable or a literal), in UTF-16 code units. */
  maxStringLength: number;
  /** Most items in any list argument. */
  maxListLength: number;
}

export interface Config {
  /** `postgresql://…` of a Postgres server; unset means the embedded database. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database (PGlite), used when `databaseUrl` is unset. */
  dataDir: string;
  port: number;
  production: boolean;
  limits: Limits;
  /** Postgres `statement_timeout`: no query runs longer. */
  statementTimeoutMs: number;
  /** Connections in the Postgres pool. */
  poolSize: number;
  /** Named prepared statements each pooled connection keeps, least recently used dropped. */
  preparedPerConnection: number;
  /** Bounds on the expensive public reads (search, name search): see src/busy.ts. */
  expensive: {
    /** Pool connections they may hold at once. */
    concurrency: number;
    /** Most of them waiting for a slot. */
    maxWaiting: number;
    /** Longest wait for a slot, in milliseconds. */
    maxWaitMs: number;
  };
  /** Whether the schema can be introspected (Sandbox and GraphiQL need it). */
  introspection: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "silent";
  /** How long a SIGTERM waits for requests in flight before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Serve the schema as an Apollo Federation 2 subgraph (see src/federation.ts). */
  federation: boolean;
  /**
   * The origins whose pages a browser lets call `/graphql` (CORS), each `scheme://host[:port]`
   * as browsers send it; `*`: any origin.
   */
  corsOrigins: "*" | string[];
  /**
   * The only documents this server executes (`ACCORD_TRUSTED_DOCUMENTS`, src/trusted.ts),
   * read and checked at start; null: any document.
   */
  trustedDocuments: TrustedDocuments | null;
  /** How long a mutation's `Idempotency-Key` is kept (src/idempotency.ts), in seconds. */
  idempotencyRetentionSeconds: number;
  cache: {
    /** Where whole responses of public reads are kept. */
    store: "off" | "memory" | "redis";
    redisUrl: string | undefined;
    /** Key prefix in Redis: instances sharing one prefix share the cache. */
    prefix: string;
    ttlSeconds: number;
    /** Entries kept in memory (the `memory` store). */
    maxEntries: number;
    /** Bytes all entries in memory may take together (the `memory` store). */
    maxBytes: number;
    /** Largest response stored (either store): a bigger one is served but not cached. */
    maxEntryBytes: number;
    /**
     * How long an automatic persisted query's registration lives, in seconds: in Redis with
     * `redisUrl`, else in this process's bounded memory (src/cache/apq.ts).
     */
    apqTtlSeconds: number;
  };
  /** Subscriptions over WebSocket (src/live/). */
  live: {
    /** WebSocket connections one instance holds. */
    maxConnections: number;
    maxSubscriptionsPerConnection: number;
    /** Subscriptions one instance holds, over all its connections. */
    maxSubscriptions: number;
    /** Live reads one instance runs at once; the others wait their turn. */
    concurrency: number;
    /** Memory one instance's subscriptions hold: their requests and last answers. */
    maxBytes: number;
  };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  values: readonly T[],
  fallback: T,
) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (!values.includes(raw as T))
    throw new Error(`${name} must be one of ${values.join(", ")}, got "${raw}"`);
  return raw as T;
}

/** `value` as a browser sends it in `Origin`, if it is an origin at all. */
function canonicalOrigin(value: string): string | undefined {
  // A scheme, `://`, a host with an optional port: no path, query, fragment or user.
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#@\s\\]+$/i.test(value)) return undefined;
  try {
    const url = new URL(value);
    // Lower case, no default port: what `Origin` holds, and what it is compared with.
    return url.host ? `${url.protocol}//${url.host}` : undefined;
  } catch {
    return undefined;
  }
}

function origins(env: NodeJS.ProcessEnv, name: string): "*" | string[] {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === "" || raw === "*") return "*";
  const list = raw.split(",").map((item) => item.trim());
  for (const origin of list) {
    const wildcard = origin.includes("*");
    const canonical = wildcard ? null : canonicalOrigin(origin);
    if (canonical === origin) continue;
    throw new Error(
      `${name} must be * or a comma-separated list of origins, each scheme://host[:port] ` +
        `(https://app.example.org), got "${origin}"` +
        (wildcard ? ": a wildcard matches nothing inside a list; name each origin" : "") +
        (canonical ? `: a browser sends it as "${canonical}"` : ""),
    );
  }
  return [...new Set(list)];
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (env.ACCORD_RESPONSE_CACHE === "redis" && !env.REDIS_URL) {
    throw new Error("ACCORD_RESPONSE_CACHE=redis needs REDIS_URL (redis://host:6379)");
  }
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must start with postgresql://, got "${databaseUrl}"`);
  }
  const poolSize = integer(env, "ACCORD_DB_POOL_SIZE", 10, 1, 200);
  return {
    databaseUrl,
    dataDir: path.resolve(env.ACCORD_DATA_DIR || "data/pglite"),
    port: integer(env, "PORT", 4000, 0, 65535),
    production: env.NODE_ENV === "production",
    limits: {
      maxDepth: integer(env, "ACCORD_MAX_DEPTH", 24, 1, 100),
      maxAliases: integer(env, "ACCORD_MAX_ALIASES", 20, 0, 1000),
      maxDirectives: integer(env, "ACCORD_MAX_DIRECTIVES", 20, 0, 1000),
      maxTokens: integer(env, "ACCORD_MAX_TOKENS", 2000, 10, 100_000),
      maxCost: integer(env, "ACCORD_MAX_COST", 1_000_000, 1, 100_000_000),
      maxRepresentations: integer(env, "ACCORD_MAX_REPRESENTATIONS", 100, 1, 10_000),
      maxBodyBytes: integer(env, "ACCORD_MAX_BODY_BYTES", 2_000_000, 1000, 100_000_000),
      maxResponseBytes: integer(env, "ACCORD_MAX_RESPONSE_BYTES", 4_000_000, 1000, 1_000_000_000),
      maxResponseFields: integer(env, "ACCORD_MAX_RESPONSE_FIELDS", 20_000, 100, 100_000_000),
      maxStringLength: integer(env, "ACCORD_MAX_STRING_LENGTH", 1_000_000, 1, 100_000_000),
      maxListLength: integer(env, "ACCORD_MAX_LIST_LENGTH", 1000, 1, 1_000_000),
    },
    statementTimeoutMs: integer(env, "ACCORD_STATEMENT_TIMEOUT_MS", 5000, 100, 600_000),
    poolSize,
    preparedPerConnection: integer(env, "ACCORD_DB_PREPARED_STATEMENTS", 100, 10, 10_000),
    expensive: {
      // A third of the pool: the rest stays free for page and list reads. Measured at 1k
      // articles, 20 clients: with 2 of 10 name searches lost a third of their throughput,
      // with 3 they kept it; more let a flood of searches slow the article page past 200 ms.
      concurrency: integer(
        env,
        "ACCORD_EXPENSIVE_CONCURRENCY",
        Math.max(1, Math.floor(poolSize / 3)),
        1,
        poolSize,
      ),
      maxWaiting: integer(env, "ACCORD_EXPENSIVE_QUEUE", 50, 0, 10_000),
      maxWaitMs: integer(env, "ACCORD_EXPENSIVE_WAIT_MS", 1000, 1, 60_000),
    },
    introspection: boolean(env, "ACCORD_INTROSPECTION", true),
    logLevel: oneOf(
      env,
      "ACCORD_LOG_LEVEL",
      ["fatal", "error", "warn", "info", "debug", "silent"],
      "info",
    ),
    shutdownTimeoutMs: integer(env, "ACCORD_SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
    federation: boolean(env, "ACCORD_FEDERATION", false),
    corsOrigins: origins(env, "ACCORD_CORS_ORIGINS"),
    trustedDocuments: env.ACCORD_TRUSTED_DOCUMENTS
      ? readTrustedDocuments(path.resolve(env.ACCORD_TRUSTED_DOCUMENTS))
      : null,
    idempotencyRetentionSeconds: integer(
      env,
      "ACCORD_IDEMPOTENCY_RETENTION_SECONDS",
      86_400,
      60,
      2_592_000,
    ),
    cache: {
      store: oneOf(
        env,
        "ACCORD_RESPONSE_CACHE",
        ["off", "memory", "redis"],
        env.REDIS_URL ? "redis" : "memory",
      ),
      redisUrl: env.REDIS_URL || undefined,
      prefix: env.ACCORD_CACHE_PREFIX || "accord:",
      ttlSeconds: integer(env, "ACCORD_CACHE_TTL_SECONDS", 300, 1, 86_400),
      maxEntries: integer(env, "ACCORD_CACHE_MAX_ENTRIES", 10_000, 1, 10_000_000),
      maxBytes: integer(env, "ACCORD_CACHE_MAX_BYTES", 64_000_000, 1000, 100_000_000_000),
      maxEntryBytes: integer(env, "ACCORD_CACHE_MAX_ENTRY_BYTES", 512_000, 100, 1_000_000_000),
      apqTtlSeconds: integer(env, "ACCORD_APQ_TTL_SECONDS", 86_400, 60, 2_592_000),
    },
    live: {
      maxConnections: integer(env, "ACCORD_WS_MAX_CONNECTIONS", 2000, 0, 1_000_000),
      maxSubscriptionsPerConnection: integer(
        env,
        "ACCORD_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION",
        20,
        1,
        10_000,
      ),
      maxSubscriptions: integer(env, "ACCORD_MAX_SUBSCRIPTIONS", 10_000, 0, 10_000_000),
      concurrency: integer(env, "ACCORD_LIVE_CONCURRENCY", 4, 1, 100),
      maxBytes: integer(env, "ACCORD_LIVE_MAX_BYTES", 256_000_000, 100_000, 100_000_000_000),
    },
  };
}
