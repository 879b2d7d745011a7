/**
 * Places come from the record: a visit's location names its place, and an agreement is signed
 * at its visit's place, whoever writes them.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
let editor: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer();
  editor = await server.keyFor("EDITOR");
});
afterAll(() => server.stop());

const PLACE = `place { id name }`;
const CREATE_VISIT = `mutation($input: CreateVisitInput!) {
  createVisit(input: $input) { id location ${PLACE} } }`;
const UPDATE_VISIT = `mutation($id: ID!, $input: UpdateVisitInput!) {
  updateVisit(id: $id, input: $input) { id location ${PLACE} } }`;
const CREATE_AGREEMENT = `mutation($input: CreateAgreementInput!) {
  createAgreement(input: $input) { id ${PLACE} } }`;
const AGREEMENT = `query($id: ID!) { node(id: $id) { ... on Agreement { ${PLACE} } } }`;
const NODE = `query($id: ID!) { node(id: $id) { __typename id ... on Place { name } } }`;

/** These facts cite nothing: they say so. */
const NOTE = { editorialNote: "Made by a test of places." };

async function visitAt(location: string | null) {
  const response = await server.graphql(
    CREATE_VISIT,
    { input: { title: `Visit to ${location}`, kind: "OFFICIAL_VISIT", location, ...NOTE } },
    editor,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createVisit as { id: string; place: { id: string; name: string } | null };
}

async function agreementAt(visitId: string) {
  const response = await server.graphql(
    CREATE_AGREEMENT,
    { input: { title: "Memorandum", kind: "MEMORANDUM", status: "SIGNED", visitId, ...NOTE } },
    editor,
  );
  expect(response.errors).toBeUndefined();
  return response.data!.createAgreement as {
    id: string;
    place: { id: string; name: string } | null;
  };
}

describe("Places", () => {
  it("gives a visit the place its location names, found again by its id", async () => {
    const visit = await visitAt("Khujand");
    expect(visit).toEqual({
      id: expect.any(String),
      location: "Khujand",
      place: { id: expect.any(String), name: "Khujand" },
    });
    expect(await server.graphql(NODE, { id: visit.place!.id })).toEqual({
      status: 200,
      data: { node: { __typename: "Place", id: visit.place!.id, name: "Khujand" } },
    });
  });

  it("gives visits that name the same location one place", async () => {
    const first = await visitAt("Osh");
    const second = await visitAt("Osh");
    expect(second.place).toEqual(first.place);
  });

  it("signs an agreement at its visit's place, and has none without a visit", async () => {
    const visit = await visitAt("Batken");
    expect((await agreementAt(visit.id)).place).toEqual(visit.place);
    const response = await server.graphql(
      CREATE_AGREEMENT,
      { input: { title: "Joint statement", kind: "JOINT_STATEMENT", status: "SIGNED", ...NOTE } },
      editor,
    );
    expect(response).toEqual({
      status: 200,
      data: { createAgreement: { id: expect.any(String), place: null } },
    });
  });

  it("moves a visit and its agreements when its location changes, and clears both with null", async () => {
    const visit = await visitAt("Isfara");
    const agreement = await agreementAt(visit.id);
    const moved = await server.graphql(
      UPDATE_VISIT,
      { id: visit.id, input: { location: "Vorukh" } },
      editor,
    );
    expect(moved).toEqual({
      status: 200,
      data: {
        updateVisit: {
          id: visit.id,
          location: "Vorukh",
          place: { id: expect.any(String), name: "Vorukh" },
        },
      },
    });
    const vorukh = (moved.data!.updateVisit as { place: { id: string } }).place.id;
    expect(vorukh).not.toBe(visit.place!.id);
    expect(await server.graphql(AGREEMENT, { id: agreement.id })).toEqual({
      status: 200,
      data: { node: { place: { id: vorukh, name: "Vorukh" } } },
    });
    // The old place stays in the record: other sources may name it.
    expect(await server.graphql(NODE, { id: visit.place!.id })).toEqual({
      status: 200,
      data: { node: { __typename: "Place", id: visit.place!.id, name: "Isfara" } },
    });

    const cleared = await server.graphql(
      UPDATE_VISIT,
      { id: visit.id, input: { location: null } },
      editor,
    );
    expect(cleared).toEqual({
      status: 200,
      data: { updateVisit: { id: visit.id, location: null, place: null } },
    });
    expect(await server.graphql(AGREEMENT, { id: agreement.id })).toEqual({
      status: 200,
      data: { node: { place: null } },
    });
  });

  it("refuses a location of invisible characters alone, naming the field", async () => {
    const response = await server.graphql(
      CREATE_VISIT,
      { input: { title: "Visit", kind: "OFFICIAL_VISIT", location: "\u200b\u200d ", ...NOTE } },
      editor,
    );
    expect(response.status).toBe(200);
    expect(response.data).toBeNull();
    expect(response.errors).toMatchObject([
      {
        message: "input.location: must not be empty or only whitespace or invisible characters",
        extensions: { code: "BAD_USER_INPUT", argumentName: "input.location" },
      },
    ]);
  });

  it("lets a visit move while its agreement is edited, without a deadlock or an internal error", async () => {
    const visit = await visitAt("Kulob");
    const agreement = await agreementAt(visit.id);
    const UPDATE_AGREEMENT = `mutation($id: ID!, $input: UpdateAgreementInput!) {
      updateAgreement(id: $id, input: $input) { id } }`;
    const outcomes = new Set<string>();
    for (let round = 0; round < 20; round++) {
      const answers = await Promise.all([
        server.graphql(
          UPDATE_VISIT,
          { id: visit.id, input: { location: `Kulob ${round % 2}` } },
          editor,
        ),
        server.graphql(
          UPDATE_AGREEMENT,
          { id: agreement.id, input: { visitId: visit.id } },
          editor,
        ),
        server.graphql(
          UPDATE_AGREEMENT,
          { id: agreement.id, input: { title: `Memorandum ${round}` } },
          editor,
        ),
      ]);
      for (const answer of answers) {
        outcomes.add(answer.errors ? String(answer.errors[0]!.extensions!.code) : "ok");
      }
    }
    // A collision is the retryable CONFLICT at worst; most calls simply succeed.
    expect([...outcomes].filter((outcome) => outcome !== "ok" && outcome !== "CONFLICT")).toEqual(
      [],
    );
    expect(await server.graphql(AGREEMENT, { id: agreement.id })).toEqual({
      status: 200,
      data: { node: { place: { id: expect.any(String), name: "Kulob 1" } } },
    });
  });

  it("has no place for a visit whose location the sources do not give", async () => {
    expect((await visitAt(null)).place).toBeNull();
  });
});
