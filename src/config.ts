/**
 * Accord's configuration, read from the environment once at start-up. A value that is set
 * but malformed stops the process with a message naming the variable: better than running
 * with a setting nobody asked for. README.md lists every variable.
 */
import path from "node:path";

export interface Limits {
  /** Deepest field nesting accepted. */
  maxDepth: number;
  /** Most aliases in one operation. */
  maxAliases: number;
  /** Most directives in one operation. */
  maxDirectives: number;
  /** Most lexical tokens in one document. */
  maxTokens: number;
  /** Highest estimated cost: every field costs 1, times the size of the lists around it. */
  maxCost: number;
  /** Size assumed for a list that has no `first` argument (an article's paragraphs, say). */
  assumedListSize: number;
  /** Largest request body, in bytes. */
  maxBodyBytes: number;
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
  /** Whether the schema can be introspected (Sandbox and GraphiQL need it). */
  introspection: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "silent";
  /** How long a SIGTERM waits for requests in flight before the process exits anyway. */
  shutdownTimeoutMs: number;
  /** Serve the schema as an Apollo Federation 2 subgraph (see src/federation.ts). */
  federation: boolean;
  cache: {
    /** Where whole responses of public reads are kept. */
    store: "off" | "memory" | "redis";
    redisUrl: string | undefined;
    /** Key prefix in Redis: instances sharing one prefix share the cache. */
    prefix: string;
    ttlSeconds: number;
    /** Entries kept in memory (the `memory` store). */
    maxEntries: number;
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

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (env.ACCORD_RESPONSE_CACHE === "redis" && !env.REDIS_URL) {
    throw new Error("ACCORD_RESPONSE_CACHE=redis needs REDIS_URL (redis://host:6379)");
  }
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must start with postgresql://, got "${databaseUrl}"`);
  }
  return {
    databaseUrl,
    dataDir: path.resolve(env.ACCORD_DATA_DIR || "data/pglite"),
    port: integer(env, "PORT", 4000, 0, 65535),
    production: env.NODE_ENV === "production",
    limits: {
      maxDepth: integer(env, "ACCORD_MAX_DEPTH", 12, 1, 100),
      maxAliases: integer(env, "ACCORD_MAX_ALIASES", 20, 0, 1000),
      maxDirectives: integer(env, "ACCORD_MAX_DIRECTIVES", 20, 0, 1000),
      maxTokens: integer(env, "ACCORD_MAX_TOKENS", 2000, 10, 100_000),
      maxCost: integer(env, "ACCORD_MAX_COST", 50_000, 1, 10_000_000),
      assumedListSize: integer(env, "ACCORD_ASSUMED_LIST_SIZE", 5, 1, 1000),
      maxBodyBytes: integer(env, "ACCORD_MAX_BODY_BYTES", 2_000_000, 1000, 100_000_000),
    },
    statementTimeoutMs: integer(env, "ACCORD_STATEMENT_TIMEOUT_MS", 5000, 100, 600_000),
    poolSize: integer(env, "ACCORD_DB_POOL_SIZE", 10, 1, 200),
    introspection: boolean(env, "ACCORD_INTROSPECTION", true),
    logLevel: oneOf(
      env,
      "ACCORD_LOG_LEVEL",
      ["fatal", "error", "warn", "info", "debug", "silent"],
      "info",
    ),
    shutdownTimeoutMs: integer(env, "ACCORD_SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
    federation: boolean(env, "ACCORD_FEDERATION", false),
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
    },
  };
}
