/**
 * Where each fact comes from: a visit, agreement or outcome cites a passage or is marked
 * editorial with the editor's note, and a date says how precisely it is known.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createArticle, operation, startTestServer, type TestServer } from "../support/server.js";
import { refusalsOn } from "../support/state.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

let server: TestServer;
let editor: Record<string, string>;
let admin: Record<string, string>;
let articleId: string;
let visitId: string;
let body: string;
beforeAll(async () => {
  server = await startTestServer();
  editor = await server.keyFor("EDITOR");
  admin = await server.keyFor("ADMIN");
  const page = (await server.graphql(operation("ArticlePage"), { slug: SLUG })).data!.article;
  articleId = page.id;
  visitId = page.visits[0].id;
  body = (
    await server.graphql(`query($slug: String!) { article(slug: $slug) { body } }`, { slug: SLUG })
  ).data!.article.body;
});
afterAll(() => server.stop());

const expectRefusal = refusalsOn(
  () => server,
  () => editor,
);

const FACT = `basis editorialNote citations { quote start end article { id } }`;
const CREATE_VISIT = `mutation($input: CreateVisitInput!) { createVisit(input: $input) {
  id startDate startDatePrecision endDate endDatePrecision ${FACT} } }`;
const CREATE_AGREEMENT = `mutation($input: CreateAgreementInput!) { createAgreement(input: $input) {
  id signedOn signedOnPrecision ${FACT} } }`;
const CREATE_OUTCOME = `mutation($input: CreateOutcomeInput!) { createOutcome(input: $input) {
  id ${FACT} } }`;
const UPDATE_OUTCOME = `mutation($id: ID!, $input: UpdateOutcomeInput!) {
  updateOutcome(id: $id, input: $input) { id ${FACT} } }`;
const UPDATE_VISIT = `mutation($id: ID!, $input: UpdateVisitInput!) { updateVisit(id: $id, input: $input) {
  id startDate startDatePrecision endDate endDatePrecision } }`;
const DELETE_CITATION = `mutation($id: ID!) { deleteCitation(id: $id) }`;

const QUOTE = "Direct flights between the countries were restored";
/** An outcome of the seeded visit, numbered `ordinal`, citing `citations`, as `fields` say. */
const outcome = (
  ordinal: number,
  citations: unknown[],
  fields: Record<string, unknown> = { statement: "S", category: "OTHER", status: "PLANNED" },
) => ({ input: { visitId, ordinal, ...fields, citations } });
/** What an outcome resting on QUOTE states. */
const FLIGHTS = { statement: "Flights restored", category: "TRANSPORT", status: "ACHIEVED" };

