/**
 * The servers under test, each its own `node` process started the way it runs in production
 * (NODE_ENV=production, configuration from the environment), one at a time. Each is loaded
 * with bench/servers/count-queries.ts, which counts its SQL statements and reports them over
 * an IPC channel.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const benchDir = path.join(repoRoot, "bench");
const countQueries = pathToFileURL(path.join(benchDir, "servers/count-queries.ts")).href;

export type ServerKind = "accord" | "postgraphile" | "memory" | "floor";

export interface RunningServer {
  kind: ServerKind;
  url: string;
  pid: number;
  logFile: string;
  /** False once the process has exited (or was stopped by someone else). */
  alive(): boolean;
  /** SQL statements sent so far. */
  statements(): Promise<number>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const entryPoints: Record<ServerKind, string> = {
  accord: "src/index.ts",
  postgraphile: "bench/servers/postgraphile.ts",
  memory: "bench/servers/ceiling.ts",
  floor: "bench/servers/floor.ts",
};

export interface StartOptions {
  /** The checkout the server runs from (default: this one). */
  root?: string;
  databaseUrl?: string;
  env?: Record<string, string>;
  logDir: string;
  logName: string;
}

export async function startServer(kind: ServerKind, options: StartOptions): Promise<RunningServer> {
  const port = await freePort();
  mkdirSync(options.logDir, { recursive: true });
  const logFile = path.join(options.logDir, `${options.logName}.log`);
  const log = openSync(logFile, "w");
  const child = spawn(
    process.execPath,
    // Every server gets the young generation Accord runs with in production (Dockerfile).
    ["--max-semi-space-size=32", "--import", "tsx", "--import", countQueries, entryPoints[kind]],
    {
      cwd: options.root ?? repoRoot,
      env: {
        ...process.env,
        NODE_ENV: "production",
        PORT: String(port),
        ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
        ...options.env,
      },
      stdio: ["ignore", log, log, "ipc"],
    },
  );
  closeSync(log);
  // A failed IPC send surfaces as an 'error' event; askStatements reports it instead.
  child.on("error", () => undefined);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    await waitUntilReady(kind, url, exited, logFile);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    kind,
    url,
    pid: child.pid!,
    logFile,
    alive: () => child.exitCode === null && child.signalCode === null,
    statements: () => askStatements(child),
    stop: () => stop(child, exited),
  };
}

function tail(file: string) {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "";
  }
}

async function waitUntilReady(
  kind: ServerKind,
  url: string,
  exited: Promise<number | null>,
  logFile: string,
) {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (gone !== undefined) {
      throw new Error(`${kind} exited (code ${gone}) before it was ready:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: "{ __typename }" }),
      });
      await response.arrayBuffer();
      // The in-memory and floor servers know no such request and answer 404 or 400: they are
      // up all the same.
      if (response.status === 200 || kind === "memory" || kind === "floor") return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${kind} was not ready within 90 s:\n${tail(logFile)}`);
}

export class ServerExited extends Error {
  override name = "ServerExited";
}

function askStatements(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    if (!child.connected) {
      reject(new ServerExited("the server process has exited"));
      return;
    }
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      reject(new Error("the server did not report its statement count"));
    }, 5000);
    const onMessage = (message: { type?: string; statements?: number }) => {
      if (message.type !== "stats") return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message.statements ?? 0);
    };
    child.on("message", onMessage);
    child.send({ type: "stats" }, (error) => {
      if (!error) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      reject(new ServerExited(`the server process has exited (${error.message})`));
    });
  });
}

async function stop(child: ChildProcess, exited: Promise<number | null>) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.disconnect();
  child.kill("SIGTERM");
  const killed = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 15_000)),
  ]);
  if (killed) {
    child.kill("SIGKILL");
    await exited;
  }
}
