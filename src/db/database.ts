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
  /**
   * A session of its own that LISTENs on `channel`: on a server, one connection outside the
   * pool named `applicationName` (by default `accord-cache`, the name instances count each
   * other by); `onLost` is called once when it breaks. Fails if it cannot.
   */
  listen(
    channel: string,
    onNotification: (payload: string) => void,
    onLost: (error: Error) => void,
    applicationName?: string,
  ): Promise<ListenSession>;
  close(): Promise<void>;
}

export interface ListenSession {
  /**
   * True for the embedded database: notifications are delivered in this process with the
   * commit itself, and the session cannot be cut off from the database.
   */
  local: boolean;
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  close(): Promise<void>;
}

/** The `application_name` of every instance's LISTEN connection: how instances count each other. */
export const LISTENER_APPLICATION_NAME = "accord-cache";

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
      return super.connect().catch(async (error: Error) => {
        throw await this.classify(error);
      });
    }
    super.connect((error, client, done) => {
      if (!error) return callback(error, client, done);
      void this.classify(error).then((classified) => callback(classified, client, done));
    });
  }
}

/** pg's internals the watch below reads (pg-pool reads `_queryable` the same way). */
interface PooledConnection {
  _activeQuery: object | null;
  connection: { stream: { destroy(error?: Error): void } };
}

/** How often the pool's connections are checked for a query left unanswered. */
const STUCK_CHECK_MS = 1000;

/**
 * Gives up on a query whose answer has not come within `timeoutMs` (to a second): a
 * connection silently dropped by the network, which the server's `statement_timeout` cannot
 * reach. Its socket is destroyed, which fails that query and every one queued behind it at
 * once (a ROLLBACK does not wait out a timeout of its own), and pg marks the connection
 * unqueryable, so the pool discards it on release whatever the caller says (Prisma's adapter
 * releases a transaction's connection after a failed ROLLBACK without the error).
 *
 * One check a second over the pool's connections instead of pg's `query_timeout`, which arms
 * and clears a timer for every statement and keeps each statement's rows reachable from it:
 * on the hot path that cost more in garbage collection than the reads themselves. Sessions
 * (`exempt`: migrations, the seed) run long statements by design and are left alone.
 */
