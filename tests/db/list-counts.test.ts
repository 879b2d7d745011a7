/**
 * "ListCount" holds the size of each list a connection's `totalCount` reports, as the sum of
 * the list's rows, kept by triggers. Whatever writes the rows (mutations, bulk SQL, cascades,
 * TRUNCATE, concurrent transactions, rollbacks), every list's sum must equal the rows it stands
 * for, `totalCount` must equal the rows a client can page through, and no writer may wait for
 * another's counter. The expected counts are the fixture's: the seeded facts and the rows each
 * test writes itself, each test starting from the seeded record.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { Database } from "../../src/db/database.js";
import { defaultMigrationsDir, migrate } from "../../src/db/migrate.js";
import { toGlobalId } from "../../src/ids.js";
import { seedFacts } from "../support/seed-article.js";
import { openTestDatabase } from "../support/database.js";
import { editorAndAdmin, startTestServer, type TestServer } from "../support/server.js";
import { forSuite } from "../support/suite.js";

const server = forSuite(() => startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } }));
let editor: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  ({ editor, admin } = await editorAndAdmin(server));
});

type Counted = "Article" | "Visit" | "Agreement" | "Outcome" | "Actor";

/**
 * What every list should count, kept by hand from the fixture: the seeded facts, then each row
 * the test writes (`add`) or removes (`remove`), with the columns its filtered lists follow.
 */
class Expected {
  private readonly lists = new Map<string, number>();

  add(table: Counted, filters: Record<string, string> = {}, times = 1): this {
    for (const list of [table, ...Object.entries(filters).map(([c, v]) => `${table}.${c}:${v}`)]) {
      this.lists.set(list, (this.lists.get(list) ?? 0) + times);
    }
    return this;
  }

  remove(table: Counted, filters: Record<string, string> = {}, times = 1): this {
    return this.add(table, filters, -times);
  }

  /** Every row of `table` gone (TRUNCATE). */
  empty(table: Counted): this {
    for (const list of this.lists.keys()) {
      if (list === table || list.startsWith(`${table}.`)) this.lists.delete(list);
    }
    return this;
  }

  count(list: string): number {
    return this.lists.get(list) ?? 0;
  }

  /** As `counters()` reports them: by list, lists of no rows left out. */
  rows(): { list: string; count: number }[] {
    return [...this.lists]
      .filter(([, count]) => count !== 0)
      .map(([list, count]) => ({ list, count }))
      .sort((a, b) => (a.list < b.list ? -1 : 1));
  }
}

/** The lists as the seed leaves them: one article and one visit, and the facts file's rows. */
function seeded(): Expected {
  const facts = seedFacts();
  const expected = new Expected().add("Article").add("Visit");
  for (const a of facts.agreements) expected.add("Agreement", { kind: a.kind });
  for (const o of facts.outcomes) {
    expected.add("Outcome", { status: o.status, category: o.category });
  }
  for (const a of facts.actors) expected.add("Actor", { kind: a.kind! });
  return expected;
}

/** What the counters say: the sum of each list's counter rows, lists that sum to 0 left out. */
async function counters(on: { db: Database } = server) {
  const rows = await on.db.prisma.listCount.findMany({ orderBy: [{ list: "asc" }, { id: "asc" }] });
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(row.list, (sums.get(row.list) ?? 0) + row.count);
  return [...sums]
    .filter(([, count]) => count !== 0)
    .map(([list, count]) => ({ list, count }))
    .sort((a, b) => (a.list < b.list ? -1 : 1));
}

async function expectCounts(expected: Expected, on: { db: Database } = server) {
  expect(await counters(on)).toEqual(expected.rows());
}

/** How many counter rows each of `lists` has. */
async function rowsOf(on: { db: Database }, lists: string[]): Promise<Record<string, number>> {
  const rows = await on.db.prisma.listCount.groupBy({
    by: ["list"],
    where: { list: { in: lists } },
    _count: { _all: true },
  });
  return Object.fromEntries(
    lists.map((list) => [list, rows.find((r) => r.list === list)?._count._all ?? 0]),
  );
}

