/**
 * Editing what a visit produced: visits, agreements, outcomes and the citations that support
 * them, with the contract's admin operations where it has them.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { refusalsOn } from "../support/state.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

let server: TestServer;
let editor: Record<string, string>;
let admin: Record<string, string>;
let page: any;
beforeAll(async () => {
  server = await startTestServer();
  editor = await server.keyFor("EDITOR");
  admin = await server.keyFor("ADMIN");
  page = (await server.graphql(operation("ArticlePage"), { slug: SLUG })).data!.article;
});
afterAll(() => server.stop());

const visit = () => page.visits[0];
const actor = (name: string) =>
  visit().participants.find((p: any) => p.actor.name === name)?.actor.id ??
  visit().agreements[0].parties.find((p: any) => p.name === name)?.id;

const expectRefusal = refusalsOn(
  () => server,
  () => editor,
);

/** Facts these tests create cite nothing: they say so (tests/edits/basis.test.ts cites). */
const NOTE = "Made by a test of edits.";

const CREATE_VISIT = `mutation($input: CreateVisitInput!) {
  createVisit(input: $input) { id title kind startDate endDate location documentsSignedCount version
    participants { role actor { name } } articles { totalCount edges { node { slug } } } } }`;
const UPDATE_VISIT = `mutation($id: ID!, $input: UpdateVisitInput!, $v: Int) {
  updateVisit(id: $id, input: $input, expectedVersion: $v) { id startDate endDate location version } }`;
const CREATE_OUTCOME = `mutation($input: CreateOutcomeInput!) {
  createOutcome(input: $input) { id ordinal statement category status version visit { id } } }`;

