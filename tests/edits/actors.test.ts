/**
 * Admin edits of actors through the contract's admin operations: create, update with
 * optimistic concurrency, delete, and the audit trail that outlives the actor.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { databaseState } from "../support/state.js";

let server: TestServer;
let editor: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer();
  editor = await server.keyFor("EDITOR", "Nadia (editor)");
  admin = await server.keyFor("ADMIN", "Root (admin)");
});
afterAll(() => server.stop());
// Tests edit the seeded actors at known versions: each starts from the seeded record.
beforeEach(() => server.reset());

const create = (input: Record<string, unknown>, headers = editor) =>
  server.graphql(operation("admin/CreateActor"), { input }, headers);

async function actorId(name: string) {
  const response = await server.graphql(operation("ActorDirectory"), { search: name });
  return response.data!.actors.edges.find((e: any) => e.node.name === name)?.node.id as string;
}

describe("Edits: createActor", () => {
  it("creates an actor at version 1, with its name among its aliases", async () => {
    const response = await create({
      name: "  Kassym-Jomart Tokayev ",
      kind: "PERSON",
      aliases: ["President Tokayev", "Tokayev"],
      description: "President of Kazakhstan",
    });
    expect(response).toEqual({
      status: 200,
      data: {
        createActor: {
          id: expect.any(String),
          name: "Kassym-Jomart Tokayev",
          kind: "PERSON",
          aliases: ["Kassym-Jomart Tokayev", "President Tokayev", "Tokayev"],
          description: "President of Kazakhstan",
          version: 1,
        },
      },
    });
  });

  it("is found by search and the directory at once", async () => {
    const created = await create({ name: "Kassym-Jomart Tokayev", kind: "PERSON" });
    expect(created.errors).toBeUndefined();
    const search = await server.graphql(operation("Search"), { query: "tokayev" });
    expect(search.data!.search[0].node).toMatchObject({
      __typename: "Actor",
      id: created.data!.createActor.id,
      name: "Kassym-Jomart Tokayev",
    });
    const directory = await server.graphql(operation("ActorDirectory"), { search: "tokayev" });
    expect(directory.data!.actors.edges.map((e: any) => e.node.id)).toEqual([
      created.data!.createActor.id,
    ]);
  });

  it.each([
    [
      "a blank name",
      { name: "   ", kind: "PERSON" },
      "input.name: must not be empty or only whitespace",
    ],
    [
      "a name too long",
      { name: "x".repeat(201), kind: "PERSON" },
      "input.name: must be at most 200 characters, got 201",
    ],
    [
      "a repeated alias",
      { name: "Someone", kind: "PERSON", aliases: ["Envoy", "Envoy"] },
      'input.aliases[1]: "Envoy" is listed twice',
    ],
    [
      "another actor's alias",
      { name: "Someone", kind: "PERSON", aliases: ["Tajikistan"] },
      'input.aliases[0]: "Tajikistan" already names Tajikistan',
    ],
    [
      "another actor's name",
      { name: "Sadir Japarov", kind: "PERSON" },
      'input.name: "Sadir Japarov" already names Sadir Japarov',
    ],
  ])("refuses %s, naming the field, and changes nothing", async (_, input, message) => {
    const before = await databaseState(server.db);
    const response = await create(input);
    expect(response.data).toBeNull();
    expect(response.errors).toHaveLength(1);
    expect(response.errors![0]!.message).toContain(message);
    expect(response.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(await databaseState(server.db)).toEqual(before);
  });

  it("refuses an unknown kind before running (GraphQL validation)", async () => {
    const response = await create({ name: "Someone", kind: "ALIEN" });
    expect(response.status).toBe(400);
    expect(response.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
  });
});

describe("Edits: updateActor", () => {
  it("renames, keeps the old spelling as an alias, raises the version and recomputes mentions", async () => {
    const id = await actorId("Sadir Japarov");
    const response = await server.graphql(
      operation("admin/UpdateActor"),
      { id, input: { name: "Sadyr Japarov" }, expectedVersion: 1 },
      editor,
    );
    expect(response.data).toEqual({
      updateActor: {
        id,
        name: "Sadyr Japarov",
        aliases: [
          "Sadyr Japarov",
          "Sadir Japarov",
          "H.E. Sadir Japarov",
          "Honorable Sadir Japarov",
        ],
        description: expect.any(String),
        version: 2,
      },
    });
    const profile = await server.graphql(operation("ActorProfile"), { id });
    expect(profile.data!.actor.mentions.totalCount).toBeGreaterThanOrEqual(2);
    const found = await server.graphql(operation("Search"), { query: "sadyr" });
    expect(found.data!.search[0].node).toMatchObject({ id, name: "Sadyr Japarov" });
  });

  it("finds new mentions when an alias the text uses is added", async () => {
    const id = await actorId("Tajikistan");
    const before = await server.graphql(operation("ActorProfile"), { id, first: 100 });
    const response = await server.graphql(
      operation("admin/UpdateActor"),
      { id, input: { aliases: ["Republic of Tajikistan", "Tajik"] } },
      editor,
    );
    expect(response.errors).toBeUndefined();
    const after = await server.graphql(operation("ActorProfile"), { id, first: 100 });
    const quotes = after.data!.actor.mentions.edges.map((e: any) => e.node.quote);
    expect(quotes).toContain("Tajik");
    expect(after.data!.actor.mentions.totalCount).toBeGreaterThan(
      before.data!.actor.mentions.totalCount,
    );
  });

  it("refuses a stale expectedVersion with CONFLICT and the current version, changing nothing", async () => {
    const id = await actorId("Kyrgyzstan");
    await server.graphql(
      operation("admin/UpdateActor"),
      { id, input: { description: "A state" }, expectedVersion: 1 },
      editor,
    );
    const before = await databaseState(server.db);
    const response = await server.graphql(
      operation("admin/UpdateActor"),
      { id, input: { description: "Lost update" }, expectedVersion: 1 },
      editor,
    );
    expect(response.data).toBeNull();
    expect(response.errors).toMatchObject([
      {
        message: expect.stringContaining("is at version 2, not 1"),
        extensions: { code: "CONFLICT", currentVersion: 2, expectedVersion: 1 },
      },
    ]);
    expect(await databaseState(server.db)).toEqual(before);
  });

  it("lets exactly one of two concurrent updates with the same expectedVersion win", async () => {
    const id = await actorId("Tajik National University");
    const send = (description: string) =>
      server.graphql(
        operation("admin/UpdateActor"),
        { id, input: { description }, expectedVersion: 1 },
        editor,
      );
    const results = await Promise.all([send("first"), send("second")]);
    const codes = results.map((r) => (r.errors ? r.errors[0]!.extensions!.code : "OK")).sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    const history = await server.graphql(operation("admin/History"), { nodeId: id });
    // The one update, above the seed's creation.
    expect(
      history.data!.revisions.map((r: { action: string; version: number }) => [
        r.action,
        r.version,
      ]),
    ).toEqual([
      ["UPDATE", 2],
      ["CREATE", 1],
    ]);
  });

  it("answers NOT_FOUND for an actor that does not exist, and BAD_USER_INPUT for another type's id", async () => {
    const missing = Buffer.from("Actor:999999").toString("base64url");
    const response = await server.graphql(
      operation("admin/UpdateActor"),
      { id: missing, input: { name: "X" } },
      editor,
    );
    expect(response.errors).toMatchObject([{ extensions: { code: "NOT_FOUND" } }]);
    const outcome = Buffer.from("Outcome:1").toString("base64url");
    const wrong = await server.graphql(
      operation("admin/UpdateActor"),
      { id: outcome, input: { name: "X" } },
      editor,
    );
    expect(wrong.errors).toMatchObject([
      { message: expect.stringContaining("id:"), extensions: { code: "BAD_USER_INPUT" } },
    ]);
  });
});

describe("Edits: deleteActor", () => {
  it("refuses to delete an actor others refer to, listing them, and changes nothing", async () => {
    const id = await actorId("Emomali Rahmon");
    const before = await databaseState(server.db);
    const response = await server.graphql(operation("admin/DeleteActor"), { id }, admin);
    expect(response.errors).toMatchObject([
      {
        message: expect.stringContaining("cannot be deleted while these refer to it"),
        extensions: {
          code: "CONFLICT",
          dependents: [{ type: "Visit", id: expect.any(String), label: expect.any(String) }],
        },
      },
    ]);
    expect(await databaseState(server.db)).toEqual(before);
  });

  it("needs an ADMIN key: an EDITOR is FORBIDDEN and nothing changes", async () => {
    const { data } = await create({ name: "Temporary Envoy", kind: "PERSON" });
    const before = await databaseState(server.db);
    const response = await server.graphql(
      operation("admin/DeleteActor"),
      { id: data!.createActor.id },
      editor,
    );
    expect(response.errors).toMatchObject([{ extensions: { code: "FORBIDDEN" } }]);
    expect(await databaseState(server.db)).toEqual(before);
  });

  it("deletes, and the revisions rebuild what was deleted", async () => {
    const created = await create({
      name: "Short-Lived Mission",
      kind: "ORGANIZATION",
      aliases: ["SLM"],
    });
    const id = created.data!.createActor.id;
    await server.graphql(
      operation("admin/UpdateActor"),
      { id, input: { description: "Gone soon" } },
      editor,
    );
    const response = await server.graphql(
      operation("admin/DeleteActor"),
      { id, expectedVersion: 2 },
      admin,
    );
    expect(response.data).toEqual({ deleteActor: id });
    expect((await server.graphql(operation("NodeLookup"), { id })).data).toEqual({ node: null });

    const history = await server.graphql(operation("admin/History"), { nodeId: id });
    expect(history.data!.revisions).toEqual([
      {
        id: expect.any(String),
        nodeId: id,
        action: "DELETE",
        at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        editor: "Root (admin)",
        version: 2,
        before: {
          id,
          name: "Short-Lived Mission",
          kind: "ORGANIZATION",
          description: "Gone soon",
          editorialNote: null,
          aliases: ["Short-Lived Mission", "SLM"],
          version: 2,
        },
        after: null,
      },
      expect.objectContaining({ action: "UPDATE", editor: "Nadia (editor)", version: 2 }),
      expect.objectContaining({ action: "CREATE", version: 1, before: null }),
    ]);
  });
});
