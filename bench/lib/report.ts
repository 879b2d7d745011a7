/**
 * The benchmark's results: the table (stdout and Markdown), the goal checks, and the files
 * bench/results/latest.json (stable format, `format: 1`) and latest.md.
 */
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { BenchDatabase } from "./data.js";
import type { HostileResult } from "./hostile.js";
import type { LoadResult } from "./load.js";
import type { WindowCost } from "./metrics.js";
import type { QueryName } from "./queries.js";

/** `accord@<commit>`: Accord as of an earlier commit (`--baseline`), run beside the current one. */
export type ServerLabel =
  | "accord"
  | "accord+cache"
  | "accord+attack"
  | `accord@${string}`
  | "postgraphile"
  | "memory"
  | "floor";

export interface Run {
  scale: string;
  query: QueryName;
  server: ServerLabel;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  completed: number;
  sent: number;
  seconds: number;
  errors: LoadResult["errors"];
  errorCount: number;
  errorSample: string | null;
  /** True when any request failed: the figures of such a run are not to be trusted. */
  flagged: boolean;
  sqlPerRequest: number;
  /** Transactions committed in the database per request (pg_stat_database), a cross-check. */
  xactPerRequest: number;
  rowsReturnedPerRequest: number;
  serverCpuMsPerRequest: number;
  postgresCpuMsPerRequest: number;
  machineBusyPercent: number;
  /** Share of all CPUs that other processes used during the window (see WindowCost). */
  otherCpuPercent: number;
  /** Throughput over PostGraphile's for the same scale and query. */
  vsPostgraphile: number | null;
}

export function makeRun(
  scale: string,
  query: QueryName,
  server: ServerLabel,
  load: LoadResult,
  cost: WindowCost,
): Run {
  // The server works on every request it received, answered in the window or not.
  const per = (value: number) => (load.sent > 0 ? value / load.sent : 0);
  return {
    scale,
    query,
    server,
    requestsPerSecond: load.requestsPerSecond,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    maxMs: load.maxMs,
    completed: load.completed,
    sent: load.sent,
    seconds: load.seconds,
    errors: load.errors,
    errorCount: load.errorCount,
    errorSample: load.errorSample,
    flagged: load.errorCount > 0 || load.completed === 0,
    sqlPerRequest: per(cost.statements),
    xactPerRequest: per(cost.db.xactCommit + cost.db.xactRollback),
    rowsReturnedPerRequest: per(cost.db.tupReturned),
    serverCpuMsPerRequest: per(cost.serverCpuMs),
    postgresCpuMsPerRequest: per(cost.postgresCpuMs),
    machineBusyPercent: cost.machineBusyPercent,
    otherCpuPercent: cost.otherCpuPercent,
    vsPostgraphile: null,
  };
}

/** Fills in each run's throughput ratio to PostGraphile's (the attacked row has its quiet row). */
export function addRatios(runs: Run[]) {
  for (const run of runs) {
    if (run.server === "postgraphile" || run.server === "memory" || run.server === "accord+attack")
      continue;
    const peer = runs.find(
      (r) => r.server === "postgraphile" && r.scale === run.scale && r.query === run.query,
    );
    run.vsPostgraphile =
      peer && peer.requestsPerSecond > 0 ? run.requestsPerSecond / peer.requestsPerSecond : null;
  }
}

/**
 * ArticlePage on Accord while hostile requests run from their own connections, beside the
 * `accord` ArticlePage row of the same server process (measured quiet, earlier in the run).
 */
export interface UnderAttack {
  scale: string;
  /**
   * The `accord+attack` row (also in `runs`). Its SQL and CPU per request count every request
   * sent in the window, normal and hostile.
   */
  attacked: Run;
  quiet: { requestsPerSecond: number; p50Ms: number; p99Ms: number; errorCount: number } | null;
  /** Under attack ÷ quiet. */
  throughputRatio: number | null;
  p99Ratio: number | null;
  hostile: HostileResult;
  /**
   * The server's resident memory: when the hostile requests start, the most sampled every
   * 100 ms until their last answer, and the high-water mark since the process started (VmHWM).
   */
  rss: { beforeBytes: number; peakBytes: number; highWaterMarkBytes: number | null };
  /** Server CPU from the first hostile request to the last answer, % of one core. */
  serverCpuPercent: number;
  /** Set when the server exited during the window: its last log line. */
  serverExited: string | null;
}

