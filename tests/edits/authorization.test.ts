/**
 * Who may edit: reads are public; mutations need a valid, unrevoked key of a high enough
 * role. Every refusal leaves the database exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { revokeApiKey } from "../../src/auth.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { databaseState } from "../support/state.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const createActor = (headers?: Record<string, string>) =>
  server.graphql(
    operation("admin/CreateActor"),
    { input: { name: "Envoy", kind: "PERSON" } },
    headers,
  );

async function expectRefused(headers: Record<string, string> | undefined, code: string) {
  const before = await databaseState(server.db);
  const response = await createActor(headers);
  expect(response.data).toBeNull();
  expect(response.errors).toMatchObject([{ path: ["createActor"], extensions: { code } }]);
  expect(await databaseState(server.db)).toEqual(before);
  return response.errors![0]!.message;
}

describe("Edits: authorization", () => {
  it("keeps reads public, with or without a key", async () => {
    const response = await server.graphql(
      operation("ArticleList"),
      {},
      { authorization: "Bearer nonsense" },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.articles.totalCount).toBe(1);
  });

  it("refuses a mutation without a key: UNAUTHENTICATED", async () => {
    expect(await expectRefused(undefined, "UNAUTHENTICATED")).toMatch(/needs an API key/);
  });

  it("refuses a malformed header, an unknown key and a tampered key: UNAUTHENTICATED", async () => {
    const { authorization } = await server.keyFor("EDITOR");
    const key = authorization!.replace("Bearer ", "");
    const tampered = key.slice(0, -1) + (key.endsWith("A") ? "B" : "A");
    for (const header of [
      "Basic abc",
      `Bearer ${tampered}`,
      "Bearer acc_999_" + "x".repeat(43),
      key,
    ]) {
      const message = await expectRefused({ authorization: header }, "UNAUTHENTICATED");
      expect(message).not.toContain(tampered);
    }
  });

  it("refuses a revoked key at once", async () => {
    const headers = await server.keyFor("EDITOR", "leaving-editor");
    expect((await createActor(headers)).errors).toBeUndefined();
    await revokeApiKey(server.db, "leaving-editor");
    expect(await expectRefused(headers, "UNAUTHENTICATED")).toMatch(/revoked/);
  });

  it("lets an EDITOR create and update but not delete: FORBIDDEN", async () => {
    const headers = await server.keyFor("EDITOR");
    const created = await server.graphql(
      operation("admin/CreateActor"),
      { input: { name: "Deputy Envoy", kind: "PERSON" } },
      headers,
    );
    const id = created.data!.createActor.id;
    const before = await databaseState(server.db);
    const response = await server.graphql(operation("admin/DeleteActor"), { id }, headers);
    expect(response.errors).toMatchObject([
      { message: expect.stringContaining("ADMIN"), extensions: { code: "FORBIDDEN" } },
    ]);
    expect(await databaseState(server.db)).toEqual(before);
    const admin = await server.keyFor("ADMIN");
    expect((await server.graphql(operation("admin/DeleteActor"), { id }, admin)).data).toEqual({
      deleteActor: id,
    });
  });

  it("names the key's holder as the editor of each revision", async () => {
    const headers = await server.keyFor("ADMIN", "Chief Editor");
    const created = await server.graphql(
      operation("admin/CreateActor"),
      { input: { name: "Special Representative", kind: "PERSON" } },
      headers,
    );
    const history = await server.graphql(operation("admin/History"), {
      nodeId: created.data!.createActor.id,
    });
    expect(history.data!.revisions).toMatchObject([
      { action: "CREATE", editor: "Chief Editor", version: 1 },
    ]);
  });
});
