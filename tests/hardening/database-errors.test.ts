/**
 * Every database failure reaches the client as a clean code, on a Postgres cluster of the
 * test's own (so it can be starved of connections and cut off): the database out of
 * connection slots, a transaction that cannot start, a connection lost in the middle of a
 * request all answer DATABASE_UNAVAILABLE with HTTP 503 and `Retry-After`. Constraint
 * violations from creates that race past validation answer BAD_USER_INPUT naming the field
 * and the value, with nothing of the driver (index, table, model, SQLSTATE) in production.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { GraphQLError } from "graphql";
import { createApiKey } from "../../src/auth.js";
import { errorFormatter } from "../../src/errors.js";
import { readConfig } from "../../src/config.js";
import { openPostgres, type DatabaseOptions } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/seed/load.js";
import { createServer } from "../../src/server.js";
import {
  postgresInstalled,
  startPostgresCluster,
  type PostgresCluster,
} from "../faults/support/postgres.js";
import { captureLogs } from "../support/logs.js";
import { operation } from "../support/server.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const PRODUCTION = { NODE_ENV: "production", ACCORD_RESPONSE_CACHE: "off" };

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

let cluster: PostgresCluster;
let proxy: TcpProxy;
let editor: string;
const cleanup: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster({ maxConnections: 20 });
  proxy = await startTcpProxy({ host: "127.0.0.1", port: cluster.port });
  const db = openPostgres(cluster.url());
  try {
    await migrate(db);
    await seed(db);
    editor = `Bearer ${(await createApiKey(db, { name: "errors-editor", role: "EDITOR" })).key}`;
  } finally {
    await db.close();
  }
}, 120_000);
afterEach(async () => {
  proxy.restore();
  for (const done of cleanup.splice(0).reverse()) await done();
});
afterAll(async () => {
  await proxy?.close();
  await cluster?.stop();
});

/** Accord in this process, in production mode, on `url` (direct or through the proxy). */
async function accordOn(
  url: string,
  env: Record<string, string> = {},
  options: DatabaseOptions = {},
) {
  const db = openPostgres(url, { poolSize: 4, ...options });
  const logs = captureLogs();
  const server = await createServer(db, readConfig({ ...PRODUCTION, ...env }), logs.logger);
  const endpoint = await server.listen(0);
  cleanup.push(async () => {
    await server.stop({ graceMs: 1_000 });
    await db.close();
  });
  const post = async (query: string, variables: object, auth = true): Promise<Answer> => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...(auth ? { authorization: editor } : {}) },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get("retry-after"),
      body: (await response.json()) as Answer["body"],
    };
  };
  return { server, db, post, logs };
}

/** A session of the test's own on the cluster, closed after the test. */
async function session(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: cluster.url() });
  client.on("error", () => undefined);
  await client.connect();
  cleanup.push(() => client.end().catch(() => undefined));
  return client;
}

/** What a request answers when the database failed it: retryable, nothing of the driver. */
function unavailable(field: string, data: unknown) {
  return {
    status: 503,
    retryAfter: "1",
    body: {
      data,
      errors: [
        {
          message: "The database is unavailable; try again shortly",
          locations: [expect.any(Object)],
          path: [field],
          extensions: { code: "DATABASE_UNAVAILABLE" },
        },
      ],
    },
  };
}

async function actorCount(name: string): Promise<number> {
  const client = await session();
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "Actor" WHERE "name" = $1`,
    [name],
  );
  return rows[0]!.n;
}

const createActor = (name: string) => ({ input: { name, kind: "ORGANIZATION" } });

/** The cluster is made with Postgres's own binaries; without them there is nothing to test. */
const withPostgres = postgresInstalled ? describe : describe.skip;

withPostgres("Database failures answer DATABASE_UNAVAILABLE, 503, Retry-After", () => {
  it("when Postgres has no connection slot left (53300)", async () => {
    const accord = await accordOn(cluster.url());
    // Every slot taken by sessions of the test's own: Accord's first connection is refused.
    const held: pg.Client[] = [];
    for (;;) {
      try {
        held.push(await session());
      } catch {
        break;
      }
    }
    const read = await accord.post(operation("ArticlePage"), { slug: SLUG });
    const write = await accord.post(
      operation("admin/CreateActor"),
      createActor("Slotless Khujand Council"),
    );
    await Promise.all(held.map((client) => client.end()));

    expect(read).toEqual(unavailable("article", { article: null }));
    expect(write).toEqual(unavailable("createActor", null));
    expect(await actorCount("Slotless Khujand Council")).toBe(0);
  }, 60_000);

  it("when a transaction cannot start in time (P2028)", async () => {
    // Through HTTP the pool's own 3 s wait (SERVER_BUSY) and the check for unanswered
    // queries end a stuck start before Prisma's 10 s `maxWait` does; here Prisma's own error,
    // from a real pool held by another transaction, goes through the production formatter.
    const db = openPostgres(cluster.url(), { poolSize: 1 });
    cleanup.push(() => db.close());
    const holder = db.prisma.$transaction(async (tx) => tx.$executeRaw`SELECT pg_sleep(1)`);
    await new Promise((r) => setTimeout(r, 200));
    const error = await db.prisma
      .$transaction(async (tx) => tx.$executeRaw`SELECT 1`, { maxWait: 100 })
      .then(
        () => null,
        (failure: unknown) => failure,
      );
    await holder;
    const logs = captureLogs();
    const wrapped = new GraphQLError(String(error), {
      originalError: error as Error,
      path: ["createActor"],
    });

    expect((error as { code?: string }).code).toBe("P2028");
    expect(errorFormatter(logs.logger, true)(wrapped.toJSON(), wrapped)).toEqual({
      message: "The database is unavailable; try again shortly",
      path: ["createActor"],
      extensions: { code: "DATABASE_UNAVAILABLE" },
    });
  }, 60_000);

  it("when the connection is lost in the middle of a read or a write", async () => {
    const accord = await accordOn(proxy.urlFor(cluster.url()));
    // Both wait on a lock the test holds until the proxy is cut under them.
    const locker = await session();
    await locker.query(`BEGIN; LOCK TABLE "Article", "Actor" IN ACCESS EXCLUSIVE MODE`);
    const read = accord.post(operation("ArticlePage"), { slug: SLUG });
    const write = accord.post(
      operation("admin/CreateActor"),
      createActor("Severed Batken Council"),
    );
    for (let i = 0; i < 100; i++) {
      const { rows } = await locker.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted`,
      );
      if (rows[0]!.n >= 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    proxy.cut();
    const answers = await Promise.all([read, write]);
    await locker.query("ROLLBACK");

    expect(answers).toEqual([
      unavailable("article", { article: null }),
      unavailable("createActor", null),
    ]);
    expect(await actorCount("Severed Batken Council")).toBe(0);
  }, 60_000);
});

