/**
 * `npm run bench [-- --quick]`: Accord beside PostGraphile 5 over the same Postgres data, at
 * several scales, one server at a time; see bench/README.md. Options:
 *   --quick            1k and 10k articles, 3 s windows (the full run: 1k, 10k, 100k, 6 s)
 *   --scales 1k,100k   other scales (k = thousand articles)
 *   --window N, --warmup N   seconds
 *   --queries A,B      only these queries
 *   --baseline REF     also Accord as of the commit REF (row `accord@REF`), measured right
 *                      before the current one: a change's cost, in the same run
 * After Accord's rows at each scale, ArticlePage once more while hostile requests run
 * (lib/hostile.ts): the `accord+attack` row, beside the quiet `accord` row.
 * Env: BENCH_DATABASE_URL, the Postgres server (default postgresql://postgres@127.0.0.1:5432).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { checkoutOf } from "./lib/baseline.js";
import { ensureDatabase, type BenchDatabase } from "./lib/data.js";
import { runLoad, type LoadResult } from "./lib/load.js";
import {
  hostileRequests,
  hostileTargets,
  startHostile,
  type HostileRequest,
} from "./lib/hostile.js";
import {
  PostgresProbe,
  costBetween,
  processCpuMs,
  processMemoryBytes,
  sampleRss,
} from "./lib/metrics.js";
import {
  FLOOR_QUERIES,
  QUERY_NAMES,
  canonicalAnswer,
  difference,
  requestBodies,
  type Json,
  type QueryName,
} from "./lib/queries.js";
import {
  addRatios,
  goals,
  goalsText,
  makeRun,
  makeUnderAttack,
  textTable,
  underAttackText,
  writeReport,
  type Report,
  type Run,
  type ServerLabel,
  type UnderAttack,
} from "./lib/report.js";
import {
  ServerExited,
  repoRoot,
  startServer,
  type RunningServer,
  type ServerKind,
} from "./lib/servers.js";

const started = performance.now();
const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    scales: { type: "string" },
    window: { type: "string" },
    warmup: { type: "string" },
    queries: { type: "string" },
    baseline: { type: "string" },
  },
});
const custom = [args.scales, args.window, args.warmup, args.queries, args.baseline].some(
  (v) => v !== undefined,
);
const mode = custom ? "custom" : args.quick ? "quick" : "full";
const scaleLabels = (args.scales ?? (args.quick ? "1k,10k" : "1k,10k,100k")).split(",");
const articlesOf = (label: string) => {
  const match = /^(\d+)(k?)$/.exec(label.trim());
  if (!match) throw new Error(`--scales: "${label}" is not a count like 1k or 500`);
  return Number(match[1]) * (match[2] ? 1000 : 1);
};
const settings = {
  connections: 20,
  warmupSeconds: Number(args.warmup ?? 2),
  windowSeconds: Number(args.window ?? (args.quick ? 3 : 6)),
  articlePageSlugs: 50,
  /** The under-attack row: hostile connections beside the normal ones, each a closed loop. */
  hostileConnections: 4,
  /** Hostile requests run this long at least, and until their sweep is answered, first. */
  hostileLeadInSeconds: 1,
};
const queries = (args.queries?.split(",") ?? QUERY_NAMES) as QueryName[];
for (const q of queries) {
  if (!QUERY_NAMES.includes(q)) throw new Error(`--queries: unknown query ${q}`);
}
const baseUrl = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432";
const adminUrl = Object.assign(new URL(baseUrl), { pathname: "/postgres" }).toString();
const resultsDir = path.join(repoRoot, "bench/results");
const tmpDir = path.join(resultsDir, "tmp");
rmSync(tmpDir, { recursive: true, force: true });

