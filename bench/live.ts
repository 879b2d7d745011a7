/**
 * Subscription fan-out: how fast committed edits reach many subscribers on one instance, and
 * how long from commit to delivery. Accord runs as its own process (as in production) on a
 * fresh, seeded database; this process holds the subscribers, one WebSocket each, and makes
 * the edits by SQL (a write from outside Accord, heard through the same change feed), timing
 * each from the moment its commit returns.
 *
 * Two shapes of 1,000 subscribers: all on one subscription (shared: one read per edit), and
 * each on its own document (distinct: one read per subscriber and edit, the worst case). Each
 * shape runs paced (a steady rate, for latency) and flat out (edits back to back).
 *
 *   npm run bench:live [-- --subscribers 1000 --seconds 5 --rate 20]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import pg from "pg";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

const { values } = parseArgs({
  options: {
    subscribers: { type: "string", default: "1000" },
    seconds: { type: "string", default: "5" },
    rate: { type: "string", default: "20" },
  },
});
const SUBSCRIBERS = Number(values.subscribers);
const SECONDS = Number(values.seconds);
const RATE = Number(values.rate);
const BASE_URL = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  return port;
}

function databaseUrl(name: string): string {
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function run(command: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(command[0]!, command.slice(1), {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const [code] = (await once(child, "exit")) as [number];
  if (code !== 0) throw new Error(`${command.join(" ")} exited with ${code}`);
}

async function startAccord(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn("node", ["--max-semi-space-size=32", "--import", "tsx", "src/index.ts"], {
    env: { ...env, PORT: String(port), ACCORD_LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let tries = 0; tries < 300; tries++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    await sleep(100);
  }
  throw new Error("Accord did not start");
}

/** Milliseconds at percentile `p` of sorted `values`. */
const at = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

interface Subscriber {
  client: Client;
  /** When each title was first seen. */
  seen: Map<string, number>;
}

async function subscribeAll(url: string, distinct: boolean): Promise<Subscriber[]> {
  const subscribers: Subscriber[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false });
    const seen = new Map<string, number>();
    // A distinct document per subscriber: an alias of its own.
    const field = distinct ? `t${i}: title` : "title";
    ready.push(
      new Promise<void>((resolve, reject) => {
        client.subscribe<Record<string, { [key: string]: string }>>(
          { query: `subscription { article(slug: "${SLUG}") { ${field} } }` },
          {
            next: ({ data }) => {
              const title = Object.values(data?.article ?? {})[0];
              if (title !== undefined && !seen.has(title)) seen.set(title, performance.now());
              resolve();
            },
            error: (error) => reject(new Error(JSON.stringify(error))),
            complete: () => undefined,
          },
        );
      }),
    );
    subscribers.push({ client, seen });
    // Connections opened in small batches: a burst of 1,000 handshakes is not what is measured.
    if (i % 50 === 49) await Promise.all(ready.slice(-50));
  }
  await Promise.all(ready);
  return subscribers;
}

async function edits(
  sql: pg.Client,
  label: string,
  subscribers: Subscriber[],
  pace: number | null,
): Promise<void> {
  for (const s of subscribers) s.seen.clear();
  const committed: { title: string; at: number }[] = [];
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < SECONDS * 1000) {
    const title = `${label} edit ${++n}`;
    await sql.query(`UPDATE "Article" SET "title" = $1 WHERE "slug" = $2`, [title, SLUG]);
    committed.push({ title, at: performance.now() });
    if (pace) {
      const next = start + (n * 1000) / pace;
      await sleep(Math.max(0, next - performance.now()));
    }
  }
  const elapsed = (performance.now() - start) / 1000;
  // Time for the last edit to arrive.
  const last = committed.at(-1)!.title;
  const settleBy = performance.now() + 30_000;
  while (subscribers.some((s) => !s.seen.has(last)) && performance.now() < settleBy)
    await sleep(20);
  const latencies: number[] = [];
  let complete = 0;
  for (const { title, at: t } of committed) {
    const arrivals = subscribers.map((s) => s.seen.get(title));
    if (arrivals.every((a) => a !== undefined)) complete++;
    for (const a of arrivals) if (a !== undefined) latencies.push(a - t);
  }
  latencies.sort((a, b) => a - b);
  const deliveries = subscribers.reduce((sum, s) => sum + s.seen.size, 0);
  const allSawLast = subscribers.every((s) => s.seen.has(last));
  console.log(
    [
      label.padEnd(18),
      `${(committed.length / elapsed).toFixed(1).padStart(7)} edits/s`,
      `${(complete / elapsed).toFixed(1).padStart(7)} edits/s to all ${SUBSCRIBERS}`,
      `${((complete / committed.length) * 100).toFixed(0).padStart(4)} % of edits seen by all`,
      `${(deliveries / elapsed).toFixed(0).padStart(7)} deliveries/s`,
      `latency p50 ${at(latencies, 50).toFixed(1)} ms, p99 ${at(latencies, 99).toFixed(1)} ms, max ${at(latencies, 100).toFixed(1)} ms`,
      allSawLast ? "last edit reached all" : "LAST EDIT MISSING",
    ].join("  "),
  );
}

async function main() {
  const name = `accord_bench_live_${process.pid}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = databaseUrl(name);
  const env = { ...process.env, DATABASE_URL: url, NODE_ENV: "production" };
  let accord: ChildProcess | undefined;
  const sql = new pg.Client({ connectionString: url });
  try {
    await run(["npx", "tsx", "src/cli/migrate.ts"], env);
    await run(["npx", "tsx", "src/cli/seed.ts"], env);
    const port = await freePort();
    accord = await startAccord(
      { ...env, ACCORD_WS_MAX_CONNECTIONS: String(SUBSCRIBERS + 10), ACCORD_RESPONSE_CACHE: "off" },
      port,
    );
    await sql.connect();
    console.log(
      `Subscription fan-out: ${SUBSCRIBERS} subscribers on one instance, one WebSocket each; ` +
        `edits by SQL for ${SECONDS} s each, paced at ${RATE}/s or back to back`,
    );
    for (const distinct of [false, true]) {
      const shape = distinct ? "distinct" : "shared";
      const subscribers = await subscribeAll(`ws://127.0.0.1:${port}/graphql`, distinct);
      await edits(sql, `${shape} paced`, subscribers, RATE);
      await edits(sql, `${shape} flat out`, subscribers, null);
      await Promise.all(subscribers.map(async (s) => s.client.dispose()));
    }
  } finally {
    await sql.end().catch(() => undefined);
    accord?.kill("SIGTERM");
    if (accord) await once(accord, "exit");
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

await main();