export function makeUnderAttack(
  attacked: Run,
  quiet: Run | undefined,
  hostile: HostileResult,
  cost: WindowCost,
  rss: UnderAttack["rss"],
  serverExited: string | null,
  /** From the start of the hostile requests to the last of their answers. */
  costSeconds: number,
): UnderAttack {
  // The server's work in the window is the hostile requests' too.
  const all = attacked.sent + hostile.sent;
  const per = (value: number) => (all > 0 ? value / all : 0);
  attacked.sqlPerRequest = per(cost.statements);
  attacked.xactPerRequest = per(cost.db.xactCommit + cost.db.xactRollback);
  attacked.rowsReturnedPerRequest = per(cost.db.tupReturned);
  attacked.serverCpuMsPerRequest = per(cost.serverCpuMs);
  attacked.postgresCpuMsPerRequest = per(cost.postgresCpuMs);
  const ratio = (a: number, b: number | undefined) => (b && b > 0 ? a / b : null);
  return {
    scale: attacked.scale,
    attacked,
    quiet: quiet
      ? {
          requestsPerSecond: quiet.requestsPerSecond,
          p50Ms: quiet.p50Ms,
          p99Ms: quiet.p99Ms,
          errorCount: quiet.errorCount,
        }
      : null,
    throughputRatio: ratio(attacked.requestsPerSecond, quiet?.requestsPerSecond),
    p99Ratio: ratio(attacked.p99Ms, quiet?.p99Ms),
    hostile,
    rss,
    serverCpuPercent: costSeconds > 0 ? cost.serverCpuMs / (10 * costSeconds) : 0,
    serverExited,
  };
}

const mb = (bytes: number | null) =>
  bytes === null ? "-" : `${fmt(bytes / 2 ** 20, bytes < 10 * 2 ** 20 ? 1 : 0)} MB`;
const tally = (answers: Record<string, number>) =>
  Object.entries(answers)
    .sort((a, b) => b[1] - a[1])
    .map(([answer, n]) => `${answer} ×${n}`)
    .join(", ");

/** The row in a line, as printed when it is measured. */
export function underAttackLine(u: UnderAttack): string {
  const a = u.attacked;
  const q = u.quiet;
  return (
    `ArticlePage under attack ${fmt(a.requestsPerSecond, 0)} req/s (quiet ${q ? fmt(q.requestsPerSecond, 0) : "-"}, ${fmt(u.throughputRatio ?? NaN, 2)}×), ` +
    `p50 ${fmt(a.p50Ms, 0)} ms, p99 ${fmt(a.p99Ms, 0)} ms (quiet ${q ? fmt(q.p99Ms, 0) : "-"}, ${fmt(u.p99Ratio ?? NaN, 2)}×), ` +
    `${a.errorCount} normal errors${a.errorCount > 0 ? ` ${JSON.stringify(a.errors)}` : ""}; ` +
    `peak RSS ${mb(u.rss.peakBytes)} (from ${mb(u.rss.beforeBytes)}); server CPU ${fmt(u.serverCpuPercent, 0)} % of a core; ` +
    `${u.hostile.sent} hostile sent, ${u.hostile.answered} answered (the sweep took ${fmt(u.hostile.sweepSeconds)} s)` +
    (u.serverExited ? `; ⚠ the server exited: ${u.serverExited}` : "")
  );
}

/** Each scale's row and its hostile requests' answers, as text. */
export function underAttackText(list: UnderAttack[]): string {
  return list
    .map(
      (u) =>
        `${u.scale}: ${underAttackLine(u)}\n` +
        u.hostile.requests
          .map(
            (t) =>
              `      ${t.name.padEnd(22)} ${String(t.sent).padStart(5)} sent${t.variants > 1 ? ` (${t.distinct} distinct)` : ""}  max ${fmt(t.maxMs, 0)} ms  ${mb(t.bytes)}  ${tally(t.answers)}`,
          )
          .join("\n"),
    )
    .join("\n");
}

