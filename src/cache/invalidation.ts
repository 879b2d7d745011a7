/**
 * Keeps the response cache true to Postgres. Triggers on every data table send, at commit,
 * the objects each transaction's rows belong to (the cache_invalidation migration). Every
 * instance LISTENs on a connection of its own and evicts those tags; the writer then waits
 * until every other listening instance has them before its mutation answers.
 *
 * The guarantee: once a mutation is acknowledged, no instance answers from its cache with a
 * read computed before the commit, whatever Redis or the network does. It rests on four rules:
 *
 * - An instance answers from (and stores into) its cache only while it holds proof that it
 *   has every notification committed up to `LEASE_MS` ago: a round trip on its LISTEN
 *   connection that started since then and came back. Postgres sends a listener every
 *   notification committed before a query ahead of that query's answer, so such a round trip
 *   proves the instance has (and has handled) them. A lost or silent connection lets the
 *   proof age: within `LEASE_MS` the instance computes every read, until it has reconnected,
 *   cleared its memory entries and re-read the generation.
 * - The writer, after commit, makes such a round trip itself (so its own memory entries and
 *   its Redis eviction are done), counts the other listeners, and asks them to confirm
 *   (`!sync`), waiting for all of them or at most `LEASE_MS`: by then any instance that has
 *   not confirmed has lost its proof and computes its reads. No window remains, provided the
 *   instances' clocks run at the same rate (they are only ever used to measure durations).
 * - Redis keys carry a generation kept in Postgres (`CacheGeneration`). A writer that cannot
 *   evict a tag in Redis (down, slow, circuit open) moves the generation on before it answers;
 *   so does an instance each time it (re)connects, in case a write went by while nobody
 *   listened. A Redis that comes back with old data holds only keys of an old generation.
 * - A read stores its answer only if nothing was evicted, and the instance did not lose its
 *   connection or change generation, since it started (the epochs).
 *
 * What is left: a writer that cannot reach Postgres after its commit, nor Redis, cannot move
 * the generation on; it still answers (the change is committed) and logs the failure. The wait
 * costs a mutation about one round trip per instance; `LEASE_MS` only when one does not answer.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { LISTENER_APPLICATION_NAME, type Database, type ListenSession } from "../db/database.js";
import { KeptListen } from "../db/kept-listen.js";
import { toGlobalId } from "../ids.js";
import { NODE_TYPES, type NodeType } from "../registry.js";
import { tagsFor } from "./responses.js";
import type { CacheStore } from "./store.js";

/** The channel the data tables' triggers notify at commit: the change feed. */
export const CHANGE_CHANNEL = "accord_cache";
/** How old an instance's proof of having every notification may be while it uses its cache. */
export const LEASE_MS = 1000;
/** How often an idle instance renews that proof: well inside the lease. */
const HEARTBEAT_MS = 200;

/**
 * The other instances listening on this database. One whose connection has sent nothing for
 * a lease (a heartbeat changes `state_change`) has lost its proof by the time this answer
 * arrives, so it is not waited for: a connection cut off silently, which Postgres may keep
 * for hours, does not slow every mutation down.
 */
const PEERS = `SELECT count(*)::int AS peers FROM pg_stat_activity
  WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()
    AND (state_change IS NULL OR state_change > now() - make_interval(secs => $2))`;
const BUMP = `UPDATE "CacheGeneration" SET "generation" = "generation" + 1 WHERE "id" = 1
  RETURNING "generation"::text AS generation`;
const READ_GENERATION = `SELECT "generation"::text AS generation FROM "CacheGeneration" WHERE "id" = 1`;

const nodeTypes = new Set<string>(NODE_TYPES);

/** The tags of a notification's words, `<Type>:<key>` each. */
export function tagsOfWords(words: string): string[] {
  const ids: string[] = [];
  const types = new Set<NodeType>();
  for (const word of words.split(" ")) {
    const [type, key] = word.split(":");
    if (!type || !nodeTypes.has(type) || !/^[0-9]+$/.test(key ?? "")) continue;
    ids.push(toGlobalId(type as NodeType, Number(key)));
    types.add(type as NodeType);
  }
  return tagsFor(ids, types);
}

/**
 * The tags of one commit's notification (`<token>|<words>`), `"all"` for a change too large to
 * list (`*`), or none for a control message (`!…`).
 */
