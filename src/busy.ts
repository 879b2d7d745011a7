/**
 * Public reads whose cost grows with the data (`search`, an actor name search) may hold only a
 * few of the pool's connections at once, so that a burst of them cannot take every connection
 * from the requests around them. A read that finds every slot taken waits in a bounded queue
 * for a bounded time, then gets SERVER_BUSY: HTTP 503 with `Retry-After`, retryable, and never
 * DATABASE_UNAVAILABLE, which means the database itself cannot be reached.
 *
 * The slots are a counter and a short queue of waiters: a read that finds a slot free costs an
 * addition, and only one that waits gets a timer. (A p-queue task with an AbortSignal cost
 * every search and name search about 40 µs of CPU.)
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { accordError } from "./errors.js";

export interface GateOptions {
  /** Expensive reads running at once (`ACCORD_EXPENSIVE_CONCURRENCY`). */
  concurrency: number;
  /** Expensive reads waiting for a slot at most; one more is refused at once. */
  maxWaiting: number;
  /** Longest wait for a slot, in milliseconds; then SERVER_BUSY. */
  maxWaitMs: number;
}

/** Runs expensive reads within their slots. */
export interface Gate {
  run<T>(read: () => Promise<T>): Promise<T>;
  /** Reads running and waiting now. */
  readonly running: number;
  readonly waiting: number;
}

/** No bound: for code outside a request (and tests of other things). */
export const ungated: Gate = { run: (read) => read(), running: 0, waiting: 0 };

/** The SERVER_BUSY error, with the seconds after which a retry is reasonable. */
export function serverBusy(reason: string, retryAfterSeconds: number) {
  return accordError("SERVER_BUSY", `The server is busy (${reason}); try again shortly`, {
    retryAfterSeconds,
  });
}

export function expensiveGate(options: GateOptions): Gate {
  let running = 0;
  /** Reads waiting for a slot, first come first served; each admits its read when called. */
  const waiting: (() => void)[] = [];
  // A slot frees within a statement timeout; a retry after the longest wait is a fair guess.
  const retryAfter = Math.max(1, Math.ceil(options.maxWaitMs / 1000));
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  const slot = () =>
    new Promise<void>((resolve, reject) => {
      const admit = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(admit), 1);
        reject(serverBusy(`no search slot came free in ${options.maxWaitMs} ms`, retryAfter));
      }, options.maxWaitMs);
      waiting.push(admit);
    });
  return {
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
    async run<T>(read: () => Promise<T>): Promise<T> {
      if (running < options.concurrency) running++;
      else if (waiting.length >= options.maxWaiting) {
        throw serverBusy("too many searches at once", retryAfter);
      } else {
        // A freed slot passes straight to the first in line (`release`): `running` stays.
        await slot();
      }
      try {
        return await read();
      } finally {
        release();
      }
    },
  };
}

/** Codes that mean "nothing is wrong with the request: send it again shortly". */
/** Error codes that mean "try again shortly": the request was fine. */
export const RETRYABLE = new Set(["SERVER_BUSY", "DATABASE_UNAVAILABLE"]);

/**
 * A response with a SERVER_BUSY or DATABASE_UNAVAILABLE error goes out as HTTP 503 with
 * `Retry-After`, so clients, proxies and load balancers can tell "retry shortly" from a bad
 * request. Errors raised deep in the driver cannot carry Apollo's `extensions.http`; their
 * code can.
 */
export const retryableStatusPlugin: ApolloServerPlugin = {
  requestDidStart: () =>
    Promise.resolve({
      willSendResponse({ response }) {
        const body = response.body;
        if (body.kind !== "single") return Promise.resolve();
        const busy = (body.singleResult.errors ?? []).filter(
          (error) =>
            typeof error.extensions?.code === "string" && RETRYABLE.has(error.extensions.code),
        );
        if (busy.length === 0) return Promise.resolve();
        const seconds = Math.max(
          1,
          ...busy.map((error) => Number(error.extensions?.retryAfterSeconds) || 1),
        );
        response.http.status = 503;
        response.http.headers.set("retry-after", String(seconds));
        return Promise.resolve();
      },
    }),
};
