/**
 * One handle on Accord's database, whichever it is: a Postgres server (`DATABASE_URL`) or the
 * embedded Postgres (PGlite) kept in a data folder. Both give a Prisma client and plain SQL
 * sessions, so migrations, the seed and the API run unchanged on either.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";

/** A single Postgres session: statements run in order on one connection. */
export interface SqlSession {
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
}

/**
 * A read the API sends on every request of a kind, such as the article page. Its `name` makes
 * it a prepared statement on each Postgres connection, planned once instead of per request.
 */
export interface NamedStatement {
  name: string;
  text: string;
}

export interface Database {
  kind: "postgres" | "embedded";
  /** Where the data lives, for logs: a URL without its password, or the data folder. */
  location: string;
  prisma: PrismaClient;
  /**
   * Runs a hot read straight on the driver: Prisma's query layer costs more CPU per statement
   * than the hottest pages can spare. Statements return JSON where types matter (dates).
   */
  read<R>(statement: NamedStatement, params: unknown[]): Promise<R[]>;
  /** SQL statements sent so far (Prisma and `read`): lets tests prove a query's cost is flat. */
  readonly statementCount: number;
  /** Runs `fn` on one dedicated connection (advisory locks and transactions need one). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

function newPrisma(adapter: PrismaPg | PrismaPGlite) {
  const prisma = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  const counter = { statements: 0 };
  prisma.$on("query", () => {
    counter.statements++;
  });
  return { prisma: prisma as PrismaClient, counter };
}

export interface DatabaseOptions {
  /** Connections in the pool (Postgres only). */
  poolSize?: number;
  /** Postgres `statement_timeout`: a query running longer is cancelled. */
  statementTimeoutMs?: number;
}

export function openPostgres(url: string, options: DatabaseOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Fail fast while the server is unreachable instead of queueing requests behind it.
    connectionTimeoutMillis: 3000,
    application_name: "accord",
    options: `-c statement_timeout=${options.statementTimeoutMs ?? 5000}`,
  });
  // An idle connection that the server drops must not crash the process.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  const { prisma, counter } = newPrisma(new PrismaPg(pool));
  return {
    kind: "postgres",
    location: redactUrl(url),
    prisma,
    async read<R>(statement: NamedStatement, params: unknown[]) {
      counter.statements++;
      const result = await pool.query({
        name: statement.name,
        text: statement.text,
        values: params,
      });
      return result.rows as R[];
    },
    get statementCount() {
      return counter.statements;
    },
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          query: async <R>(text: string, params?: unknown[]) =>
            (await client.query(text, params)).rows as R[],
          exec: async (sql) => void (await client.query(sql)),
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * PGlite is Postgres inside this process: two processes opening the same data folder would
 * corrupt it. A lock file holding the owner's pid keeps the second one out, with a message
 * that says what to do; a lock left by a process that no longer runs is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "accord.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockFile, "utf8"));
      if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${owner} (a running \`npm start\`?). ` +
            "Stop it first, or run Accord on a Postgres server with DATABASE_URL.",
        );
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`Could not lock the embedded database in ${dataDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Opens the embedded database in `dataDir` (created if missing), or in memory for `memory://`. */
export async function openEmbedded(
  dataDir: string,
  options: DatabaseOptions = {},
): Promise<Database> {
  let unlock = () => undefined as void;
  if (!dataDir.startsWith("memory://")) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, { extensions: { pg_trgm, unaccent } });
  } catch (error) {
    unlock();
    throw error;
  }
  await pglite.exec(`SET statement_timeout = ${Math.trunc(options.statementTimeoutMs ?? 5000)}`);
  const { prisma, counter } = newPrisma(new PrismaPGlite(pglite));
  const session: SqlSession = {
    query: async <R>(text: string, params?: unknown[]) =>
      (await pglite.query<R>(text, params)).rows,
    exec: async (sql) => void (await pglite.exec(sql)),
  };
  return {
    kind: "embedded",
    location: dataDir,
    prisma,
    async read<R>(statement: NamedStatement, params: unknown[]) {
      counter.statements++;
      return (await pglite.query<R>(statement.text, params)).rows;
    },
    get statementCount() {
      return counter.statements;
    },
    // PGlite is a single connection already; nothing else runs while a session is in use
    // during migrations and seeding.
    withSession: (fn) => fn(session),
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      unlock();
    },
  };
}

/** The database the configuration names: the server at `databaseUrl`, else the embedded one. */
export function openDatabase(
  config: { databaseUrl?: string; dataDir: string } & Partial<{
    poolSize: number;
    statementTimeoutMs: number;
  }>,
): Promise<Database> {
  const options = { poolSize: config.poolSize, statementTimeoutMs: config.statementTimeoutMs };
  return config.databaseUrl
    ? Promise.resolve(openPostgres(config.databaseUrl, options))
    : openEmbedded(config.dataDir, options);
}

/** Whether the database answers within `timeoutMs`. */
export async function isReachable(db: Database, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.prisma.$queryRawUnsafe("SELECT 1").then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** "the embedded database in <folder>" or the server's URL without its password, for logs. */
export function describe(db: Database): string {
  return db.kind === "embedded" ? `the embedded database in ${db.location}` : db.location;
}
