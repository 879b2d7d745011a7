/**
 * Database faults under load, on a real Postgres server: connections killed one after another
 * (`pg_terminate_backend`), a full outage (a proxy between the server and Postgres cut for a
 * few seconds), and connections terminated right behind an answer (the proxy again). Requests
 * must fail fast with a clear code rather than hang, `/readyz` must say the database is gone
 * while `/healthz` stays up, the process must stay up and recover by itself, and no mutation
 * the fault interrupted may leave a partial write.
 *
 * The embedded database (PGlite) lives inside the test process and cannot be taken away, so
 * without DATABASE_URL these tests are skipped.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { createApiKey } from "../../src/auth.js";
import { readConfig } from "../../src/config.js";
import { openPostgres, type Database } from "../../src/db/database.js";
import { toGlobalId } from "../../src/ids.js";
import { createServer } from "../../src/server.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { databaseState } from "../support/state.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { ownedStack } from "../support/stack.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
/** Codes a request may fail with while the database is away. */
const FAULT_CODES = new Set(["DATABASE_UNAVAILABLE", "QUERY_TIMEOUT", "INTERNAL_SERVER_ERROR"]);
/** The pool's connect timeout: a request failing because of the fault must be far quicker. */
const CONNECT_TIMEOUT_MS = 3000;
/** How often the first fault terminates the server's connections: some requests get through. */
const KILL_EVERY_MS = 200;
/** A request still unanswered after this long counts as hung. */
const HANG_MS = 10_000;
/** The response cache would answer repeated reads without the database; these are about the database. */
const NO_CACHE = { ACCORD_RESPONSE_CACHE: "off" };
/** Tables no request of the load writes to. */
const UNTOUCHED = [
  "Article",
  "ArticleAuthor",
  "ArticleParagraph",
  "ArticleVisit",
  "Visit",
  "VisitParticipant",
  "Agreement",
  "AgreementParty",
  "Citation",
  "Mention",
  "ApiKey",
];

type Op = "ArticlePage" | "ActorDirectory" | "createActor" | "updateOutcome";

interface Sample {
  op: Op;
  /** The actor's name (createActor) or the outcome's new statement (updateOutcome). */
  value?: string;
  outcomeId?: string;
  startedAt: number;
  ms: number;
  status: number | null;
  result: "ok" | "clean" | "bad" | "unanswered";
  codes: string[];
  /** Where each error arose: `createActor` itself, or a field resolved after it. */
  paths: string[];
  detail?: string;
}

interface Target {
  url: string;
  editor: Record<string, string>;
  outcomeIds: string[];
}

const ops = {
  ArticlePage: operation("ArticlePage"),
  ActorDirectory: operation("ActorDirectory"),
  createActor: operation("admin/CreateActor"),
  updateOutcome: operation("admin/UpdateOutcome"),
};

async function send(
  target: Target,
  op: Op,
  variables: Record<string, unknown>,
  extra: Partial<Sample> = {},
): Promise<Sample> {
  const headers = op === "createActor" || op === "updateOutcome" ? target.editor : {};
  const startedAt = performance.now();
  const sample = (fields: Omit<Sample, "op" | "startedAt" | "ms">): Sample => ({
    op,
    ...extra,
    startedAt,
    ms: performance.now() - startedAt,
    ...fields,
  });
  let response: Response;
  let text: string;
  try {
    response = await fetch(target.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query: ops[op], variables }),
      signal: AbortSignal.timeout(HANG_MS),
    });
    text = await response.text();
  } catch (error) {
    return sample({
      status: null,
      result: "unanswered",
      codes: [],
      paths: [],
      detail: String(error),
    });
  }
  let body: {
    data?: Record<string, unknown> | null;
    errors?: { path?: unknown[]; extensions?: { code?: unknown } }[];
  };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return sample({
      status: response.status,
      result: "bad",
      codes: [],
      paths: [],
      detail: text.slice(0, 200),
    });
  }
  const errors = Array.isArray(body.errors) ? body.errors : [];
  const codes = errors.map((e) => String(e.extensions?.code));
  const paths = errors.map((e) => (Array.isArray(e.path) ? e.path.join(".") : ""));
  if (response.status === 200 && errors.length === 0 && body.data) {
    return sample({ status: 200, result: "ok", codes, paths });
  }
  const clean = errors.length > 0 && codes.every((code) => FAULT_CODES.has(code));
  return sample({
    status: response.status,
    result: clean ? "clean" : "bad",
    codes,
    paths,
    detail: clean ? undefined : text.slice(0, 300),
  });
}

