/**
 * Every mutation, called anonymously, with an EDITOR key and with an ADMIN key: anonymous calls
 * are UNAUTHENTICATED, EDITOR keys create and update, only ADMIN keys delete (README, "Editing
 * the record"), and a refused call changes nothing. The mutations are read from schema.graphql,
 * so a new one without an entry here fails.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  getLocation,
  Kind,
  parse,
  type ObjectTypeDefinitionNode,
  type OperationDefinitionNode,
} from "graphql";
import { startTestServer, type TestServer } from "../support/server.js";
import { databaseState } from "../support/state.js";

type Role = "EDITOR" | "ADMIN";
type Caller = "anonymous" | Role;

/** The fields of `Mutation` (and of its extensions) in schema.graphql. */
function schemaMutations(): string[] {
  const document = parse(readFileSync(new URL("../../schema.graphql", import.meta.url), "utf8"));
  return document.definitions
    .filter(
      (d): d is ObjectTypeDefinitionNode =>
        (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.OBJECT_TYPE_EXTENSION) &&
        d.name.value === "Mutation",
    )
    .flatMap((d) => (d.fields ?? []).map((f) => f.name.value));
}

/** Where the mutation's field is in `query`, as a GraphQL error's `locations` gives it. */
function fieldLocation(query: string) {
  const document = parse(query);
  const operation = document.definitions[0] as OperationDefinitionNode;
  return getLocation(document.loc!.source, operation.selectionSet.selections[0]!.loc!.start);
}

/** A call of one mutation on objects of its own, and the answer it gets when allowed. */
interface Call {
  query: string;
  variables: Record<string, unknown>;
  answer: Record<string, unknown>;
}

interface Entry {
  /** The least role the mutation needs. */
  needs: Role;
  /** Creates what the call acts on (with a key of its own) and returns the call. */
  prepare(): Call | Promise<Call>;
}

let server: TestServer;
let setupKey: Record<string, string>;
const keys: Partial<Record<Caller, Record<string, string>>> = {};
beforeAll(async () => {
  // As clients in production see the errors: without stack traces.
  server = await startTestServer({ env: { NODE_ENV: "production" } });
  setupKey = await server.keyFor("ADMIN", "fixtures");
  keys.EDITOR = await server.keyFor("EDITOR", "matrix editor");
  keys.ADMIN = await server.keyFor("ADMIN", "matrix admin");
});
afterAll(() => server.stop());

/** A suffix that makes each fixture's slug and names its own. */
const unique = () => randomBytes(4).toString("hex");

/** Runs a setup mutation with the fixtures' key and returns its one field. */
async function setup(query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await server.graphql(query, variables, setupKey);
  expect(response.errors).toBeUndefined();
  return Object.values(response.data)[0];
}

const WATER = "Tajikistan and Kyrgyzstan agreed to share the water of the Isfara river.";

const newArticle = () =>
  setup(`mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`, {
    input: {
      slug: `water-${unique()}`,
      title: "Water sharing",
      language: "en",
      publishedOn: "2025-05-01",
      body: `${WATER}\n\nTalks continue.`,
    },
  });
/** Facts made for a test of roles cite nothing: they say so. */
const NOTE = "Made by a test of roles.";
const newVisit = () =>
  setup(`mutation($input: CreateVisitInput!) { createVisit(input: $input) { id } }`, {
    input: { title: `Working visit ${unique()}`, kind: "WORKING_VISIT", editorialNote: NOTE },
  });
const newAgreement = () =>
  setup(`mutation($input: CreateAgreementInput!) { createAgreement(input: $input) { id } }`, {
    input: {
      title: `Water protocol ${unique()}`,
      kind: "PROTOCOL",
      status: "SIGNED",
      editorialNote: NOTE,
    },
  });
const newOutcome = async () => {
  const visit = await newVisit();
  return setup(`mutation($input: CreateOutcomeInput!) { createOutcome(input: $input) { id } }`, {
    input: {
      visitId: visit.id,
      ordinal: 1,
      statement: "Water is shared",
      category: "OTHER",
      status: "PLANNED",
      editorialNote: NOTE,
    },
  });
};
const newActor = () =>
  setup(`mutation($input: CreateActorInput!) { createActor(input: $input) { id } }`, {
    input: { name: `Water Envoy ${unique()}`, kind: "PERSON" },
  });
const deletion = (field: string, id: string): Call => ({
  query: `mutation($id: ID!) { ${field}(id: $id) }`,
  variables: { id },
  answer: { [field]: id },
});