describe("Basis: every fact cites a passage or says why not", () => {
  it("refuses a visit, an agreement or an outcome with neither citations nor a note", async () => {
    await expectRefusal(
      CREATE_VISIT,
      { input: { title: "Working visit", kind: "WORKING_VISIT" } },
      { argumentName: "input.citations" },
      /^input\.citations: a visit needs at least one citation, or an editorialNote/,
    );
    await expectRefusal(
      CREATE_AGREEMENT,
      { input: { title: "Protocol", kind: "PROTOCOL", status: "SIGNED", citations: [] } },
      { argumentName: "input.citations" },
      /an agreement needs at least one citation/,
    );
    await expectRefusal(
      CREATE_OUTCOME,
      {
        input: { visitId, ordinal: 90, statement: "S", category: "OTHER", status: "PLANNED" },
      },
      { argumentName: "input.citations" },
      /an outcome needs at least one citation/,
    );
  });

  it("creates a fact with its citations in one step: CITED, each passage where it is", async () => {
    const response = await server.graphql(
      CREATE_OUTCOME,
      outcome(91, [{ articleId, quote: QUOTE }], FLIGHTS),
      editor,
    );
    const start = body.indexOf(QUOTE);
    expect(response).toEqual({
      status: 200,
      data: {
        createOutcome: {
          id: expect.any(String),
          basis: "CITED",
          editorialNote: null,
          citations: [
            { quote: QUOTE, start, end: start + QUOTE.length, article: { id: articleId } },
          ],
        },
      },
    });
    expect(body.slice(start, start + QUOTE.length)).toBe(QUOTE);
    await server.graphql(
      `mutation($id: ID!) { deleteOutcome(id: $id) }`,
      { id: response.data!.createOutcome.id },
      admin,
    );
  });

  it("creates an editorial fact from its note alone", async () => {
    const note = "Reported by a ministry statement, not by an article in the record.";
    const response = await server.graphql(
      CREATE_AGREEMENT,
      {
        input: { title: "Water protocol", kind: "PROTOCOL", status: "SIGNED", editorialNote: note },
      },
      editor,
    );
    expect(response.data).toEqual({
      createAgreement: {
        id: expect.any(String),
        signedOn: null,
        signedOnPrecision: null,
        basis: "EDITORIAL",
        editorialNote: note,
        citations: [],
      },
    });
  });

  it("writes nothing when one of a new fact's passages is not in the article", async () => {
    await expectRefusal(
      CREATE_OUTCOME,
      outcome(
        92,
        [
          { articleId, quote: QUOTE },
          { articleId, quote: "Flights to the Moon were restored" },
        ],
        FLIGHTS,
      ),
      { argumentName: "input.citations[1].quote" },
      /^input\.citations\[1\]\.quote: /,
    );
  });

  it("refuses a blank note, and removing the note of a fact that cites nothing", async () => {
    for (const blank of ["  ", "\u3164", "\u115f\u2800", "\u034f", "\u0085\u0001"]) {
      await expectRefusal(
        CREATE_VISIT,
        { input: { title: "Working visit", kind: "WORKING_VISIT", editorialNote: blank } },
        { argumentName: "input.editorialNote" },
        /must not be empty/,
      );
    }
    const created = await server.graphql(
      CREATE_OUTCOME,
      {
        input: {
          visitId,
          ordinal: 93,
          statement: "Talks continue",
          category: "OTHER",
          status: "IN_PROGRESS",
          editorialNote: "From the joint press conference.",
        },
      },
      editor,
    );
    const id = created.data!.createOutcome.id;
    await expectRefusal(
      UPDATE_OUTCOME,
      { id, input: { editorialNote: null } },
      { argumentName: "input.editorialNote" },
      /cannot be removed: the outcome cites no passage/,
    );
    await server.graphql(`mutation($id: ID!) { deleteOutcome(id: $id) }`, { id }, admin);
  });

  it("refuses deleting the only passage a cited fact rests on, and allows it once it has a note", async () => {
    const created = await server.graphql(
      CREATE_OUTCOME,
      outcome(94, [{ articleId, quote: QUOTE }], FLIGHTS),
      editor,
    );
    const fact = created.data!.createOutcome;
    const citationId = (
      await server.graphql(
        `query($id: ID!) { node(id: $id) { ... on Outcome { citations { id } } } }`,
        { id: fact.id },
      )
    ).data!.node.citations[0].id;
    await expectRefusal(
      DELETE_CITATION,
      { id: citationId },
      { argumentName: "id" },
      /is the only passage .* cites: cite another first, or give the outcome an editorialNote/,
      admin,
    );
    const noted = await server.graphql(
      UPDATE_OUTCOME,
      { id: fact.id, input: { editorialNote: "The statement paraphrases the list item." } },
      editor,
    );
    expect(noted.data!.updateOutcome.basis).toBe("EDITORIAL");
    const deleted = await server.graphql(DELETE_CITATION, { id: citationId }, admin);
    expect(deleted).toEqual({ status: 200, data: { deleteCitation: citationId } });
    await server.graphql(`mutation($id: ID!) { deleteOutcome(id: $id) }`, { id: fact.id }, admin);
  });

  it("lets only one of two concurrent deletes take a cited fact's last two citations", async () => {
    const created = await server.graphql(
      CREATE_OUTCOME,
      outcome(
        95,
        [
          { articleId, quote: QUOTE },
          { articleId, quote: "The full operation of the two border crossings was restored" },
        ],
        { statement: "Borders and flights", category: "OTHER", status: "ACHIEVED" },
      ),
      editor,
    );
    const id = created.data!.createOutcome.id;
    const ids = (
      await server.graphql(
        `query($id: ID!) { node(id: $id) { ... on Outcome { citations { id } } } }`,
        { id },
      )
    ).data!.node.citations.map((c: { id: string }) => c.id);
    const answers = await Promise.all(
      ids.map((citation: string) => server.graphql(DELETE_CITATION, { id: citation }, admin)),
    );
    const codes = answers.map((a) => (a.errors ? a.errors[0]!.extensions!.code : "deleted"));
    expect(codes.sort()).toEqual(["BAD_USER_INPUT", "deleted"]);
    const left = await server.graphql(
      `query($id: ID!) { node(id: $id) { ... on Outcome { basis citations { id } } } }`,
      { id },
    );
    expect(left.data!.node).toEqual({ basis: "CITED", citations: [{ id: expect.any(String) }] });
    await server.graphql(`mutation($id: ID!) { deleteOutcome(id: $id) }`, { id }, admin);
  });

  it("holds the rule in the database too, at commit, for a writer that skips the edits", async () => {
    const attempt = server.db.withSession((session) =>
      session.exec(`BEGIN;
        INSERT INTO "Agreement" ("title", "kind", "status", "updatedAt")
        VALUES ('Bare', 'OTHER', 'SIGNED', now());
        COMMIT;`),
    );
    await expect(attempt).rejects.toThrow(/cites no passage and has no editorial note/);
    expect(await server.db.prisma.agreement.count({ where: { title: "Bare" } })).toBe(0);
  });
});

