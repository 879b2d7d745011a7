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
  /**
   * Whether the database can be reached, asked outside the request pool: a pool whose
   * connections are all busy with requests still has a reachable database.
   */
  reachable(timeoutMs: number): Promise<boolean>;
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
  /** Longest wait for a pooled connection (Postgres only). */
  connectTimeoutMs?: number;
  /** Named prepared statements kept per connection (Postgres only); see `PreparedStatements`. */
  preparedPerConnection?: number;
}

/** pg-pool's words for a request that waited `connectionTimeoutMillis` for a connection. */
const POOL_WAIT_TIMEOUT = "timeout exceeded when trying to connect";

/**
 * Thrown instead of pg-pool's wait timeout when every connection of the pool was connected and
 * in use for the whole wait: the database answers, Accord is busy (SERVER_BUSY, retryable),
 * which is not the database being unreachable (DATABASE_UNAVAILABLE).
 */
export class PoolBusyError extends Error {
  readonly code = "ACCORD_POOL_BUSY";
  constructor(size: number, waitedMs: number) {
    super(`All ${size} database connections stayed in use for ${waitedMs} ms`);
  }
}

type ConnectCallback = (
  err: Error | undefined,
  client: pg.PoolClient | undefined,
  done: (release?: unknown) => void,
) => void;

/**
 * A pool that tells a busy pool from an unreachable database. pg-pool gives the same timeout
 * error either way. It is a busy pool when, as the wait ends, every one of its connections
 * had connected and was checked out (`acquire` minus `release`), and the database answers:
 * some connection came back during the wait, or, when none did (every one waits on a lock,
 * or on a database that stopped), a fresh connection outside the pool gets an answer.
 * Otherwise a connection was still trying to connect, or the database stopped answering.
 */
class BusyAwarePool extends pg.Pool {
  private checkedOut = 0;
  private lastReleaseAt = 0;
  /** Whether the database answers a new connection (the readiness probe), within a second or two. */
  answers: () => Promise<boolean> = () => Promise.resolve(false);
  constructor(config: pg.PoolConfig) {
    super(config);
    this.on("acquire", () => void this.checkedOut++);
    this.on("release", () => {
      this.checkedOut--;
      this.lastReleaseAt = performance.now();
    });
  }

  private async classify(error: Error): Promise<Error> {
    if (error.message !== POOL_WAIT_TIMEOUT) return error;
    const { max = 10, connectionTimeoutMillis = 0 } = this.options;
    if (this.checkedOut < max) return error;
    const answering =
      performance.now() - this.lastReleaseAt <= connectionTimeoutMillis || (await this.answers());
    return answering ? new PoolBusyError(max, connectionTimeoutMillis) : error;
  }

  override connect(): Promise<pg.PoolClient>;
  override connect(callback: ConnectCallback): void;
  override connect(callback?: ConnectCallback): Promise<pg.PoolClient> | void {
    if (!callback) {
      return super.connect().then(discardIfBroken, async (error: Error) => {
        throw await this.classify(error);
      });
    }
    super.connect((error, client, done) => {
      if (!error) return callback(error, client && discardIfBroken(client), done);
      void this.classify(error).then((classified) => callback(classified, client, done));
    });
  }
}

/**
 * Connections that failed other than by an error Postgres sent: a query the client gave up on
 * (`query_timeout`) or a connection that broke. Such a connection may still have a statement
 * or a transaction running, so it must never serve another request; but a caller may hand it
 * back without the error (Prisma's adapter releases a transaction's connection after a failed
 * ROLLBACK that way), so the pool discards it on release whatever the caller says.
 */
const broken = new WeakSet<pg.PoolClient>();

function watchForBreakage(client: pg.PoolClient) {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const callback = args.findLast((arg) => typeof arg === "function") as
      ((error: Error | undefined, ...rest: unknown[]) => void) | undefined;
    const note = (error: unknown) => {
      if (error && !(error instanceof pg.DatabaseError)) broken.add(client);
    };
    // Nothing more is sent on a broken connection (a ROLLBACK would wait out its own
    // timeout): it fails at once, as a connection that is gone.
    if (broken.has(client)) {
      const gone = new Error("Connection terminated: the connection broke earlier");
      if (!callback) return Promise.reject(gone);
      process.nextTick(() => callback(gone));
      return undefined;
    }
    if (callback) {
      const index = args.lastIndexOf(callback);
      args[index] = (error: Error | undefined, ...rest: unknown[]) => {
        note(error);
        callback(error, ...rest);
      };
    }
    const result = query(...args);
    if (result instanceof Promise) result.catch(note);
    return result;
  };
}

function discardIfBroken(client: pg.PoolClient): pg.PoolClient {
  const release = client.release.bind(client);
  client.release = (error?: Error | boolean) => release(error || broken.has(client) || undefined);
  return client;
}

/**
 * The named statements each pooled connection has prepared, least recently used first. A
 * connection keeps at most `max` (`ACCORD_DB_PREPARED_STATEMENTS`, default 100): the one
 * unused for longest is DEALLOCATEd before a new one is prepared. Accord's statement texts are
 * many but finite (lists: 2 directions x cursor or none x 4 page sizes x filters and related
 * rows asked for; search: one per limit), so without a bound a client varying `first` and
 * filters could make every backend hold thousands, at about 60 kB each. Everyday traffic uses
 * a few dozen, which stay prepared.
 *
 * node-postgres prepares a named statement once per connection and remembers it in the
 * connection's `parsedStatements`; it has no call to forget one, so eviction removes the name
 * there too, or the next use would bind a statement the server no longer has.
 */
class PreparedStatements {
  private readonly byClient = new WeakMap<pg.PoolClient, Map<string, true>>();
  constructor(private readonly max: number) {}