const log = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function postgresFacts() {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const version = (await client.query<{ v: string }>("SELECT version() AS v")).rows[0]?.v ?? "";
    const preload = (await client.query<{ v: string }>("SHOW shared_preload_libraries")).rows[0]?.v;
    // CREATE EXTENSION pg_stat_statements succeeds anywhere it is installed, but the view only
    // works when the library is preloaded, which takes a restart of the (shared) server.
    let statStatements: string;
    try {
      await client.query("BEGIN");
      await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      await client.query("SELECT count(*) FROM pg_stat_statements");
      statStatements = "available";
    } catch (error) {
      statStatements = `not usable: ${(error as Error).message}`;
    } finally {
      await client.query("ROLLBACK");
    }
    return { version: version.replace(/ on .*/, ""), preload, statStatements };
  } finally {
    await client.end();
  }
}

function gitFacts() {
  try {
    const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: repoRoot,
      encoding: "utf8",
    }).trim();
    const dirty = execFileSync(
      "git",
      ["status", "--porcelain", "--", "src", "schema.graphql", "prisma"],
      {
        cwd: repoRoot,
        encoding: "utf8",
      },
    ).trim();
    return { commit, uncommittedChanges: dirty !== "" };
  } catch {
    return { commit: "unknown", uncommittedChanges: null };
  }
}

