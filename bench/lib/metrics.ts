/**
 * What a measured window cost, read outside the server under test: its process's CPU time
 * (/proc/<pid>/stat), the CPU time of the Postgres backends serving it, Postgres's own
 * counters for its database (pg_stat_database), and how busy the whole machine was.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import pg from "pg";

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU time of a process in ms, or null once it has gone. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}

/** A field of /proc/<pid>/status in bytes (VmRSS: resident now; VmHWM: the peak), or null. */
export function processMemoryBytes(pid: number, field: "VmRSS" | "VmHWM"): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kB = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1];
    return kB === undefined ? null : Number(kB) * 1024;
  } catch {
    return null;
  }
}

/** Samples a process's resident memory every `everyMs` until `stop`, which gives the largest. */
export function sampleRss(pid: number, everyMs = 100) {
  const first = processMemoryBytes(pid, "VmRSS") ?? 0;
  let peak = first;
  const timer = setInterval(() => {
    peak = Math.max(peak, processMemoryBytes(pid, "VmRSS") ?? 0);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, processMemoryBytes(pid, "VmRSS") ?? 0);
      return { beforeBytes: first, peakBytes: peak };
    },
  };
}

/** Busy and total jiffies of all CPUs since boot. */
function machineTicks() {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

export interface DatabaseCounters {
  xactCommit: number;
  xactRollback: number;
  tupReturned: number;
  tupFetched: number;
  blksHit: number;
  blksRead: number;
}

export interface Snapshot {
  at: number;
  serverCpuMs: number;
  statements: number;
  db: DatabaseCounters;
  backendCpuMs: Map<number, number>;
  /** CPU time of the benchmark's own process (the load generator), ms. */
  selfCpuMs: number;
  machine: { busy: number; total: number };
}

export interface WindowCost {
  serverCpuMs: number;
  postgresCpuMs: number;
  statements: number;
  db: DatabaseCounters;
  /** Share of all CPUs busy during the window, whoever used them, in %. */
  machineBusyPercent: number;
  /**
   * Share of all CPUs used by anything but the server, its Postgres backends and the load
   * generator (other work on the machine, autovacuum…), in %: high means a noisy window.
   */
  otherCpuPercent: number;
}

/** Reads Postgres's view of one database through a session on the maintenance database. */
export class PostgresProbe {
  private client: pg.Client;

  constructor(
    adminUrl: string,
    private database: string,
  ) {
    this.client = new pg.Client({ connectionString: adminUrl, application_name: "accord-bench" });
  }

  connect() {
    return this.client.connect();
  }

  close() {
    return this.client.end();
  }

  async backendPids(): Promise<number[]> {
    const { rows } = await this.client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`,
      [this.database],
    );
    return rows.map((r) => r.pid);
  }

  async counters(): Promise<DatabaseCounters> {
    const { rows } = await this.client.query<Record<string, string>>(
      `SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, blks_hit, blks_read
         FROM pg_stat_database WHERE datname = $1`,
      [this.database],
    );
    const row = rows[0] ?? {};
    const n = (key: string) => Number(row[key] ?? 0);
    return {
      xactCommit: n("xact_commit"),
      xactRollback: n("xact_rollback"),
      tupReturned: n("tup_returned"),
      tupFetched: n("tup_fetched"),
      blksHit: n("blks_hit"),
      blksRead: n("blks_read"),
    };
  }

  private seen = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  /**
   * Samples the backends' CPU time every half second until `stopTracking`, so that a backend
   * that exits before the window ends (a pool dropping a connection after an error) still
   * counts up to its last sample.
   */
  track() {
    this.seen.clear();
    this.timer = setInterval(() => {
      void this.sampleBackends().catch(() => undefined);
    }, 500);
  }

  stopTracking(): Map<number, number> {
    clearInterval(this.timer);
    return new Map(this.seen);
  }

  private async sampleBackends() {
    for (const pid of await this.backendPids()) {
      const cpu = processCpuMs(pid);
      if (cpu !== null) this.seen.set(pid, cpu);
    }
  }

  /** `tracked`: backends' CPU seen while tracking; the current reading wins where both exist. */
  async snapshot(
    serverPid: number,
    statements: number,
    tracked: Map<number, number> = new Map(),
  ): Promise<Snapshot> {
    const backendCpuMs = new Map(tracked);
    for (const pid of await this.backendPids()) {
      const cpu = processCpuMs(pid);
      if (cpu !== null) backendCpuMs.set(pid, cpu);
    }
    return {
      at: performance.now(),
      serverCpuMs: processCpuMs(serverPid) ?? 0,
      statements,
      db: await this.counters(),
      backendCpuMs,
      selfCpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
      machine: machineTicks(),
    };
  }
}

/** The cost between two snapshots. A backend that started in between counts from zero. */
export function costBetween(before: Snapshot, after: Snapshot): WindowCost {
  let postgresCpuMs = 0;
  for (const [pid, cpu] of after.backendCpuMs)
    postgresCpuMs += cpu - (before.backendCpuMs.get(pid) ?? 0);
  const db = Object.fromEntries(
    Object.entries(after.db).map(([k, v]) => [k, v - before.db[k as keyof DatabaseCounters]]),
  ) as unknown as DatabaseCounters;
  const total = after.machine.total - before.machine.total;
  const busy = after.machine.busy - before.machine.busy;
  const serverCpuMs = after.serverCpuMs - before.serverCpuMs;
  const selfCpuMs = after.selfCpuMs - before.selfCpuMs;
  const toMs = 1000 / ticksPerSecond;
  const other = busy * toMs - serverCpuMs - postgresCpuMs - selfCpuMs;
  return {
    serverCpuMs,
    postgresCpuMs,
    statements: after.statements - before.statements,
    db,
    machineBusyPercent: total > 0 ? (100 * busy) / total : 0,
    otherCpuPercent: total > 0 ? Math.max(0, (100 * other) / (total * toMs)) : 0,
  };
}