/** `workers` clients sending reads and mutations in turn until `stop()` resolves. */
async function load(
  target: Target,
  tag: string,
  until: Promise<void>,
  workers = 8,
): Promise<Sample[]> {
  let running = true;
  void until.then(() => (running = false));
  const samples: Sample[] = [];
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      const outcomeId = target.outcomeIds[worker % target.outcomeIds.length]!;
      for (let i = 0; running; i++) {
        const id = `${tag} ${worker}-${i}`;
        switch (i % 4) {
          case 0:
            samples.push(await send(target, "ArticlePage", { slug: SLUG }));
            break;
          case 1:
            samples.push(await send(target, "ActorDirectory", { search: "jap", first: 5 }));
            break;
          case 2: {
            const name = `Fault probe ${id}`;
            samples.push(
              await send(
                target,
                "createActor",
                { input: { name, kind: "ORGANIZATION" } },
                { value: name },
              ),
            );
            break;
          }
          default: {
            const statement = `Fault statement ${id}`;
            samples.push(
              await send(
                target,
                "updateOutcome",
                { id: outcomeId, input: { statement } },
                { value: statement, outcomeId },
              ),
            );
          }
        }
      }
    }),
  );
  return samples;
}

function summary(samples: Sample[]) {
  const count = (result: Sample["result"]) => samples.filter((s) => s.result === result).length;
  const codes: Record<string, number> = {};
  for (const s of samples) for (const code of s.codes) codes[code] = (codes[code] ?? 0) + 1;
  const failed = samples.filter((s) => s.result !== "ok");
  const figures = {
    sent: samples.length,
    ok: count("ok"),
    failedCleanly: count("clean"),
    bad: count("bad"),
    unanswered: count("unanswered"),
    slowestMs: Math.round(Math.max(0, ...samples.map((s) => s.ms))),
    slowestFailureMs: Math.round(Math.max(0, ...failed.map((s) => s.ms))),
    codes,
  };
  return figures;
}

function describeLoad(f: ReturnType<typeof summary>): string {
  return (
    `sent ${f.sent}, ok ${f.ok}, failed cleanly ${f.failedCleanly} ${JSON.stringify(f.codes)}, ` +
    `bad ${f.bad}, unanswered ${f.unanswered}, slowest ${f.slowestMs} ms (failure ${f.slowestFailureMs} ms)`
  );
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function probe(url: string, path: "/healthz" | "/readyz"): Promise<number> {
  const response = await fetch(url.replace(/\/graphql$/, path), {
    signal: AbortSignal.timeout(HANG_MS),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Polls `/readyz` until it answers 200; resolves to the milliseconds that took. */
async function readyAgain(url: string, withinMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < withinMs) {
    if ((await probe(url, "/readyz")) === 200) return performance.now() - started;
    await sleep(100);
  }
  throw new Error(`/readyz did not answer 200 within ${withinMs} ms`);
}

/** Every kind of request once per worker slot, after the fault: all must succeed. */
async function recoveryRound(target: Target, tag: string): Promise<Sample[]> {
  const stop = sleep(1500);
  return load(target, tag, stop, 4);
}

async function outcomeIdsOf(url: string): Promise<string[]> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: ops.ArticlePage, variables: { slug: SLUG } }),
  });
  const body = (await response.json()) as {
    data: { article: { visits: { outcomes: { id: string }[] }[] } };
  };
  return body.data.article.visits.flatMap((v) => v.outcomes.map((o) => o.id));
}

async function untouched(db: Database) {
  const state = await databaseState(db);
  return Object.fromEntries(UNTOUCHED.map((table) => [table, state[table]]));
}

/**
 * What the mutations left. Each write is whole or absent: an actor with its one alias and one
 * CREATE revision, an outcome update with its one UPDATE revision. A mutation that succeeded
 * wrote; one refused before or during its transaction wrote nothing. One exception cannot be
 * told apart by any client: the connection dropped after Postgres committed but before the
 * acknowledgement arrived; such a failure (reported on the mutation field itself) may have
 * written, whole. An error on a field resolved after the mutation means the server reported
 * a committed write as failed, and counts as a wrong answer.
 */