describe("Edits: visits", () => {
  it("creates a visit with participants and the article reporting it", async () => {
    const response = await server.graphql(
      CREATE_VISIT,
      {
        input: {
          title: "Working visit of Sadir Japarov to Dushanbe",
          kind: "WORKING_VISIT",
          startDate: "2025-06-02",
          endDate: "2025-06-03",
          location: "Dushanbe",
          participants: [
            { actorId: actor("Sadir Japarov"), role: "GUEST" },
            { actorId: actor("Emomali Rahmon"), role: "HOST" },
          ],
          articleIds: [page.id],
          editorialNote: NOTE,
        },
      },
      editor,
    );
    expect(response.data!.createVisit).toEqual({
      id: expect.any(String),
      title: "Working visit of Sadir Japarov to Dushanbe",
      kind: "WORKING_VISIT",
      startDate: "2025-06-02",
      endDate: "2025-06-03",
      location: "Dushanbe",
      documentsSignedCount: null,
      version: 1,
      participants: [
        { role: "GUEST", actor: { name: "Sadir Japarov" } },
        { role: "HOST", actor: { name: "Emomali Rahmon" } },
      ],
      articles: { totalCount: 1, edges: [{ node: { slug: SLUG } }] },
    });
  });

  it("refuses impossible and inconsistent dates, negative counts and unknown participants", async () => {
    const base = { title: "Visit", kind: "OFFICIAL_VISIT", editorialNote: NOTE };
    const bad = await server.graphql(
      CREATE_VISIT,
      { input: { ...base, startDate: "2025-02-30" } },
      editor,
    );
    expect(bad.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(bad.errors![0]!.message).toContain("2025-02-30");
    await expectRefusal(
      CREATE_VISIT,
      { input: { ...base, startDate: "2025-06-03", endDate: "2025-06-02" } },
      { code: "BAD_USER_INPUT" },
      "input.endDate: the visit cannot end before it starts",
    );
    await expectRefusal(
      CREATE_VISIT,
      { input: { ...base, documentsSignedCount: -1 } },
      { code: "BAD_USER_INPUT" },
      "input.documentsSignedCount: must be a whole number from 0",
    );
    await expectRefusal(
      CREATE_VISIT,
      {
        input: {
          ...base,
          participants: [
            { actorId: Buffer.from("Actor:99999").toString("base64url"), role: "HOST" },
          ],
        },
      },
      { code: "BAD_USER_INPUT" },
      /input\.participants\.actorId\[0\]: no Actor has the id/,
    );
    await expectRefusal(
      CREATE_VISIT,
      { input: { ...base, participants: [{ actorId: page.id, role: "HOST" }] } },
      { code: "BAD_USER_INPUT" },
      /input\.participants\[0\]\.actorId: ".*" is not an Actor id/,
    );
  });

  it("updates the visit's date once known, and checks the date order against what is stored", async () => {
    const id = visit().id;
    const response = await server.graphql(
      UPDATE_VISIT,
      { id, input: { startDate: "2025-03-13", location: "Bishkek" }, v: 1 },
      editor,
    );
    expect(response.data!.updateVisit).toEqual({
      id,
      startDate: "2025-03-13",
      endDate: null,
      location: "Bishkek",
      version: 2,
    });
    await expectRefusal(
      UPDATE_VISIT,
      { id, input: { endDate: "2025-03-12" } },
      { code: "BAD_USER_INPUT" },
      "cannot end before",
    );
    const cleared = await server.graphql(
      UPDATE_VISIT,
      { id, input: { startDate: null, location: null } },
      editor,
    );
    expect(cleared.data!.updateVisit).toMatchObject({
      startDate: null,
      location: null,
      version: 3,
    });
  });

  it("refuses to delete a visit that has agreements and outcomes, listing them", async () => {
    const error = await expectRefusal(
      `mutation($id: ID!) { deleteVisit(id: $id) }`,
      { id: visit().id },
      { code: "CONFLICT" },
      /cannot be deleted while these refer to it/,
      admin,
    );
    expect((error.extensions!.dependents as any[]).map((d) => d.type)).toEqual([
      "Agreement",
      "Agreement",
      ...Array(9).fill("Outcome"),
    ]);
  });
});

describe("Edits: agreements", () => {
  it("creates an agreement with parties at a visit (contract CreateAgreement)", async () => {
    const response = await server.graphql(
      operation("admin/CreateAgreement"),
      {
        input: {
          title: "Agreement on the Kulundu–Vorukh road",
          kind: "AGREEMENT",
          status: "SIGNED",
          signedOn: "2025-03-13",
          partyIds: [actor("Tajikistan"), actor("Kyrgyzstan")],
          visitId: visit().id,
          editorialNote: NOTE,
        },
      },
      editor,
    );
    expect(response.data!.createAgreement).toEqual({
      id: expect.any(String),
      title: "Agreement on the Kulundu–Vorukh road",
      kind: "AGREEMENT",
      status: "SIGNED",
      signedOn: "2025-03-13",
      version: 1,
      parties: [
        { id: actor("Tajikistan"), name: "Tajikistan" },
        { id: actor("Kyrgyzstan"), name: "Kyrgyzstan" },
      ],
      visit: { id: visit().id },
    });
  });

  it("refuses a party listed twice and a visit id of another type", async () => {
    const base = { title: "Memorandum", kind: "MEMORANDUM", status: "SIGNED", editorialNote: NOTE };
    await expectRefusal(
      operation("admin/CreateAgreement"),
      { input: { ...base, partyIds: [actor("Tajikistan"), actor("Tajikistan")] } },
      { code: "BAD_USER_INPUT" },
      /input\.partyIds\[1\]: ".*" is listed twice/,
    );
    await expectRefusal(
      operation("admin/CreateAgreement"),
      { input: { ...base, visitId: actor("Tajikistan") } },
      { code: "BAD_USER_INPUT" },
      /input\.visitId: ".*" is not a Visit id/,
    );
  });

  it("deletes an agreement with its citations, kept in the revision", async () => {
    const treaty = visit().agreements.find((a: any) => a.kind === "TREATY");
    const response = await server.graphql(
      `mutation($id: ID!) { deleteAgreement(id: $id) }`,
      { id: treaty.id },
      admin,
    );
    expect(response.data).toEqual({ deleteAgreement: treaty.id });
    const history = await server.graphql(operation("admin/History"), { nodeId: treaty.id });
    const [deletion] = history.data!.revisions;
    expect(deletion).toMatchObject({
      action: "DELETE",
      after: null,
      before: { title: treaty.title, kind: "TREATY" },
    });
    expect(deletion.before.citations.map((c: any) => c.quote)).toEqual(
      treaty.citations.map((c: any) => c.quote),
    );
    expect(deletion.before.partyIds).toEqual(treaty.parties.map((p: any) => p.id));
    const citation = await server.graphql(`query($id: ID!) { node(id: $id) { id } }`, {
      id: treaty.citations[0].id,
    });
    expect(citation.data).toEqual({ node: null });
  });
});

describe("Edits: outcomes", () => {
  it("updates an outcome's status (contract UpdateOutcome), raising its version", async () => {
    const outcome = visit().outcomes.find((o: any) => o.ordinal === 8);
    const response = await server.graphql(
      operation("admin/UpdateOutcome"),
      { id: outcome.id, input: { status: "ACHIEVED" }, expectedVersion: 1 },
      editor,
    );
    expect(response.data!.updateOutcome).toEqual({
      id: outcome.id,
      ordinal: 8,
      statement: outcome.statement,
      category: "ENERGY",
      status: "ACHIEVED",
      version: 2,
    });
    const tracker = await server.graphql(operation("OutcomeTracker"), { status: "ACHIEVED" });
    expect(tracker.data!.outcomes.edges.map((e: any) => e.node.ordinal)).toEqual([1, 2, 3, 4, 8]);
  });

  it("refuses an ordinal that collides, zero, and a blank statement", async () => {
    const outcome = visit().outcomes.find((o: any) => o.ordinal === 9);
    await expectRefusal(
      operation("admin/UpdateOutcome"),
      { id: outcome.id, input: { ordinal: 3 } },
      { code: "BAD_USER_INPUT" },
      /input\.ordinal: outcome 3 of this visit already exists/,
    );
    await expectRefusal(
      operation("admin/UpdateOutcome"),
      { id: outcome.id, input: { ordinal: 0 } },
      { code: "BAD_USER_INPUT" },
      "input.ordinal: must be a whole number from 1",
    );
    await expectRefusal(
      operation("admin/UpdateOutcome"),
      { id: outcome.id, input: { statement: " " } },
      { code: "BAD_USER_INPUT" },
      "input.statement: must not be empty",
    );
    await expectRefusal(
      operation("admin/UpdateOutcome"),
      { id: outcome.id, input: { statement: null } },
      { code: "BAD_USER_INPUT" },
      "input.statement: cannot be null",
    );
  });

  it("creates a tenth outcome", async () => {
    const response = await server.graphql(
      CREATE_OUTCOME,
      {
        input: {
          visitId: visit().id,
          ordinal: 10,
          statement: "A joint border commission meets yearly",
          category: "BORDER",
          status: "PLANNED",
          editorialNote: NOTE,
        },
      },
      editor,
    );
    expect(response.data!.createOutcome).toMatchObject({
      ordinal: 10,
      status: "PLANNED",
      version: 1,
      visit: { id: visit().id },
    });
  });
});

describe("Edits: citations", () => {
  const quote = "Direct flights between the countries were restored";

  it("anchors a quote in the article and stores its offsets (contract CreateCitation)", async () => {
    const outcome = visit().outcomes.find((o: any) => o.ordinal === 3);
    const response = await server.graphql(
      operation("admin/CreateCitation"),
      { input: { articleId: page.id, quote, factId: outcome.id } },
      editor,
    );
    const citation = response.data!.createCitation;
    const body: string = page.paragraphs.map((p: any) => p.text).join("\n\n");
    expect(citation).toEqual({
      id: expect.any(String),
      start: body.indexOf(quote),
      end: body.indexOf(quote) + quote.length,
      quote,
      paragraphIndex: expect.any(Number),
      article: { id: page.id },
    });
    expect(page.paragraphs[citation.paragraphIndex].text).toContain(quote);
  });

  it("refuses a quote that is not in the body, and an ambiguous one without an occurrence", async () => {
    const factId = visit().id;
    await expectRefusal(
      operation("admin/CreateCitation"),
      { input: { articleId: page.id, quote: "Direct flights were cancelled", factId } },
      { code: "BAD_USER_INPUT" },
      /input\.quote: quote not found in the article body/,
    );
    const error = await expectRefusal(
      operation("admin/CreateCitation"),
      { input: { articleId: page.id, quote: "Tajikistan and Kyrgyzstan", factId } },
      { code: "BAD_USER_INPUT" },
      /input\.quote: quote occurs \d+ times in the article body; give the occurrence/,
    );
    expect(error.extensions!.occurrences).toBeGreaterThan(2);
    const second = await server.graphql(
      operation("admin/CreateCitation"),
      { input: { articleId: page.id, quote: "Tajikistan and Kyrgyzstan", occurrence: 2, factId } },
      editor,
    );
    const body: string = page.paragraphs.map((p: any) => p.text).join("\n\n");
    const first = body.indexOf("Tajikistan and Kyrgyzstan");
    expect(second.data!.createCitation.start).toBe(
      body.indexOf("Tajikistan and Kyrgyzstan", first + 1),
    );
  });

  it("refuses a fact id that is not a visit, agreement or outcome", async () => {
    await expectRefusal(
      operation("admin/CreateCitation"),
      { input: { articleId: page.id, quote, factId: actor("Tajikistan") } },
      { code: "BAD_USER_INPUT" },
      /input\.factId: .* is not a Visit, Agreement or Outcome id/,
    );
  });
});
