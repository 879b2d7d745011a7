/**
 * A Postgres cluster of the test's own: `initdb` in a temporary folder, `postgres` on a free
 * port as a child process, so a test can kill -9, pause or starve it without touching the
 * machine's Postgres. As root (CI containers), it runs as the `postgres` user: Postgres
 * refuses to run as root.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { alive, descendants, freePort, signalTree, sleep, waitFor } from "./processes.js";

export const POSTGRES_BIN = "/usr/lib/postgresql/15/bin";

export const postgresInstalled = existsSync(path.join(POSTGRES_BIN, "postgres"));

export interface ClusterOptions {
  /**
   * Keep fsync on. Off by default: every fault here kills processes, not the machine, so the
   * operating system keeps what Postgres wrote, and crash recovery sees it all anyway.
   */
  fsync?: boolean;
  maxConnections?: number;
}

export interface PostgresCluster {
  port: number;
  /** The URL of a database on this cluster (default: the one the stack uses). */
  url(database?: string): string;
  /** The postmaster's process id (it changes on restart). */
  readonly pid: number;
  /** Sends a signal to the postmaster and every backend. */
  signal(signal: NodeJS.Signals): void;
  /** kill -9 of every process of the cluster, resolved once all are gone. */
  crash(): Promise<void>;
  /** Starts the cluster on the same folder and port (crash recovery runs first), once ready. */
  start(): Promise<void>;
  /** The last 64 kB Postgres wrote to stderr. */
  output(): string;
  stop(): Promise<void>;
}

function owner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(spawnSync("id", ["-u", "postgres"]).stdout.toString().trim());
  const gid = Number(spawnSync("id", ["-g", "postgres"]).stdout.toString().trim());
  if (!uid) throw new Error("running as root, and there is no `postgres` user to run Postgres as");
  return { uid, gid };
}

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const user = owner();
  const dir = mkdtempSync(path.join(tmpdir(), "accord-faults-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, "data");
  const init = spawnSync(
    path.join(POSTGRES_BIN, "initdb"),
    ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
    { ...user, encoding: "utf8" },
  );
  if (init.status !== 0) throw new Error(`initdb failed:\n${init.stderr}`);
  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: dir,
    fsync: options.fsync ? "on" : "off",
    synchronous_commit: options.fsync ? "on" : "off",
    full_page_writes: options.fsync ? "on" : "off",
    max_connections: String(options.maxConnections ?? 100),
    shared_buffers: "32MB",
    log_min_messages: "warning",
  };
  const args = ["-D", data, "-p", String(port)];
  for (const [name, value] of Object.entries(settings)) args.push("-c", `${name}=${value}`);

  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let output = "";
  const url = (database = "accord") => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  const answers = async () => {
    const client = new pg.Client({
      connectionString: url("postgres"),
      connectionTimeoutMillis: 1000,
    });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SELECT 1");
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  };

  const start = async () => {
    // A crash can leave backends exiting for a moment; their shared memory blocks a start.
    for (let attempt = 0; ; attempt++) {
      const proc = spawn(path.join(POSTGRES_BIN, "postgres"), args, {
        ...user,
        stdio: ["ignore", "ignore", "pipe"],
      });
      proc.stderr.on("data", (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-65_536);
      });
      exited = new Promise((resolve) => proc.once("exit", () => resolve()));
      child = proc;
      try {
        await waitFor(
          async () => {
            if (proc.exitCode !== null) throw new Error(`postgres exited:\n${output}`);
            return answers();
          },
          30_000,
          `postgres did not start on port ${port}:\n${output}`,
        );
        return;
      } catch (error) {
        if (attempt >= 20 || proc.exitCode === null) throw error;
        await sleep(250);
      }
    }
  };

  const crash = async () => {
    const pid = child?.pid;
    if (!pid) return;
    const all = [pid, ...descendants(pid)];
    signalTree(pid, "SIGCONT");
    for (const target of all) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await exited;
    await waitFor(
      () => all.every((target) => !alive(target)),
      10_000,
      "postgres processes did not end",
    );
  };

  try {
    await start();
    const admin = new pg.Client({ connectionString: url("postgres") });
    await admin.connect();
    await admin.query("CREATE DATABASE accord");
    await admin.end();
  } catch (error) {
    await crash();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    port,
    url,
    get pid() {
      return child?.pid ?? 0;
    },
    signal(signal) {
      if (child?.pid) signalTree(child.pid, signal);
    },
    crash,
    start,
    output: () => output,
    async stop() {
      await crash();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
