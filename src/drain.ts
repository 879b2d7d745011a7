/**
 * The HTTP side of a graceful shutdown. A keep-alive client may send its next request at any
 * moment, so a socket closed under it can carry a request the server has read, or even run:
 * a mutation that commits while its client sees a reset. So the drain closes a socket only
 * where no request can be on it:
 *
 * - it stops accepting connections and closes the idle ones at once (Node's
 *   `closeIdleConnections` destroys only sockets between requests: nothing on them was read);
 * - every response sent from then on carries `Connection: close`, so the client sends nothing
 *   more on that socket, and Node closes it once the response is out;
 * - a request that arrives while the drain runs is answered (with `Connection: close`), unless
 *   it is pipelined behind a response that already closes its connection: that one is refused
 *   before it runs (503 `SHUTTING_DOWN`, `Retry-After`), as its answer could never be sent.
 *
 * Apollo's drain plugin, which this replaces, ends idle sockets without a close header and
 * destroys every connection when its grace period ends: that is what reset requests.
 */
import type http from "node:http";
import type { Socket } from "node:net";

export const SHUTTING_DOWN_RETRY_AFTER_SECONDS = 1;

export interface HttpDrain {
  /** Whether the drain has begun: `/readyz` answers 503 from then on. */
  readonly draining: boolean;
  /**
   * Call first for every request. False when the request was refused (the 503 is sent) and
   * must not run.
   */
  admit(req: http.IncomingMessage, res: http.ServerResponse): boolean;
  /**
   * Stops accepting connections and waits until every one has closed, at most `graceMs`;
   * then destroys those left and resolves to false.
   */
  drain(graceMs: number): Promise<boolean>;
}

export function httpDrain(server: http.Server): HttpDrain {
  /** Responses not yet finished, per socket, in order (more than one when pipelined). */
  const open = new Map<Socket, http.ServerResponse[]>();
  let draining = false;
  let drained: Promise<boolean> | undefined;
  const closesConnection = (res: http.ServerResponse) => {
    if (!res.headersSent) res.setHeader("Connection", "close");
  };

  return {
    get draining() {
      return draining;
    },
    admit(req, res) {
      const socket = req.socket;
      const queue = open.get(socket) ?? [];
      if (draining && queue.length > 0) {
        refuse(res);
        return false;
      }
      queue.push(res);
      open.set(socket, queue);
      res.once("close", () => {
        queue.splice(queue.indexOf(res), 1);
        if (queue.length > 0) return;
        open.delete(socket);
        // A response whose headers left before the drain began could not say close: its
        // socket is idle now, with nothing read on it.
        if (draining) server.closeIdleConnections();
      });
      if (draining) closesConnection(res);
      return true;
    },
    drain(graceMs) {
      drained ??= drainNow(graceMs);
      return drained;
    },
  };

  async function drainNow(graceMs: number): Promise<boolean> {
    draining = true;
    // Only the last response of a socket may close it: those pipelined before it must go out.
    for (const queue of open.values()) closesConnection(queue[queue.length - 1]!);
    // A request a client sent just before the signal may still wait in the socket's buffer,
    // on a socket that looks idle: one turn of the event loop reads it (and admits it, to be
    // answered) before the idle sockets go.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    const clean = await Promise.race([closed.then(() => true as const), expired]);
    clearTimeout(timer);
    if (!clean) {
      server.closeAllConnections();
      await closed;
    }
    return clean;
  }
}

function refuse(res: http.ServerResponse) {
  const body = JSON.stringify({
    errors: [
      {
        message: "The server is shutting down and did not run this request; send it again",
        extensions: {
          code: "SHUTTING_DOWN",
          retryAfterSeconds: SHUTTING_DOWN_RETRY_AFTER_SECONDS,
        },
      },
    ],
  });
  res.writeHead(503, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Retry-After": String(SHUTTING_DOWN_RETRY_AFTER_SECONDS),
    Connection: "close",
  });
  res.end(body);
}
