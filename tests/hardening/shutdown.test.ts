/**
 * SIGTERM, as an orchestrator sends it to the server process: new connections are refused,
 * every request the server has read is answered (with `Connection: close`), idle keep-alive
 * sockets close at once, a request it will not run is refused before it runs, the database
 * closes, and the process exits 0 in good time. Under load, no mutation that committed was
 * cut off from its answer.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createApiKey } from "../../src/auth.js";
import { openEmbedded, type Database } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/seed/load.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";
import { operation } from "../support/server.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const TITLE = "Resolution of border issues between Tajikistan and Kyrgyzstan";
const root = path.resolve(new URL("../..", import.meta.url).pathname);

let database: TestDatabase;
const dataDirs: string[] = [];
beforeAll(async () => {
  database = await openTestDatabase();
  if (database.url) {
    await migrate(database.db);
    await seed(database.db);
  }
});
afterAll(async () => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  await database.close();
});

/** A fresh folder for the embedded database (each test its own: only one process may open it). */
function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "accord-shutdown-"));
  dataDirs.push(dir);
  return dir;
}

/**
 * Runs `fn` on the database the server of `dataDir` uses: the shared test database on
 * Postgres, or the embedded one in `dataDir` (migrated and seeded), opened while no server
 * holds it.
 */