export function tagsOfPayload(payload: string): string[] | "all" {
  const bar = payload.indexOf("|");
  if (payload.startsWith("!") || bar < 0) return [];
  const words = payload.slice(bar + 1);
  return words === "*" ? "all" : tagsOfWords(words);
}

/** What a mutation's transaction offers: raw SQL on it (Prisma's interactive transaction). */
interface Transaction {
  $queryRawUnsafe(query: string, ...values: unknown[]): Promise<unknown>;
}

export class ResponseCache {
  private readonly listening: KeptListen;
  /** Set once a new connection has cleared what the instance may have missed. */
  private caughtUp = false;
  /** When the latest round trip on the LISTEN connection that came back was sent. */
  private provenAt = -Infinity;
  private localEpoch = 0;
  private generation = 0;
  private closed = false;
  /** This instance's mutations in flight: the Redis evictions of their tags. */
  private readonly writes = new Map<
    string,
    { evictions: Promise<void>[]; expiry: NodeJS.Timeout }
  >();
  private readonly syncs = new Map<string, { needed: number; got: number; done: () => void }>();
  private bumpRunning: Promise<void> | null = null;
  private bumpQueued: Promise<void> | null = null;

  constructor(
    readonly store: CacheStore,
    private readonly db: Database,
    private readonly logger: Logger,
  ) {
    const options = {
      channel: CHANGE_CHANNEL,
      applicationName: LISTENER_APPLICATION_NAME,
      heartbeatMs: HEARTBEAT_MS,
    };
    this.listening = new KeptListen(db, options, {
      notification: (payload) => this.onNotification(payload),
      opened: (session) => this.catchUp(session),
      lost: (error) => this.onLost(error),
      failed: (error, failures) => {
        if (failures === 0) {
          this.logger.warn({ err: error }, "response cache: cannot LISTEN; reads are computed");
        }
      },
      beat: (session) => this.prove(session, "SELECT 1"),
    });
  }

  /** The LISTEN connection in use: null while none listens. */
  private get session(): ListenSession | null {
    return this.listening.session;
  }

  /** Starts listening; resolves once listening, or after `timeoutMs` while it keeps trying. */
  async start(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.listening.start(),
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  }

  /** Whether the cache may answer, and store, right now. */
  fresh(): boolean {
    const session = this.session;
    if (!session || !this.caughtUp) return false;
    return session.local || performance.now() - this.provenAt < LEASE_MS;
  }

  /** Changes whenever the instance may have missed an eviction: a read started before stores nothing. */
  get epoch(): number {
    return this.localEpoch;
  }

  /** Marks the transaction's rows as this instance's write; call it first in the transaction. */
  async beginWrite(tx: Transaction): Promise<string> {
    const token = randomUUID();
    // A transaction that never commits sends nothing: forget it after the longest one.
    const expiry = setTimeout(() => this.writes.delete(token), 60_000).unref();
    this.writes.set(token, { evictions: [], expiry });
    await tx.$queryRawUnsafe(`SELECT set_config('accord.cache_token', $1, true)`, token);
    return token;
  }

  /**
   * After commit, before the answer: returns once no instance can serve a read from before
   * the commit (see the module's comment). Never throws: the change is committed.
   */
  async afterCommit(token: string): Promise<void> {
    const deadline = performance.now() + LEASE_MS;
    try {
      const session = this.session;
      if (!session || !this.caughtUp) throw new Error("not listening");
      const [row] = await this.prove<{ peers: number }>(
        session,
        session.local ? "SELECT 0 AS peers" : PEERS,
        session.local ? [] : [LISTENER_APPLICATION_NAME, LEASE_MS / 1000],
      );
      // Every notification of the commit has arrived: memory entries are gone, and each
      // Redis eviction either succeeded or moved the generation on.
      await Promise.all(this.writes.get(token)?.evictions ?? []);
      if ((row?.peers ?? 0) > 0) await this.confirmedByPeers(session, token, row!.peers, deadline);
    } catch {
      // Without its own LISTEN connection the writer cannot tell which tags it wrote, nor
      // what the others have: it moves the generation on, and waits until any instance that
      // has not heard has lost its proof.
      if (this.store.kind === "redis") await this.bump();
      await sleep(Math.max(0, deadline - performance.now()));
    } finally {
      clearTimeout(this.writes.get(token)?.expiry);
      this.writes.delete(token);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { expiry } of this.writes.values()) clearTimeout(expiry);
    await this.listening.close();
    await this.store.close();
  }