async function checkWrites(db: Database, tag: string, samples: Sample[], revisionsBefore: number) {
  const actors = await db.prisma.actor.findMany({
    where: { name: { startsWith: `Fault probe ${tag}` } },
    include: { aliases: true },
  });
  const revisions = await db.prisma.revision.findMany({ orderBy: { id: "asc" } });
  const actorByName = new Map(actors.map((a) => [a.name, a]));

  const wrong: string[] = [];
  let written = 0;
  let unacknowledged = 0;
  for (const s of samples) {
    if (s.op !== "createActor" && s.op !== "updateOutcome") continue;
    let whole: boolean;
    let nothing: boolean;
    if (s.op === "createActor") {
      const actor = actorByName.get(s.value!);
      const named = revisions.filter(
        (r) => (r.after as { name?: string } | null)?.name === s.value,
      );
      whole =
        actor !== undefined &&
        actor.aliases.map((a) => a.alias).join() === s.value &&
        named.length === 1 &&
        named[0]!.action === "CREATE" &&
        named[0]!.nodeId === toGlobalId("Actor", actor.id);
      nothing = actor === undefined && named.length === 0;
    } else {
      const stated = revisions.filter(
        (r) => (r.after as { statement?: string } | null)?.statement === s.value,
      );
      whole =
        stated.length === 1 && stated[0]!.action === "UPDATE" && stated[0]!.nodeId === s.outcomeId;
      nothing = stated.length === 0;
    }
    const atMutation = s.paths.length > 0 && s.paths.every((path) => path === s.op);
    if (whole) written++;
    if (s.result === "ok" && !whole) wrong.push(`succeeded but not written whole: ${s.value}`);
    else if (s.result !== "ok" && whole && atMutation) unacknowledged++;
    else if (s.result !== "ok" && !nothing) {
      wrong.push(`failed (${s.codes.join()} at ${s.paths.join()}) but wrote: ${s.value}`);
    }
  }
  const accounted = new Set(samples.filter((s) => s.op === "createActor").map((s) => s.value));
  return {
    wrong,
    written,
    unacknowledged,
    revisionsAdded: revisions.length - revisionsBefore,
    /** Actors no request asked for, and names given twice: both would be a stray write. */
    strays:
      actors.filter((a) => !accounted.has(a.name)).length + (actors.length - actorByName.size),
  };
}

function expectWholeWrites(writes: Awaited<ReturnType<typeof checkWrites>>) {
  expect(writes.wrong).toEqual([]);
  // Nothing else wrote: every revision belongs to one of the requests' writes.
  expect(writes.revisionsAdded).toBe(writes.written);
  expect(writes.strays).toBe(0);
}

/**
 * The figures of a fault's load and of the round after it, and the writes of both (tagged
 * `tag`) checked against the database.
 */
async function figures(
  db: Database,
  tag: string,
  samples: Sample[],
  afterFault: Sample[],
  revisionsBefore: number,
) {
  return {
    all: summary(samples),
    recovery: summary(afterFault),
    writes: await checkWrites(db, tag, [...samples, ...afterFault], revisionsBefore),
  };
}

/** The load on `target` under `prefix`, running until `finish()`; `loadDone` has its samples. */
function loadUntilFinished(target: Target, prefix: string) {
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  return { finish, loadDone: load(target, prefix, finished) };
}

/**
 * What a fault that broke some requests must leave: every request answered and none wrongly,
 * some refused cleanly and none of those slower than the connect timeout, /healthz 200
 * throughout, every request of the round after it served, and the writes whole.
 */
function expectSurvived(
  samples: Sample[],
  health: number[],
  afterFault: Sample[],
  writes: Awaited<ReturnType<typeof checkWrites>>,
) {
  const all = summary(samples);
  const recovery = summary(afterFault);
  expect(all.unanswered).toBe(0);
  expect(samples.filter((s) => s.result === "bad").map((s) => s.detail)).toEqual([]);
  expect(all.failedCleanly).toBeGreaterThan(0);
  expect(all.slowestFailureMs).toBeLessThan(CONNECT_TIMEOUT_MS);
  expect(health.every((status) => status === 200)).toBe(true);
  expect(recovery.sent).toBeGreaterThan(0);
  expect(recovery.ok).toBe(recovery.sent);
  expectWholeWrites(writes);
}

function describeWrites(w: Awaited<ReturnType<typeof checkWrites>>): string {
  return (
    `writes: ${w.written} whole (${w.unacknowledged} committed without acknowledgement), ` +
    `${w.revisionsAdded} revisions added, ${w.wrong.length} wrong, ${w.strays} stray`
  );
}

const databaseUrl = process.env.DATABASE_URL;