function underAttackMarkdown(list: UnderAttack[]): string {
  if (list.length === 0) return "";
  const summary = [
    "| scale | req/s quiet | req/s under attack | ratio | p99 quiet | p99 under attack | ratio | normal errors | peak RSS | server CPU | hostile sent | hostile answered |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...list
      .map((u) =>
        [
          u.scale,
          u.quiet ? fmt(u.quiet.requestsPerSecond, 0) : "-",
          fmt(u.attacked.requestsPerSecond, 0),
          u.throughputRatio === null ? "-" : `${fmt(u.throughputRatio, 2)}×`,
          u.quiet ? `${fmt(u.quiet.p99Ms, 0)} ms` : "-",
          `${fmt(u.attacked.p99Ms, 0)} ms`,
          u.p99Ratio === null ? "-" : `${fmt(u.p99Ratio, 2)}×`,
          u.attacked.errorCount > 0 ? `${u.attacked.errorCount} ⚠` : "0",
          `${mb(u.rss.peakBytes)} (from ${mb(u.rss.beforeBytes)})`,
          `${fmt(u.serverCpuPercent, 0)} %`,
          String(u.hostile.sent),
          String(u.hostile.answered),
        ].join(" | "),
      )
      .map((line) => `| ${line} |`),
  ].join("\n");
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  const details = list.map((u) => {
    const lines = [`### ${u.scale}: hostile answers`, ""];
    if (u.serverExited) {
      lines.push(
        `⚠ The server exited during the window; its last log line: ${code(u.serverExited)}`,
        "",
      );
    }
    if (u.attacked.errorCount > 0) {
      const sample = u.attacked.errorSample
        ? `; first failure: ${code(u.attacked.errorSample)}`
        : "";
      lines.push(`Normal requests failed: ${JSON.stringify(u.attacked.errors)}${sample}.`, "");
    }
    lines.push(
      "| request | what | sent | answers (status code ×count) | slowest | received |",
      "| --- | --- | ---: | --- | ---: | ---: |",
      ...u.hostile.requests
        .map((t) =>
          [
            t.name,
            t.description.replace(/\|/g, "\\|"),
            `${t.sent}${t.variants > 1 ? ` (${t.distinct} distinct)` : ""}`,
            tally(t.answers) || "-",
            `${fmt(t.maxMs, 0)} ms`,
            mb(t.bytes),
          ].join(" | "),
        )
        .map((line) => `| ${line} |`),
    );
    return lines.join("\n");
  });
  return `## ArticlePage under attack

${summary}

${details.join("\n\n")}

`;
}
export interface Goal {
  goal: string;
  pass: boolean | null;
  detail: string;
}

const fmt = (n: number, digits = 1) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "-";

