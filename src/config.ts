/**
 * Accord's configuration, read from the environment once at start-up. A value that is set
 * but malformed stops the process with a message naming the variable: better than running
 * with a setting nobody asked for.
 */
import path from "node:path";

export interface Config {
  /** `postgresql://…` of a Postgres server; unset means the embedded database. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database (PGlite), used when `databaseUrl` is unset. */
  dataDir: string;
  port: number;
  production: boolean;
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

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error(`DATABASE_URL must start with postgresql://, got "${databaseUrl}"`);
  }
  return {
    databaseUrl,
    dataDir: path.resolve(env.ACCORD_DATA_DIR || "data/pglite"),
    port: integer(env, "PORT", 4000, 0, 65535),
    production: env.NODE_ENV === "production",
  };
}
