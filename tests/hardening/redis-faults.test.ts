/**
 * A Redis of the test's own, paused and then killed under a server that caches in it: reads
 * and mutations are answered within Redis's few hundred milliseconds of timeouts, and a
 * committed mutation is reported as committed.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { operation, startTestServer, type TestServer } from "../support/server.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const redisInstalled = spawnSync("redis-server", ["--version"]).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
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
