/**
 * SIGTERM, as an orchestrator sends it to the server process: requests in flight finish,
 * new connections are refused, the database closes, and the process exits 0 in good time.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/seed/load.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";
import { operation } from "../support/server.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const root = path.resolve(new URL("../..", import.meta.url).pathname);

let database: TestDatabase;
let dataDir: string;
beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = mkdtempSync(path.join(tmpdir(), "accord-shutdown-"));
  if (database.url) {
    await migrate(database.db);
    await seed(database.db);
  }
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await database.close();
});

function startServer(port: number) {
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

describe("Shutdown: SIGTERM", () => {
  it("finishes requests in flight, refuses new ones and exits 0", async () => {
    const port = 41000 + Math.floor(Math.random() * 2000);
    const server = startServer(port);
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

    expect(answers).toEqual(
      Array(5).fill({
        status: 200,
        title: "Resolution of border issues between Tajikistan and Kyrgyzstan",
      }),
    );
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    expect(server.output()).toMatch(/"msg":"stopped"/);
  }, 90_000);
});
