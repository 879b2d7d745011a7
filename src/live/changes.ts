/**
 * The commit-time change feed, as live queries hear it: the notifications the data tables'
 * triggers send when a transaction commits (the cache_invalidation migration), whichever
 * instance, or whatever client of the database, wrote. Heard on a LISTEN connection of its
 * own, named apart from the response cache's so that writers do not wait for it to confirm.
 *
 * Degrading, never lying: a connection that breaks or falls silent (a heartbeat every second,
 * each bounded by the session's query timeout) is replaced. Every live query is read again
 * when it is lost, at each attempt to listen again (the reads then send the error that says
 * the database is unavailable, or the truth), and once a new connection listens.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { CHANGE_CHANNEL, tagsOfPayload } from "../cache/invalidation.js";
import type { Database, ListenSession } from "../db/database.js";

/** The `application_name` of the live queries' LISTEN connection. */
export const LIVE_APPLICATION_NAME = "accord-live";
const HEARTBEAT_MS = 1000;
const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5000;

export interface ChangeListener {
  /** One commit's tags (src/cache/responses.ts `tagsFor`). */
  changed(tags: readonly string[]): void;
  /** Anything may have changed: on (re)connecting, or after a change too large to list. */
  changedAll(): void;
}

export class ChangeFeed {
  private session: ListenSession | null = null;
  private closed = false;
  private readonly closing = new AbortController();
  private heartbeat: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | null = null;
  private beating = false;

  constructor(
    private readonly db: Database,
    private readonly listener: ChangeListener,
    private readonly logger: Logger,
  ) {}

  /** Starts listening in the background; never throws (it keeps trying). */
  start(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS).unref();
    void this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    clearInterval(this.heartbeat);
    const session = this.session;
    this.session = null;
    await session?.close();
    await this.connecting;
  }

  private onNotification(payload: string) {
    const tags = tagsOfPayload(payload);
    if (tags === "all") this.listener.changedAll();
    else if (tags.length > 0) this.listener.changed(tags);
  }

  private onLost(session: ListenSession, error: Error) {
    if (this.session !== session) return;
    this.session = null;
    if (this.closed) return;
    this.logger.warn({ err: error }, "live queries: LISTEN connection lost; reconnecting");
    // Changes go unheard from now on: read everything again, which answers with the truth or
    // with the error that says the database cannot be read.
    this.listener.changedAll();
    void this.connect();
  }

  private async beat() {
    const session = this.session;
    if (!session || session.local || this.beating) return;
    this.beating = true;
    // A failed or timed-out round trip makes the database layer give the session up (onLost).
    await session.query("SELECT 1").catch(() => undefined);
    this.beating = false;
  }

  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      let delay = RECONNECT_FIRST_MS;
      let failures = 0;
      while (!this.closed && !this.session) {
        try {
          let session: ListenSession | null = null;
          session = await this.db.listen(
            CHANGE_CHANNEL,
            (payload) => this.onNotification(payload),
            (error) => session && this.onLost(session, error),
            LIVE_APPLICATION_NAME,
          );
          if (this.closed) {
            await session.close();
            return;
          }
          this.session = session;
          if (failures > 0) this.logger.info("live queries: listening again");
          // What went by while nobody listened is unknown.
          this.listener.changedAll();
        } catch (error) {
          if (failures++ === 0) {
            this.logger.warn({ err: error }, "live queries: cannot LISTEN; retrying");
          }
          // Unheard, the answers are read again at each attempt (at most every 5 s).
          this.listener.changedAll();
          await sleep(delay, undefined, { ref: false, signal: this.closing.signal }).catch(
            () => undefined,
          );
          delay = Math.min(delay * 2, RECONNECT_MAX_MS);
        }
      }
    })().finally(() => (this.connecting = null));
    return this.connecting;
  }
}
