/**
 * A LISTEN connection kept open, for the response cache and the live queries alike: a
 * heartbeat on it (each round trip bounded by the session's query timeout, so one that
 * falls silent is given up by the database layer), and after a loss a new one, tried with
 * a backoff from 100 ms to 5 s until it listens or `close()` is called.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Database, ListenSession } from "./database.js";

const RECONNECT_FIRST_MS = 100;
const RECONNECT_MAX_MS = 5000;

export interface KeptListenOptions {
  channel: string;
  /** The connection's `application_name`, which tells apart who listens. */
  applicationName: string;
  heartbeatMs: number;
}

/** What the owner does at each turn; none of these may throw but `opened`. */
export interface KeptListenHandlers {
  notification(payload: string): void;
  /**
   * A new connection listens, not yet in use: set up on it. Throwing closes it and counts as
   * a failed attempt. `failures` counts the attempts that failed since the last success.
   */
  opened(session: ListenSession, failures: number): Promise<void> | void;
  /** The connection in use broke or fell silent; a new one is being tried. */
  lost(error: Error): void;
  /** An attempt to listen failed (`failures` before it: 0 on the first). */
  failed(error: unknown, failures: number): void;
  /** The heartbeat's round trip on the connection in use; `SELECT 1` unless given. */
  beat?(session: ListenSession): Promise<unknown>;
}

export class KeptListen {
  private current: ListenSession | null = null;
  private closed = false;
  private readonly closing = new AbortController();
  private heartbeat: NodeJS.Timeout | undefined;
  private connecting: Promise<void> | null = null;
  private beating = false;

  constructor(
    private readonly db: Database,
    private readonly options: KeptListenOptions,
    private readonly handlers: KeptListenHandlers,
  ) {}

  /** The connection in use: null while none listens. */
  get session(): ListenSession | null {
    return this.current;
  }

  /** Starts listening; resolves once listening or closed, and keeps trying until then. */
  start(): Promise<void> {
    this.heartbeat ??= setInterval(() => void this.beat(), this.options.heartbeatMs).unref();
    return this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    clearInterval(this.heartbeat);
    const session = this.current;
    this.current = null;
    await session?.close();
    await this.connecting;
  }

  private async beat() {
    const session = this.current;
    if (!session || session.local || this.beating) return;
    this.beating = true;
    try {
      await (this.handlers.beat ? this.handlers.beat(session) : session.query("SELECT 1"));
    } catch {
      // A failed or timed-out round trip makes the database layer give the session up (lost).
    } finally {
      this.beating = false;
    }
  }

  private onLost(session: ListenSession, error: Error) {
    if (this.current !== session) return;
    this.current = null;
    if (this.closed) return;
    this.handlers.lost(error);
    void this.connect();
  }

  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      let delay = RECONNECT_FIRST_MS;
      let failures = 0;
      while (!this.closed && !this.current) {
        try {
          let session: ListenSession | null = null;
          // A connection can die right behind the answer that sets it up, in the same packet:
          // the loss is then heard before it is in use, and must fail this attempt.
          let lostEarly: Error | null = null;
          session = await this.db.listen(
            this.options.channel,
            (payload) => this.handlers.notification(payload),
            (error) => {
              if (session !== null && this.current === session) this.onLost(session, error);
              else lostEarly ??= error;
            },
            this.options.applicationName,
          );
          try {
            if (this.closed) throw new Error("closed");
            await this.handlers.opened(session, failures);
            if (this.closed) throw new Error("closed");
            // (Set in the callback above: the compiler cannot see that it may have been.)
            const lost = lostEarly as Error | null;
            if (lost) throw lost;
          } catch (error) {
            await session.close();
            throw error;
          }
          this.current = session;
        } catch (error) {
          if (this.closed) return;
          this.handlers.failed(error, failures++);
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
