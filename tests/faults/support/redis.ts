/**
 * A `redis-server` of the test's own on a free port, in a temporary folder. With
 * `persistence`, every write is appended and fsynced to its AOF before Redis answers, so a
 * kill -9 and restart brings back exactly what it held, as a production Redis with
 * `appendonly yes` would.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, listening, waitFor } from "./processes.js";

export const redisInstalled = spawnSync("redis-server", ["--version"]).status === 0;

export interface RedisServer {
  port: number;
  url: string;
  readonly pid: number;
  signal(signal: NodeJS.Signals): void;
  /** kill -9, resolved once the process has exited. */
  crash(): Promise<void>;
  /** Starts it again on the same folder and port (loading its AOF when persistent). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(options: { persistence?: boolean } = {}): Promise<RedisServer> {
  const dir = mkdtempSync(path.join(tmpdir(), "accord-faults-redis-"));
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
  args.push(
    ...(options.persistence
      ? ["--appendonly", "yes", "--appendfsync", "always"]
      : ["--appendonly", "no"]),
  );
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const proc = spawn("redis-server", args, { stdio: "ignore" });
    child = proc;
    exited = new Promise((resolve) => proc.once("exit", () => resolve()));
    await waitFor(
      () => {
        if (proc.exitCode !== null) throw new Error("redis-server exited while starting");
        return listening(port);
      },
      10_000,
      `redis-server did not start on port ${port}`,
    );
  };
  const crash = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGCONT");
    child.kill("SIGKILL");
    await exited;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid ?? 0;
    },
    signal(signal) {
      child?.kill(signal);
    },
    crash,
    start,
    async stop() {
      await crash();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