export function goals(runs: Run[], scales: string[]): Goal[] {
  const accord = runs.filter((r) => r.server === "accord");
  const first = scales[0]!;
  const last = scales.at(-1)!;
  const out: Goal[] = [];

  const ratioRuns = accord.filter((r) => r.query === "ArticlePage" || r.query === "ArticleList");
  out.push({
    goal: "ArticlePage and ArticleList ≥ 1.5× PostGraphile's throughput (cache off)",
    pass: ratioRuns.length > 0 && ratioRuns.every((r) => (r.vsPostgraphile ?? 0) >= 1.5),
    detail: ratioRuns
      .map((r) => `${r.query} ${r.scale}: ${fmt(r.vsPostgraphile ?? NaN, 2)}×`)
      .join(", "),
  });

  const slow = accord.filter((r) => !(r.p99Ms < 50));
  out.push({
    goal: "p99 < 50 ms (every Accord query, every scale)",
    pass: accord.length > 0 && slow.length === 0,
    detail:
      slow.length === 0
        ? "all under 50 ms"
        : `over: ${slow.map((r) => `${r.query} ${r.scale} ${fmt(r.p99Ms, 0)} ms`).join(", ")}`,
  });

  const flat = [...new Set(accord.map((r) => r.query))].map((query) => {
    const a = accord.find((r) => r.query === query && r.scale === first);
    const b = accord.find((r) => r.query === query && r.scale === last);
    const ratio = a && b && a.p50Ms > 0 ? b.p50Ms / a.p50Ms : NaN;
    return { query, ratio, a, b };
  });
  out.push({
    goal: `p50 flat from ${first} to ${last} (within 1.5×)`,
    pass: scales.length > 1 ? flat.every((f) => f.ratio <= 1.5) : null,
    detail: flat
      .map(
        (f) =>
          `${f.query} ${fmt(f.a?.p50Ms ?? NaN, 0)} → ${fmt(f.b?.p50Ms ?? NaN, 0)} ms (${fmt(f.ratio, 2)}×)`,
      )
      .join(", "),
  });

  const statements = [...new Set(accord.map((r) => r.query))].map((query) => {
    const values = accord.filter((r) => r.query === query).map((r) => r.sqlPerRequest);
    return { query, values, constant: new Set(values.map((v) => Math.round(v))).size === 1 };
  });
  out.push({
    goal: "SQL statements per request constant across scales",
    pass: scales.length > 1 ? statements.every((s) => s.constant) : null,
    detail: statements
      .map((s) => `${s.query} ${s.values.map((v) => fmt(v)).join(" / ")}`)
      .join(", "),
  });

  const cached = runs
    .filter((r) => r.server === "accord+cache")
    .map((r) => ({
      run: r,
      memory: runs.find((m) => m.server === "memory" && m.scale === r.scale),
    }));
  out.push({
    goal: "ArticlePage with the response cache ≥ 0.5× the in-memory server",
    pass:
      cached.length > 0 && cached.every((c) => c.memory)
        ? cached.every((c) => c.run.requestsPerSecond >= 0.5 * c.memory!.requestsPerSecond)
        : null,
    detail: cached
      .map(
        ({ run, memory }) =>
          `${run.scale}: ${fmt(run.requestsPerSecond, 0)} vs ${fmt(memory?.requestsPerSecond ?? NaN, 0)} req/s (${fmt(run.requestsPerSecond / (memory?.requestsPerSecond ?? NaN), 2)}×)`,
      )
      .join(", "),
  });

  // How close each query comes to its floor: its one statement, written out. The floor's own
  // ratio to PostGraphile is the most any server could show on this machine.
  const floors = runs
    .filter((r) => r.server === "accord")
    .map((r) => ({
      run: r,
      floor: runs.find((f) => f.server === "floor" && f.query === r.query && f.scale === r.scale),
      peer: runs.find(
        (p) => p.server === "postgraphile" && p.query === r.query && p.scale === r.scale,
      ),
    }))
    .filter((f) => f.floor);
  out.push({
    goal: "Accord beside the floor (one statement returning the response, plain node:http)",
    pass: null,
    detail: floors
      .map(
        ({ run, floor, peer }) =>
          `${run.query} ${run.scale}: ${fmt(run.requestsPerSecond, 0)} vs ${fmt(floor!.requestsPerSecond, 0)} req/s (${fmt(run.requestsPerSecond / floor!.requestsPerSecond, 2)}×; the floor is ${fmt(floor!.requestsPerSecond / (peer?.requestsPerSecond ?? NaN), 2)}× PostGraphile), server CPU ${fmt(run.serverCpuMsPerRequest, 2)} vs ${fmt(floor!.serverCpuMsPerRequest, 2)} ms/req`,
      )
      .join("; "),
  });
  return out;
}

const COLUMNS = [
  "scale",
  "query",
  "server",
  "req/s",
  "p50 ms",
  "p99 ms",
  "errors",
  "SQL/req",
  "server CPU ms/req",
  "Postgres CPU ms/req",
  "vs PostGraphile",
  "others' CPU",
];

function rows(runs: Run[]): string[][] {
  return runs.map((r) => [
    r.scale,
    r.query,
    r.server,
    fmt(r.requestsPerSecond, 0),
    r.completed > 0 ? fmt(r.p50Ms, 0) : "-",
    r.completed > 0 ? fmt(r.p99Ms, 0) : "-",
    r.errorCount > 0 ? `${r.errorCount} ⚠` : r.completed === 0 ? "no answer ⚠" : "0",
    fmt(r.sqlPerRequest),
    fmt(r.serverCpuMsPerRequest, 2),
    fmt(r.postgresCpuMsPerRequest, 2),
    r.vsPostgraphile === null ? "" : `${fmt(r.vsPostgraphile, 2)}×`,
    `${fmt(r.otherCpuPercent, 0)} %`,
  ]);
}