  /**
   * Marks `name` used on `client`; the least recently used one beyond `max` is forgotten and
   * its DEALLOCATE queued on the connection, ahead of whatever the caller sends next (a
   * connection runs its queries in order). Synchronous: the hot path costs no extra await.
   */
  use(client: pg.PoolClient, name: string): void {
    let names = this.byClient.get(client);
    if (!names) this.byClient.set(client, (names = new Map<string, true>()));
    if (names.delete(name)) return void names.set(name, true);
    names.set(name, true);
    if (names.size <= this.max) return;
    const [oldest] = names.keys();
    names.delete(oldest!);
    const connection = (client as unknown as { connection: Record<string, Record<string, string>> })
      .connection;
    if (connection.parsedStatements?.[oldest!] === undefined) return;
    delete connection.parsedStatements[oldest!];
    delete connection.submittedNamedStatements?.[oldest!];
    // A failure here shows on the query queued behind it, which then fails the request.
    client.query(`DEALLOCATE "${oldest!.replaceAll('"', '""')}"`, () => undefined);
  }
}

/** The longest a timer can wait (about 24 days): no client-side limit, in practice. */
const SESSION_QUERY_TIMEOUT = 2 ** 31 - 1;

export function openPostgres(url: string, options: DatabaseOptions = {}): Database {
  const statementTimeoutMs = options.statementTimeoutMs ?? 5000;
  const pool = new BusyAwarePool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Fail fast while the server is unreachable instead of queueing requests behind it.
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    application_name: "accord",
    // The server cancels a long statement, and ends a transaction left idle (by an instance
    // cut off mid-transaction, whose locks would otherwise block every other instance's
    // writes). The client gives up on an answer that never comes (a connection silently
    // dropped by the network: the server's cancel cannot reach it), and keepalive finds such
    // a connection dead; either way the connection is discarded and its slot freed.
    options: `-c statement_timeout=${statementTimeoutMs} -c idle_in_transaction_session_timeout=${statementTimeoutMs}`,
    query_timeout: statementTimeoutMs + 1000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle connection that the server drops must not crash the process.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => {
    client.on("error", () => undefined);
    watchForBreakage(client);
  });
  // Readiness asks over a connection of its own: with every request connection busy, the
  // database is still reachable. A probe that hangs is cut off by `query_timeout`, and that
  // connection dropped.
  const probe = new pg.Pool({
    connectionString: url,
    max: 1,
    connectionTimeoutMillis: 1000,
    query_timeout: 2000,
    idleTimeoutMillis: 60_000,
    application_name: "accord-readiness",
  });
  probe.on("error", () => undefined);
  probe.on("connect", (client) => client.on("error", () => undefined));
  const reachable = async () => {
    try {
      await probe.query("SELECT 1");
      return true;
    } catch {
      return false;
    }
  };
  pool.answers = reachable;
  const prepared = new PreparedStatements(options.preparedPerConnection ?? 100);
  const { prisma, counter } = newPrisma(new PrismaPg(pool));
  return {
    kind: "postgres",
    location: redactUrl(url),
    prisma,
    read<R>(statement: NamedStatement, params: unknown[]) {
      counter.statements++;
      // Callbacks, as pg's own `pool.query`: this runs for every page and list read.
      return new Promise<R[]>((resolve, reject) => {
        pool.connect((error, client, release) => {
          if (error || !client) return reject(error ?? new Error("no connection"));
          prepared.use(client, statement.name);
          const query = { name: statement.name, text: statement.text, values: params };
          client.query(query, (failure: Error | undefined, result: pg.QueryResult) => {
            // As `pool.query` does: a connection that saw an error is not reused.
            release(failure);
            if (failure) reject(failure);
            else resolve(result.rows as R[]);
          });
        });
      });
    },
    get statementCount() {
      return counter.statements;
    },
    async withSession(fn) {
      const client = await pool.connect();
      try {
        // A session is for migrations, the seed and maintenance, whose statements may run
        // long by design under a `statement_timeout` they set themselves: the client's own
        // limit, meant for requests, does not apply (pg reads `query_timeout` per query too,
        // though its types do not say so).
        const unlimited = (text: string, values?: unknown[]): pg.QueryConfig =>
          ({ text, values, query_timeout: SESSION_QUERY_TIMEOUT }) as pg.QueryConfig;
        return await fn({
          query: async <R>(text: string, params?: unknown[]) =>
            (await client.query(unlimited(text, params))).rows as R[],
          exec: async (sql) => void (await client.query(unlimited(sql))),
        });
      } finally {
        client.release();
      }
    },
    reachable,
    async close() {
      await prisma.$disconnect();
      await Promise.all([pool.end(), probe.end()]);
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
    // The embedded database runs in this process: it is reachable while it is open. A query
    // would wait behind the requests running on its one connection, busy is not gone.
    reachable: () => Promise.resolve(!pglite.closed),
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
    preparedPerConnection: number;
  }>,
): Promise<Database> {
  const options = {
    poolSize: config.poolSize,
    statementTimeoutMs: config.statementTimeoutMs,
    preparedPerConnection: config.preparedPerConnection,
  };
  return config.databaseUrl
    ? Promise.resolve(openPostgres(config.databaseUrl, options))
    : openEmbedded(config.dataDir, options);
}

/** Whether the database answers within `timeoutMs`, however busy the request pool is. */
export async function isReachable(db: Database, timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.reachable(timeoutMs), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** "the embedded database in <folder>" or the server's URL without its password, for logs. */
export function describe(db: Database): string {
  return db.kind === "embedded" ? `the embedded database in ${db.location}` : db.location;
}
