/**
 * Mutations with an `Idempotency-Key`, through the real HTTP server: a retry of the same
 * request is answered from the key's record and changes nothing, whatever happened between the
 * commit and the first answer; a different request under a used key, a retry while the first
 * still runs, and a malformed key are refused with their own codes.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { type Database } from "../../src/db/database.js";
import { createApiKey } from "../../src/auth.js";
import { startCommitCutProxy, type CommitCutProxy } from "../faults/support/proxy.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { ownedStack } from "../support/stack.js";

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;
const CREATE = operation("admin/CreateActor");
const UPDATE = operation("admin/UpdateActor");

interface Answer {
  status: number;
  replayed: string | null;
  retryAfter: string | null;
  text: string;
  body: { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<Answer> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  return {
    status: response.status,
    replayed: response.headers.get("idempotent-replayed"),
    retryAfter: response.headers.get("retry-after"),
    text,
    body: JSON.parse(text) as Answer["body"],
  };
}

async function countOf(db: Database, sql: string, ...values: unknown[]): Promise<number> {
  const [row] = await db.prisma.$queryRawUnsafe<{ n: bigint }[]>(sql, ...values);
  return Number(row!.n);
}

const actorsNamed = (db: Database, name: string) =>
  countOf(db, `SELECT count(*) AS n FROM "Actor" WHERE "name" = $1`, name);
const revisionsOf = (db: Database, nodeId: string) =>
  countOf(db, `SELECT count(*) AS n FROM "Revision" WHERE "nodeId" = $1`, nodeId);
const keysRecorded = (db: Database, key: string) =>
  countOf(db, `SELECT count(*) AS n FROM "IdempotencyKey" WHERE "key" = $1`, key);

/** A request refused before it ran: one error with this message and code, and no data. */
const refusedRequest = (message: unknown, code: string) => ({
  errors: [{ message, extensions: { code } }],
});