describe("Basis: a fact's passages cited as it is created", () => {
  it("records the fact's creation with its citations, as it committed", async () => {
    const created = await server.graphql(
      CREATE_OUTCOME,
      outcome(80, [{ articleId, quote: QUOTE }]),
      editor,
    );
    const id = created.data!.createOutcome.id;
    const history = await server.graphql(
      `query($id: ID!) { revisions(nodeId: $id) { action after } }`,
      { id },
    );
    expect(history.data!.revisions).toEqual([
      {
        action: "CREATE",
        after: expect.objectContaining({
          editorialNote: null,
          citations: [expect.objectContaining({ quote: QUOTE, articleId })],
        }),
      },
    ]);
    await server.graphql(`mutation($id: ID!) { deleteOutcome(id: $id) }`, { id }, admin);
  });

  it("refuses more citations than the fact may hold before anchoring any, and one passage twice", async () => {
    const many = Array.from({ length: 51 }, () => ({ articleId, quote: QUOTE }));
    await expectRefusal(
      CREATE_OUTCOME,
      outcome(81, many),
      { argumentName: "input.citations" },
      /^input\.citations: lists 51 items; Outcome\.citations holds at most 50$/,
    );
    await expectRefusal(
      CREATE_OUTCOME,
      outcome(81, [
        { articleId, quote: QUOTE },
        { articleId, quote: QUOTE },
      ]),
      { argumentName: "input.citations[1].quote" },
      /^input\.citations\[1\]\.quote: the outcome already cites this passage/,
    );
  });

  it("lets two edits cite the same articles in opposite orders without a deadlock", async () => {
    const second = await createArticle(server, editor, {
      slug: "a-second-article-to-cite",
      body: "The commission met in Isfara.\n\nThe road reopened in April.",
    });
    const passages = [
      { articleId, quote: QUOTE },
      { articleId: second, quote: "The road reopened in April." },
    ];
    const answers = await Promise.all(
      [passages, [...passages].reverse(), passages, [...passages].reverse()].map((citations, i) =>
        server.graphql(CREATE_OUTCOME, outcome(82 + i, citations), editor),
      ),
    );
    expect(answers.map((a) => a.errors)).toEqual([undefined, undefined, undefined, undefined]);
    for (const answer of answers) {
      await server.graphql(
        `mutation($id: ID!) { deleteOutcome(id: $id) }`,
        { id: answer.data!.createOutcome.id },
        admin,
      );
    }
  });
});

describe("Basis: a fact cites a passage once, through edits of the body too", () => {
  it("refuses a new body that would put two citations of one fact on one passage", async () => {
    const id = await createArticle(server, editor, {
      slug: "alpha-talks-twice",
      body: "Alpha talks were held. Then Alpha talks were held again.\n\nBeta met Gamma.",
    });
    const quote = "Alpha talks were held";
    const visit = await server.graphql(
      CREATE_VISIT,
      {
        input: {
          title: "Talks",
          kind: "WORKING_VISIT",
          citations: [
            { articleId: id, quote, occurrence: 1 },
            { articleId: id, quote, occurrence: 2 },
          ],
        },
      },
      editor,
    );
    expect(visit.data!.createVisit.citations.map((c: { start: number }) => c.start)).toEqual([
      0, 28,
    ]);
    await expectRefusal(
      `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }`,
      { id, input: { body: "Alpha talks were held.\n\nBeta met Gamma." } },
      { argumentName: "input.body" },
      /^input\.body: the new text would leave 1 citation\(s\) on the passage another citation of the same fact quotes: /,
    );
  });
});