if (!databaseUrl) {
  const reason =
    "needs a Postgres server (DATABASE_URL): the embedded PGlite runs inside the test process and cannot be cut off";
  console.warn(`Database fault tests skipped: ${reason}`);
  describe("Database faults", () => {
    it.skip(`are skipped: ${reason}`, () => undefined);
  });
} else {
  describe("Database faults: connections killed under load (pg_terminate_backend)", () => {
    let server: TestServer;
    let admin: pg.Client;
    let target: Target;

    beforeAll(async () => {
      server = await startTestServer({ env: NO_CACHE });
      admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      target = {
        url: server.url,
        editor: await server.keyFor("EDITOR", "Fault editor"),
        outcomeIds: await outcomeIdsOf(server.url),
      };
    });
    afterAll(async () => {
      await admin.end();
      await server.stop();
    });

    it("fails fast with a clear code, stays up, recovers by itself and writes nothing partial", async () => {
      // (The test server's `url` is its GraphQL endpoint; the database's name comes from itself.)
      const [{ database }] = await server.db.prisma.$queryRawUnsafe<[{ database: string }]>(
        "SELECT current_database() AS database",
      );
      const before = await untouched(server.db);
      const revisionsBefore = await server.db.prisma.revision.count();

      let faulting = true;
      let terminated = 0;
      const killer = (async () => {
        while (faulting) {
          const { rows } = await admin.query<{ killed: boolean }>(
            `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
              WHERE application_name = 'accord' AND datname = $1 AND pid <> pg_backend_pid()`,
            [database],
          );
          terminated += rows.filter((r) => r.killed).length;
          await sleep(KILL_EVERY_MS);
        }
      })();
      const health: number[] = [];
      const ready: number[] = [];
      const prober = (async () => {
        while (faulting) {
          health.push(await probe(server.url, "/healthz"));
          ready.push(await probe(server.url, "/readyz"));
          await sleep(250);
        }
      })();

      const duringFault = await load(target, "A", sleep(5000));
      faulting = false;
      await Promise.all([killer, prober]);
      const recoveryMs = await readyAgain(server.url, 5000);
      const afterFault = await recoveryRound(target, "A-after");

      const {
        all: fault,
        recovery,
        writes,
      } = await figures(server.db, "A", duringFault, afterFault, revisionsBefore);
      console.log(
        `Fault pg_terminate_backend, 8 workers for 5 s: ${describeLoad(fault)}; ` +
          `${terminated} connections terminated; /healthz ${JSON.stringify(count(health))}, ` +
          `/readyz ${JSON.stringify(count(ready))}; ready again after ${Math.round(recoveryMs)} ms; ` +
          `then ${recovery.ok}/${recovery.sent} ok; ${describeWrites(writes)}`,
      );

      expect(terminated).toBeGreaterThan(0);
      expectSurvived(duringFault, health, afterFault, writes);
      expect(await untouched(server.db)).toEqual(before);
    }, 45_000);
  });

  describe("Database faults: the database unreachable for 3 s under load (proxy cut)", () => {
    const stack = ownedStack();
    let database: { url: string; direct: Database };
    let proxy: TcpProxy;
    let target: Target;

    beforeAll(async () => {
      database = await stack.database();
      const { key } = await createApiKey(database.direct, { name: "Fault editor", role: "EDITOR" });
      proxy = stack.own(await startTcpProxy(), (p) => p.close());
      const { url } = await stack.serve(stack.pool(proxy.urlFor(database.url)), NO_CACHE);
      target = {
        url,
        editor: { authorization: `Bearer ${key}` },
        outcomeIds: await outcomeIdsOf(url),
      };
    });

    it("answers DATABASE_UNAVAILABLE at once and /readyz 503 while cut, and serves again once restored", async () => {
      const before = await untouched(database.direct);
      const revisionsBefore = await database.direct.prisma.revision.count();

      const { finish, loadDone } = loadUntilFinished(target, "B");

      await sleep(1000);
      proxy.cut();
      const cutAt = performance.now();
      const health: number[] = [];
      const ready: number[] = [];
      const readyMs: number[] = [];
      while (performance.now() - cutAt < 3000) {
        health.push(await probe(target.url, "/healthz"));
        const started = performance.now();
        ready.push(await probe(target.url, "/readyz"));
        readyMs.push(performance.now() - started);
        await sleep(200);
      }
      proxy.restore();
      const restoredAt = performance.now();
      const recoveryMs = await readyAgain(target.url, 5000);
      const readyAt = performance.now();
      await sleep(1500);
      finish();
      const samples = await loadDone;
      const afterFault = await recoveryRound(target, "B-after");

      // Requests sent while the database was cut off, with some slack for those already
      // waiting on a connection when it went.
      const whileCut = samples.filter(
        (s) => s.startedAt > cutAt + 100 && s.startedAt + s.ms < restoredAt,
      );
      const afterReady = samples.filter((s) => s.startedAt > readyAt);
      const { all, recovery, writes } = await figures(
        database.direct,
        "B",
        samples,
        afterFault,
        revisionsBefore,
      );
      const cut = summary(whileCut);
      const later = summary(afterReady);
      console.log(
        `Fault proxy cut for 3 s, 8 workers: ${describeLoad(all)}; while cut: ${describeLoad(cut)}; ` +
          `/healthz ${JSON.stringify(count(health))}, /readyz while cut ${JSON.stringify(count(ready))} ` +
          `(slowest ${Math.round(Math.max(...readyMs))} ms); ready again ${Math.round(recoveryMs)} ms after restore; ` +
          `then ${later.ok}/${later.sent} and ${recovery.ok}/${recovery.sent} ok; ${describeWrites(writes)}`,
      );

      expect(all.unanswered).toBe(0);
      expect(samples.filter((s) => s.result === "bad").map((s) => s.detail)).toEqual([]);
      expect(cut.sent).toBeGreaterThan(0);
      expect(cut.failedCleanly).toBe(cut.sent);
      expect(whileCut.every((s) => s.codes.every((code) => code === "DATABASE_UNAVAILABLE"))).toBe(
        true,
      );
      expect(all.slowestFailureMs).toBeLessThan(CONNECT_TIMEOUT_MS);
      expect(cut.slowestMs).toBeLessThan(CONNECT_TIMEOUT_MS / 2);
      expect(health.every((status) => status === 200)).toBe(true);
      expect(ready.length).toBeGreaterThan(0);
      expect(ready.every((status) => status === 503)).toBe(true);
      expect(later.ok).toBe(later.sent);
      expect(recovery.sent).toBeGreaterThan(0);
      expect(recovery.ok).toBe(recovery.sent);

      expectWholeWrites(writes);
      expect(await untouched(database.direct)).toEqual(before);
    }, 45_000);

    it("survives connections terminated right behind an answer, with a pool always in use", async () => {
      // Postgres's FATAL arriving in the same packet as the end of an answer reaches a pooled
      // connection at the moment it is handed from one user to the next: nobody listens for
      // its errors then, and an unheard error event ends a Node process. A pool of 2 under
      // 8 workers hands connections over all the time.
      const small = openPostgres(proxy.urlFor(database.url), { poolSize: 2 });
      const smallServer = await createServer(small, readConfig(NO_CACHE));
      const url = await smallServer.listen(0);
      const smallTarget = { ...target, url };
      try {
        const before = await untouched(database.direct);
        const revisionsBefore = await database.direct.prisma.revision.count();
        const { finish, loadDone } = loadUntilFinished(smallTarget, "C");
        await sleep(500);
        // Every third answer: enough of them get through for mutations to reach their
        // transactions, whose connections are then the ones cut.
        proxy.terminateAfterReplies(true, 3);
        const health: number[] = [];
        const started = performance.now();
        while (performance.now() - started < 2000) {
          health.push(await probe(url, "/healthz"));
          await sleep(200);
        }
        proxy.terminateAfterReplies(false);
        const recoveryMs = await readyAgain(url, 5000);
        await sleep(500);
        finish();
        const samples = await loadDone;
        const afterFault = await recoveryRound(smallTarget, "C-after");

        const { all, recovery, writes } = await figures(
          database.direct,
          "C",
          samples,
          afterFault,
          revisionsBefore,
        );
        console.log(
          `Fault terminations behind answers for 2 s, pool of 2, 8 workers: ${describeLoad(all)}; ` +
            `${proxy.terminated} connections terminated; /healthz ${JSON.stringify(count(health))}; ` +
            `ready again after ${Math.round(recoveryMs)} ms; then ${recovery.ok}/${recovery.sent} ok; ` +
            describeWrites(writes),
        );

        expect(proxy.terminated).toBeGreaterThan(0);
        expectSurvived(samples, health, afterFault, writes);
        expect(await untouched(database.direct)).toEqual(before);
      } finally {
        proxy.terminateAfterReplies(false);
        await smallServer.stop();
        await small.close();
      }
    }, 45_000);
  });
}

function count(statuses: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
