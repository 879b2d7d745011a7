/**
 * No N+1: the number of SQL statements a contract query sends does not grow with the number
 * of objects it returns. Each query is measured on the seed, then again after the data has
 * grown many times over; the counts must be equal.
 */
import { describe, expect, it } from "@jest/globals";
import pg from "pg";
import { toGlobalId } from "../../src/ids.js";
import { operation, startTestServer } from "../support/server.js";
import { forSuite } from "../support/suite.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

// Without the response cache: every request must reach the database to be counted.
const server = forSuite(() => startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } }));

async function statementsFor(name: string, variables: Record<string, unknown>) {
  const before = server.db.statementCount;
  const response = await server.graphql(operation(name), variables);
  expect(response.errors).toBeUndefined();
  return { statements: server.db.statementCount - before, data: response.data! };
}

/** Adds 120 actors, each taking part in the visit, party to every agreement and mentioned,
 *  and 30 outcomes with two citations each: in a few set-based statements, so that the
 *  server's connection stays warm while they run. */
async function growData() {
  const { prisma } = server.db;
  const article = await prisma.article.findUniqueOrThrow({ where: { slug: SLUG } });
  const visit = await prisma.visit.findFirstOrThrow();
  const agreements = await prisma.agreement.findMany();
  const names = Array.from({ length: 120 }, (_, i) => `Delegate ${String(i).padStart(3, "0")}`);
  const actors = await prisma.actor.createManyAndReturn({
    data: names.map((name) => ({ name, kind: "PERSON" as const })),
  });
  await prisma.actorAlias.createMany({
    data: actors.flatMap((actor, i) => [
      { actorId: actor.id, alias: actor.name },
      { actorId: actor.id, alias: `D${i}` },
    ]),
  });
  await prisma.visitParticipant.createMany({
    data: actors.map((actor) => ({
      visitId: visit.id,
      actorId: actor.id,
      role: "DELEGATE" as const,
    })),
  });
  await prisma.agreementParty.createMany({
    data: actors.flatMap((actor) =>
      agreements.map((a) => ({ agreementId: a.id, actorId: actor.id })),
    ),
  });
  await prisma.mention.createMany({
    data: actors.map((actor) => ({
      actorId: actor.id,
      articleId: article.id,
      start: 4,
      end: 9,
      quote: article.body.slice(4, 9),
      paragraphIndex: 0,
    })),
  });
  const outcomes = await prisma.outcome.createManyAndReturn({
    data: Array.from({ length: 30 }, (_, i) => ({
      visitId: visit.id,
      ordinal: 10 + i,
      statement: `Further result ${10 + i}`,
      category: "OTHER" as const,
      status: "PLANNED" as const,
      editorialNote: "Cited below, in a statement of its own.",
    })),
  });
  await prisma.citation.createMany({
    data: outcomes.flatMap((outcome) =>
      [0, 1].map((k) => ({
        outcomeId: outcome.id,
        articleId: article.id,
        start: k * 10,
        end: k * 10 + 5,
        quote: article.body.slice(k * 10, k * 10 + 5),
        paragraphIndex: 0,
      })),
    ),
  });
}

describe("SQL statements per request", () => {
  it("stay the same for ArticlePage and a 100-actor ActorDirectory page as the data grows", async () => {
    const kyrgyzstan = await server.db.prisma.actor.findFirstOrThrow({
      where: { name: "Kyrgyzstan" },
    });
    const actor = { id: toGlobalId("Actor", kyrgyzstan.id), first: 100 };
    const measure = async () => ({
      actor: await statementsFor("ActorProfile", actor),
      page: await statementsFor("ArticlePage", { slug: SLUG }),
      directory: await statementsFor("ActorDirectory", { first: 100 }),
      search: await statementsFor("ActorDirectory", { first: 100, search: "ele" }),
      outcomes: await statementsFor("OutcomeTracker", { first: 100 }),
      profile: await statementsFor("VisitList", {}),
    });
    const small = await measure();
    await growData();
    const large = await measure();

    const visit = large.page.data.article.visits[0];
    expect(visit.participants.length).toBe(122);
    expect(visit.outcomes.length).toBe(39);
    expect(large.directory.data.actors.edges).toHaveLength(100);
    expect(small.directory.data.actors.edges.length).toBeLessThan(10);

    expect(large.page.statements).toBe(small.page.statements);
    expect(large.directory.statements).toBe(small.directory.statements);
    expect(large.profile.statements).toBe(small.profile.statements);
    // The actor with its aliases, then one statement for each of its four connections, each
    // with what its nodes show (the visits of its participations, the articles of its mentions).
    expect(large.actor.data.actor.agreements.totalCount).toBe(2);
    expect(large.actor.statements).toBe(small.actor.statements);
    expect(small.actor.statements).toBe(5);
    // Batched: one statement per kind of lookup, not per object.
    expect(large.outcomes.data.outcomes.edges).toHaveLength(39);
    expect(large.search.data.actors.edges.length).toBeGreaterThan(100 - 1);
    // The page, and each list with everything it shows, in one statement.
    for (const key of ["page", "directory", "search", "outcomes"] as const) {
      expect([key, large[key].statements]).toEqual([key, 1]);
      expect([key, small[key].statements]).toEqual([key, 1]);
    }
  });

  it("read the article page in one statement when its visits are asked for inside fragments", async () => {
    const query = `
      query ($slug: String!) { article(slug: $slug) { ...Page } }
      fragment Page on Article { title ... on Article { visits { ...Visit } } }
      fragment Visit on Visit { title participants { role actor { name } } agreements { title } }`;
    const before = server.db.statementCount;
    const response = await server.graphql(query, { slug: SLUG });
    expect(response.errors).toBeUndefined();
    expect(server.db.statementCount - before).toBe(1);
    const article = response.data!.article as { visits: { participants: unknown[] }[] };
    expect(article.visits).toHaveLength(1);
    expect(article.visits[0]!.participants.length).toBeGreaterThan(0);
  });

  // A lock held from a second session needs a Postgres server (PGlite has one session).
  const onPostgres = process.env.DATABASE_URL ? it : it.skip;
  onPostgres("read only what @skip and @include leave in the selection", async () => {
    const query = `
      query ($slug: String!, $tree: Boolean!) {
        article(slug: $slug) {
          title
          visits @include(if: $tree) { title }
          ...Tree @skip(if: true)
        }
      }
      fragment Tree on Article { visits { participants { role } } }`;
    // While another session holds the participants' table, a read that touched it would wait
    // (until the statement timeout): the article without its tree must not.
    const lock = new pg.Client({ connectionString: server.databaseUrl! });
    await lock.connect();
    let alone: unknown;
    try {
      await lock.query(`BEGIN; LOCK TABLE "VisitParticipant" IN ACCESS EXCLUSIVE MODE`);
      alone = await server.graphql(query, { slug: SLUG, tree: false });
    } finally {
      await lock.query("ROLLBACK");
      await lock.end();
    }
    const before = server.db.statementCount;
    const withTree = await server.graphql(query, { slug: SLUG, tree: true });
    expect({ alone, withTree, statements: server.db.statementCount - before }).toEqual({
      alone: { status: 200, data: { article: { title: expect.any(String) } } },
      withTree: {
        status: 200,
        data: { article: { title: expect.any(String), visits: [{ title: expect.any(String) }] } },
      },
      statements: 1,
    });
  });
});
