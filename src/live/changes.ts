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
import type { Logger } from "pino";
import { CHANGE_CHANNEL, tagsOfPayload } from "../cache/invalidation.js";
import type { Database } from "../db/database.js";
import { KeptListen } from "../db/kept-listen.js";

/** The `application_name` of the live queries' LISTEN connection. */
export const LIVE_APPLICATION_NAME = "accord-live";
const HEARTBEAT_MS = 1000;

export interface ChangeListener {
  /** One commit's tags (src/cache/responses.ts `tagsFor`). */
  changed(tags: readonly string[]): void;
  /** Anything may have changed: on (re)connecting, or after a change too large to list. */
  changedAll(): void;
}

export class ChangeFeed {
  private readonly listening: KeptListen;
  private started = false;

  constructor(db: Database, listener: ChangeListener, logger: Logger) {
    const options = {
      channel: CHANGE_CHANNEL,
      applicationName: LIVE_APPLICATION_NAME,
      heartbeatMs: HEARTBEAT_MS,
    };
    this.listening = new KeptListen(db, options, {
      notification(payload) {
        const tags = tagsOfPayload(payload);
        if (tags === "all") listener.changedAll();
        else if (tags.length > 0) listener.changed(tags);
      },
      opened(_, failures) {
        if (failures > 0) logger.info("live queries: listening again");
        // What went by while nobody listened is unknown.
        listener.changedAll();
      },
      lost(error) {
        logger.warn({ err: error }, "live queries: LISTEN connection lost; reconnecting");
        // Changes go unheard from now on: read everything again, which answers with the truth
        // or with the error that says the database cannot be read.
        listener.changedAll();
      },
      failed(error, failures) {
        if (failures === 0) logger.warn({ err: error }, "live queries: cannot LISTEN; retrying");
        // Unheard, the answers are read again at each attempt (at most every 5 s).
        listener.changedAll();
      },
    });
  }

  /** Starts listening in the background; never throws (it keeps trying). */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.listening.start();
  }

  close(): Promise<void> {
    return this.listening.close();
  }
}