  private confirmedByPeers(
    session: ListenSession,
    token: string,
    peers: number,
    deadline: number,
  ): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.syncs.delete(token);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, deadline - performance.now()));
      this.syncs.set(token, { needed: peers, got: 0, done });
      // Sent after the commit, so each listener gets it after the commit's notifications.
      session
        .query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, `!sync ${token}`])
        .catch(() => undefined);
    });
  }

  private onNotification(payload: string) {
    if (payload.startsWith("!")) return this.onControl(payload);
    const bar = payload.indexOf("|");
    if (bar < 0) return;
    const token = payload.slice(0, bar);
    const words = payload.slice(bar + 1);
    const mine = this.writes.get(token);
    // Every instance evicts in Redis too: a writer killed between its commit and its eviction
    // leaves the others to do it. Only the writer (or anyone, for a write from outside
    // Accord) answers for a failure by moving the generation on.
    const responsible = mine !== undefined || token === "";
    let eviction: Promise<void>;
    if (words === "*") {
      this.store.clear();
      eviction = this.store.kind === "redis" && responsible ? this.bump() : Promise.resolve();
    } else {
      eviction = this.store
        .invalidate(tagsOfWords(words))
        .catch(() => (responsible ? this.bump() : undefined));
    }
    mine?.evictions.push(eviction);
  }

  private onControl(payload: string) {
    const [kind, value = ""] = payload.split(" ");
    if (kind === "!generation") return this.adoptGeneration(Number(value));
    if (kind === "!sync" && !this.syncs.has(value)) {
      // Everything committed before the writer asked has been handled above.
      this.session
        ?.query("SELECT pg_notify($1, $2)", [CHANGE_CHANNEL, `!synced ${value}`])
        .catch(() => undefined);
    } else if (kind === "!synced") {
      const sync = this.syncs.get(value);
      if (sync && ++sync.got >= sync.needed) sync.done();
    }
  }

  private adoptGeneration(generation: number) {
    if (!(generation > this.generation)) return;
    this.generation = generation;
    this.store.useGeneration(generation);
    this.localEpoch++;
  }

  /** Moves the generation on; calls while one runs share the next one, which starts after it. */
  private bump(): Promise<void> {
    if (this.bumpQueued) return this.bumpQueued;
    if (this.bumpRunning) {
      this.bumpQueued = this.bumpRunning.then(() => {
        this.bumpQueued = null;
        return this.bumpNow();
      });
      return this.bumpQueued;
    }
    return this.bumpNow();
  }

  private bumpNow(): Promise<void> {
    const running = (async () => {
      let rows: { generation: string }[];
      try {
        if (!this.session) throw new Error("not listening");
        rows = await this.session.query<{ generation: string }>(BUMP);
      } catch {
        rows = await this.db.prisma.$queryRawUnsafe<{ generation: string }[]>(BUMP);
      }
      this.adoptGeneration(Number(rows[0]?.generation));
    })()
      .catch((error: unknown) =>
        this.logger.error(
          { err: error },
          "response cache: could not move the generation on; Redis may hold stale entries",
        ),
      )
      .finally(() => {
        if (this.bumpRunning === running) this.bumpRunning = null;
      });
    this.bumpRunning = running;
    return running;
  }

  /** A round trip on the LISTEN connection: proof of having every notification sent before it. */
  private async prove<R>(session: ListenSession, text: string, params: unknown[] = []) {
    const sent = performance.now();
    const rows = await session.query<R>(text, params);
    if (session === this.session) this.provenAt = Math.max(this.provenAt, sent);
    return rows;
  }

  private onLost(error: Error) {
    this.caughtUp = false;
    this.localEpoch++;
    this.logger.warn(
      { err: error },
      "response cache: LISTEN connection lost; reads are computed until it is back",
    );
  }

  /** On a new LISTEN connection: what went by before it is unknown, so the cache starts over. */
  private async catchUp(session: ListenSession) {
    const sent = performance.now();
    // In Redis, a write may have passed while no instance listened: its old entries stay in
    // an old generation.
    const rows = await session.query<{ generation: string }>(
      this.store.kind === "redis" ? BUMP : READ_GENERATION,
    );
    if (rows.length !== 1) throw new Error(`"CacheGeneration" has no row: run npm run db:migrate`);
    if (this.closed) throw new Error("closed");
    this.adoptGeneration(Number(rows[0]!.generation));
    this.store.clear();
    this.localEpoch++;
    this.provenAt = sent;
    this.caughtUp = true;
  }
}