/** `create<Type>` with `input`: answered with a new id, `fields` as given, and version 1. */
function creation(type: string, input: Record<string, unknown>, fields: Record<string, unknown>) {
  const field = `create${type}`;
  return {
    query: `mutation($input: Create${type}Input!) {
          ${field}(input: $input) { id ${Object.keys(fields).join(" ")} version } }`,
    variables: { input },
    answer: { [field]: { id: expect.any(String), ...fields, version: 1 } },
  };
}

/** An EDITOR's `update<Type>` of one field, on an object of its own: version 1 becomes 2. */
function updateEntry(
  type: string,
  create: () => Promise<{ id: string }>,
  name: string,
  value: string,
  literal = JSON.stringify(value),
): Entry {
  const field = `update${type}`;
  return {
    needs: "EDITOR",
    async prepare() {
      const { id } = await create();
      return {
        query: `mutation($id: ID!) {
          ${field}(id: $id, input: { ${name}: ${literal} }) { id ${name} version } }`,
        variables: { id },
        answer: { [field]: { id, [name]: value, version: 2 } },
      };
    },
  };
}

/** An ADMIN's `delete<Type>` of an object of its own. */
const deleteEntry = (type: string, create: () => Promise<{ id: string }>): Entry => ({
  needs: "ADMIN",
  prepare: async () => deletion(`delete${type}`, (await create()).id),
});

const MATRIX: Record<string, Entry> = {
  createArticle: {
    needs: "EDITOR",
    prepare() {
      const slug = `treaty-${unique()}`;
      const input = { slug, title: "Treaty", language: "en", publishedOn: "2025-05-02" };
      return creation("Article", { ...input, body: "Text." }, { slug, title: "Treaty" });
    },
  },
  importArticle: {
    needs: "EDITOR",
    prepare() {
      const title = `Isfara water talks ${unique()}`;
      const source = [
        "WIRE DESK",
        "",
        `## **${title}**`,
        "",
        "By Dana Omarova, correspondent",
        "",
        "*Published on 2nd May 2025*",
        "",
        WATER,
      ].join("\n");
      return {
        query: `mutation($input: ImportArticleInput!) {
          importArticle(input: $input) { id title version } }`,
        variables: { input: { source } },
        answer: { importArticle: { id: expect.any(String), title, version: 1 } },
      };
    },
  },
  updateArticle: updateEntry("Article", newArticle, "title", "Water, shared"),
  removeArticleSource: {
    needs: "ADMIN",
    async prepare() {
      const title = `Vorukh road talks ${unique()}`;
      const source = ["WIRE DESK", "", `## **${title}**`, "", "By Dana Omarova, correspondent"]
        .concat(["", "*Published on 3rd May 2025*", "", WATER])
        .join("\n");
      const { id } = await setup(
        `mutation($input: ImportArticleInput!) { importArticle(input: $input) { id } }`,
        { input: { source } },
      );
      return {
        query: `mutation($id: ID!) { removeArticleSource(id: $id) { id source { text } version } }`,
        variables: { id },
        answer: { removeArticleSource: { id, source: null, version: 2 } },
      };
    },
  },
  deleteArticle: deleteEntry("Article", newArticle),
  createVisit: {
    needs: "EDITOR",
    prepare() {
      const visit = { title: `State visit ${unique()}`, kind: "STATE_VISIT", editorialNote: NOTE };
      return creation("Visit", visit, visit);
    },
  },
  updateVisit: updateEntry("Visit", newVisit, "location", "Isfara"),
  deleteVisit: deleteEntry("Visit", newVisit),
  createAgreement: {
    needs: "EDITOR",
    prepare() {
      const agreement = {
        title: `Memorandum ${unique()}`,
        kind: "MEMORANDUM",
        status: "SIGNED",
        editorialNote: NOTE,
      };
      return creation("Agreement", agreement, agreement);
    },
  },
  updateAgreement: updateEntry("Agreement", newAgreement, "status", "RATIFIED", "RATIFIED"),
  deleteAgreement: deleteEntry("Agreement", newAgreement),
  createOutcome: {
    needs: "EDITOR",
    async prepare() {
      const visit = await newVisit();
      const outcome = {
        ordinal: 1,
        statement: "Flights resume",
        category: "TRANSPORT",
        status: "ACHIEVED",
        editorialNote: NOTE,
      };
      return creation("Outcome", { visitId: visit.id, ...outcome }, outcome);
    },
  },
  updateOutcome: updateEntry("Outcome", newOutcome, "status", "ACHIEVED", "ACHIEVED"),
  deleteOutcome: deleteEntry("Outcome", newOutcome),
  createActor: {
    needs: "EDITOR",
    prepare() {
      const name = `River Commissioner ${unique()}`;
      return creation("Actor", { name, kind: "PERSON" }, { name, kind: "PERSON", aliases: [name] });
    },
  },
  updateActor: updateEntry("Actor", newActor, "description", "Mediator"),
  deleteActor: deleteEntry("Actor", newActor),
  createCitation: {
    needs: "EDITOR",
    async prepare() {
      const [article, agreement] = [await newArticle(), await newAgreement()];
      return {
        query: `mutation($input: CreateCitationInput!) {
          createCitation(input: $input) { id start end quote paragraphIndex } }`,
        variables: { input: { articleId: article.id, factId: agreement.id, quote: WATER } },
        answer: {
          createCitation: {
            id: expect.any(String),
            start: 0,
            end: WATER.length,
            quote: WATER,
            paragraphIndex: 0,
          },
        },
      };
    },
  },
  createApiKey: {
    needs: "ADMIN",
    prepare() {
      const name = `desk ${unique()}`;
      return {
        query: `mutation($name: String!) {
          createApiKey(name: $name, role: EDITOR) { key apiKey { name role revokedAt } } }`,
        variables: { name },
        answer: {
          createApiKey: {
            key: expect.stringMatching(/^acc_\d+_[\w-]{43}$/),
            apiKey: { name, role: "EDITOR", revokedAt: null },
          },
        },
      };
    },
  },
  revokeApiKey: {
    needs: "ADMIN",
    async prepare() {
      const name = `leaving ${unique()}`;
      await setup(`mutation($name: String!) { createApiKey(name: $name, role: EDITOR) { key } }`, {
        name,
      });
      return {
        query: `mutation($name: String!) { revokeApiKey(name: $name) { name revokedAt } }`,
        variables: { name },
        answer: { revokeApiKey: { name, revokedAt: expect.any(String) } },
      };
    },
  },
  deleteCitation: {
    needs: "ADMIN",
    async prepare() {
      const [article, agreement] = [await newArticle(), await newAgreement()];
      const citation = await setup(
        `mutation($input: CreateCitationInput!) { createCitation(input: $input) { id } }`,
        { input: { articleId: article.id, factId: agreement.id, quote: WATER } },
      );
      return deletion("deleteCitation", citation.id);
    },
  },
};