function packageVersion(name: string) {
  try {
    const file = path.join(repoRoot, "bench/node_modules", name, "package.json");
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

/** Waits until the server has finished what it was sent and Postgres has published its counters. */
async function settle(server: RunningServer) {
  const deadline = Date.now() + 30_000;
  let last = { statements: await server.statements(), cpu: processCpuMs(server.pid) ?? 0 };
  while (Date.now() < deadline) {
    await sleep(250);
    const now = { statements: await server.statements(), cpu: processCpuMs(server.pid) ?? 0 };
    const quiet = now.statements === last.statements && now.cpu - last.cpu <= 20;
    last = now;
    if (quiet) break;
  }
  // Backends publish their statistics at most once a second.
  await sleep(1100);
}

async function measure(
  server: RunningServer,
  probe: PostgresProbe,
  scale: string,
  query: QueryName,
  label: ServerLabel,
  bodies: string[],
): Promise<Run> {
  // The cached row measures repeated reads: every distinct request is sent once first.
  if (label === "accord+cache") for (const body of new Set(bodies)) await ask(server.url, body);
  await runLoad(server.url, bodies, {
    connections: settings.connections,
    seconds: settings.warmupSeconds,
  });
  await settle(server);
  const before = await probe.snapshot(server.pid, await server.statements());
  probe.track();
  let load: LoadResult;
  let tracked: Map<number, number>;
  try {
    load = await runLoad(server.url, bodies, {
      connections: settings.connections,
      seconds: settings.windowSeconds,
    });
    await settle(server);
  } finally {
    tracked = probe.stopTracking();
  }
  const after = await probe.snapshot(server.pid, await server.statements(), tracked);
  const run = makeRun(scale, query, label, load, costBetween(before, after));
  log(
    `    ${query.padEnd(15)} ${label.padEnd(13)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s  ` +
      `p50 ${run.p50Ms.toFixed(0).padStart(4)} ms  p99 ${run.p99Ms.toFixed(0).padStart(5)} ms  ` +
      `SQL/req ${run.sqlPerRequest.toFixed(1)}  CPU ms/req ${run.serverCpuMsPerRequest.toFixed(2)} + pg ${run.postgresCpuMsPerRequest.toFixed(2)}` +
      (run.errorCount > 0 ? `  ⚠ ${run.errorCount} errors ${JSON.stringify(run.errors)}` : ""),
  );
  return run;
}

/**
 * ArticlePage's normal load on a server that is also sent the hostile requests, from their own
 * connections, from a little before the window until it closes; the server's resident memory
 * is sampled meanwhile. Its figures go beside `quiet`, the same server's ArticlePage row.
 */
async function measureUnderAttack(
  server: RunningServer,
  probe: PostgresProbe,
  scale: string,
  bodies: string[],
  requests: HostileRequest[],
  quiet: Run | undefined,
): Promise<UnderAttack> {
  await settle(server);
  const before = await probe.snapshot(server.pid, await server.statements());
  const t0 = performance.now();
  probe.track();
  const rss = sampleRss(server.pid);
  const hostile = startHostile(server.url, requests, { connections: settings.hostileConnections });
  let load: LoadResult;
  let tally: Awaited<ReturnType<typeof hostile.stop>>;
  let memory: ReturnType<typeof rss.stop>;
  let tracked: Map<number, number>;
  try {
    await Promise.all([hostile.swept, sleep(settings.hostileLeadInSeconds * 1000)]);
    load = await runLoad(server.url, bodies, {
      connections: settings.connections,
      seconds: settings.windowSeconds,
    });
  } finally {
    tally = await hostile.stop();
    memory = rss.stop();
    tracked = probe.stopTracking();
  }
  const costSeconds = (performance.now() - t0) / 1000;
  const highWaterMarkBytes = processMemoryBytes(server.pid, "VmHWM");
  const alive = server.alive();
  const after = await probe.snapshot(
    server.pid,
    alive ? await server.statements() : before.statements,
    tracked,
  );
  // A process that has gone has no CPU time left to read: its cost is unknown, not negative.
  const cost = costBetween(before, alive ? after : before);
  const attacked = makeRun(scale, "ArticlePage", "accord+attack", load, cost);
  const result = makeUnderAttack(
    attacked,
    quiet,
    tally,
    cost,
    { ...memory, highWaterMarkBytes },
    alive ? null : lastLogLine(server.logFile) || "no log line",
    costSeconds,
  );
  log(underAttackText([result]).replace(/^/gm, "    "));
  return result;
}

async function ask(url: string, body: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  const text = await response.text();
  return { status: response.status, text };
}

/**
 * Each query's answers, reduced to the form both servers share (ArticlePage: every fifth of
 * the slugs), or what went wrong.
 */
async function answers(
  server: RunningServer,
  flavour: "accord" | "postgraphile",
  slugs: string[],
  asked: readonly QueryName[] = queries,
) {
  const out = new Map<QueryName, Json[] | string>();
  const checked = slugs.filter((_, i) => i % 5 === 0);
  for (const query of asked) {
    const list: Json[] = [];
    for (const body of requestBodies(query, flavour, checked)) {
      const { status, text } = await ask(server.url, body);
      let parsed: { data?: Json; errors?: unknown[] } | null = null;
      try {
        parsed = JSON.parse(text) as { data?: Json; errors?: unknown[] };
      } catch {
        // reported below
      }
      if (status !== 200 || !parsed || parsed.errors) {
        out.set(query, `${flavour} answered ${status}: ${text.slice(0, 300)}`);
        break;
      }
      list.push(canonicalAnswer(query, flavour, parsed.data ?? null));
    }
    if (!out.has(query)) out.set(query, list);
  }
  return out;
}

/** A server under test, started again if something outside the benchmark stops it. */
interface ServerHandle {
  /**
   * Runs `step` against the server. When the server exits during the step (signalled by
   * another process on this shared machine, say), it is started again and the step repeated,
   * twice at most; the restart is recorded in the report. With `repeat: false` the step runs
   * once and reports a server that exits itself (the under-attack row: that is its finding).
   */
  use<T>(
    what: string,
    step: (server: RunningServer) => Promise<T>,
    options?: { repeat?: boolean },
  ): Promise<T>;
}

const restarts: { server: string; during: string; lastLogLine: string }[] = [];

function lastLogLine(file: string) {
  try {
    return readFileSync(file, "utf8").trim().split("\n").at(-1)?.slice(0, 300) ?? "";
  } catch {
    return "";
  }
}

async function withServer<T>(
  kind: ServerKind,
  options: { root?: string; databaseUrl?: string; env?: Record<string, string>; logName: string },
  fn: (handle: ServerHandle) => Promise<T>,
): Promise<T> {
  const start = async () => {
    const t0 = performance.now();
    const started = await startServer(kind, { ...options, logDir: tmpDir });
    log(
      `  ${options.logName}: ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (pid ${started.pid})`,
    );
    return started;
  };
  let server = await start();
  const handle: ServerHandle = {
    async use(what, step, { repeat = true } = {}) {
      for (let attempt = 1; ; attempt++) {
        try {
          if (!server.alive()) throw new ServerExited("the server process has exited");
          const result = await step(server);
          if (repeat && !server.alive()) {
            throw new ServerExited("the server process exited during the step");
          }
          return result;
        } catch (error) {
          if (server.alive() || attempt === 3 || !repeat) throw error;
          const line = lastLogLine(server.logFile);
          restarts.push({ server: options.logName, during: what, lastLogLine: line });
          log(`    ${options.logName} stopped during ${what}; its last log line: ${line}`);
          await server.stop();
          server = await start();
        }
      }
    },
  };
  try {
    return await fn(handle);
  } finally {
    await server.stop();
  }
}

async function pickSlugs(url: string, count: number): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ slug: string }>(
      `WITH r AS (SELECT min(id) AS lo, max(id) AS hi FROM "Article")
       SELECT a.slug FROM "Article" a, r
        WHERE a.id IN (SELECT r.lo + ((r.hi - r.lo) * k) / ($1 - 1) FROM r, generate_series(0, $1 - 1) k)
        ORDER BY a.id`,
      [count],
    );
    return rows.map((r) => r.slug);
  } finally {
    await client.end();
  }
}

