/**
 * Cache validity comes from Postgres: an instance that is not sure to have heard every commit
 * (its LISTEN connection cut, terminated or silenced) computes its reads, and a hit answers
 * only what this instance, with its settings, would have answered for this response type.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { randomUUID } from "node:crypto";
import { readConfig } from "../../src/config.js";
import { openPostgres, type Database } from "../../src/db/database.js";
import { createServer, type AccordServer } from "../../src/server.js";
import { redisForTests } from "../support/redis.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

interface Answer {
  status: number;
  cache: string | null;
  headers: Record<string, string>;
  text: string;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    cache: response.headers.get("x-cache"),
    headers: Object.fromEntries(response.headers),
    text,
  } satisfies Answer;
}

const profile = `query($id: ID!) { actor(id: $id) { id name description } }`;

async function until(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Raw SQL on the test database, as a tool outside Accord would write. */
async function sql(url: string, text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

/** `db`, except that its LISTEN connection goes through `proxy`. */
function listeningThrough(db: Database, proxy: TcpProxy, url: string) {
  const viaProxy = openPostgres(proxy.urlFor(url));
  const composed = Object.assign(Object.create(db) as Database, {
    listen: (...args: Parameters<Database["listen"]>) => viaProxy.listen(...args),
  });
  return { db: composed, close: () => viaProxy.close() };
}

onPostgres("Response cache: an instance's LISTEN connection", () => {
  let server: TestServer;
  let proxy: TcpProxy;
  let listener: { db: Database; close(): Promise<void> };
  let reader: AccordServer;
  let readerUrl: string;
  let editor: Record<string, string>;
  let actorId: string;
  beforeAll(async () => {
    // The writer: the test server, on the memory cache, listening directly.
    server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "memory" } });
    proxy = await startTcpProxy();
    listener = listeningThrough(server.db, proxy, server.databaseUrl!);
    reader = await createServer(listener.db, readConfig({ ACCORD_RESPONSE_CACHE: "memory" }));
    readerUrl = await reader.listen(0);
    editor = await server.keyFor("EDITOR");
    const created = await server.graphql(
      `mutation { createActor(input: { name: "Envoy Listening", kind: PERSON }) { id } }`,
      {},
      editor,
    );
    actorId = created.data!.createActor.id;
  });
  afterAll(async () => {
    await reader?.stop();
    await listener?.close();
    await proxy?.close();
    await server?.stop();
  });

  const read = () => post(readerUrl, { query: profile, variables: { id: actorId } });
  const description = (answer: Answer) =>
    (JSON.parse(answer.text) as { data: { actor: { description: string | null } } }).data.actor
      .description;
  const warm = async () => {
    await until(async () => (await read()).cache === "hit");
  };

  it("computes every read while the connection is cut, and serves fresh ones once it is back", async () => {
    await warm();
    proxy.cut();
    try {
      await until(async () => (await read()).cache === null, 3_000);
      // A write from outside Accord while this instance cannot hear it.
      await sql(server.databaseUrl!, `UPDATE "Actor" SET "description" = $1 WHERE "name" = $2`, [
        "Written while cut",
        "Envoy Listening",
      ]);
      const during = [await read(), await read()];
      expect(during.map((a) => [a.cache, description(a)])).toEqual([
        [null, "Written while cut"],
        [null, "Written while cut"],
      ]);
    } finally {
      proxy.restore();
    }
    // Back: what it held before the cut is gone, so its first cached answer is fresh.
    await until(async () => (await read()).cache !== null);
    const [again, hit] = [await read(), await read()];
    expect([again.cache, hit.cache]).toEqual(["hit", "hit"]);
    expect([description(again), description(hit)]).toEqual([
      "Written while cut",
      "Written while cut",
    ]);
  });

  it("clears its memory once its LISTEN backend is terminated, and caches again after reconnecting", async () => {
    await warm();
    // Found by its application_name (the writer's goes too).
    const terminated = await sql(
      server.databaseUrl!,
      `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
       WHERE application_name = 'accord-cache' AND datname = current_database()`,
    );
    expect(terminated).toEqual([{ done: true }, { done: true }]);
    // Reconnected: a new backend; the first read after it is computed again.
    await until(async () => (await read()).cache === "miss");
    expect((await read()).cache).toBe("hit");
  });

  it("never serves a read from before an acknowledged mutation while its connection is silenced", async () => {
    await warm();
    proxy.silence();
    const description = `Set while silenced ${randomUUID().slice(0, 8)}`;
    const mutation = await server.graphql(
      `mutation($id: ID!, $d: String) { updateActor(id: $id, input: { description: $d }) { description } }`,
      { id: actorId, d: description },
      editor,
    );
    expect(mutation).toEqual({ status: 200, data: { updateActor: { description } } });
    const after = await read();
    expect(after.cache).not.toBe("hit");
    expect(JSON.parse(after.text)).toEqual({
      data: { actor: { id: actorId, name: "Envoy Listening", description } },
    });
    // It notices, reconnects through the proxy (new connections pass) and caches again.
    await until(async () => (await read()).cache === "hit");
    expect(JSON.parse((await read()).text)).toEqual({
      data: { actor: { id: actorId, name: "Envoy Listening", description } },
    });
  });
});