async function ok<T = any>(query: string, variables: Record<string, unknown>, headers = editor) {
  const response = await server.graphql<T>(query, variables, headers);
  expect(response.errors).toBeUndefined();
  return response.data!;
}

const TOTALS = `query ($status: OutcomeStatus, $category: OutcomeCategory, $kind: ActorKind) {
  articles { totalCount }
  visits { totalCount }
  agreements { totalCount }
  all: outcomes { totalCount }
  byStatus: outcomes(filter: { status: $status }) { totalCount }
  byCategory: outcomes(filter: { category: $category }) { totalCount }
  both: outcomes(filter: { status: $status, category: $category }) { totalCount }
  actors(filter: { kind: $kind }) { totalCount }
}`;

describe("List counts: triggers keep every counter exact", () => {
  beforeEach(() => server.reset());

  it("counts the seeded rows", async () => {
    expect(seeded().count("Outcome")).toBe(9);
    await expectCounts(seeded());
  });

  it("follows creates, updates that move a row between filter values, and deletes", async () => {
    const { visits } = await ok(`{ visits(first: 1) { edges { node { id } } } }`, {});
    const visitId = visits.edges[0].node.id as string;
    const expected = seeded();
    const created = await ok(
      `mutation ($input: CreateOutcomeInput!) { createOutcome(input: $input) { id } }`,
      {
        input: {
          visitId,
          ordinal: 50,
          statement: "A joint commission meets",
          category: "OTHER",
          status: "PLANNED",
          editorialNote: "Made by a test of list counts.",
        },
      },
    );
    await expectCounts(expected.add("Outcome", { status: "PLANNED", category: "OTHER" }));
    const id = created.createOutcome.id as string;
    await ok(
      `mutation ($id: ID!) { updateOutcome(id: $id, input: { status: ACHIEVED, category: TRADE }) { id } }`,
      { id },
    );
    expected.remove("Outcome", { status: "PLANNED", category: "OTHER" });
    await expectCounts(expected.add("Outcome", { status: "ACHIEVED", category: "TRADE" }));
    await ok(
      `mutation ($id: ID!) { updateOutcome(id: $id, input: { statement: "Renamed" }) { id } }`,
      { id },
    );
    await expectCounts(expected);
    await ok(`mutation ($id: ID!) { deleteOutcome(id: $id) }`, { id }, admin);
    await expectCounts(expected.remove("Outcome", { status: "ACHIEVED", category: "TRADE" }));

    const actor = await ok(
      `mutation { createActor(input: { name: "Counting Office", kind: ORGANIZATION }) { id } }`,
      {},
    );
    await expectCounts(expected.add("Actor", { kind: "ORGANIZATION" }));
    await ok(`mutation ($id: ID!) { updateActor(id: $id, input: { kind: STATE }) { id } }`, {
      id: actor.createActor.id,
    });
    expected.remove("Actor", { kind: "ORGANIZATION" });
    await expectCounts(expected.add("Actor", { kind: "STATE" }));
    await ok(`mutation ($id: ID!) { deleteActor(id: $id) }`, { id: actor.createActor.id }, admin);
    await expectCounts(expected.remove("Actor", { kind: "STATE" }));
    await expectCounts(seeded());
  });

  it("follows bulk SQL, rolled-back writes and cascades", async () => {
    const { prisma } = server.db;
    const visit = await prisma.visit.findFirstOrThrow();
    const expected = seeded();
    // Bulk outcome i: TRADE when i is odd, else SECURITY; ACHIEVED when i is a multiple of 3.
    const bulk = Array.from({ length: 40 }, (_, i) => ({
      visitId: visit.id,
      ordinal: 100 + i,
      statement: `Bulk outcome ${i}`,
      category: i % 2 ? ("TRADE" as const) : ("SECURITY" as const),
      status: i % 3 ? ("PLANNED" as const) : ("ACHIEVED" as const),
      editorialNote: "Made by a test of list counts.",
    }));
    await prisma.outcome.createMany({ data: bulk });
    for (const o of bulk) expected.add("Outcome", { status: o.status, category: o.category });
    await expectCounts(expected);
    await prisma.outcome.updateMany({
      where: { ordinal: { gte: 120 } },
      data: { status: "IN_PROGRESS" },
    });
    for (const o of bulk.slice(20)) {
      expected.remove("Outcome", { status: o.status, category: o.category });
      expected.add("Outcome", { status: "IN_PROGRESS", category: o.category });
    }
    await expectCounts(expected);
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.outcome.deleteMany({ where: { ordinal: { gte: 100 } } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await expectCounts(expected);
    await prisma.outcome.deleteMany({ where: { ordinal: { gte: 130 } } });
    for (const o of bulk.slice(30)) {
      expected.remove("Outcome", { status: "IN_PROGRESS", category: o.category });
    }
    await expectCounts(expected);

    // A new visit with outcomes, then both deleted (outcomes first: visits restrict).
    const other = await prisma.visit.create({
      data: { title: "A counted visit", kind: "WORKING_VISIT", editorialNote: "Made by a test." },
    });
    await prisma.outcome.createMany({
      data: [1, 2, 3].map((i) => ({
        visitId: other.id,
        ordinal: i,
        statement: `Outcome ${i}`,
        category: "OTHER" as const,
        status: "PLANNED" as const,
        editorialNote: "Made by a test of list counts.",
      })),
    });
    expected.add("Visit").add("Outcome", { status: "PLANNED", category: "OTHER" }, 3);
    await expectCounts(expected);
    await prisma.outcome.deleteMany({ where: { visitId: other.id } });
    await prisma.visit.delete({ where: { id: other.id } });
    expected.remove("Visit").remove("Outcome", { status: "PLANNED", category: "OTHER" }, 3);
    await expectCounts(expected);
  });

  it("reports totalCount from the counters as count(*) would", async () => {
    const variables = { status: "ACHIEVED", category: "TRADE", kind: "PERSON" };
    const data = await ok(TOTALS, variables);
    const expected = seeded();
    const outcomes = seedFacts().outcomes;
    const bothCount = outcomes.filter((o) => o.status === "ACHIEVED" && o.category === "TRADE");
    expect(data).toEqual({
      articles: { totalCount: 1 },
      visits: { totalCount: 1 },
      agreements: { totalCount: expected.count("Agreement") },
      all: { totalCount: 9 },
      byStatus: { totalCount: expected.count("Outcome.status:ACHIEVED") },
      byCategory: { totalCount: expected.count("Outcome.category:TRADE") },
      both: { totalCount: bothCount.length },
      actors: { totalCount: expected.count("Actor.kind:PERSON") },
    });
    expect(data.byStatus.totalCount).toBeGreaterThan(data.both.totalCount);
  });

  it("reads a whole-table or one-filter count from its counter, and counts rows otherwise", async () => {
    const { prisma } = server.db;
    const achieved = seeded().count("Outcome.status:ACHIEVED");
    const both = seedFacts().outcomes.filter(
      (o) => o.status === "ACHIEVED" && o.category === "TRADE",
    ).length;
    // A counter row off by a known amount shows which path a totalCount took.
    const off = await prisma.listCount.create({
      data: { list: "Outcome.status:ACHIEVED", count: 1000 },
    });
    try {
      const data = await ok(
        `{ one: outcomes(filter: { status: ACHIEVED }) { totalCount }
           two: outcomes(filter: { status: ACHIEVED, category: TRADE }) { totalCount } }`,
        {},
      );
      expect(data).toEqual({ one: { totalCount: achieved + 1000 }, two: { totalCount: both } });
    } finally {
      await prisma.listCount.delete({ where: { id: off.id } });
    }
    await expectCounts(seeded());
  });

  it("rebuilds exact counters with accord_recount_lists() after a load with triggers off", async () => {
    const visit = await server.db.prisma.visit.findFirstOrThrow();
    await server.db.withSession(async (session) => {
      await session.exec("SET session_replication_role = replica");
      try {
        await session.query(
          `INSERT INTO "Outcome" ("visitId", "ordinal", "statement", "category", "status", "updatedAt")
           SELECT $1, 200 + i, 'Loaded ' || i, 'ENERGY', 'PLANNED', now() FROM generate_series(1, 25) i`,
          [visit.id],
        );
      } finally {
        await session.exec("SET session_replication_role = DEFAULT");
      }
    });
    // The counters have not seen the load.
    await expectCounts(seeded());
    await server.db.withSession((session) => session.exec("SELECT accord_recount_lists()"));
    await expectCounts(seeded().add("Outcome", { status: "PLANNED", category: "ENERGY" }, 25));
  });

  it("empties the counters of a truncated table", async () => {
    await server.db.withSession((session) =>
      session.exec(`TRUNCATE "Revision", "Outcome" CASCADE`),
    );
    await expectCounts(seeded().empty("Outcome"));
    const data = await ok(TOTALS, { status: "ACHIEVED", category: "TRADE", kind: "PERSON" });
    expect(data.all).toEqual({ totalCount: 0 });
    expect(data.byStatus).toEqual({ totalCount: 0 });
  });
});

describe("List counts: a list's rows", () => {
  beforeEach(() => server.reset());

  it("keep the counts of a database migrated with one row per list", async () => {
    const database = await openTestDatabase();
    const before = mkdtempSync(path.join(tmpdir(), "accord-list-counts-"));
    try {
      for (const name of readdirSync(defaultMigrationsDir)) {
        if (name >= "20261201103641_list_count_rows") continue;
        cpSync(path.join(defaultMigrationsDir, name), path.join(before, name), { recursive: true });
      }
      await migrate(database.db, { dir: before });
      // In SQL of the schema as it was then: today's seed writes columns added since.
      await database.db.withSession((session) =>
        session.exec(`
          INSERT INTO "Article" ("slug", "title", "language", "publishedOn", "body", "updatedAt")
          VALUES ('before', 'Before', 'en', '2025-01-01', 'Text.', now());
          INSERT INTO "Visit" ("title", "kind", "updatedAt") VALUES ('Before', 'STATE_VISIT', now());
          INSERT INTO "Outcome" ("visitId", "ordinal", "statement", "category", "status", "updatedAt")
          SELECT (SELECT "id" FROM "Visit"), i, 'Before ' || i,
                 CASE WHEN i % 2 = 0 THEN 'TRADE' ELSE 'BORDER' END::"OutcomeCategory",
                 CASE WHEN i % 3 = 0 THEN 'ACHIEVED' ELSE 'PLANNED' END::"OutcomeStatus", now()
          FROM generate_series(1, 6) i;
          INSERT INTO "Agreement" ("title", "kind", "status", "updatedAt")
          VALUES ('Treaty', 'TREATY', 'SIGNED', now()), ('Memorandum', 'MEMORANDUM', 'SIGNED', now()),
                 ('Second memorandum', 'MEMORANDUM', 'RATIFIED', now());
          INSERT INTO "Actor" ("name", "kind", "updatedAt")
          SELECT 'Before ' || i, CASE WHEN i <= 30 THEN 'PERSON' ELSE 'STATE' END::"ActorKind", now()
          FROM generate_series(1, 34) i;`),
      );
      const expected = new Expected()
        .add("Article")
        .add("Visit")
        .add("Outcome", { status: "PLANNED", category: "BORDER" }, 2) // 1, 5
        .add("Outcome", { status: "PLANNED", category: "TRADE" }, 2) // 2, 4
        .add("Outcome", { status: "ACHIEVED", category: "BORDER" }) // 3
        .add("Outcome", { status: "ACHIEVED", category: "TRADE" }) // 6
        .add("Agreement", { kind: "TREATY" })
        .add("Agreement", { kind: "MEMORANDUM" }, 2)
        .add("Actor", { kind: "PERSON" }, 30)
        .add("Actor", { kind: "STATE" }, 4);
      const old = await database.db.withSession((session) =>
        session.query(`SELECT "list", "count" FROM "ListCount" ORDER BY "list"`),
      );
      await migrate(database.db);
      const on = { db: database.db };
      expect({ counters: await counters(on), old }).toEqual({
        counters: expected.rows(),
        old: expected.rows(),
      });
      const lists = expected.rows().map((t) => t.list);
      expect(await rowsOf(on, lists)).toEqual(Object.fromEntries(lists.map((l) => [l, 1])));
    } finally {
      rmSync(before, { recursive: true, force: true });
      await database.close();
    }
  });

  it("keep the sum when a transaction that folded them rolls back, and fold into one at the next write", async () => {
    // Split the "Actor" counter into three rows with the same sum, as concurrent writers leave it.
    await server.db.prisma.listCount.createMany({
      data: [
        { list: "Actor", count: 3 },
        { list: "Actor", count: -3 },
      ],
    });
    expect(await rowsOf(server, ["Actor"])).toEqual({ Actor: 3 });
    await expectCounts(seeded());

    await server.db.withSession(async (session) => {
      await session.exec("BEGIN");
      try {
        await session.query(
          `INSERT INTO "Actor" ("name", "kind", "updatedAt") VALUES ('Rolled back', 'PERSON', now())`,
        );
        // Inside the transaction, its own insert has folded the three rows into one.
        expect(
          await session.query(
            `SELECT count(*)::int AS rows FROM "ListCount" WHERE "list" = 'Actor'`,
          ),
        ).toEqual([{ rows: 1 }]);
      } finally {
        await session.exec("ROLLBACK");
      }
    });
    expect(await rowsOf(server, ["Actor"])).toEqual({ Actor: 3 });
    await expectCounts(seeded());

    await ok(
      `mutation { createActor(input: { name: "Folding Office", kind: ORGANIZATION }) { id } }`,
      {},
    );
    expect(await rowsOf(server, ["Actor", "Actor.kind:ORGANIZATION"])).toEqual({
      Actor: 1,
      "Actor.kind:ORGANIZATION": 1,
    });
    await expectCounts(seeded().add("Actor", { kind: "ORGANIZATION" }));
  });
});

// Concurrent transactions need a Postgres server: the embedded database has one connection.
const onPostgres = Boolean(process.env.DATABASE_URL);
(onPostgres ? describe : describe.skip)(
  "List counts: concurrent writers (on a Postgres server: DATABASE_URL)",
  () => {
    const POOL_SIZE = 20;
    let busy: TestServer;
    let busyEditor: Record<string, string>;
    let busyAdmin: Record<string, string>;
    beforeAll(async () => {
      busy = await startTestServer({
        env: {
          ACCORD_RESPONSE_CACHE: "off",
          ACCORD_DB_POOL_SIZE: String(POOL_SIZE),
          // A write that waited for another's counter would fail here rather than queue.
          ACCORD_STATEMENT_TIMEOUT_MS: "3000",
        },
      });
      busyEditor = await busy.keyFor("EDITOR");
      busyAdmin = await busy.keyFor("ADMIN");
    });
    afterAll(() => busy.stop());
    beforeEach(() => busy.reset());

    async function connect(): Promise<pg.Client> {
      const client = new pg.Client({ connectionString: busy.databaseUrl! });
      await client.connect();
      return client;
    }

    /**
     * Every wait for a "ListCount" row or for the table, sampled until `done` settles. A writer
     * that must wait for a row another transaction holds takes the row's tuple lock and waits
     * for that transaction, so a waiting backend with a tuple lock on "ListCount" waits for a
     * counter. (Other waits are not about counting: outcome edits queue on their visit's row by
     * design, and NOTIFY takes a brief queue lock at commit.)
     */
    async function lockWaitsDuring<T>(done: Promise<T>) {
      const watcher = await connect();
      const waits = new Set<string>();
      let finished = false;
      const result = done.finally(() => (finished = true));
      try {
        while (!finished) {
          const { rows } = await watcher.query<{ wait: string }>(`
          SELECT concat_ws(' ', l.locktype, l.relation::regclass::text, a.query) AS wait
          FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE a.datname = current_database() AND l.relation = '"ListCount"'::regclass
            -- Growing the table's file (held for microseconds) is not waiting for a counter.
            AND l.locktype <> 'extend'
            AND (NOT l.granted
              OR (l.locktype = 'tuple' AND l.pid IN (SELECT pid FROM pg_locks WHERE NOT granted)))`);
          for (const row of rows) waits.add(row.wait);
        }
        return { result: await result, waits: [...waits] };
      } finally {
        await watcher.end();
      }
    }

    /** Answers of `count` mutations sent at once, each as `errors` or "ok". */
    function burst(count: number, send: (i: number) => Promise<{ errors?: unknown }>) {
      return Promise.all(
        Array.from({ length: count }, (_, i) => send(i).then((r) => r.errors ?? "ok")),
      );
    }

    const KINDS = ["PERSON", "STATE", "ORGANIZATION"] as const;
    const createActor = (name: string, kind: string) =>
      busy.graphql(
        `mutation ($name: String!, $kind: ActorKind!) { createActor(input: { name: $name, kind: $kind }) { id } }`,
        { name, kind },
        busyEditor,
      );

    it("commits creates of a list while another transaction holds an uncommitted write to it", async () => {
      const expected = seeded().add("Actor", { kind: "STATE" }, 40);
      const blocker = await connect();
      try {
        await blocker.query("BEGIN");
        await blocker.query(
          `INSERT INTO "Actor" ("name", "kind", "updatedAt") VALUES ('Held open', 'STATE', now())`,
        );
        const { result, waits } = await lockWaitsDuring(
          burst(40, (i) => createActor(`Beside the open one ${i}`, "STATE")),
        );
        expect({ result, waits }).toEqual({ result: Array(40).fill("ok"), waits: [] });
        // The open transaction's write is not counted by anyone else.
        const { actors } = (
          await busy.graphql(`{ actors(filter: { kind: STATE }) { totalCount } }`)
        ).data!;
        expect(actors.totalCount).toBe(expected.count("Actor.kind:STATE"));
      } finally {
        await blocker.query("ROLLBACK");
        await blocker.end();
      }
      await expectCounts(expected, busy);
    });

    it("serves mixed concurrent creates, moves and deletes across kinds and statuses with no lock waits, exact counts and bounded rows", async () => {
      const { prisma } = busy.db;
      const visit = await prisma.visit.findFirstOrThrow();
      const doomed = await prisma.actor.createManyAndReturn({
        data: Array.from({ length: 30 }, (_, i) => ({ name: `Doomed ${i}`, kind: KINDS[i % 3]! })),
      });
      const outcomes = await prisma.outcome.createManyAndReturn({
        data: Array.from({ length: 50 }, (_, i) => ({
          visitId: visit.id,
          ordinal: 300 + i,
          statement: `Concurrent outcome ${i}`,
          category: "OTHER" as const,
          status: "PLANNED" as const,
          editorialNote: "Made by a test of list counts.",
        })),
      });
      const STATUSES = ["ACHIEVED", "IN_PROGRESS", "PLANNED"] as const;
      const CATEGORIES = ["TRADE", "SECURITY", "ENERGY"] as const;
      // What the writes below leave, write by write.
      const expected = seeded();
      for (const actor of doomed) expected.add("Actor", { kind: actor.kind });
      expected.add("Outcome", { status: "PLANNED", category: "OTHER" }, outcomes.length);
      for (let i = 0; i < 200; i++) {
        if (i < 100) expected.add("Actor", { kind: KINDS[i % 3]! });
        else if (i < 130) expected.remove("Actor", { kind: doomed[i - 100]!.kind });
        else if (i < 150) {
          expected.add("Outcome", { status: STATUSES[i % 3]!, category: CATEGORIES[i % 3]! });
        } else {
          expected.remove("Outcome", { status: "PLANNED", category: "OTHER" });
          if (i < 180) {
            expected.add("Outcome", { status: STATUSES[i % 3]!, category: CATEGORIES[i % 3]! });
          }
        }
      }
      const write = (i: number): Promise<{ errors?: unknown }> => {
        if (i < 100) return createActor(`Concurrent ${i}`, KINDS[i % 3]!);
        if (i < 130) {
          const id = toGlobalId("Actor", doomed[i - 100]!.id);
          return busy.graphql(`mutation ($id: ID!) { deleteActor(id: $id) }`, { id }, busyAdmin);
        }
        if (i < 150) {
          return busy.graphql(
            `mutation ($input: CreateOutcomeInput!) { createOutcome(input: $input) { id } }`,
            {
              input: {
                visitId: toGlobalId("Visit", visit.id),
                ordinal: 400 + i,
                statement: `Created concurrently ${i}`,
                category: CATEGORIES[i % 3],
                status: STATUSES[i % 3],
                editorialNote: "Made by a test of list counts.",
              },
            },
            busyEditor,
          );
        }
        if (i < 180) {
          // Moves an outcome between statuses and categories: -1 on one counter, +1 on another.
          const id = toGlobalId("Outcome", outcomes[i - 150]!.id);
          return busy.graphql(
            `mutation ($id: ID!, $input: UpdateOutcomeInput!) { updateOutcome(id: $id, input: $input) { id } }`,
            { id, input: { status: STATUSES[i % 3], category: CATEGORIES[i % 3] } },
            busyEditor,
          );
        }
        const id = toGlobalId("Outcome", outcomes[i - 150]!.id);
        return busy.graphql(`mutation ($id: ID!) { deleteOutcome(id: $id) }`, { id }, busyAdmin);
      };
      const { result, waits } = await lockWaitsDuring(burst(200, write));
      expect({ result, waits }).toEqual({ result: Array(200).fill("ok"), waits: [] });
      await expectCounts(expected, busy);

      // Each list has at most one row more than the transactions that wrote it at once, which
      // the pool bounds; one write that meets no other folds its lists back into one row.
      const lists = ["Actor", ...KINDS.map((kind) => `Actor.kind:${kind}`)];
      const rows = await rowsOf(busy, lists);
      for (const list of lists) expect(rows[list]).toBeLessThanOrEqual(POOL_SIZE + 1);
      for (const kind of KINDS) await createActor(`Alone ${kind}`, kind);
      for (const kind of KINDS) expected.add("Actor", { kind });
      expect(await rowsOf(busy, lists)).toEqual(Object.fromEntries(lists.map((list) => [list, 1])));
      await expectCounts(expected, busy);

      const { data } = await busy.graphql(
        `{ actors { totalCount } people: actors(filter: { kind: PERSON }) { totalCount }
         outcomes { totalCount } achieved: outcomes(filter: { status: ACHIEVED }) { totalCount }
         trade: outcomes(filter: { category: TRADE }) { totalCount } }`,
      );
      expect(data).toEqual({
        actors: { totalCount: expected.count("Actor") },
        people: { totalCount: expected.count("Actor.kind:PERSON") },
        outcomes: { totalCount: expected.count("Outcome") },
        achieved: { totalCount: expected.count("Outcome.status:ACHIEVED") },
        trade: { totalCount: expected.count("Outcome.category:TRADE") },
      });
    });
  },
);
