import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { GraphQLError } from "graphql";
import {
  authenticate,
  createApiKey,
  listApiKeys,
  requireRole,
  revokeApiKey,
  type Editor,
} from "../../src/auth.js";
import { migrate } from "../../src/db/migrate.js";
import { runCli } from "../support/cli.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await openTestDatabase();
  await migrate(testDb.db);
});

afterAll(async () => {
  await testDb?.close();
});

/** The error `promise` rejects with, which must be a GraphQLError with `code`. */
async function failure(promise: Promise<unknown>, code: string): Promise<GraphQLError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions.code).toBe(code);
  return error as GraphQLError;
}

function thrown(fn: () => unknown, code: string): GraphQLError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions.code).toBe(code);
  return error as GraphQLError;
}

/** Authenticating with `key` fails as UNAUTHENTICATED without echoing the key. */
async function rejected(key: string): Promise<GraphQLError> {
  const error = await failure(authenticate(testDb.db, `Bearer ${key}`), "UNAUTHENTICATED");
  expect(error.message).not.toContain(key);
  const secret = key.split("_").slice(2).join("_");
  if (secret.length > 0) expect(error.message).not.toContain(secret);
  return error;
}

async function apiKeyRows(): Promise<Record<string, unknown>[]> {
  return testDb.db.withSession((session) => session.query(`SELECT * FROM "ApiKey"`));
}

describe("API keys", () => {
  it("creates a key that authenticates as its editor", async () => {
    const created = await createApiKey(testDb.db, { name: "  alice  ", role: "EDITOR" });
    expect(created.name).toBe("alice");
    expect(created.role).toBe("EDITOR");
    expect(created.key).toMatch(/^acc_[1-9][0-9]*_[A-Za-z0-9_-]{43}$/);

    const editor = await authenticate(testDb.db, `Bearer ${created.key}`);
    expect(editor).toEqual({ keyId: expect.any(Number), name: "alice", role: "EDITOR" });
    expect(created.key.startsWith(`acc_${editor!.keyId}_`)).toBe(true);
    // The scheme is case-insensitive (RFC 7235).
    expect(await authenticate(testDb.db, `bearer ${created.key}`)).toEqual(editor);
  });

  it("stores only a hash: the key appears nowhere in the ApiKey table", async () => {
    const { key } = await createApiKey(testDb.db, { name: "hash-check", role: "ADMIN" });
    const secret = key.split("_").slice(2).join("_");
    const rows = await apiKeyRows();
    const row = rows.find((r) => r.name === "hash-check");
    expect(row).toBeDefined();
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.hash).not.toBe(key);
    expect(row!.hash).not.toBe(secret);
    const everything = JSON.stringify(rows);
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(secret);
  });

  it("makes a different key every time", async () => {
    const a = await createApiKey(testDb.db, { name: "twin-a", role: "EDITOR" });
    const b = await createApiKey(testDb.db, { name: "twin-b", role: "EDITOR" });
    expect(a.key.split("_").slice(2).join("_")).not.toBe(b.key.split("_").slice(2).join("_"));
  });

  it("treats a missing or blank header as anonymous", async () => {
    expect(await authenticate(testDb.db, undefined)).toBeNull();
    expect(await authenticate(testDb.db, "")).toBeNull();
    expect(await authenticate(testDb.db, "   ")).toBeNull();
  });

  it("refuses a header that is not Bearer <key>", async () => {
    const { key } = await createApiKey(testDb.db, { name: "scheme", role: "EDITOR" });
    for (const header of [key, `Basic ${key}`, `Token ${key}`, "Bearer", `Bearer ${key} extra`]) {
      const error = await failure(authenticate(testDb.db, header), "UNAUTHENTICATED");
      expect(error.message).not.toContain(key);
    }
  });

  it("refuses malformed, unknown and tampered keys", async () => {
    const { key } = await createApiKey(testDb.db, { name: "target", role: "ADMIN" });
    const [, id, ...rest] = key.split("_");
    const secret = rest.join("_");
    const flipped = (secret[0] === "A" ? "B" : "A") + secret.slice(1);

    await rejected("not-a-key");
    await rejected(`acc_${id}_short`);
    await rejected(`acc_0_${secret}`);
    await rejected(`acc_${id}_${secret}x`);
    await rejected(`xyz_${id}_${secret}`);
    await rejected(`acc_99999999_${secret}`); // unknown id
    await rejected(`acc_99999999999999999999_${secret}`); // beyond any id
    await rejected(`acc_${id}_${flipped}`); // tampered secret

    // Another key's secret with this key's id.
    const other = await createApiKey(testDb.db, { name: "other", role: "EDITOR" });
    const otherSecret = other.key.split("_").slice(2).join("_");
    await rejected(`acc_${id}_${otherSecret}`);

    const messages = new Set(
      await Promise.all(
        [`acc_99999999_${secret}`, `acc_${id}_${flipped}`, "garbage"].map(
          async (k) => (await rejected(k)).message,
        ),
      ),
    );
    // One message for all of them: nothing tells an unknown id from a wrong secret.
    expect(messages.size).toBe(1);
  });

  it("refuses a revoked key at once", async () => {
    const { key } = await createApiKey(testDb.db, { name: "leaver", role: "ADMIN" });
    expect(await authenticate(testDb.db, `Bearer ${key}`)).toMatchObject({ name: "leaver" });

    const revoked = await revokeApiKey(testDb.db, "leaver");
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    const error = await rejected(key);
    expect(error.message).toMatch(/revoked/);

    const listed = (await listApiKeys(testDb.db)).find((k) => k.name === "leaver");
    expect(listed?.revokedAt).toBeInstanceOf(Date);
  });

  it("refuses to revoke an unknown key or one already revoked", async () => {
    const unknown = await failure(revokeApiKey(testDb.db, "nobody"), "NOT_FOUND");
    expect(unknown.message).toContain("nobody");

    await createApiKey(testDb.db, { name: "twice", role: "EDITOR" });
    await revokeApiKey(testDb.db, "twice");
    const again = await failure(revokeApiKey(testDb.db, "twice"), "CONFLICT");
    expect(again.message).toMatch(/already revoked/);
  });

  it("refuses duplicate names, revoked keys' names included", async () => {
    await createApiKey(testDb.db, { name: "dup", role: "EDITOR" });
    const error = await failure(
      createApiKey(testDb.db, { name: " dup ", role: "ADMIN" }),
      "CONFLICT",
    );
    expect(error.message).toContain('"dup"');

    await createApiKey(testDb.db, { name: "gone", role: "EDITOR" });
    await revokeApiKey(testDb.db, "gone");
    await failure(createApiKey(testDb.db, { name: "gone", role: "EDITOR" }), "CONFLICT");
  });

  it("refuses blank, overlong and control-character names and unknown roles", async () => {
    for (const name of ["", "   ", "x".repeat(101), "tab\there"]) {
      await failure(createApiKey(testDb.db, { name, role: "EDITOR" }), "BAD_USER_INPUT");
    }
    const longest = "é".repeat(100);
    expect((await createApiKey(testDb.db, { name: longest, role: "EDITOR" })).name).toBe(longest);
    await failure(
      createApiKey(testDb.db, { name: "root", role: "ROOT" as unknown as "ADMIN" }),
      "BAD_USER_INPUT",
    );
    const names = (await listApiKeys(testDb.db)).map((k) => k.name);
    expect(names).not.toContain("root");
    expect(names).not.toContain("");
  });

  it("lists keys without hashes", async () => {
    await createApiKey(testDb.db, { name: "listed-editor", role: "EDITOR" });
    await createApiKey(testDb.db, { name: "listed-admin", role: "ADMIN" });
    await revokeApiKey(testDb.db, "listed-admin");
    const keys = await listApiKeys(testDb.db);
    expect(keys.filter((k) => k.name.startsWith("listed-"))).toEqual(
      expect.arrayContaining([
        { name: "listed-editor", role: "EDITOR", createdAt: expect.any(Date), revokedAt: null },
        {
          name: "listed-admin",
          role: "ADMIN",
          createdAt: expect.any(Date),
          revokedAt: expect.any(Date),
        },
      ]),
    );
    for (const key of keys) {
      expect(Object.keys(key).sort()).toEqual(["createdAt", "name", "revokedAt", "role"]);
    }
  });
});