/** Nothing of the driver or the schema's internals: SQLSTATE, index, table, model. */
const INTERNALS =
  /originalCode|originalMessage|driverAdapter|modelName|23505|_key\b|"Article"|ActorAlias|constraint/;

withPostgres("Constraint violations from creates that race past validation (production)", () => {
  const ROUNDS = 5;
  const AT_ONCE = 3;

  /** Runs `create` AT_ONCE times at once per round; returns each round's answers. */
  async function race(create: (round: number, i: number) => Promise<Answer>) {
    const rounds: Answer[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push(await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => create(round, i))));
    }
    return rounds;
  }

  /** The loser's answer: the field and what clashes, as BAD_USER_INPUT (the race's words or the check's). */
  function refusals(rounds: Answer[][]) {
    return rounds.map((answers) =>
      answers
        .filter((answer) => answer.body.errors)
        .map((answer) => ({
          status: answer.status,
          data: answer.body.data,
          code: answer.body.errors?.[0]?.extensions?.code,
          argumentName: answer.body.errors?.[0]?.extensions?.argumentName,
          raced: /at the same moment; nothing was changed$/.test(answer.body.errors![0]!.message),
          named: answer.body.errors![0]!.message.startsWith(
            `${String(answer.body.errors?.[0]?.extensions?.argumentName)}: `,
          ),
        })),
    );
  }

  it("createArticle with one slug: one is created, the others name input.slug, with no internals", async () => {
    const accord = await accordOn(cluster.url(), {}, { poolSize: 8 });
    const rounds = await race((round, i) =>
      accord.post(CREATE_ARTICLE, {
        input: {
          slug: `raced-slug-${round}`,
          title: `Raced article ${round} ${i}`,
          language: "en",
          publishedOn: "2025-03-13",
          body: `A short body ${round} ${i}.`,
        },
      }),
    );
    const loser = (raced: boolean) => ({
      status: 200,
      data: null,
      code: "BAD_USER_INPUT",
      argumentName: "input.slug",
      raced,
      named: true,
    });
    const seen = refusals(rounds);

    expect(rounds.map((answers) => answers.filter((a) => a.body.data).length)).toEqual(
      Array(ROUNDS).fill(1),
    );
    // Each refusal is either the race's (a create committed first) or the check's (it was seen).
    expect(seen).toEqual(seen.map((round) => round.map((r) => loser(r.raced))));
    expect(seen.flat().some((r) => r.raced)).toBe(true);
    expect(JSON.stringify(rounds)).not.toMatch(INTERNALS);
    expect(
      rounds.flat().find((a) => /at the same moment/.test(a.body.errors?.[0]?.message ?? ""))?.body,
    ).toEqual({
      data: null,
      errors: [
        {
          message:
            "input.slug: the slug is already used by another article, created at the same moment; nothing was changed",
          locations: [expect.any(Object)],
          path: ["createArticle"],
          extensions: { code: "BAD_USER_INPUT", argumentName: "input.slug" },
        },
      ],
    });
  }, 120_000);

  it("createActor with one name: one is created, the others name input.name, with no internals", async () => {
    const accord = await accordOn(cluster.url(), {}, { poolSize: 8 });
    const rounds = await race((round) =>
      accord.post(operation("admin/CreateActor"), createActor(`Raced Vahdat Council ${round}`)),
    );
    const seen = refusals(rounds);

    expect(rounds.map((answers) => answers.filter((a) => a.body.data).length)).toEqual(
      Array(ROUNDS).fill(1),
    );
    expect(
      seen
        .flat()
        .filter((r) => !(r.named && r.status === 200 && r.data === null))
        .concat(seen.flat().filter((r) => !/^input\.(name|aliases)/.test(String(r.argumentName)))),
    ).toEqual([]);
    expect(seen.flat().filter((r) => r.raced)).toEqual(
      seen
        .flat()
        .filter((r) => r.raced)
        .map(() => ({
          status: 200,
          data: null,
          code: "BAD_USER_INPUT",
          argumentName: "input.name",
          raced: true,
          named: true,
        })),
    );
    expect(seen.flat().some((r) => r.raced)).toBe(true);
    expect(JSON.stringify(rounds)).not.toMatch(INTERNALS);
  }, 120_000);
});

const CREATE_ARTICLE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }`;