async function withServerDatabase<T>(dataDir: string, fn: (db: Database) => Promise<T>) {
  if (database.url) return fn(database.db);
  const db = await openEmbedded(dataDir);
  try {
    await migrate(db);
    await seed(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function startServer(port: number, dataDir: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_OPTIONS: "",
      PORT: String(port),
      ACCORD_LOG_LEVEL: "info",
      ...(database.url
        ? { DATABASE_URL: database.url }
        : { DATABASE_URL: "", ACCORD_DATA_DIR: dataDir }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = (async () => {
    for (let i = 0; i < 300; i++) {
      if (output.includes("Accord is serving GraphQL")) return;
      if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start:\n${output}`);
  })();
  return { child, exited, ready, output: () => output };
}

/** Resolves once the server refuses new connections: its drain has begun. */
async function refusingConnections(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(false);
      });
      socket.once("error", () => resolve(true));
    });
    if (refused) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("the server kept accepting connections after SIGTERM");
}

/**
 * A request whose body arrives in two halves: between them the request is truly in flight
 * (the server has its headers and is waiting), which is when the signal is sent.
 */
function slowRequest(port: number) {
  const body = JSON.stringify({ query: operation("ArticlePage"), variables: { slug: SLUG } });
  let sendRest = () => undefined as void;
  const answer = new Promise<{ status: number; title: string }>((resolve, reject) => {
    const req = http.request(
      {
        port,
        host: "127.0.0.1",
        path: "/graphql",
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, title: JSON.parse(text).data?.article?.title }),
        );
      },
    );
    req.on("error", reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    sendRest = () => void req.end(body.slice(half));
  });
  return { answer, sendRest: () => sendRest() };
}

/** One HTTP/1.1 request as bytes, with a JSON body. */
function rawRequest(method: string, target: string, body = "", headers: string[] = []): string {
  return (
    `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
    (body
      ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`
      : "") +
    headers.map((header) => `${header}\r\n`).join("") +
    `\r\n${body}`
  );
}

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: any;
}

/** The responses in what a server sent on one connection (Content-Length bodies). */
function parseResponses(bytes: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  while (at < bytes.length) {
    const end = bytes.indexOf("\r\n\r\n", at);
    if (end < 0) break;
    const [statusLine, ...lines] = bytes.subarray(at, end).toString().split("\r\n");
    const headers = Object.fromEntries(
      lines.map((line) => {
        const colon = line.indexOf(":");
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
      }),
    );
    const length = Number(headers["content-length"] ?? 0);
    const text = bytes.subarray(end + 4, end + 4 + length).toString();
    responses.push({ status: Number(statusLine!.split(" ")[1]), headers, body: JSON.parse(text) });
    at = end + 4 + length;
  }
  return responses;
}

/** A keep-alive connection driven by hand: what the server sends, until it closes it. */
function rawConnection(port: number) {
  const socket = net.connect(port, "127.0.0.1");
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const closed = new Promise<{ responses: RawResponse[]; error?: string }>((resolve) => {
    let error: string | undefined;
    socket.on("error", (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on("close", () => resolve({ responses: parseResponses(Buffer.concat(chunks)), error }));
  });
  return {
    connected,
    write: (text: string) => new Promise<void>((resolve) => socket.write(text, () => resolve())),
    /** Resolves once `count` responses have arrived. */
    async responses(count: number): Promise<RawResponse[]> {
      for (let i = 0; i < 400; i++) {
        const responses = parseResponses(Buffer.concat(chunks));
        if (responses.length >= count) return responses;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`fewer than ${count} responses arrived`);
    },
    closed,
  };
}

function createActorBody(name: string): string {
  return JSON.stringify({
    query: operation("admin/CreateActor"),
    variables: { input: { name, kind: "ORGANIZATION" } },
  });
}

async function actorsNamed(db: Database, names: string[]): Promise<Map<string, number>> {
  const rows = await db.prisma.actor.groupBy({
    by: ["name"],
    where: { name: { in: names } },
    _count: { _all: true },
  });
  return new Map(rows.map((row) => [row.name, row._count._all]));
}

describe("Shutdown: SIGTERM", () => {
  it("finishes requests in flight, refuses new ones and exits 0", async () => {
    const port = await freePort();
    const server = startServer(port, newDataDir());
    await server.ready;
    const inFlight = Array.from({ length: 5 }, () => slowRequest(port));
    await new Promise((r) => setTimeout(r, 300));

    const signalled = Date.now();
    server.child.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    inFlight.forEach((request) => request.sendRest());
    const answers = await Promise.all(inFlight.map((request) => request.answer));
    const code = await server.exited;

    expect(answers).toEqual(Array(5).fill({ status: 200, title: TITLE }));
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(server.output()).toMatch(/"msg":"stopped"/);
  }, 90_000);

  it("answers what it has read on kept-alive sockets with Connection: close, /readyz 503, and runs nothing it cannot answer", async () => {
    const dataDir = newDataDir();
    const editor = await withServerDatabase(dataDir, async (db) => {
      const { key } = await createApiKey(db, { name: "shutdown-raw", role: "EDITOR" });
      return `Authorization: Bearer ${key}`;
    });
    const port = await freePort();
    const server = startServer(port, dataDir, { NODE_ENV: "production" });
    await server.ready;

    // Each connection has answered one request already and is kept alive.
    const idle = rawConnection(port);
    const readiness = rawConnection(port);
    const mutation = rawConnection(port);
    const pipelined = rawConnection(port);
    for (const connection of [idle, readiness, mutation, pipelined]) {
      await connection.connected;
      await connection.write(rawRequest("GET", "/healthz"));
      await connection.responses(1);
    }
    // Caught mid-request by the signal: readiness halfway through its headers, the mutations
    // halfway through their bodies.
    const halves = (name: string) => {
      const body = createActorBody(name);
      const request = rawRequest("POST", "/graphql", body, [editor]);
      const cut = request.length - Math.ceil(body.length / 2);
      return [request.slice(0, cut), request.slice(cut)] as const;
    };
    const first = halves("Drained Tursunzoda One");
    const second = halves("Drained Tursunzoda Two");
    const behind = rawRequest("POST", "/graphql", createActorBody("Pipelined Tursunzoda"), [
      editor,
    ]);
    await readiness.write("GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    await mutation.write(first[0]);
    await pipelined.write(second[0]);
    await new Promise((r) => setTimeout(r, 300));

    server.child.kill("SIGTERM");
    await refusingConnections(port);
    await readiness.write("\r\n");
    await mutation.write(first[1]);
    // The pipelined one arrives behind a response that closes the connection: never run.
    await pipelined.write(second[1] + behind);

    const [idleEnd, readinessEnd, mutationEnd, pipelinedEnd] = await Promise.all([
      idle.closed,
      readiness.closed,
      mutation.closed,
      pipelined.closed,
    ]);
    const code = await server.exited;
    const answer = (response: RawResponse | undefined) =>
      response && {
        status: response.status,
        connection: response.headers.connection,
        body: response.body,
      };
    const actorOf = (name: string) => ({
      data: {
        createActor: {
          id: expect.any(String),
          name,
          kind: "ORGANIZATION",
          aliases: [name],
          description: null,
          version: 1,
        },
      },
    });

    // The idle socket was closed, cleanly, with nothing more said.
    expect(idleEnd).toEqual({ responses: [expect.objectContaining({ status: 200 })] });
    expect(answer(readinessEnd.responses[1])).toEqual({
      status: 503,
      connection: "close",
      body: { status: "shutting down" },
    });
    expect(readinessEnd.error).toBeUndefined();
    expect(answer(mutationEnd.responses[1])).toEqual({
      status: 200,
      connection: "close",
      body: actorOf("Drained Tursunzoda One"),
    });
    expect(mutationEnd.error).toBeUndefined();
    expect(pipelinedEnd.responses.map(answer).slice(1)).toEqual([
      { status: 200, connection: "close", body: actorOf("Drained Tursunzoda Two") },
    ]);
    expect(code).toBe(0);
    const present = await withServerDatabase(dataDir, (db) =>
      actorsNamed(db, ["Drained Tursunzoda One", "Drained Tursunzoda Two", "Pipelined Tursunzoda"]),
    );
    expect(Object.fromEntries(present)).toEqual({
      "Drained Tursunzoda One": 1,
      "Drained Tursunzoda Two": 1,
    });
  }, 90_000);

  it("resets no request it ran under keep-alive load: every answered mutation is stored, every other one absent", async () => {
    const dataDir = newDataDir();
    const editor = await withServerDatabase(dataDir, async (db) => {
      const { key } = await createApiKey(db, { name: "shutdown-load", role: "EDITOR" });
      return `Bearer ${key}`;
    });
    const port = await freePort();
    const server = startServer(port, dataDir, { NODE_ENV: "production" });
    await server.ready;

    let signalled = false;
    const attempts: Attempt[] = [];
    const read = JSON.stringify({ query: operation("ArticlePage"), variables: { slug: SLUG } });
    const clients = Array.from({ length: CLIENTS }, async (_, client) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        for (let i = 0; ; i++) {
          const name = i % 2 === 1 ? `Drain Load Vorukh ${client}x${i}` : undefined;
          const attempt = await send(agent, port, name ? createActorBody(name) : read, editor);
          attempts.push({ ...attempt, name, afterSignal: signalled });
          if (attempt.outcome === "unsent") return;
        }
      } finally {
        agent.destroy();
      }
    });
    // The signal comes once the load is well under way (past the server's warm-up).
    for (let waited = 0; attempts.length < 300 && waited < 30_000; waited += 20) {
      await new Promise((r) => setTimeout(r, 20));
    }
    signalled = true;
    server.child.kill("SIGTERM");
    await Promise.all(clients);
    const code = await server.exited;

    const creates = attempts.filter((attempt) => attempt.name);
    const counts = await withServerDatabase(dataDir, (db) =>
      actorsNamed(
        db,
        creates.map((attempt) => attempt.name!),
      ),
    );
    const tally = (list: Attempt[]) =>
      list.reduce<Record<string, number>>((sums, { outcome }) => {
        sums[outcome] = (sums[outcome] ?? 0) + 1;
        return sums;
      }, {});
    // For the report: what the clients saw once the signal was sent.
    console.log(
      `shutdown under load: ${attempts.length} requests, after SIGTERM ${JSON.stringify(
        tally(attempts.filter((a) => a.afterSignal)),
      )}; answered with Connection: close ${attempts.filter((a) => a.connection === "close").length}`,
    );

    // Answered with the actor means stored once; anything else (refused, reset, never sent)
    // means not stored at all.
    const wrong = creates.filter((attempt) => {
      const answered = attempt.status === 200 && attempt.created === attempt.name;
      return (counts.get(attempt.name!) ?? 0) !== (answered ? 1 : 0);
    });
    expect(wrong).toEqual([]);
    expect(creates.filter((a) => !a.afterSignal && a.outcome !== "answered")).toEqual([]);
    expect(
      attempts.filter(
        (a) => a.outcome === "answered" && a.status !== 200 && a.code !== "SHUTTING_DOWN",
      ),
    ).toEqual([]);
    expect(code).toBe(0);
  }, 120_000);
});

/** Keep-alive clients of the load test, each on its own connection. */
const CLIENTS = 12;

interface Attempt {
  name?: string;
  outcome: "answered" | "reset" | "unsent";
  afterSignal: boolean;
  status?: number;
  connection?: string;
  code?: string;
  /** The name in `createActor`'s answer. */
  created?: string;
  detail?: string;
}

function send(
  agent: http.Agent,
  port: number,
  body: string,
  authorization: string,
): Promise<Omit<Attempt, "afterSignal">> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        agent,
        port,
        host: "127.0.0.1",
        path: "/graphql",
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization,
        },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString()));
        res.on("error", (error: NodeJS.ErrnoException) =>
          resolve({ outcome: "reset", detail: error.code ?? error.message }),
        );
        res.on("end", () => {
          const json = JSON.parse(text) as {
            data?: { createActor?: { name: string } };
            errors?: { extensions?: { code?: string } }[];
          };
          resolve({
            outcome: "answered",
            status: res.statusCode,
            connection: res.headers.connection,
            code: json.errors?.[0]?.extensions?.code,
            created: json.data?.createActor?.name,
          });
        });
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) =>
      resolve({
        outcome: error.code === "ECONNREFUSED" ? "unsent" : "reset",
        detail: error.code ?? error.message,
      }),
    );
    req.end(body);
  });
}