const redisUp = await redisForTests();

(redisUp ? describe : describe.skip)("Response cache: instances with different settings", () => {
  let server: TestServer;
  let strict: AccordServer;
  let strictUrl: string;
  beforeAll(async () => {
    const shared = {
      REDIS_URL: "redis://127.0.0.1:6379",
      ACCORD_CACHE_PREFIX: `accord-test:${randomUUID()}:`,
    };
    server = await startTestServer({ env: shared });
    strict = await createServer(
      server.db,
      readConfig({ ...shared, ACCORD_INTROSPECTION: "false", ACCORD_MAX_DEPTH: "4" }),
    );
    strictUrl = await strict.listen(0);
  });
  afterAll(async () => {
    await strict?.stop();
    await server?.stop();
  });

  it("does not answer introspection from another instance's entry when its own is off", async () => {
    const query = { query: `{ __schema { queryType { name } } }` };
    const open = [await post(server.url, query), await post(server.url, query)];
    expect(open.map((a) => [a.status, a.cache, a.text])).toEqual([
      [200, "miss", `{"data":{"__schema":{"queryType":{"name":"Query"}}}}\n`],
      [200, "hit", `{"data":{"__schema":{"queryType":{"name":"Query"}}}}\n`],
    ]);
    const refused = await post(strictUrl, query);
    expect([refused.status, refused.cache]).toEqual([400, "miss"]);
    expect(JSON.parse(refused.text)).toMatchObject({
      errors: [{ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }],
    });
  });

  it("does not answer a query deeper than its own limit from another instance's entry", async () => {
    const slug = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
    const deep = {
      query: `query($slug: String!) { article(slug: $slug) { visits { agreements { parties { aliases } } } } }`,
      variables: { slug },
    };
    const deeper = {
      query: `query($slug: String!) { article(slug: $slug) { visits { agreements { citations { article { title } } } } } }`,
      variables: { slug },
    };
    for (const request of [deep, deeper]) {
      await post(server.url, request);
      expect((await post(server.url, request)).cache).toBe("hit");
    }
    const refused = await post(strictUrl, deeper);
    expect([refused.status, refused.cache]).toEqual([400, "miss"]);
    expect(JSON.parse(refused.text)).toMatchObject({
      errors: [{ extensions: { code: "MAX_DEPTH_EXCEEDED" } }],
    });
  });
});

