/**
 * The checker: holds every client's log against the database once a fault is over.
 *
 * - acknowledged ⇒ present exactly once, with exactly one revision for that change;
 * - refused (a retryable answer saying nothing ran) ⇒ absent;
 * - lost (a reset, a timeout, `committed: "unknown"`) ⇒ resolvable: the checker retries it
 *   with the same key and body, and the answer must be the first answer replayed when the
 *   write is in the database, or the write done now (once) when it is not;
 * - a failure that is not retryable ⇒ absent, and no database fault answers with one;
 * - no stale read: a read that started after its client received an acknowledgement shows
 *   that change (or a later one), through either instance;
 * - every retryable database answer is HTTP 503 with `Retry-After`.
 *
 * It also measures what the fault did to the clients, and the recovery time.
 */
import http from "node:http";
import { appendFileSync } from "node:fs";
import type pg from "pg";
import { toGlobalId } from "../../../src/ids.js";
import type { AccordInstance } from "./accord.js";
import {
  attempt,
  idempotencyHeader,
  type Attempt,
  type LoadLog,
  type MutationLog,
} from "./load.js";
import { sleep } from "./processes.js";

export interface FaultWindow {
  /** What was done, for the printed figures. */
  fault: string;
  startedAt: number;
  /** When the fault was over (restart done, process resumed...). */
  endedAt: number;
}

export interface Figures {
  fault: string;
  mutations: number;
  acked: number;
  refused: number;
  lost: number;
  failed: number;
  /** Acknowledgements that were a replay of an earlier attempt's answer. */
  replayed: number;
  attempts: number;
  /** Answers by code (or socket error), over every attempt. */
  codes: Record<string, number>;
  reads: number;
  readsFailed: number;
  /** Successful reads by their `x-cache` header: whether the cache was in play. */
  readCache: Record<string, number>;
  /** The same, of the reads sent after the fault was over. */
  readCacheAfter: Record<string, number>;
  staleReads: number;
  /** Fault end to the first acknowledged mutation (and successful read) sent after it. */
  recoveryMs: { mutation: number | null; read: number | null };
  /** The longest any attempt waited for its answer. */
  slowestAttemptMs: number;
  violations: number;
}

export interface Report {
  /** Every rule broken, each saying what was told and what the database holds. */
  violations: string[];
  figures: Figures;
  /** Lost mutations whose write was in the database before the checker retried them. */
  lostButCommitted: MutationLog[];
}

/** At most this many examples of one rule broken; the rest are counted. */
const EXAMPLES = 8;

interface ActorRow {
  id: number;
  name: string;
  description: string | null;
  version: number;
}
interface RevisionRow {
  id: number;
  nodeId: string;
  action: string;
  version: number;
  description: string | null;
}

function told(m: MutationLog): string {
  return m.attempts
    .map((a) => {
      const what = a.kind === "ack" ? `ok${a.replayed ? " (replayed)" : ""}` : (a.code ?? a.kind);
      const status = a.status === null ? "no answer" : `HTTP ${a.status}`;
      const committed =
        a.committed === undefined ? "" : `, committed: ${JSON.stringify(a.committed)}`;
      return `${what} (${status}${committed}) from ${a.instance}`;
    })
    .join(" → ");
}

function what(m: MutationLog): string {
  return m.op === "createActor"
    ? `createActor "${m.name}" (key ${m.key})`
    : `updateActor ${m.actorId} from version ${m.expectedVersion} to "${m.description}" (key ${m.key})`;
}

async function databaseState(admin: pg.Pool, prefix: string) {
  const actors = (
    await admin.query<ActorRow>(
      `SELECT id, name, description, version FROM "Actor" WHERE name LIKE $1 ORDER BY id`,
      [`${prefix} %`],
    )
  ).rows;
  const revisions = (
    await admin.query<RevisionRow>(
      `SELECT id, "nodeId", action::text AS action, version, after->>'description' AS description
         FROM "Revision" WHERE "nodeId" = ANY($1) ORDER BY id`,
      [actors.map((a) => toGlobalId("Actor", a.id))],
    )
  ).rows;
  return { actors, revisions };
}