describe("Idempotency-Key", () => {
  let server: TestServer;
  let editor: Record<string, string>;
  let other: Record<string, string>;
  let keys = 0;
  const newKey = () => `key-${++keys}-${Math.random().toString(36).slice(2)}`;
  const send = (
    query: string,
    variables: Record<string, unknown>,
    key: string | null,
    who: Record<string, string> = editor,
  ) => post(server.url, query, variables, { ...who, ...(key ? { "idempotency-key": key } : {}) });
  const createActor = (name: string, key: string | null, who = editor) =>
    send(CREATE, { input: { name, kind: "ORGANIZATION" } }, key, who);
  /** A new actor, and `update()`: one description change at `expectedVersion` under one key. */
  const actorToUpdate = async (name: string, description: string, expectedVersion: number) => {
    const created = await createActor(name, null);
    const id = created.body.data.createActor.id as string;
    const key = newKey();
    const update = () => send(UPDATE, { id, input: { description }, expectedVersion }, key);
    return { id, key, update };
  };

  beforeAll(async () => {
    server = await startTestServer({
      seeded: false,
      env: { NODE_ENV: "production", ACCORD_IDEMPOTENCY_RETENTION_SECONDS: "3600" },
    });
    editor = await server.keyFor("EDITOR", "Nadia (editor)");
    other = await server.keyFor("EDITOR", "Omar (editor)");
  });
  afterAll(() => server.stop());

  it("answers a retry of a create with the first answer, marked replayed, and creates nothing more", async () => {
    const key = newKey();
    const first = await createActor("Replay Commission", key);
    const retry = await createActor("Replay Commission", key);
    const again = await createActor("Replay Commission", `"${key}"`);

    expect(first).toMatchObject({ status: 200, replayed: null });
    expect(first.body).toEqual({
      data: {
        createActor: {
          id: expect.any(String),
          name: "Replay Commission",
          kind: "ORGANIZATION",
          aliases: ["Replay Commission"],
          description: null,
          version: 1,
        },
      },
    });
    // The same bytes, and the quoted form of a key is the same key.
    for (const replay of [retry, again]) {
      expect(replay).toMatchObject({ status: 200, replayed: "true", text: first.text });
    }
    expect(await actorsNamed(server.db, "Replay Commission")).toBe(1);
    expect(await revisionsOf(server.db, first.body.data.createActor.id)).toBe(1);
  });

  it("answers a retry of an update without a second revision or version", async () => {
    const { id, update } = await actorToUpdate("Update Once Council", "Met once", 1);

    const first = await update();
    const retry = await update();

    expect(first.body.data.updateActor).toMatchObject({ description: "Met once", version: 2 });
    expect(retry).toMatchObject({ status: 200, replayed: "true", text: first.text });
    expect(await revisionsOf(server.db, id)).toBe(2);
  });

  it("keeps the key for the configured retention (ACCORD_IDEMPOTENCY_RETENTION_SECONDS)", async () => {
    const key = newKey();
    await createActor("Retention Board", key);
    const rows = await server.db.prisma.$queryRawUnsafe<{ seconds: number }[]>(
      `SELECT extract(epoch FROM "expiresAt" - "createdAt")::int AS seconds
       FROM "IdempotencyKey" WHERE "key" = $1`,
      key,
    );
    expect(rows).toEqual([{ seconds: 3600 }]);
  });

  it("refuses a different request under a used key with 422 IDEMPOTENCY_KEY_REUSED, changing nothing", async () => {
    const key = newKey();
    await createActor("Reuse Tribunal", key);
    const reused = await createActor("Reuse Tribunal II", key);

    expect({ status: reused.status, replayed: reused.replayed, body: reused.body }).toEqual({
      status: 422,
      replayed: null,
      body: refusedRequest(
        "This Idempotency-Key was used for a different request (query, operation name or variables): use a new key for a new request",
        "IDEMPOTENCY_KEY_REUSED",
      ),
    });
    expect(await actorsNamed(server.db, "Reuse Tribunal II")).toBe(0);
  });

  it("keeps each editor's keys apart: the same key from another editor is a key of its own", async () => {
    const key = newKey();
    const mine = await createActor("Scoped Agency A", key, editor);
    const theirs = await createActor("Scoped Agency B", key, other);
    const myRetry = await createActor("Scoped Agency A", key, editor);
    const theirRetry = await createActor("Scoped Agency B", key, other);

    expect([mine.status, mine.replayed, theirs.status, theirs.replayed]).toEqual([
      200,
      null,
      200,
      null,
    ]);
    expect(myRetry).toMatchObject({ status: 200, replayed: "true", text: mine.text });
    expect(theirRetry).toMatchObject({ status: 200, replayed: "true", text: theirs.text });
    expect(await actorsNamed(server.db, "Scoped Agency A")).toBe(1);
    expect(await actorsNamed(server.db, "Scoped Agency B")).toBe(1);
  });

  it("makes one change of two identical requests sent at once; the other gets 409 or the replay", async () => {
    const key = newKey();
    const [a, b] = await Promise.all([
      createActor("Concurrent Forum", key),
      createActor("Concurrent Forum", key),
    ]);
    const answers = [a, b].sort(
      (x, y) => Number(x.replayed !== null) - Number(y.replayed !== null),
    );
    const made = answers.filter((x) => x.status === 200 && x.replayed === null);
    expect(made).toHaveLength(1);
    const otherAnswer = answers.find((x) => x !== made[0])!;
    if (otherAnswer.status === 200) {
      expect(otherAnswer).toMatchObject({ replayed: "true", text: made[0]!.text });
    } else {
      expect(otherAnswer).toMatchObject({ status: 409, retryAfter: "1" });
      expect(otherAnswer.body.errors?.map((e) => e.extensions?.code)).toEqual([
        "IDEMPOTENCY_KEY_IN_USE",
      ]);
    }
    expect(await actorsNamed(server.db, "Concurrent Forum")).toBe(1);
    expect(await keysRecorded(server.db, key)).toBe(1);
  });

  it("rebuilds the answer of a change that committed but whose answer was never stored, changing nothing", async () => {
    const key = newKey();
    const first = await createActor("Rebuilt Mission", key);
    // What a process that died between its commit and storing the answer leaves behind.
    await server.db.prisma.$executeRawUnsafe(
      `UPDATE "IdempotencyKey" SET "status" = NULL, "response" = NULL WHERE "key" = $1`,
      key,
    );

    const rebuilt = await createActor("Rebuilt Mission", key);
    const stored = await createActor("Rebuilt Mission", key);

    expect(rebuilt).toMatchObject({ status: 200, replayed: "true", body: first.body });
    expect(stored).toMatchObject({ status: 200, replayed: "true", text: rebuilt.text });
    expect(await actorsNamed(server.db, "Rebuilt Mission")).toBe(1);
    expect(await revisionsOf(server.db, first.body.data.createActor.id)).toBe(1);
  });

  it("answers a retried delete whose answer was lost with the deleted id, not NOT_FOUND", async () => {
    const admin = await server.keyFor("ADMIN", "Root (admin)");
    const created = await createActor("Deleted Once Office", null);
    const id = created.body.data.createActor.id as string;
    const key = newKey();
    const remove = () => send(operation("admin/DeleteActor"), { id }, key, admin);
    const first = await remove();
    await server.db.prisma.$executeRawUnsafe(
      `UPDATE "IdempotencyKey" SET "status" = NULL, "response" = NULL WHERE "key" = $1`,
      key,
    );
    const retry = await remove();

    expect(first.body).toEqual({ data: { deleteActor: id } });
    expect(retry).toMatchObject({ status: 200, replayed: "true", text: first.text });
    expect(await revisionsOf(server.db, id)).toBe(2);
  });

  it("stores no answer over 64,000 bytes, and rebuilds it on a retry instead", async () => {
    const key = newKey();
    const paragraph = "The delegations met again and agreed on the text of the protocol. ".repeat(
      10,
    );
    const body = Array.from({ length: 120 }, () => paragraph.trim()).join("\n\n");
    const query = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug body } }`;
    const input = {
      slug: "a-long-protocol",
      title: "A long protocol",
      language: "en",
      publishedOn: "2025-03-17",
      body,
    };
    const first = await send(query, { input }, key);
    const retry = await send(query, { input }, key);

    expect(first.text.length).toBeGreaterThan(64_000);
    expect(first.body.data.createArticle.body).toBe(body);
    const [row] = await server.db.prisma.$queryRawUnsafe<{ response: string | null }[]>(
      `SELECT "response" FROM "IdempotencyKey" WHERE "key" = $1`,
      key,
    );
    expect(row).toEqual({ response: null });
    expect(retry).toMatchObject({ status: 200, replayed: "true", body: first.body });
    expect(
      await countOf(server.db, `SELECT count(*) AS n FROM "Article" WHERE "slug" = $1`, input.slug),
    ).toBe(1);
  });

  // A page size out of range is refused before the mutation runs; a cursor is read only with
  // its list, after the commit.
  it("marks an error in the answer of a mutation that committed with committed: true, and answers its retry the same way", async () => {
    const key = newKey();
    const query = `mutation($input: CreateActorInput!) {
      createActor(input: $input) { id articles(first: 5, after: "not-a-cursor") { totalCount } }
    }`;
    const input = { name: "Committed Anyway Bureau", kind: "STATE" };
    const first = await send(query, { input }, key);
    const retry = await send(query, { input }, key);

    expect({ status: first.status, body: first.body }).toEqual({
      status: 200,
      body: {
        data: null,
        errors: [
          {
            message:
              "after: is not a cursor of this list; pass an `endCursor` or `cursor` it returned",
            locations: expect.any(Array),
            path: ["createActor", "articles"],
            extensions: { code: "BAD_USER_INPUT", argumentName: "after", committed: true },
          },
        ],
      },
    });
    expect(retry).toMatchObject({ status: 200, replayed: "true", body: first.body });
    expect(await actorsNamed(server.db, "Committed Anyway Bureau")).toBe(1);
  });

  it("leaves no key for a mutation that did not commit, so that its retry runs", async () => {
    const { id, key, update } = await actorToUpdate("Late Version Office", "Second pass", 2);

    const refused = await update();
    expect(refused.body.errors?.map((e) => e.extensions?.code)).toEqual(["CONFLICT"]);
    expect(await keysRecorded(server.db, key)).toBe(0);

    await send(UPDATE, { id, input: { description: "First pass" } }, null);
    const ran = await update();
    expect(ran).toMatchObject({ status: 200, replayed: null });
    expect(ran.body.data.updateActor).toMatchObject({ description: "Second pass", version: 3 });
    expect(await keysRecorded(server.db, key)).toBe(1);
  });

  it("records no key for a request without a valid API key", async () => {
    const key = newKey();
    const anonymous = await createActor("Anonymous Body", key, {});
    expect(anonymous.body.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(await keysRecorded(server.db, key)).toBe(0);
  });

  it("prunes expired keys as new ones are recorded, and an expired key no longer answers", async () => {
    const created = await createActor("Expiry Council", null);
    const id = created.body.data.createActor.id as string;
    const expired = newKey();
    const update = (key: string, description: string) =>
      send(UPDATE, { id, input: { description } }, key);
    await update(expired, "Before expiry");
    await server.db.prisma.$executeRawUnsafe(
      `UPDATE "IdempotencyKey" SET "expiresAt" = now() - interval '1 second' WHERE "key" = $1`,
      expired,
    );

    // An expired key is as good as none: the request runs again.
    const rerun = await update(expired, "Before expiry");
    expect(rerun).toMatchObject({ status: 200, replayed: null });
    expect(rerun.body.data.updateActor.version).toBe(3);

    await server.db.prisma.$executeRawUnsafe(
      `UPDATE "IdempotencyKey" SET "expiresAt" = now() - interval '1 second' WHERE "key" = $1`,
      expired,
    );
    await update(newKey(), "After expiry");
    expect(await keysRecorded(server.db, expired)).toBe(0);
    expect(await revisionsOf(server.db, id)).toBe(4);
  });

  it("refuses a key on an operation with two mutation fields with 400 BAD_REQUEST", async () => {
    const query = `mutation {
      a: createActor(input: { name: "Twin One", kind: STATE }) { id }
      ...More
    }
    fragment More on Mutation { b: createActor(input: { name: "Twin Two", kind: STATE }) { id } }`;
    const refused = await send(query, {}, newKey());
    expect({ status: refused.status, body: refused.body }).toEqual({
      status: 400,
      body: refusedRequest(
        "An Idempotency-Key covers one mutation field, and this operation has 2: send each in a request of its own",
        "BAD_REQUEST",
      ),
    });
    expect(await actorsNamed(server.db, "Twin One")).toBe(0);
  });

  it.each([
    ["an empty quoted key", '""'],
    ["a key of 256 characters", "k".repeat(256)],
    ["a key with a space", "two words"],
    ["two keys joined by a comma", "first, second"],
    ["an unterminated quoted key", '"open'],
    ["a key beyond ASCII", "cl\u00e9"],
    ["a key with a tab", "a\tb"],
  ])("refuses %s with 400 BAD_REQUEST, changing nothing", async (_, key) => {
    const refused = await createActor("Malformed Key Office", key);
    expect({ status: refused.status, body: refused.body }).toEqual({
      status: 400,
      body: refusedRequest(
        expect.stringMatching(
          /^The Idempotency-Key header (is too long: it )?must be 1 to 255 printable ASCII characters/,
        ),
        "BAD_REQUEST",
      ),
    });
    expect(await actorsNamed(server.db, "Malformed Key Office")).toBe(0);
  });

  it("accepts a key of 255 printable characters", async () => {
    const key = `${"x".repeat(250)}-${String(++keys).padStart(4, "0")}`;
    const first = await createActor("Longest Key Agency", key);
    const retry = await createActor("Longest Key Agency", key);
    expect([first.status, retry.replayed]).toEqual([200, "true"]);
  });

  it("ignores the header on a query, malformed or not", async () => {
    const read = await send(`{ actors(first: 1) { totalCount } }`, {}, "not a key");
    expect({ status: read.status, replayed: read.replayed, body: read.body }).toEqual({
      status: 200,
      replayed: null,
      body: { data: { actors: { totalCount: expect.any(Number) } } },
    });
  });
});

onPostgres("Idempotency-Key on a Postgres server", () => {
  const stack = ownedStack();
  let database: { url: string; direct: Database };
  let proxy: CommitCutProxy;
  let url: string;
  let editor: Record<string, string>;

  beforeAll(async () => {
    database = await stack.database({ seeded: false });
    const { key } = await createApiKey(database.direct, { name: "Nadia (editor)", role: "EDITOR" });
    editor = { authorization: `Bearer ${key}` };
    const target = new URL(database.url);
    proxy = stack.own(
      await startCommitCutProxy({ host: target.hostname, port: Number(target.port || 5432) }),
      (p) => p.close(),
    );
    const db = stack.pool(proxy.urlFor(database.url), { poolSize: 4 });
    ({ url } = await stack.serve(db, { NODE_ENV: "production" }));
  });

  const createActor = (name: string, key: string) =>
    post(
      url,
      CREATE,
      { input: { name, kind: "ORGANIZATION" } },
      {
        ...editor,
        "idempotency-key": key,
      },
    );

  it("reports a connection lost during COMMIT as an unknown outcome, and answers its retry from the record without a second change", async () => {
    proxy.cutCommits(1);
    const lost = await createActor("Unknown Outcome Agency", "commit-cut-1");
    expect(proxy.commitsCut).toBe(1);
    expect({ status: lost.status, retryAfter: lost.retryAfter, body: lost.body }).toEqual({
      status: 503,
      retryAfter: "1",
      body: {
        data: null,
        errors: [
          {
            message:
              "The connection to the database was lost while the change was being committed: it may or may not have been made. Retry with the same Idempotency-Key to find out without making it twice",
            path: ["createActor"],
            locations: expect.any(Array),
            extensions: { code: "DATABASE_UNAVAILABLE", committed: "unknown" },
          },
        ],
      },
    });

    const retry = await createActor("Unknown Outcome Agency", "commit-cut-1");
    expect(retry).toMatchObject({ status: 200, replayed: "true" });
    expect(retry.body.data.createActor).toMatchObject({
      name: "Unknown Outcome Agency",
      version: 1,
    });
    expect(await actorsNamed(database.direct, "Unknown Outcome Agency")).toBe(1);
    expect(await revisionsOf(database.direct, retry.body.data.createActor.id)).toBe(1);
  });

  it("refuses a retry while the first request's transaction is still open with 409 IDEMPOTENCY_KEY_IN_USE and Retry-After", async () => {
    const created = await post(
      url,
      CREATE,
      { input: { name: "Held Row Office", kind: "STATE" } },
      editor,
    );
    const id = created.body.data.createActor.id as string;
    const rowId = Number(Buffer.from(id, "base64url").toString().split(":")[1]);
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      // Another session holds the actor's row: the first request waits inside its transaction.
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM "Actor" WHERE "id" = $1 FOR UPDATE`, [rowId]);
      const update = () =>
        post(
          url,
          UPDATE,
          { id, input: { description: "Held" } },
          {
            ...editor,
            "idempotency-key": "held-1",
          },
        );
      const first = update();
      await waitFor(async () => {
        const { rows } = await holder.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        );
        return rows[0]!.n > 0;
      });
      const second = await update();
      expect({ status: second.status, retryAfter: second.retryAfter, body: second.body }).toEqual({
        status: 409,
        retryAfter: "1",
        body: {
          data: null,
          errors: [
            {
              message:
                "A request with this Idempotency-Key is still running: retry shortly to get its answer",
              path: ["updateActor"],
              locations: expect.any(Array),
              extensions: { code: "IDEMPOTENCY_KEY_IN_USE", retryAfterSeconds: 1 },
            },
          ],
        },
      });
      await holder.query("COMMIT");
      const answered = await first;
      const third = await update();
      expect(answered.body.data.updateActor).toMatchObject({ description: "Held", version: 2 });
      expect(third).toMatchObject({ status: 200, replayed: "true", text: answered.text });
      expect(await revisionsOf(database.direct, id)).toBe(2);
    } finally {
      await holder.end();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