describe("Response cache: the negotiated response type", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "memory" } });
  });
  afterAll(() => server.stop());

  /** What a client can tell apart: everything but the per-request and per-connection headers. */
  const seen = (answer: Answer) => {
    const { date, connection, "x-request-id": id, ...headers } = answer.headers;
    delete headers["keep-alive"];
    expect([date, connection, id]).toEqual([
      expect.any(String),
      expect.any(String),
      expect.any(String),
    ]);
    return { status: answer.status, headers, text: answer.text };
  };

  it.each([
    ["application/graphql-response+json", "application/graphql-response+json; charset=utf-8"],
    ["application/json", "application/json; charset=utf-8"],
    [
      "application/graphql-response+json;q=0.5, application/json",
      "application/json; charset=utf-8",
    ],
    ["*/*", "application/json; charset=utf-8"],
  ])("answers a hit for Accept %s exactly as the miss before it", async (accept, type) => {
    const request = { query: `{ actors(first: 2) { totalCount } }`, variables: { accept } };
    const miss = await post(server.url, request, { accept });
    const hit = await post(server.url, request, { accept });
    expect(seen(miss)).toEqual({
      status: 200,
      headers: {
        "access-control-allow-origin": "*",
        "content-length": String(Buffer.byteLength(miss.text)),
        "content-type": type,
        etag: expect.stringMatching(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/),
        "x-cache": "miss",
      },
      text: `{"data":{"actors":{"totalCount":${JSON.parse(miss.text).data.actors.totalCount}}}}\n`,
    });
    expect(seen(hit)).toEqual({
      ...seen(miss),
      headers: { ...seen(miss).headers, "x-cache": "hit" },
    });
  });

  it("keeps one entry per response type: a hit never answers with another type", async () => {
    const request = { query: `{ actors(first: 3) { totalCount } }` };
    const json = await post(server.url, request, { accept: "application/json" });
    const graphql = await post(server.url, request, {
      accept: "application/graphql-response+json",
    });
    expect([json.cache, json.headers["content-type"]]).toEqual([
      "miss",
      "application/json; charset=utf-8",
    ]);
    expect([graphql.cache, graphql.headers["content-type"]]).toEqual([
      "miss",
      "application/graphql-response+json; charset=utf-8",
    ]);
  });

  it("leaves a request that accepts neither type to the server's own refusal", async () => {
    const request = { query: `{ actors(first: 4) { totalCount } }` };
    const answers = [
      await post(server.url, request, { accept: "text/html" }),
      await post(server.url, request, { accept: "text/html" }),
    ];
    expect(answers.map((a) => [a.status, a.cache])).toEqual([
      [406, null],
      [406, null],
    ]);
  });
});

// A server start that cannot LISTEN yet still answers: uncached.
onPostgres("Response cache: a server that cannot LISTEN", () => {
  let server: TestServer;
  let proxy: TcpProxy;
  let listener: { db: Database; close(): Promise<void> };
  let cut: AccordServer;
  beforeAll(async () => {
    server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
    proxy = await startTcpProxy();
    proxy.cut();
    listener = listeningThrough(server.db, proxy, server.databaseUrl!);
    cut = await createServer(listener.db, readConfig({ ACCORD_RESPONSE_CACHE: "memory" }));
  });
  afterAll(async () => {
    await cut?.stop();
    await listener?.close();
    await proxy?.close();
    await server?.stop();
  });

  it("answers reads computed, and mutations, while its LISTEN connection cannot be opened", async () => {
    const url = await cut.listen(0);
    const editor = await server.keyFor("EDITOR");
    const query = operation("OutcomeTracker");
    const reads = [await post(url, { query }), await post(url, { query })];
    expect(reads.map((r) => [r.status, r.cache])).toEqual([
      [200, null],
      [200, null],
    ]);
    const created = await post(
      url,
      {
        query: `mutation { createActor(input: { name: "Envoy Unheard", kind: PERSON }) { name } }`,
      },
      editor,
    );
    expect(JSON.parse(created.text)).toEqual({ data: { createActor: { name: "Envoy Unheard" } } });
  });
});
