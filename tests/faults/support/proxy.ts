/**
 * A TCP proxy in front of a Postgres cluster that can lose the answer to a COMMIT: the one
 * moment a client cannot know whether its write happened. tests/support/tcp-proxy.ts cuts
 * connections at a random point; this one reads the frontend protocol, and for each armed
 * cut it lets a COMMIT through to Postgres, drops whatever Postgres answers, and resets the
 * client's connection. Postgres commits; the client sees only a reset.
 */
import net from "node:net";
import {
  dropPairs,
  lineTo,
  listenLocally,
  reset,
  urlThrough,
  type Pairs,
} from "../../support/tcp-proxy.js";

export interface CommitCutProxy {
  port: number;
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  urlFor(databaseUrl: string): string;
  /** The next `count` COMMITs sent through the proxy lose their answer. */
  cutCommits(count: number): void;
  /** COMMITs whose answer was dropped so far. */
  readonly commitsCut: number;
  /** Drops every connection and refuses new ones until `restore()`. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** The SQL of a simple Query ('Q') or a Parse ('P') message, if the message is one. */
function sqlOf(type: number, body: Buffer): string | undefined {
  if (type === 0x51) return body.toString("utf8", 0, Math.max(0, body.indexOf(0)));
  if (type === 0x50) {
    const nameEnd = body.indexOf(0);
    return body.toString("utf8", nameEnd + 1, Math.max(nameEnd + 1, body.indexOf(0, nameEnd + 1)));
  }
  return undefined;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

export async function startCommitCutProxy(target: {
  host: string;
  port: number;
}): Promise<CommitCutProxy> {
  const pairs: Pairs = new Set();
  let armed = 0;
  let commitsCut = 0;
  const line = lineTo(pairs, target);

  const server = net.createServer((client) => {
    const pair = line.connect(client);
    if (!pair) return;
    const { backend } = pair;
    let lost = false;
    let started = false;
    let pending = Buffer.alloc(0);
    /** An armed cut waits for the Sync that makes Postgres run an extended-protocol COMMIT. */
    let cutAtSync = false;

    const loseAnswer = () => {
      lost = true;
      commitsCut++;
      reset(client);
      // Postgres reads the COMMIT before it sees the connection end; give it that moment.
      setTimeout(() => backend.destroy(), 500);
    };

    client.on("data", (chunk: Buffer) => {
      if (lost) return;
      backend.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (!started) {
          if (pending.length < 8) return;
          const length = pending.readInt32BE(0);
          if (pending.length < length) return;
          const code = pending.readInt32BE(4);
          if (code !== SSL_REQUEST && code !== GSS_REQUEST) started = true;
          pending = pending.subarray(length);
          continue;
        }
        if (pending.length < 5) return;
        const type = pending[0]!;
        const length = pending.readInt32BE(1);
        if (pending.length < length + 1) return;
        const body = pending.subarray(5, length + 1);
        pending = pending.subarray(length + 1);
        const sql = sqlOf(type, body);
        const commit = sql !== undefined && /^\s*COMMIT\b/i.test(sql);
        if (commit && armed > 0) {
          armed--;
          if (type === 0x51) return loseAnswer();
          cutAtSync = true;
        } else if (type === 0x53 && cutAtSync) {
          return loseAnswer();
        }
      }
    });
    backend.on("data", (chunk: Buffer) => {
      if (!lost) client.write(chunk);
    });
    const drop = () => {
      pairs.delete(pair);
      if (!lost) {
        client.destroy();
        backend.destroy();
      }
    };
    client.on("error", drop);
    client.on("close", drop);
    backend.on("error", drop);
    backend.on("close", drop);
  });
  const port = await listenLocally(server);
  return {
    port,
    urlFor: (databaseUrl) => urlThrough(port, databaseUrl),
    cutCommits(count) {
      armed += count;
    },
    get commitsCut() {
      return commitsCut;
    },
    cut: line.cut,
    restore: line.restore,
    close() {
      dropPairs(pairs);
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