/** Whether the log's write is in the database: the actor created, or the update's revision. */
function presence(m: MutationLog, state: Awaited<ReturnType<typeof databaseState>>) {
  if (m.op === "createActor") {
    const rows = state.actors.filter((a) => a.name === m.name);
    const ids = new Set(rows.map((a) => toGlobalId("Actor", a.id)));
    const creates = state.revisions.filter((r) => ids.has(r.nodeId) && r.action === "CREATE");
    return { count: rows.length, revisions: creates, ids: [...ids] };
  }
  const revisions = state.revisions.filter(
    (r) => r.action === "UPDATE" && r.description === m.description,
  );
  return { count: revisions.length, revisions, ids: revisions.map((r) => r.nodeId) };
}

/**
 * Retries each lost mutation with its key through an instance that is up, as its client
 * would once the fault is over; refusals are retried for a few seconds.
 */
async function resolveLost(
  lost: MutationLog[],
  instances: AccordInstance[],
  editor: Record<string, string>,
): Promise<Map<MutationLog, Attempt>> {
  const answers = new Map<MutationLog, Attempt>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  try {
    for (const m of lost) {
      const up = instances.filter((i) => i.alive());
      let answer: Attempt | undefined;
      for (let tries = 0; tries < 10; tries++) {
        const instance = up[tries % up.length]!;
        answer = await attempt(instance, agent, m.op, m.body, {
          ...editor,
          ...idempotencyHeader(m.key),
        });
        if (answer.kind !== "refused" && answer.kind !== "unknown") break;
        await sleep(300);
      }
      answers.set(m, answer!);
    }
  } finally {
    agent.destroy();
  }
  return answers;
}