/** The table as aligned text, for the terminal. */
export function textTable(runs: Run[]): string {
  const all = [COLUMNS, ...rows(runs)];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  const right = (i: number) => i >= 3;
  return all
    .map((row, n) => {
      const line = row
        .map((cell, i) => (right(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join("  ");
      return n === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

function markdownTable(runs: Run[]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [
    line(COLUMNS),
    line(COLUMNS.map((_, i) => (i >= 3 ? "---:" : "---"))),
    ...rows(runs).map(line),
  ].join("\n");
}

export interface Report {
  format: 1;
  date: string;
  mode: "quick" | "full" | "custom";
  totalSeconds: number;
  machine: Record<string, unknown>;
  software: Record<string, unknown>;
  settings: Record<string, unknown>;
  databases: (BenchDatabase & { label: string })[];
  checks: {
    scale: string;
    query: QueryName | `${QueryName} (floor)`;
    equal: boolean;
    detail: string;
  }[];
  /** Servers that exited mid-run (stopped from outside) and were started again. */
  restarts: { server: string; during: string; lastLogLine: string }[];
  runs: Run[];
  /** ArticlePage on Accord while hostile requests run, beside the quiet row. */
  underAttack: UnderAttack[];
  goals: Goal[];
  notes: string[];
}

export function goalsText(list: Goal[]): string {
  return list
    .map(
      (g) => `${g.pass === null ? "n/a " : g.pass ? "PASS" : "FAIL"}  ${g.goal}\n      ${g.detail}`,
    )
    .join("\n");
}

function markdown(report: Report): string {
  const m = report.machine;
  const s = report.settings;
  const dbs = report.databases
    .map(
      (d) =>
        `| ${d.label} | ${d.articles.toLocaleString("en-US")} | ${(d.sizeBytes / 2 ** 20).toFixed(0)} MB | ${
          d.built
            ? `built in this run: ${d.buildSeconds} s`
            : `reused (built in ${d.buildSeconds} s)`
        } |`,
    )
    .join("\n");
  return `# Accord beside PostGraphile 5: latest benchmark

${report.date}, \`npm run bench${report.mode === "quick" ? " -- --quick" : report.mode === "custom" ? " -- …" : ""}\` (${report.mode}), ${report.totalSeconds} s in all.
${String(m.cpuModel)}, ${String(m.cores)} cores, ${String(m.memoryGiB)} GiB; Node ${String(m.node)}; ${String(m.postgres)}; load average at the start ${(m.loadAverageAtStart as number[]).join(", ")}.
${String(s.connections)} connections, ${String(s.warmupSeconds)} s warm-up then ${String(s.windowSeconds)} s measured per row; one server at a time.

${markdownTable(report.runs)}

## Goals

${report.goals.map((g) => `- **${g.pass === null ? "n/a" : g.pass ? "pass" : "FAIL"}**: ${g.goal}. ${g.detail}`).join("\n")}

${
  report.runs.some((r) => r.flagged)
    ? `## Rows marked ⚠\n\n${report.runs
        .filter((r) => r.flagged)
        .map(
          (r) =>
            `- ${r.scale} ${r.query} ${r.server}: ${r.completed} answered of ${r.sent} sent; ${JSON.stringify(r.errors)}${r.errorSample ? `; first failure: \`${r.errorSample.replace(/`/g, "'")}\`` : ""}`,
        )
        .join("\n")}\n\n`
    : ""
}${underAttackMarkdown(report.underAttack)}## Answers compared

${report.checks.map((c) => `- ${c.scale} ${c.query}: ${c.equal ? "same data from both servers" : `DIFFERENT: ${c.detail}`}`).join("\n")}

${
  report.restarts.length > 0
    ? `## Restarts\n\n${report.restarts.map((r) => `- ${r.server} stopped during ${r.during} and was started again; its last log line: \`${r.lastLogLine}\``).join("\n")}\n\n`
    : ""
}## Databases

| scale | articles | size | data |
| --- | ---: | ---: | --- |
${dbs}

## How to read it

${report.notes.map((n) => `- ${n}`).join("\n")}
`;
}

async function prettierFormat(text: string, filepath: string): Promise<string> {
  try {
    const prettier = (await import("prettier")) as {
      format(text: string, options: Record<string, unknown>): Promise<string>;
      resolveConfig(file: string): Promise<Record<string, unknown> | null>;
    };
    const config = (await prettier.resolveConfig(filepath)) ?? {};
    return await prettier.format(text, { ...config, filepath });
  } catch {
    return text;
  }
}

/** Writes latest.json and latest.md, formatted as the repository's Prettier check expects. */
export async function writeReport(dir: string, report: Report) {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, "latest.json");
  const md = path.join(dir, "latest.md");
  writeFileSync(json, await prettierFormat(JSON.stringify(report, null, 2) + "\n", json));
  writeFileSync(md, await prettierFormat(markdown(report), md));
  return { json, md };
}