describe("requireRole", () => {
  const editor: Editor = { keyId: 1, name: "ed", role: "EDITOR" };
  const admin: Editor = { keyId: 2, name: "ad", role: "ADMIN" };

  it("lets EDITOR and ADMIN keys edit", () => {
    expect(requireRole(editor, "EDITOR")).toBe(editor);
    expect(requireRole(admin, "EDITOR")).toBe(admin);
    expect(requireRole(admin, "ADMIN")).toBe(admin);
  });

  it("forbids an EDITOR key what needs ADMIN", () => {
    const error = thrown(() => requireRole(editor, "ADMIN"), "FORBIDDEN");
    expect(error.message).toContain("ADMIN");
  });

  it("asks anonymous callers for a key", () => {
    for (const role of ["EDITOR", "ADMIN"] as const) {
      const error = thrown(() => requireRole(null, role), "UNAUTHENTICATED");
      expect(error.message).toContain("Authorization: Bearer <key>");
    }
  });
});

// The embedded test database lives in this process's memory, out of a child process's reach.
const onPostgres = Boolean(process.env.DATABASE_URL);
const cliTest = onPostgres ? it : it.skip;

describe("npm run apikey", () => {
  const cli = (args: string[]) => runCli("apikey", testDb.url!, args);

  cliTest(
    `creates, lists and revokes a key${onPostgres ? "" : " (skipped: needs DATABASE_URL, the in-memory test database cannot be shared with the CLI)"}`,
    async () => {
      expect(testDb.url).not.toBeNull();

      const created = await cli(["create", "--name", "ci-test", "--role", "EDITOR"]);
      expect(created.code).toBe(0);
      const lines = created.stdout.trimEnd().split("\n");
      const key = lines[lines.length - 1]!;
      expect(key).toMatch(/^acc_[1-9][0-9]*_[A-Za-z0-9_-]{43}$/);
      expect(lines.length).toBeGreaterThan(1);
      expect(lines.slice(0, -1).join("\n")).not.toContain(key);
      expect(await authenticate(testDb.db, `Bearer ${key}`)).toMatchObject({
        name: "ci-test",
        role: "EDITOR",
      });

      const listed = await cli(["list"]);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/ci-test\s+EDITOR/);
      expect(listed.stdout + listed.stderr).not.toContain(key);
      expect(listed.stdout).not.toContain(key.split("_").slice(2).join("_"));

      const revoked = await cli(["revoke", "--name", "ci-test"]);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout + revoked.stderr).not.toContain(key);
      await rejected(key);

      const again = await cli(["revoke", "--name", "ci-test"]);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/already revoked/);

      const unknown = await cli(["rotate"]);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toMatch(/Unknown command "rotate"[\s\S]*Usage:/);
    },
  );
});