const facts = await postgresFacts();
const machine = {
  cpuModel: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  postgres: facts.version,
  os: `${os.type()} ${os.release()}`,
  loadAverageAtStart: os.loadavg().map((n) => Number(n.toFixed(2))),
};
log(`Accord benchmark (${mode}): scales ${scaleLabels.join(", ")}; ${queries.join(", ")}`);
log(
  `${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.postgres}`,
);
log(
  `pg_stat_statements: ${facts.statStatements}; SQL statements are counted in each server process instead.`,
);
log(`load average at start: ${machine.loadAverageAtStart.join(" ")}`);

const baseline = args.baseline
  ? checkoutOf(args.baseline, path.join(os.tmpdir(), "accord-bench-baseline"), log)
  : null;

const runs: Run[] = [];
const underAttack: UnderAttack[] = [];
const checks: Report["checks"] = [];
const databases: Report["databases"] = [];

for (const label of scaleLabels) {
  const scaleStarted = performance.now();
  log(`\n== ${label} articles`);
  const db: BenchDatabase = await ensureDatabase(baseUrl, label, articlesOf(label), log);
  databases.push({ label, ...db });
  const slugs = await pickSlugs(db.url, settings.articlePageSlugs);
  const probe = new PostgresProbe(adminUrl, db.name);
  await probe.connect();
  try {
    /** Measures `list` one query after the other on the server `handle` holds. */
    const measureAll = async (
      handle: ServerHandle,
      row: ServerLabel,
      flavour: "accord" | "postgraphile",
      list: readonly QueryName[],
    ) => {
      for (const query of list) {
        const bodies = requestBodies(query, flavour, slugs);
        runs.push(
          await handle.use(`${query} (${row})`, (server) =>
            measure(server, probe, label, query, row, bodies),
          ),
        );
      }
    };
    if (baseline) {
      await withServer(
        "accord",
        {
          root: baseline.root,
          databaseUrl: db.url,
          env: { ACCORD_RESPONSE_CACHE: "off" },
          logName: `accord-${baseline.commit}-${label}`,
        },
        (handle) => measureAll(handle, `accord@${baseline.commit}`, "accord", queries),
      );
    }
    const accordAnswers = await withServer(
      "accord",
      { databaseUrl: db.url, env: { ACCORD_RESPONSE_CACHE: "off" }, logName: `accord-${label}` },
      async (handle) => {
        const found = await handle.use("the answers check", (server) =>
          answers(server, "accord", slugs),
        );
        await measureAll(handle, "accord", "accord", queries);
        if (queries.includes("ArticlePage")) {
          // Last on this server, so that what the attack leaves behind touches no other row.
          const requests = hostileRequests(await hostileTargets(db.url, slugs));
          const bodies = requestBodies("ArticlePage", "accord", slugs);
          const quiet = runs.find(
            (r) => r.scale === label && r.query === "ArticlePage" && r.server === "accord",
          );
          const row = await handle.use(
            "ArticlePage under attack",
            (server) => measureUnderAttack(server, probe, label, bodies, requests, quiet),
            { repeat: false },
          );
          // Next to the quiet row in the table.
          runs.splice(quiet ? runs.indexOf(quiet) + 1 : runs.length, 0, row.attacked);
          underAttack.push(row);
        }
        return found;
      },
    );
    if (queries.includes("ArticlePage")) {
      // The cached row, then the in-memory server with Accord's own ArticlePage answers (read
      // back from the warm cache: cheap, and the same bytes), one right after the other.
      const requests = requestBodies("ArticlePage", "accord", slugs);
      const responses = await withServer(
        "accord",
        {
          databaseUrl: db.url,
          env: { ACCORD_RESPONSE_CACHE: "memory" },
          logName: `accord-cache-${label}`,
        },
        async (handle) => {
          await measureAll(handle, "accord+cache", "accord", ["ArticlePage"]);
          return handle.use("reading the ArticlePage answers", async (server) => {
            const list: { request: string; response: string }[] = [];
            for (const request of requests) {
              list.push({ request, response: (await ask(server.url, request)).text });
            }
            return list;
          });
        },
      );
      const file = path.join(tmpDir, `article-page-responses-${label}.json`);
      writeFileSync(file, JSON.stringify(responses));
      await withServer(
        "memory",
        { env: { BENCH_RESPONSES: file }, logName: `memory-${label}` },
        async (handle) => {
          runs.push(
            await handle.use("ArticlePage (memory)", (server) =>
              measure(server, probe, label, "ArticlePage", "memory", requests),
            ),
          );
        },
      );
    }
    const floorQueries = queries.filter((query) => FLOOR_QUERIES.includes(query));
    if (floorQueries.length > 0) {
      // The floor: each query's one statement, its result written out as the response.
      await withServer(
        "floor",
        { databaseUrl: db.url, logName: `floor-${label}` },
        async (handle) => {
          const found = await handle.use("the floor's answers check", (server) =>
            answers(server, "accord", slugs, floorQueries),
          );
          for (const query of floorQueries) {
            const expected = accordAnswers.get(query) ?? [];
            const got = found.get(query) ?? [];
            const detail =
              typeof expected === "string"
                ? expected
                : typeof got === "string"
                  ? got
                  : difference(expected, got);
            checks.push({
              scale: label,
              query: `${query} (floor)`,
              equal: detail === null,
              detail: detail ?? `${Array.isArray(got) ? got.length : 0} answer(s) equal`,
            });
            log(
              `    check ${query} floor: ${detail === null ? "same data" : `DIFFERENT ${detail}`}`,
            );
          }
          for (const query of floorQueries) {
            const requests = requestBodies(query, "accord", slugs);
            runs.push(
              await handle.use(`${query} (floor)`, (server) =>
                measure(server, probe, label, query, "floor", requests),
              ),
            );
          }
        },
      );
    }
    const postgraphileAnswers = await withServer(
      "postgraphile",
      { databaseUrl: db.url, logName: `postgraphile-${label}` },
      async (handle) => {
        const found = await handle.use("the answers check", (server) =>
          answers(server, "postgraphile", slugs),
        );
        await measureAll(handle, "postgraphile", "postgraphile", queries);
        return found;
      },
    );
    for (const query of queries) {
      const a = accordAnswers.get(query) ?? [];
      const b = postgraphileAnswers.get(query) ?? [];
      const detail = typeof a === "string" ? a : typeof b === "string" ? b : difference(a, b);
      const count = Array.isArray(a) ? a.length : 0;
      checks.push({
        scale: label,
        query,
        equal: detail === null,
        detail: detail ?? `${count} answer(s) equal`,
      });
      log(
        `    check ${query}: ${detail === null ? `same data (${count} answer${count > 1 ? "s" : ""})` : `DIFFERENT ${detail}`}`,
      );
    }
  } finally {
    await probe.close();
  }
  log(`  ${label}: ${((performance.now() - scaleStarted) / 1000).toFixed(0)} s`);
}

