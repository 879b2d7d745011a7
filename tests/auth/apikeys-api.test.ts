/**
 * Managing API keys through the API: an ADMIN key creates (the secret shown once), lists and
 * revokes keys while the server runs; a revoked key stops working at once.
 */
import { describe, expect, it } from "@jest/globals";
import { MAX_KEYS } from "../../src/auth.js";
import { startTestServer } from "../support/server.js";
import { forSuite } from "../support/suite.js";

const CREATE = `mutation ($name: String!, $role: KeyRole!) {
  createApiKey(name: $name, role: $role) { key apiKey { name role createdAt revokedAt } } }`;
const REVOKE = `mutation ($name: String!) { revokeApiKey(name: $name) { name role revokedAt } }`;
const LIST = `{ apiKeys { name role createdAt revokedAt } }`;
const EDIT = `mutation { createActor(input: { name: "Isfara Water Council", kind: ORGANIZATION }) { id } }`;

describe("API keys through the API", () => {
  const server = forSuite(() => startTestServer({ env: { NODE_ENV: "production" } }));

  it("creates a key that works at once, lists it without its secret, and revokes it", async () => {
    const admin = await server.keyFor("ADMIN", "key admin");
    const created = await server.graphql(CREATE, { name: "Night desk", role: "EDITOR" }, admin);
    expect(created).toEqual({
      status: 200,
      data: {
        createApiKey: {
          key: expect.stringMatching(/^acc_\d+_[\w-]{43}$/),
          apiKey: {
            name: "Night desk",
            role: "EDITOR",
            createdAt: expect.any(String),
            revokedAt: null,
          },
        },
      },
    });
    const key = created.data!.createApiKey.key as string;
    const bearer = { authorization: `Bearer ${key}` };

    const edited = await server.graphql(EDIT, {}, bearer);
    expect(edited.errors).toBeUndefined();
    const revisions = await server.graphql(
      `query ($id: ID!) { revisions(nodeId: $id) { editor action } }`,
      { id: edited.data!.createActor.id },
    );
    expect(revisions.data).toEqual({ revisions: [{ editor: "Night desk", action: "CREATE" }] });

    const listed = await server.graphql(LIST, {}, admin);
    expect(listed.data!.apiKeys).toContainEqual(created.data!.createApiKey.apiKey);
    expect(JSON.stringify(listed)).not.toContain(key.split("_")[2]);

    const revoked = await server.graphql(REVOKE, { name: "Night desk" }, admin);
    expect(revoked).toEqual({
      status: 200,
      data: { revokeApiKey: { name: "Night desk", role: "EDITOR", revokedAt: expect.any(String) } },
    });
    const refused = await server.graphql(EDIT, {}, bearer);
    expect(refused.errors?.[0]).toMatchObject({
      message: 'This API key ("Night desk") has been revoked',
      extensions: { code: "UNAUTHENTICATED" },
    });
  });

  it.each([
    ["an EDITOR key", "EDITOR", "FORBIDDEN"],
    ["no key", null, "UNAUTHENTICATED"],
  ])("refuses to list keys with %s", async (_, role, code) => {
    const headers = role === null ? {} : await server.keyFor("EDITOR");
    const response = await server.graphql(LIST, {}, headers);
    expect(response).toMatchObject({ data: null, errors: [{ extensions: { code } }] });
  });

  it("refuses a name used before, even by a revoked key, and a name that is blank", async () => {
    const admin = await server.keyFor("ADMIN");
    await server.graphql(CREATE, { name: "Once", role: "EDITOR" }, admin);
    await server.graphql(REVOKE, { name: "Once" }, admin);
    const again = await server.graphql(CREATE, { name: "Once", role: "ADMIN" }, admin);
    expect(again.errors).toEqual([
      expect.objectContaining({
        message:
          'There is already a key named "Once" (names are never reused, even after revocation)',
        extensions: { code: "CONFLICT" },
      }),
    ]);
    const blank = await server.graphql(CREATE, { name: "  ", role: "EDITOR" }, admin);
    expect(blank.errors?.[0]?.extensions).toEqual({ code: "BAD_USER_INPUT" });
    // A name that would pass for another in the audit trail.
    for (const name of ["Once\u200b", "\u202eOnce"]) {
      const spoof = await server.graphql(CREATE, { name, role: "ADMIN" }, admin);
      expect(spoof.errors?.[0]).toMatchObject({
        message: "A key's name must not contain invisible or direction-changing characters",
        extensions: { code: "BAD_USER_INPUT" },
      });
    }
  });

  it("answers NOT_FOUND for an unknown name and CONFLICT for a key revoked already", async () => {
    const admin = await server.keyFor("ADMIN");
    const unknown = await server.graphql(REVOKE, { name: "Nobody at all" }, admin);
    expect(unknown.errors?.[0]).toMatchObject({
      message: 'There is no key named "Nobody at all"',
      extensions: { code: "NOT_FOUND" },
    });
    await server.graphql(CREATE, { name: "Twice revoked", role: "EDITOR" }, admin);
    await server.graphql(REVOKE, { name: "Twice revoked" }, admin);
    const twice = await server.graphql(REVOKE, { name: "Twice revoked" }, admin);
    expect(twice.errors?.[0]?.extensions).toEqual({ code: "CONFLICT" });
  });

  it(`keeps at most ${MAX_KEYS} keys, so the list stays bounded`, async () => {
    const admin = await server.keyFor("ADMIN");
    const held = await server.db.prisma.apiKey.count();
    await server.db.prisma.apiKey.createMany({
      data: Array.from({ length: MAX_KEYS - held }, (_, i) => ({
        name: `filler ${i}`,
        role: "EDITOR" as const,
        hash: `filler-hash-${i}`,
      })),
    });
    const response = await server.graphql(CREATE, { name: "One too many", role: "EDITOR" }, admin);
    expect(response.errors?.[0]).toMatchObject({
      message: `There are ${MAX_KEYS} keys, revoked ones included: the most there may be`,
      extensions: { code: "BAD_USER_INPUT", max: MAX_KEYS },
    });
    const listed = await server.graphql(LIST, {}, admin);
    expect(listed.data!.apiKeys).toHaveLength(MAX_KEYS);
  });
});