const RANK: Record<Caller, number> = { anonymous: 0, EDITOR: 1, ADMIN: 2 };
const CALLERS: [Caller, string][] = [
  ["anonymous", "without a key"],
  ["EDITOR", "with an EDITOR key"],
  ["ADMIN", "with an ADMIN key"],
];

/** What a caller gets: refused (with the code and message) or allowed. */
function outcome(entry: Entry, caller: Caller, field: string) {
  if (caller === "anonymous") {
    return {
      code: "UNAUTHENTICATED",
      message: "This operation needs an API key: send Authorization: Bearer <key>",
    };
  }
  if (RANK[caller] < RANK[entry.needs]) {
    return {
      code: "FORBIDDEN",
      message: `This operation needs an ${entry.needs} key; the key "matrix ${caller.toLowerCase()}" is ${caller}`,
    };
  }
  return { allowed: field };
}

describe("Authorization: every mutation by role", () => {
  it("has an entry for every mutation of schema.graphql, and for no other", () => {
    expect(Object.keys(MATRIX).sort()).toEqual(schemaMutations().sort());
  });

  const rows = schemaMutations().flatMap((field) =>
    CALLERS.map(([caller, how]) => {
      const entry = MATRIX[field];
      const expected = entry ? outcome(entry, caller, field) : undefined;
      const result = !expected
        ? "has an entry in the matrix"
        : "code" in expected
          ? `is ${expected.code} and changes nothing`
          : "is allowed";
      return { title: `${field} ${how} ${result}`, field, caller };
    }),
  );

  it.each(rows)("$title", async ({ field, caller }) => {
    const entry = MATRIX[field];
    if (!entry) throw new Error(`${field} is in schema.graphql but not in MATRIX`);
    const call = await entry.prepare();
    const before = await databaseState(server.db);
    const response = await server.graphql(call.query, call.variables, keys[caller]);
    const expected = outcome(entry, caller, field);
    if ("code" in expected) {
      expect(response).toEqual({
        status: 200,
        data: null,
        errors: [
          {
            message: expected.message,
            locations: [fieldLocation(call.query)],
            path: [field],
            extensions: { code: expected.code },
          },
        ],
      });
      expect(await databaseState(server.db)).toEqual(before);
    } else {
      expect(response).toEqual({ status: 200, data: call.answer });
      expect(await databaseState(server.db)).not.toEqual(before);
    }
  });
});
