/**
 * A TCP proxy in front of the Postgres server, so a test can take the database away from one
 * server without stopping the Postgres that other test files share. `cut()` drops every
 * connection at once (as a crashed or unplugged database would) and refuses new ones until
 * `restore()`. `terminateAfterReplies()` makes each connection end the way Postgres ends a
 * terminated one, at the worst moment: right behind an answer, in the same packet.
 * `silence()` makes the connections open now go quiet, as a network that drops their
 * packets would: nothing more reaches either side, not even a close.
 */
import net from "node:net";

export interface TcpProxy {
  /** The port the proxy listens on, on 127.0.0.1. */
  port: number;
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  urlFor(databaseUrl: string): string;
  /** Connections ended by `terminateAfterReplies`. */
  readonly terminated: number;
  cut(): void;
  restore(): void;
  /** The connections open now carry nothing more; new ones work. */
  silence(): void;
  /**
   * While on, every `every`-th packet from Postgres that ends with ReadyForQuery (the end of an
   * answer, or of a connection's start-up) is followed, in the same write, by the FATAL error
   * 57P01 that `pg_terminate_backend` sends, and that connection is closed: its client gets
   * the answer, and the connection dies just as it changes hands.
   */
  terminateAfterReplies(on: boolean, every?: number): void;
  close(): Promise<void>;
}

/** ErrorResponse: severity FATAL, code 57P01, as Postgres sends it to a terminated backend. */
function fatalTermination(): Buffer {
  const fields = Buffer.from(
    "SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0",
  );
  const header = Buffer.alloc(5);
  header.write("E", 0);
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

/** Whether the packet's last message is ReadyForQuery: 'Z', length 5, one status byte. */
function endsWithReadyForQuery(chunk: Buffer): boolean {
  const at = chunk.length - 6;
  return at >= 0 && chunk[at] === 0x5a && chunk.readInt32BE(at + 1) === 5;
}

/** Forwards 127.0.0.1:<free port> to `target` (by default the Postgres of `DATABASE_URL`). */
/** Listens on a free local port and resolves to it. */
export async function listenLocally(server: net.Server): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return (server.address() as net.AddressInfo).port;
}

/** `databaseUrl` with its host and port replaced by the local proxy's. */
export function urlThrough(port: number, databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return url.toString();
}

/**
 * A TCP reset to `socket`, or a plain close once its write side is shut: libuv refuses to
 * reset such a socket, which then never closes and keeps the test process from exiting.
 */
export function reset(socket: net.Socket): void {
  if (socket.destroyed) return;
  if (socket.readyState === "open" && !socket.writableEnded) socket.resetAndDestroy();
  else socket.destroy();
}

/** The proxied connections a proxy holds. */
export type Pairs = Set<{ client: net.Socket; backend: net.Socket }>;

/**
 * Drops every proxied connection: the client gets a reset, as from a database host that went
 * away; Postgres sees its client leave and rolls back whatever transaction it had open.
 */
export function dropPairs(pairs: Pairs): void {
  for (const { client, backend } of pairs) {
    reset(client);
    backend.destroy();
  }
  pairs.clear();
}

/**
 * A proxy's line to the database: `connect()` pairs a client with a new connection to the
 * target; `cut()` drops every open pair and has new clients reset until `restore()`.
 */
export function lineTo(pairs: Pairs, target: { host: string; port: number }) {
  let down = false;
  return {
    /** The client's pair, or undefined when the line is cut and the client was reset. */
    connect(client: net.Socket) {
      // A reset right away is what a client sees from a host with nothing listening.
      if (down) return void reset(client);
      const pair = { client, backend: net.connect(target) };
      pairs.add(pair);
      return pair;
    },
    cut: () => {
      down = true;
      dropPairs(pairs);
    },
    restore: () => {
      down = false;
    },
  };
}

export async function startTcpProxy(target?: { host: string; port: number }): Promise<TcpProxy> {
  const upstream = target ?? targetOf(process.env.DATABASE_URL);
  const pairs: Pairs = new Set();
  const silenced = new WeakSet<{ client: net.Socket; backend: net.Socket }>();
  const line = lineTo(pairs, upstream);
  let terminateEvery = 0;
  let replies = 0;
  let terminated = 0;

  const server = net.createServer((client) => {
    const pair = line.connect(client);
    if (!pair) return;
    const { backend } = pair;
    client.once("close", () => pairs.delete(pair));
    // Either side ending or failing takes the other one with it.
    for (const [from, to] of [
      [client, backend],
      [backend, client],
    ] as const) {
      from.on("error", () => silenced.has(pair) || to.destroy());
      from.on("close", () => silenced.has(pair) || to.destroy());
    }
    client.on("data", (chunk: Buffer) => {
      if (!silenced.has(pair)) backend.write(chunk);
    });
    backend.on("data", (chunk: Buffer) => {
      if (silenced.has(pair)) return;
      if (terminateEvery > 0 && endsWithReadyForQuery(chunk) && ++replies % terminateEvery === 0) {
        terminated++;
        // Postgres goes only once the client has the packet: closing first could lose it.
        backend.pause();
        client.end(Buffer.concat([chunk, fatalTermination()]), () => backend.destroy());
        return;
      }
      if (!client.write(chunk)) {
        backend.pause();
        client.once("drain", () => backend.resume());
      }
    });
    backend.on("end", () => silenced.has(pair) || client.end());
  });
  const port = await listenLocally(server);

  return {
    port,
    urlFor: (databaseUrl) => urlThrough(port, databaseUrl),
    get terminated() {
      return terminated;
    },
    cut: line.cut,
    restore: line.restore,
    silence() {
      for (const pair of pairs) silenced.add(pair);
    },
    terminateAfterReplies(on, every = 1) {
      terminateEvery = on ? every : 0;
    },
    close() {
      dropPairs(pairs);
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function targetOf(databaseUrl: string | undefined): { host: string; port: number } {
  if (!databaseUrl) throw new Error("startTcpProxy needs a target or DATABASE_URL");
  const url = new URL(databaseUrl);
  return { host: url.hostname || "127.0.0.1", port: Number(url.port || 5432) };
}