function abandonStuckQueries(pool: pg.Pool, timeoutMs: number, exempt: WeakSet<object>) {
  const seen = new WeakMap<object, { query: object; since: number }>();
  const timer = setInterval(() => {
    const now = performance.now();
    const clients = (pool as unknown as { _clients: PooledConnection[] })._clients;
    for (const client of clients) {
      const query = client._activeQuery;
      if (!query || exempt.has(client)) continue;
      const last = seen.get(client);
      if (last?.query !== query) seen.set(client, { query, since: now });
      else if (now - last.since >= timeoutMs) {
        client.connection.stream.destroy(
          new Error(`Query read timeout: no answer from the database in ${timeoutMs} ms`),
        );
      }
    }
  }, STUCK_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The named statements each pooled connection has prepared, least recently used first. A
 * connection keeps at most `max` (`ACCORD_DB_PREPARED_STATEMENTS`, default 100): the one
 * unused for longest is DEALLOCATEd before a new one is prepared. Accord's statement texts are
 * many but finite (lists: 2 orders x forward or backward x cursor or none x 4 page sizes x
 * filters and related rows asked for; search: one per limit), so without a bound a client
 * varying `first`, `last` and filters could make every backend hold thousands, at about 60 kB
 * each. Everyday traffic uses a few dozen, which stay prepared.
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
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // An idle connection that the server drops must not crash the process.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  const sessions = new WeakSet<object>();
  const stopWatch = abandonStuckQueries(pool, statementTimeoutMs + 1000, sessions);
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
      // A session is for migrations, the seed and maintenance, whose statements may run long
      // by design under a `statement_timeout` they set themselves: the client-side limit,
      // meant for requests, does not apply.
      sessions.add(client);
      try {
        return await fn({
          query: async <R>(text: string, params?: unknown[]) =>
            (await client.query(text, params)).rows as R[],
          exec: async (sql) => void (await client.query(sql)),
        });
      } finally {
        sessions.delete(client);
        client.release();
      }
    },
    reachable,
    async listen(channel, onNotification, onLost, applicationName = LISTENER_APPLICATION_NAME) {
      const client = new pg.Client({
        connectionString: url,
        application_name: applicationName,
        connectionTimeoutMillis: 1000,
        query_timeout: 2000,
        keepAlive: true,
        keepAliveInitialDelayMillis: 1000,
      });
      let lost = false;
      const lose = (error: Error) => {
        if (lost) return;
        lost = true;
        onLost(error);
        void client.end().catch(() => undefined);
      };
      client.on("error", lose);
      client.on("end", () => lose(new Error("The LISTEN connection ended")));
      client.on("notification", (message) => {
        if (message.channel === channel) onNotification(message.payload ?? "");
      });
      try {
        await client.connect();
        await client.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      } catch (error) {
        lost = true;
        await client.end().catch(() => undefined);
        throw error;
      }
      // One query at a time, in the order asked: pg's client would queue them too, but warns.
      let queue: Promise<unknown> = Promise.resolve();
      return {
        local: false,
        query<R>(text: string, params?: unknown[]) {
          const run = queue.then(async () => {
            try {
              return (await client.query(text, params)).rows as R[];
            } catch (error) {
              // A timeout leaves the connection in doubt: it is not used again.
              if (!(error instanceof pg.DatabaseError)) lose(error as Error);
              throw error;
            }
          });
          queue = run.catch(() => undefined);
          return run;
        },
        async close() {
          lost = true;
          await client.end().catch(() => undefined);
        },
      };
    },
    async close() {
      await prisma.$disconnect();
      // Watched until the end: a connection stuck on a silent network would hold `end` forever.
      await Promise.all([pool.end(), probe.end()]);
      stopWatch();
    },
  };
}

/**
 * PGlite is Postgres inside this process: two processes opening the same data folder would
 * corrupt it. A lock file names its owner by what a reused pid cannot fake: the pid, the
 * process's start time (field 22 of /proc/<pid>/stat) and the boot id. A container restarted
 * after `kill -9` runs as pid 1 again, but with another start time, so its own stale lock is
 * taken over; a lock whose process still runs keeps the second one out, with a message that
 * says what to do. Where /proc is missing, the pid alone is compared.
 */
interface LockOwner {
  pid: number;
  startTime?: string;
  bootId?: string;
}

function readProc(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat (after the parenthesised name, which may hold spaces). */
export function processStartTime(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
}

function bootId(): string | undefined {
  return readProc("/proc/sys/kernel/random/boot_id");
}

function parseOwner(text: string): LockOwner | undefined {
  // An older lock held the bare pid.
  if (/^\d+$/.test(text.trim())) return { pid: Number(text.trim()) };
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}

function ownerAlive(owner: LockOwner): boolean {
  if (owner.bootId && bootId() && owner.bootId !== bootId()) return false;
  if (!isRunning(owner.pid)) return false;
  const started = processStartTime(owner.pid);
  if (owner.startTime && started) return owner.startTime === started;
  // A bare pid that is this process's own was written by an earlier process with this pid.
  return owner.pid !== process.pid;
}

function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "accord.pid");
  const me: LockOwner = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    bootId: bootId(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, JSON.stringify(me), { flag: "wx" });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = parseOwner(readProc(lockFile) ?? "");
      if (owner && ownerAlive(owner)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${owner.pid} (a running \`npm start\`?). ` +
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
    async listen(channel, onNotification) {
      const unlisten = await pglite.listen(channel, onNotification);
      return {
        local: true,
        query: <R>(text: string, params?: unknown[]) => session.query<R>(text, params),
        close: () => (pglite.closed ? Promise.resolve() : unlisten()),
      };
    },
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