export async function check(
  load: LoadLog,
  context: {
    admin: pg.Pool;
    instances: AccordInstance[];
    editor: Record<string, string>;
    prefix: string;
    window: FaultWindow;
  },
): Promise<Report> {
  const { admin, prefix, window } = context;
  const broken = new Map<string, string[]>();
  const breaks = (rule: string, message: string) => {
    const list = broken.get(rule) ?? [];
    list.push(message);
    broken.set(rule, list);
  };

  // What the fault left, before anything is retried.
  const before = await databaseState(admin, prefix);
  const lost = load.mutations.filter((m) => m.outcome === "lost");
  const lostPresent = new Map(lost.map((m) => [m, presence(m, before).count > 0]));
  const resolutions = await resolveLost(lost, context.instances, context.editor);
  const after = await databaseState(admin, prefix);

  const matched = new Set<number>();
  for (const m of load.mutations) {
    const found = presence(m, after);
    for (const r of found.revisions) matched.add(r.id);
    if (found.count > 1 || found.revisions.length > found.count) {
      breaks(
        "each change is written at most once",
        `${what(m)}: told ${told(m)}, and the database holds it ${found.count} times ` +
          `(${found.revisions.length} revisions: ${found.revisions.map((r) => `#${r.id} v${r.version}`).join(", ")})`,
      );
    }
    if (m.outcome === "acked") {
      const result = m.result!;
      const expected = m.op === "createActor" ? [result.id] : [m.actorId!];
      const right =
        found.count === 1 &&
        found.revisions.length === 1 &&
        found.ids[0] === expected[0] &&
        found.revisions[0]!.version === result.version;
      if (!right) {
        breaks(
          "acknowledged ⇒ present exactly once, with one revision",
          `${what(m)}: acknowledged as ${result.id} version ${result.version} (${told(m)}), but the database ` +
            `holds ${found.count} (${found.revisions.map((r) => `revision #${r.id} of ${r.nodeId} v${r.version}`).join(", ") || "no revision"})`,
        );
      }
    } else if (m.outcome === "refused" || m.outcome === "failed") {
      if (found.count > 0) {
        breaks(
          m.outcome === "refused"
            ? "a retryable refusal ⇒ nothing written"
            : "a failure ⇒ nothing written",
          `${what(m)}: told ${told(m)}, but it is in the database ` +
            `(${found.revisions.map((r) => `revision #${r.id} of ${r.nodeId} v${r.version}`).join(", ")})`,
        );
      }
    } else {
      const answer = resolutions.get(m)!;
      const wasThere = lostPresent.get(m)!;
      const replayOk =
        answer.kind === "ack" &&
        answer.replayed === wasThere &&
        found.count === 1 &&
        (m.op === "createActor" ? found.ids[0] === answer.result?.id : true);
      if (!replayOk) {
        const expected = wasThere
          ? "the first answer replayed (Idempotent-Replayed: true), as the write is in the database"
          : "the write done now (not a replay), as it is not in the database";
        const got =
          answer.kind === "ack"
            ? `ok${answer.replayed ? " (replayed)" : " (not replayed)"} as ${answer.result?.id} v${answer.result?.version}`
            : `${answer.code} (HTTP ${answer.status}): ${answer.message}`;
        breaks(
          "lost ⇒ resolvable by retrying with the same key",
          `${what(m)}: told ${told(m)}; retried with its key after the fault, expected ${expected}, ` +
            `got ${got}; the database now holds it ${found.count} times`,
        );
      }
    }
  }
  const strays = after.revisions.filter((r) => !matched.has(r.id));
  for (const r of strays) {
    breaks(
      "every revision belongs to a change a client asked for once",
      `revision #${r.id} (${r.action} of ${r.nodeId} v${r.version}, description ${JSON.stringify(r.description)}) matches no logged mutation`,
    );
  }

  // Stale reads: after an acknowledgement, every read of that actor that started later.
  const acks = new Map<string, { at: number; version: number; m: MutationLog }[]>();
  for (const m of load.mutations) {
    if (m.outcome !== "acked") continue;
    const id = m.result!.id;
    const list = acks.get(id) ?? [];
    list.push({ at: m.ackedAt!, version: m.result!.version, m });
    acks.set(id, list);
  }
  let staleReads = 0;
  for (const r of load.reads) {
    if (!r.ok) continue;
    const newest = (acks.get(r.actorId) ?? [])
      .filter((a) => a.at < r.startedAt)
      .reduce<{ at: number; version: number; m: MutationLog } | undefined>(
        (best, a) => (!best || a.version > best.version ? a : best),
        undefined,
      );
    if (!newest) continue;
    const version = r.actor?.version ?? null;
    if (version === null || version < newest.version) {
      staleReads++;
      breaks(
        "no stale read after an acknowledgement",
        `a read of ${r.actorId} through ${r.instance} started ${Math.round(r.startedAt - newest.at)} ms after ` +
          `${what(newest.m)} was acknowledged at version ${newest.version}, and showed ` +
          `${version === null ? "no actor" : `version ${version} (${JSON.stringify(r.actor?.description)})`}` +
          `${r.cache ? ` (x-cache: ${r.cache})` : ""}`,
      );
    }
  }

  // What the answers said, attempt by attempt.
  const codes: Record<string, number> = {};
  const all = load.mutations.flatMap((m) => m.attempts);
  for (const a of all) {
    const code = a.kind === "ack" ? "ok" : (a.code ?? a.kind);
    codes[code] = (codes[code] ?? 0) + 1;
    if (a.code === "INTERNAL_SERVER_ERROR" || a.status === 500) {
      breaks(
        "a database or cache fault is answered with a clean code",
        `a mutation attempt on ${a.instance} was answered ${a.code} (HTTP ${a.status}): ${a.message}`,
      );
    }
    if (
      (a.code === "DATABASE_UNAVAILABLE" || a.code === "SERVER_BUSY") &&
      (a.status !== 503 || !a.retryAfter)
    ) {
      breaks(
        "a retryable database answer is HTTP 503 with Retry-After",
        `${a.code} on ${a.instance} came as HTTP ${a.status}${a.retryAfter ? "" : " without Retry-After"}`,
      );
    }
    if (a.status === 422) {
      breaks(
        "a retry with the same key and body is never refused as a different request",
        `a retry on ${a.instance} was answered HTTP 422: ${a.message}`,
      );
    }
  }
  for (const r of load.reads) {
    if (r.code === "INTERNAL_SERVER_ERROR" || r.status === 500) {
      breaks(
        "a database or cache fault is answered with a clean code",
        `a read of ${r.actorId} on ${r.instance} was answered ${r.code} (HTTP ${r.status})`,
      );
    }
  }

  const firstAfter = (times: { startedAt: number; endedAt: number }[]) => {
    const after = times.filter((t) => t.startedAt >= window.endedAt);
    if (after.length === 0) return null;
    return Math.round(Math.min(...after.map((t) => t.endedAt)) - window.endedAt);
  };
  const violations: string[] = [];
  for (const [rule, messages] of broken) {
    for (const message of messages.slice(0, EXAMPLES)) violations.push(`[${rule}] ${message}`);
    if (messages.length > EXAMPLES) {
      violations.push(`[${rule}] … and ${messages.length - EXAMPLES} more like these`);
    }
  }
  const count = (outcome: MutationLog["outcome"]) =>
    load.mutations.filter((m) => m.outcome === outcome).length;
  const figures: Figures = {
    fault: window.fault,
    mutations: load.mutations.length,
    acked: count("acked"),
    refused: count("refused"),
    lost: count("lost"),
    failed: count("failed"),
    replayed: load.mutations.filter((m) => m.outcome === "acked" && m.attempts.at(-1)?.replayed)
      .length,
    attempts: all.length,
    codes,
    reads: load.reads.length,
    readsFailed: load.reads.filter((r) => !r.ok).length,
    readCache: byCache(load.reads),
    readCacheAfter: byCache(load.reads.filter((r) => r.startedAt >= window.endedAt)),
    staleReads,
    recoveryMs: {
      mutation: firstAfter(all.filter((a) => a.kind === "ack")),
      read: firstAfter(load.reads.filter((r) => r.ok)),
    },
    slowestAttemptMs: Math.round(Math.max(0, ...all.map((a) => a.endedAt - a.startedAt))),
    violations: [...broken.values()].reduce((sum, list) => sum + list.length, 0),
  };
  return { violations, figures, lostButCommitted: lost.filter((m) => lostPresent.get(m)) };
}