addRatios(runs);
const goalList = goals(runs, scaleLabels);
const report: Report = {
  format: 1,
  date: new Date().toISOString(),
  mode,
  totalSeconds: Math.round((performance.now() - started) / 1000),
  machine,
  software: {
    accord: gitFacts(),
    postgraphile: packageVersion("postgraphile"),
    autocannon: packageVersion("autocannon"),
  },
  settings: {
    ...settings,
    scales: scaleLabels,
    queries,
    variables: (await import("./lib/queries.js")).VARIABLES,
  },
  databases,
  checks,
  restarts,
  runs,
  underAttack,
  goals: goalList,
  notes: [
    "One server process at a time on the same 2 cores as Postgres and the load generator (autocannon, in the benchmark's own process); each row is a closed loop of 20 connections. `memory` is a plain node:http server answering Accord's ArticlePage bytes from memory: the HTTP ceiling here.",
    "Accord runs as in production: `node --max-semi-space-size=32 --import tsx src/index.ts` (every server gets the same flag), NODE_ENV=production, its defaults otherwise (pool of 10, its request log). `accord+cache` is the same with ACCORD_RESPONSE_CACHE=memory, each request sent once before the warm-up: it measures repeated reads. ArticlePage cycles through 50 articles spread over the table.",
    "PostGraphile 5 (Amber preset, pool of 10, ordering by any column as in PostGraphile 4) runs over the same database; Accord's derived fields are SQL functions there (bench/sql/postgraphile.sql). Every run compares both servers' answers (for ArticlePage, 10 of its 50 articles) after reducing them to the same form (ids to row keys, cursors dropped).",
    `SQL/req counts the statements each server process sends through node-postgres (bench/servers/count-queries.ts), divided by the requests sent in the window; pg_stat_statements is ${facts.statStatements.startsWith("available") ? "available but not used" : "not usable on this server (it needs shared_preload_libraries and a restart)"}. latest.json also has committed transactions per request from pg_stat_database, as a cross-check.`,
    "Server CPU is the process's user+system time from /proc/<pid>/stat over the window; Postgres CPU is that of the backends connected to the benchmark's database (sampled every 0.5 s, so one that exits midway counts too). Both are divided by requests sent. \"others' CPU\" is the share of both cores used by anything else meanwhile (other work on this shared machine, autovacuum): where it is high, the row ran on less than the whole machine.",
    `\`accord+attack\` is ArticlePage on the \`accord\` server once more, after its other rows, while ${settings.hostileConnections} more connections send the hostile requests of bench/lib/hostile.ts (the attacks of the "Bounded work" report), each in a closed loop. They start first: the 800 distinct list requests are each sent once, and the normal window opens when they are answered (at least ${settings.hostileLeadInSeconds} s on); the hostile loops stop when it closes. Every hostile answer counts, refusals included, tallied by status and \`extensions.code\`. The ratios are to the \`accord\` row, the same process measured quiet; SQL and CPU per request in this row count every request sent, normal and hostile; peak RSS is the server's resident memory sampled every 100 ms. Errors in this row are normal requests the attack made fail.`,
    ...(baseline
      ? [
          `\`accord@${baseline.commit}\` is Accord as of commit ${baseline.commit} (\`--baseline ${args.baseline}\`), from its own export of that commit's files, started the same way right before the \`accord\` rows over the same database: its "vs PostGraphile" beside the \`accord\` row's is the change's effect, measured in one run.`,
        ]
      : []),
    "A row with errors (non-200 answers, GraphQL errors, socket errors or timeouts) is marked ⚠ and its figures are not to be trusted.",
  ],
};

const files = await writeReport(resultsDir, report);
log(`\n${textTable(runs)}\n`);
if (underAttack.length > 0) log(`Under attack:\n${underAttackText(underAttack)}\n`);
log(goalsText(goalList));
const failedChecks = checks.filter((c) => !c.equal);
if (failedChecks.length > 0)
  log(`\n⚠ answers differ: ${failedChecks.map((c) => `${c.scale} ${c.query}`).join(", ")}`);
log(
  `\nWrote ${path.relative(repoRoot, files.json)} and ${path.relative(repoRoot, files.md)}; ${report.totalSeconds} s in all.`,
);
