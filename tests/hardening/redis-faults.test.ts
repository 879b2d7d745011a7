/**
 * A Redis of the test's own, paused and then killed under a server that caches in it: reads
 * and mutations are answered within Redis's few hundred milliseconds of timeouts, and a
 * committed mutation is reported as committed. Restarted with its data, it serves nothing
 * from before a change that was made while it was gone.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { redisServerInstalled } from "../support/redis.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const redisInstalled = redisServerInstalled();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** Without `dir`, Redis keeps nothing; with it, every write goes to its append-only file. */
async function startRedis(port: number, dir?: string): Promise<ChildProcess> {
  const persistence = dir
    ? ["--dir", dir, "--appendonly", "yes", "--appendfsync", "always"]
    : ["--appendonly", "no"];
  const redis = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence],
    { stdio: "ignore" },
  );
  for (let i = 0; i < 50; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) return redis;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis-server did not start on port ${port}`);
}

/** The answer and how long it took. */
async function timed<T>(request: () => Promise<T>): Promise<{ answer: T; ms: number }> {
  const started = performance.now();
  const answer = await request();
  return { answer, ms: performance.now() - started };
}

(redisInstalled ? describe : describe.skip)("Redis paused or gone under a caching server", () => {
  let redis: ChildProcess;
  let server: TestServer;
  let editor: Record<string, string>;
  beforeAll(async () => {
    const port = await freePort();
    redis = await startRedis(port);
    server = await startTestServer({
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, ACCORD_CACHE_PREFIX: `faults-${port}:` },
    });
    editor = await server.keyFor("EDITOR");
  });
  afterAll(async () => {
    redis?.kill("SIGCONT");
    redis?.kill("SIGKILL");
    await server?.stop();
  });

  const createActor = (name: string) =>
    server.graphql<{ createActor: { name: string } }>(
      `mutation($input: CreateActorInput!) { createActor(input: $input) { name } }`,
      { input: { name, kind: "PERSON" } },
      editor,
    );

  it("answers reads and mutations promptly while Redis is paused", async () => {
    redis.kill("SIGSTOP");
    try {
      const read = await timed(() => server.graphql(operation("ArticlePage"), { slug: SLUG }));
      const write = await timed(() => createActor("Envoy Paused"));

      expect(read.answer.errors).toBeUndefined();
      expect(read.answer.data).toMatchObject({ article: { slug: SLUG } });
      expect(write.answer).toEqual({
        status: 200,
        data: { createActor: { name: "Envoy Paused" } },
      });
      // Redis's connect and command timeouts are a few hundred milliseconds each.
      expect(read.ms).toBeLessThan(3_000);
      expect(write.ms).toBeLessThan(3_000);
    } finally {
      redis.kill("SIGCONT");
    }
  });

  it("reports a mutation that committed as committed once Redis is gone, and keeps serving reads", async () => {
    redis.kill("SIGKILL");
    await new Promise((resolve) => redis.once("exit", resolve));

    const write = await createActor("Envoy Uncached");
    const read = await server.graphql(operation("ArticlePage"), { slug: SLUG });

    expect(write).toEqual({ status: 200, data: { createActor: { name: "Envoy Uncached" } } });
    expect(await server.db.prisma.actor.count({ where: { name: "Envoy Uncached" } })).toBe(1);
    expect(read.errors).toBeUndefined();
    expect(read.data).toMatchObject({ article: { slug: SLUG } });
  });
});

(redisInstalled ? describe : describe.skip)("Redis restarted with its data", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "accord-redis-"));
  let port: number;
  let redis: ChildProcess;
  let server: TestServer;
  let editor: Record<string, string>;
  const prefix = () => `persist-${port}:`;
  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port, dir);
    server = await startTestServer({
      env: { REDIS_URL: `redis://127.0.0.1:${port}`, ACCORD_CACHE_PREFIX: prefix() },
    });
    editor = await server.keyFor("EDITOR");
  });
  afterAll(async () => {
    redis?.kill("SIGKILL");
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const profile = `query($id: ID!) { actor(id: $id) { name description } }`;
  const keys = async (pattern: string) => {
    const client = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1 });
    try {
      return (await client.keys(pattern)).sort();
    } finally {
      client.disconnect();
    }
  };

  it("serves no entry from before a change made while it was down", async () => {
    const created = await server.graphql<{ createActor: { id: string } }>(
      `mutation { createActor(input: { name: "Envoy Persisted", kind: PERSON, description: "Before" }) { id } }`,
      {},
      editor,
    );
    const id = created.data!.createActor.id;
    const read = () =>
      fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ query: profile, variables: { id } }),
      }).then(async (r) => ({ cache: r.headers.get("x-cache"), body: await r.json() }));
    await read();
    expect(await read()).toEqual({
      cache: "hit",
      body: { data: { actor: { name: "Envoy Persisted", description: "Before" } } },
    });
    const before = await keys(`${prefix()}*:response:*`);
    expect(before.length).toBeGreaterThan(0);

    redis.kill("SIGKILL");
    await new Promise((resolve) => redis.once("exit", resolve));
    const update = await server.graphql(
      `mutation($id: ID!) { updateActor(id: $id, input: { description: "After" }) { description } }`,
      { id },
      editor,
    );
    expect(update).toEqual({ status: 200, data: { updateActor: { description: "After" } } });

    redis = await startRedis(port, dir);
    // Its entries are back, stale ones included...
    expect(await keys(`${prefix()}*:response:*`)).toEqual(before);
    // ...but they belong to a generation no instance reads any more.
    const answers = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const answer = await read();
      answers.push(answer);
      if (answer.cache === "hit") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(answers.at(-1)?.cache).toBe("hit");
    expect(new Set(answers.map((a) => JSON.stringify(a.body)))).toEqual(
      new Set([
        JSON.stringify({ data: { actor: { name: "Envoy Persisted", description: "After" } } }),
      ]),
    );
    const generationOf = (key: string) => key.slice(prefix().length).split(":")[0];
    const now = await keys(`${prefix()}*:response:*`);
    expect(new Set(now.filter((k) => !before.includes(k)).map(generationOf))).not.toEqual(
      new Set(before.map(generationOf)),
    );
  });
});