function byCache(reads: LoadLog["reads"]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of reads) {
    if (!r.ok) continue;
    const cache = r.cache ?? "none";
    counts[cache] = (counts[cache] ?? 0) + 1;
  }
  return counts;
}

/** One line of figures on the console, and in `ACCORD_FAULTS_RESULTS` (JSON lines) when set. */
export function printFigures(figures: Figures): void {
  const f = figures;
  console.log(
    `Fault "${f.fault}": ${f.mutations} mutations (${f.acked} acknowledged, ${f.replayed} of them replays; ` +
      `${f.refused} refused, ${f.lost} lost, ${f.failed} failed) in ${f.attempts} attempts ${JSON.stringify(f.codes)}; ` +
      `${f.reads} reads (${f.readsFailed} failed, ${f.staleReads} stale, cache ${JSON.stringify(f.readCache)}, after the fault ${JSON.stringify(f.readCacheAfter)}); recovery after the fault: ` +
      `first acknowledged mutation ${f.recoveryMs.mutation ?? "never"} ms, first read ${f.recoveryMs.read ?? "never"} ms; ` +
      `slowest attempt ${f.slowestAttemptMs} ms; ${f.violations} rules broken`,
  );
  const file = process.env.ACCORD_FAULTS_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify({ at: new Date().toISOString(), ...f })}\n`);
}
