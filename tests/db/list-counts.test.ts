/**
 * "ListCount" holds the size of each list a connection's `totalCount` reports, kept by
 * triggers. Whatever writes the rows (mutations, bulk SQL, cascades, TRUNCATE), every counter
 * must equal a count(*) of what it stands for, and `totalCount` must equal the rows a client
 * can page through.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let editor: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
  editor = await server.keyFor("EDITOR");
  admin = await server.keyFor("ADMIN");
});
afterAll(() => server.stop());

/** What every counter should say, from count(*), with the counters as they are. */
async function countersAndTruth() {
  const truth = await server.db.withSession((session) =>
    session.query<{ list: string; count: number }>(`
      SELECT key AS list, count(*)::int AS count FROM (
        SELECT ARRAY['Article'] AS keys FROM "Article"
        UNION ALL SELECT ARRAY['Visit'] FROM "Visit"
        UNION ALL SELECT ARRAY['Agreement', 'Agreement.kind:' || "kind"::text] FROM "Agreement"
        UNION ALL SELECT ARRAY['Outcome', 'Outcome.status:' || "status"::text,
                               'Outcome.category:' || "category"::text] FROM "Outcome"
        UNION ALL SELECT ARRAY['Actor', 'Actor.kind:' || "kind"::text] FROM "Actor"
      ) r, unnest(keys) AS key GROUP BY key ORDER BY key`),
  );
  const counters = await server.db.prisma.listCount.findMany({
    where: { count: { not: 0 } },
    orderBy: { list: "asc" },
  });
  return { counters, truth };
}

async function expectExact() {
  const { counters, truth } = await countersAndTruth();
  expect(counters).toEqual(truth);
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
  it("counts the seeded rows", async () => {
    const { counters } = await countersAndTruth();
    expect(counters.find((c) => c.list === "Outcome")).toEqual({ list: "Outcome", count: 9 });
    await expectExact();
  });

  it("follows creates, updates that move a row between filter values, and deletes", async () => {
    const { visits } = await ok(`{ visits(first: 1) { edges { node { id } } } }`, {});
    const visitId = visits.edges[0].node.id as string;
    const created = await ok(
      `mutation ($input: CreateOutcomeInput!) { createOutcome(input: $input) { id } }`,
      {
        input: {
          visitId,
          ordinal: 50,
          statement: "A joint commission meets",
          category: "OTHER",
          status: "PLANNED",
        },
      },
    );
    await expectExact();
    const id = created.createOutcome.id as string;
    await ok(
      `mutation ($id: ID!) { updateOutcome(id: $id, input: { status: ACHIEVED, category: TRADE }) { id } }`,
      { id },
    );
    await expectExact();
    await ok(
      `mutation ($id: ID!) { updateOutcome(id: $id, input: { statement: "Renamed" }) { id } }`,
      {
        id,
      },
    );
    await expectExact();
    await ok(`mutation ($id: ID!) { deleteOutcome(id: $id) }`, { id }, admin);
    await expectExact();

    const actor = await ok(
      `mutation { createActor(input: { name: "Counting Office", kind: ORGANIZATION }) { id } }`,
      {},
    );
    await ok(`mutation ($id: ID!) { updateActor(id: $id, input: { kind: STATE }) { id } }`, {
      id: actor.createActor.id,
    });
    await expectExact();
    await ok(`mutation ($id: ID!) { deleteActor(id: $id) }`, { id: actor.createActor.id }, admin);
    await expectExact();
  });

  it("follows bulk SQL, rolled-back writes and cascades", async () => {
    const { prisma } = server.db;
    const visit = await prisma.visit.findFirstOrThrow();
    await prisma.outcome.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        visitId: visit.id,
        ordinal: 100 + i,
        statement: `Bulk outcome ${i}`,
        category: i % 2 ? ("TRADE" as const) : ("SECURITY" as const),
        status: i % 3 ? ("PLANNED" as const) : ("ACHIEVED" as const),
      })),
    });
    await expectExact();
    await prisma.outcome.updateMany({
      where: { ordinal: { gte: 120 } },
      data: { status: "IN_PROGRESS" },
    });
    await expectExact();
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.outcome.deleteMany({ where: { ordinal: { gte: 100 } } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await expectExact();
    await prisma.outcome.deleteMany({ where: { ordinal: { gte: 130 } } });
    await expectExact();

    // A new visit with outcomes, then both deleted (outcomes first: visits restrict).
    const other = await prisma.visit.create({
      data: { title: "A counted visit", kind: "WORKING_VISIT" },
    });
    await prisma.outcome.createMany({
      data: [1, 2, 3].map((i) => ({
        visitId: other.id,
        ordinal: i,
        statement: `Outcome ${i}`,
        category: "OTHER" as const,
        status: "PLANNED" as const,
      })),
    });
    await expectExact();
    await prisma.outcome.deleteMany({ where: { visitId: other.id } });
    await prisma.visit.delete({ where: { id: other.id } });
    await expectExact();
  });

  it("reports totalCount from the counters as count(*) would", async () => {
    const variables = { status: "ACHIEVED", category: "TRADE", kind: "PERSON" };
    const data = await ok(TOTALS, variables);
    const { prisma } = server.db;
    expect(data).toEqual({
      articles: { totalCount: await prisma.article.count() },
      visits: { totalCount: await prisma.visit.count() },
      agreements: { totalCount: await prisma.agreement.count() },
      all: { totalCount: await prisma.outcome.count() },
      byStatus: { totalCount: await prisma.outcome.count({ where: { status: "ACHIEVED" } }) },
      byCategory: { totalCount: await prisma.outcome.count({ where: { category: "TRADE" } }) },
      both: {
        totalCount: await prisma.outcome.count({
          where: { status: "ACHIEVED", category: "TRADE" },
        }),
      },
      actors: { totalCount: await prisma.actor.count({ where: { kind: "PERSON" } }) },
    });
    expect(data.byStatus.totalCount).toBeGreaterThan(data.both.totalCount);
  });

  it("reads a whole-table or one-filter count from its counter, and counts rows otherwise", async () => {
    const { prisma } = server.db;
    const achieved = await prisma.outcome.count({ where: { status: "ACHIEVED" } });
    const both = await prisma.outcome.count({ where: { status: "ACHIEVED", category: "TRADE" } });
    // A counter set off by a known amount shows which path a totalCount took.
    const list = "Outcome.status:ACHIEVED";
    await prisma.listCount.update({ where: { list }, data: { count: { increment: 1000 } } });
    try {
      const data = await ok(
        `{ one: outcomes(filter: { status: ACHIEVED }) { totalCount }
           two: outcomes(filter: { status: ACHIEVED, category: TRADE }) { totalCount } }`,
        {},
      );
      expect(data).toEqual({ one: { totalCount: achieved + 1000 }, two: { totalCount: both } });
    } finally {
      await prisma.listCount.update({ where: { list }, data: { count: { decrement: 1000 } } });
    }
    await expectExact();
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
    const stale = await countersAndTruth();
    expect(stale.counters).not.toEqual(stale.truth);
    await server.db.withSession((session) => session.exec("SELECT accord_recount_lists()"));
    await expectExact();
  });

  it("empties the counters of a truncated table", async () => {
    await server.db.withSession((session) =>
      session.exec(`TRUNCATE "Revision", "Outcome" CASCADE`),
    );
    await expectExact();
    const data = await ok(TOTALS, { status: "ACHIEVED", category: "TRADE", kind: "PERSON" });
    expect(data.all).toEqual({ totalCount: 0 });
    expect(data.byStatus).toEqual({ totalCount: 0 });
  });
});
