/**
 * Lists bounded by their parent stay within the maximum the schema states
 * (`@listSize(assumedSize:)`): an edit that would grow one past it is refused with
 * BAD_USER_INPUT naming the field and the maximum, and changes nothing. Lists that grow one
 * row at a time are counted under a lock, so concurrent edits cannot both take the last place.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { maxItems } from "../../src/bounds.js";
import { toGlobalId } from "../../src/ids.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { databaseState } from "../support/state.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

let server: TestServer;
let editor: Record<string, string>;
let actorIds: string[];
let articleId: number;
let visitId: number;
beforeAll(async () => {
  server = await startTestServer();
  editor = await server.keyFor("EDITOR");
  const { prisma } = server.db;
  // 60 actors: enough to fill any list of actors past its maximum.
  await prisma.actor.createMany({
    data: Array.from({ length: 60 }, (_, i) => ({ name: `Envoy ${i}`, kind: "PERSON" as const })),
  });
  actorIds = (await prisma.actor.findMany({ orderBy: { id: "asc" } })).map((a) =>
    toGlobalId("Actor", a.id),
  );
  articleId = (await prisma.article.findUniqueOrThrow({ where: { slug: SLUG } })).id;
  visitId = (await prisma.visit.findFirstOrThrow()).id;
});
afterAll(() => server.stop());

/** Sends a mutation that must be refused naming `field` and `max`, and change nothing. */
async function expectRefused(
  query: string,
  variables: Record<string, unknown>,
  field: string,
  max: number,
) {
  const before = await databaseState(server.db);
  const response = await server.graphql(query, variables, editor);
  expect(response.data).toBeNull();
  expect(response.errors).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(
        new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}: .*at most ${max}$`),
      ),
      extensions: expect.objectContaining({ code: "BAD_USER_INPUT", argumentName: field, max }),
    }),
  ]);
  expect(await databaseState(server.db)).toEqual(before);
  return response.errors![0]!.message;
}

const CREATE_ARTICLE = `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { id } }`;
const UPDATE_ARTICLE = `mutation ($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }`;
const CREATE_VISIT = `mutation ($input: CreateVisitInput!) { createVisit(input: $input) { id } }`;
const UPDATE_VISIT = `mutation ($id: ID!, $input: UpdateVisitInput!) { updateVisit(id: $id, input: $input) { id } }`;
const CREATE_AGREEMENT = `mutation ($input: CreateAgreementInput!) { createAgreement(input: $input) { id } }`;
const UPDATE_AGREEMENT = `mutation ($id: ID!, $input: UpdateAgreementInput!) { updateAgreement(id: $id, input: $input) { id } }`;
const CREATE_OUTCOME = `mutation ($input: CreateOutcomeInput!) { createOutcome(input: $input) { id } }`;
const UPDATE_OUTCOME = `mutation ($id: ID!, $input: UpdateOutcomeInput!) { updateOutcome(id: $id, input: $input) { id } }`;
const CREATE_CITATION = `mutation ($input: CreateCitationInput!) { createCitation(input: $input) { id } }`;

const newArticle = (slug: string, extra: Record<string, unknown> = {}) => ({
  slug,
  title: slug,
  language: "en",
  publishedOn: "2025-06-01",
  body: "A short note.",
  ...extra,
});

/** These facts cite nothing: they say so. */
const NOTE = "Made by a test of list bounds.";

const newAgreement = (title: string, extra: Record<string, unknown> = {}) => ({
  title,
  kind: "AGREEMENT",
  status: "SIGNED",
  editorialNote: NOTE,
  ...extra,
});

/** A visit with nothing attached, for one test to fill. */
async function emptyVisit(title: string) {
  return server.db.prisma.visit.create({
    data: { title, kind: "WORKING_VISIT", editorialNote: NOTE },
  });
}

/** A new visit holding `count` outcomes, numbered 1 to `count`. */
async function visitWithOutcomes(title: string, count: number) {
  const visit = await emptyVisit(title);
  await server.db.prisma.outcome.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      visitId: visit.id,
      ordinal: i + 1,
      statement: `Result ${i + 1}`,
      category: "OTHER" as const,
      status: "PLANNED" as const,
      editorialNote: NOTE,
    })),
  });
  return visit;
}

describe("the bounds on write", () => {
  it("come from the schema", () => {
    expect(
      [
        ["Article", "authors"],
        ["Article", "visits"],
        ["Visit", "participants"],
        ["Visit", "agreements"],
        ["Visit", "outcomes"],
        ["Visit", "citations"],
        ["Agreement", "parties"],
        ["Agreement", "citations"],
        ["Outcome", "citations"],
      ].map(([type, field]) => maxItems(type!, field!)),
    ).toEqual([20, 20, 50, 100, 100, 100, 50, 50, 50]);
    expect(() => maxItems("Actor", "mentions")).toThrow(
      "schema.graphql declares no @listSize(assumedSize:) for Actor.mentions",
    );
  });
});

describe("Article.authors and Article.visits", () => {
  it("accept 20 authors and refuse 21 on create and on update", async () => {
    const created = await server.graphql(
      CREATE_ARTICLE,
      { input: newArticle("twenty-authors", { authorIds: actorIds.slice(0, 20) }) },
      editor,
    );
    expect(created.errors).toBeUndefined();
    const message = await expectRefused(
      CREATE_ARTICLE,
      { input: newArticle("twenty-one-authors", { authorIds: actorIds.slice(0, 21) }) },
      "input.authorIds",
      20,
    );
    expect(message).toBe("input.authorIds: lists 21 items; Article.authors holds at most 20");
    await expectRefused(
      UPDATE_ARTICLE,
      { id: created.data!.createArticle.id, input: { authorIds: actorIds.slice(0, 21) } },
      "input.authorIds",
      20,
    );
  });

  it("refuse 21 visits given with the article", async () => {
    const visits = await Promise.all(
      Array.from({ length: 21 }, (_, i) => emptyVisit(`Visit for the article ${i}`)),
    );
    const ids = visits.map((v) => toGlobalId("Visit", v.id));
    await expectRefused(
      CREATE_ARTICLE,
      { input: newArticle("twenty-one-visits", { visitIds: ids }) },
      "input.visitIds",
      20,
    );
    await expectRefused(
      UPDATE_ARTICLE,
      { id: toGlobalId("Article", articleId), input: { visitIds: ids } },
      "input.visitIds",
      20,
    );
  });

  it("refuse a visit's articleIds that would give an article a 21st visit, and accept what does not grow it", async () => {
    const { prisma } = server.db;
    const article = await prisma.article.create({
      data: { ...newArticle("reported-twenty-times"), publishedOn: new Date("2025-06-01") },
    });
    const visits = await Promise.all(
      Array.from({ length: 20 }, (_, i) => emptyVisit(`Reported visit ${i}`)),
    );
    await prisma.articleVisit.createMany({
      data: visits.map((v) => ({ articleId: article.id, visitId: v.id })),
    });
    const articleIds = [toGlobalId("Article", articleId), toGlobalId("Article", article.id)];
    await expectRefused(
      CREATE_VISIT,
      {
        input: {
          title: "One visit too many",
          kind: "WORKING_VISIT",
          articleIds,
          editorialNote: NOTE,
        },
      },
      "input.articleIds[1]",
      20,
    );
    const other = await emptyVisit("Another visit");
    await expectRefused(
      UPDATE_VISIT,
      { id: toGlobalId("Visit", other.id), input: { articleIds } },
      "input.articleIds[1]",
      20,
    );
    // A visit the article already reports keeps its place.
    const kept = await server.graphql(
      UPDATE_VISIT,
      { id: toGlobalId("Visit", visits[0]!.id), input: { articleIds } },
      editor,
    );
    expect(kept.errors).toBeUndefined();
  });
});

describe("Visit.participants, Visit.agreements and Visit.outcomes", () => {
  it("refuse 51 participants on create and on update", async () => {
    const participants = actorIds
      .slice(0, 51)
      .map((actorId) => ({ actorId, role: "DELEGATE" as const }));
    await expectRefused(
      CREATE_VISIT,
      {
        input: {
          title: "A crowded visit",
          kind: "WORKING_VISIT",
          participants,
          editorialNote: NOTE,
        },
      },
      "input.participants",
      50,
    );
    await expectRefused(
      UPDATE_VISIT,
      { id: toGlobalId("Visit", visitId), input: { participants } },
      "input.participants",
      50,
    );
    const fifty = await server.graphql(
      CREATE_VISIT,
      {
        input: {
          title: "A full visit",
          kind: "WORKING_VISIT",
          participants: participants.slice(0, 50),
          editorialNote: NOTE,
        },
      },
      editor,
    );
    expect(fifty.errors).toBeUndefined();
  });

  it("refuse a 101st agreement of a visit, on create and when an agreement moves to it", async () => {
    const full = await emptyVisit("A visit of 100 agreements");
    await server.db.prisma.agreement.createMany({
      data: Array.from({ length: 100 }, (_, i) => ({
        title: `Agreement ${i}`,
        kind: "AGREEMENT" as const,
        status: "SIGNED" as const,
        editorialNote: NOTE,
        visitId: full.id,
      })),
    });
    const message = await expectRefused(
      CREATE_AGREEMENT,
      { input: newAgreement("One more", { visitId: toGlobalId("Visit", full.id) }) },
      "input.visitId",
      100,
    );
    expect(message).toBe(
      "input.visitId: the Visit already has 100 agreements; Visit.agreements holds at most 100",
    );
    const elsewhere = await server.db.prisma.agreement.create({
      data: { title: "Elsewhere", kind: "AGREEMENT", status: "SIGNED", editorialNote: NOTE },
    });
    await expectRefused(
      UPDATE_AGREEMENT,
      {
        id: toGlobalId("Agreement", elsewhere.id),
        input: { visitId: toGlobalId("Visit", full.id) },
      },
      "input.visitId",
      100,
    );
    // One already there may be edited and keep its visit.
    const inside = await server.db.prisma.agreement.findFirstOrThrow({
      where: { visitId: full.id },
    });
    const kept = await server.graphql(
      UPDATE_AGREEMENT,
      {
        id: toGlobalId("Agreement", inside.id),
        input: { title: "Renamed", visitId: toGlobalId("Visit", full.id) },
      },
      editor,
    );
    expect(kept.errors).toBeUndefined();
  });

  it("refuse 51 parties of an agreement", async () => {
    await expectRefused(
      CREATE_AGREEMENT,
      { input: newAgreement("Everyone", { partyIds: actorIds.slice(0, 51) }) },
      "input.partyIds",
      50,
    );
    const agreement = await server.db.prisma.agreement.findFirstOrThrow({ orderBy: { id: "asc" } });
    await expectRefused(
      UPDATE_AGREEMENT,
      { id: toGlobalId("Agreement", agreement.id), input: { partyIds: actorIds.slice(0, 51) } },
      "input.partyIds",
      50,
    );
  });

  it("refuse a 101st outcome of a visit, on create and when an outcome moves to it", async () => {
    const full = await visitWithOutcomes("A visit of 100 outcomes", 100);
    const input = {
      visitId: toGlobalId("Visit", full.id),
      ordinal: 101,
      statement: "One result too many",
      category: "OTHER",
      status: "PLANNED",
      editorialNote: NOTE,
    };
    await expectRefused(CREATE_OUTCOME, { input }, "input.visitId", 100);
    const other = await emptyVisit("A visit of one outcome");
    const outcome = await server.db.prisma.outcome.create({
      data: {
        visitId: other.id,
        ordinal: 200,
        statement: "Moving",
        category: "OTHER",
        status: "PLANNED",
        editorialNote: NOTE,
      },
    });
    await expectRefused(
      UPDATE_OUTCOME,
      { id: toGlobalId("Outcome", outcome.id), input: { visitId: toGlobalId("Visit", full.id) } },
      "input.visitId",
      100,
    );
  });

  it("let only one of two concurrent edits take a visit's last outcome place", async () => {
    const visit = await visitWithOutcomes("A visit of 99 outcomes", 99);
    const responses = await Promise.all(
      [100, 101].map((ordinal) =>
        server.graphql(
          CREATE_OUTCOME,
          {
            input: {
              visitId: toGlobalId("Visit", visit.id),
              ordinal,
              statement: `Result ${ordinal}`,
              category: "OTHER",
              status: "PLANNED",
              editorialNote: NOTE,
            },
          },
          editor,
        ),
      ),
    );
    expect(responses.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(responses.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual([
      "BAD_USER_INPUT",
    ]);
    expect(await server.db.prisma.outcome.count({ where: { visitId: visit.id } })).toBe(100);
  });
});

describe("citations of a fact", () => {
  it("refuse a 51st citation of an outcome and a 101st of a visit", async () => {
    const { prisma } = server.db;
    const article = await prisma.article.findUniqueOrThrow({ where: { id: articleId } });
    const quote = {
      articleId,
      start: 0,
      end: 5,
      quote: article.body.slice(0, 5),
      paragraphIndex: 0,
    };
    const outcome = await prisma.outcome.findFirstOrThrow({ where: { visitId } });
    const existing = await prisma.citation.count({ where: { outcomeId: outcome.id } });
    await prisma.citation.createMany({
      data: Array.from({ length: 50 - existing }, () => ({ ...quote, outcomeId: outcome.id })),
    });
    const input = (factId: string) => ({
      articleId: toGlobalId("Article", articleId),
      quote: article.body.slice(0, 40),
      occurrence: 1,
      factId,
    });
    const message = await expectRefused(
      CREATE_CITATION,
      { input: input(toGlobalId("Outcome", outcome.id)) },
      "input.factId",
      50,
    );
    expect(message).toBe(
      "input.factId: the Outcome already has 50 citations; Outcome.citations holds at most 50",
    );

    const visit = await emptyVisit("A visit cited 100 times");
    await prisma.citation.createMany({
      data: Array.from({ length: 100 }, () => ({ ...quote, visitId: visit.id })),
    });
    await expectRefused(
      CREATE_CITATION,
      { input: input(toGlobalId("Visit", visit.id)) },
      "input.factId",
      100,
    );
    const fresh = await emptyVisit("A visit not yet cited");
    const cited = await server.graphql(
      CREATE_CITATION,
      { input: input(toGlobalId("Visit", fresh.id)) },
      editor,
    );
    expect(cited.errors).toBeUndefined();
  });
});