describe("Basis: the seed marks what the article does not state", () => {
  it("marks the inferred role, description, title and categories with the editor's notes", async () => {
    const response = await server.graphql(
      `query($slug: String!) { article(slug: $slug) { visits {
        basis participants { role editorialNote actor { name editorialNote } }
        agreements { title basis editorialNote }
        outcomes { ordinal basis editorialNote } } } }`,
      { slug: SLUG },
    );
    const [visit] = response.data!.article.visits;
    expect(visit.basis).toBe("CITED");
    expect(visit.participants).toEqual([
      {
        role: "GUEST",
        editorialNote: null,
        actor: { name: "Emomali Rahmon", editorialNote: null },
      },
      {
        role: "HOST",
        editorialNote: expect.stringMatching(/does not say who hosted/),
        actor: {
          name: "Sadir Japarov",
          editorialNote: expect.stringMatching(/"the leaders of the two countries"/),
        },
      },
    ]);
    expect(visit.agreements.map((a: { basis: string }) => a.basis)).toEqual(["EDITORIAL", "CITED"]);
    expect(visit.agreements[0].editorialNote).toMatch(/The title is the editor's/);
    expect(new Set(visit.outcomes.map((o: { basis: string }) => o.basis))).toEqual(
      new Set(["EDITORIAL"]),
    );
    expect(visit.outcomes[0].editorialNote).toMatch(/category is the editor's classification/);
  });
});

describe("Dates with their precision", () => {
  const note = { editorialNote: "For the test of dates." };
  /** A new visit with these dates, and the note its basis rests on. */
  const visitWith = (dates: Record<string, unknown>) => ({
    input: { title: "Visit", kind: "WORKING_VISIT", ...dates, ...note },
  });

  it("records a year or a month as its first day, with the precision", async () => {
    const response = await server.graphql(
      CREATE_VISIT,
      visitWith({
        startDate: "2025-03-01",
        startDatePrecision: "MONTH",
        endDate: "2025-01-01",
        endDatePrecision: "YEAR",
      }),
      editor,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.createVisit).toEqual({
      id: expect.any(String),
      startDate: "2025-03-01",
      startDatePrecision: "MONTH",
      endDate: "2025-01-01",
      endDatePrecision: "YEAR",
      basis: "EDITORIAL",
      editorialNote: note.editorialNote,
      citations: [],
    });
    // A new day without a precision is a day; a precision alone applies to the stored date.
    const id = response.data!.createVisit.id;
    const moved = await server.graphql(
      UPDATE_VISIT,
      { id, input: { startDate: "2025-03-17", endDate: "2025-03-20" } },
      editor,
    );
    expect(moved.data!.updateVisit).toEqual({
      id,
      startDate: "2025-03-17",
      startDatePrecision: "DAY",
      endDate: "2025-03-20",
      endDatePrecision: "DAY",
    });
    await expectRefusal(
      UPDATE_VISIT,
      { id, input: { startDatePrecision: "MONTH" } },
      { argumentName: "input.startDate" },
      /with precision MONTH the date is the first day of its month: 2025-03-01, not 2025-03-17/,
    );
  });

  it("refuses a date that is not the first day of its year or month, and an end before the start", async () => {
    await expectRefusal(
      CREATE_AGREEMENT,
      {
        input: {
          title: "Treaty",
          kind: "TREATY",
          status: "SIGNED",
          signedOn: "2025-03-17",
          signedOnPrecision: "YEAR",
          ...note,
        },
      },
      { argumentName: "input.signedOn" },
      /with precision YEAR the date is the first day of its year: 2025-01-01, not 2025-03-17/,
    );
    await expectRefusal(
      CREATE_VISIT,
      visitWith({ startDate: "2025-03-17", endDate: "2024-01-01", endDatePrecision: "YEAR" }),
      { argumentName: "input.endDate" },
      /the visit cannot end before it starts/,
    );
    await expectRefusal(
      UPDATE_VISIT,
      { id: visitId, input: { startDatePrecision: "YEAR" } },
      { argumentName: "input.startDatePrecision" },
      /there is no startDate to give a precision to/,
    );
    await expectRefusal(
      CREATE_VISIT,
      visitWith({ startDatePrecision: "YEAR" }),
      { argumentName: "input.startDatePrecision" },
      /^input\.startDatePrecision: there is no startDate to give a precision to$/,
    );
    // The years 1 to 99 are years, not 1901 to 1999.
    await expectRefusal(
      CREATE_VISIT,
      visitWith({ startDate: "1900-01-01", endDate: "0050-01-01", endDatePrecision: "YEAR" }),
      { argumentName: "input.endDate" },
      /^input\.endDate: the visit cannot end before it starts$/,
    );
  });
});
