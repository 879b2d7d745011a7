/**
 * API keys: reads are public, every mutation needs `Authorization: Bearer <api key>`.
 *
 * A key reads `acc_<id>_<secret>`: `id` is the key's row, so a lookup is by primary key, and
 * `secret` is 32 random bytes in base64url. Only the sha256 of the secret is stored; with 256
 * bits of entropy a fast hash is enough (nothing to brute-force, unlike a password).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Database } from "./db/database.js";
import { accordError } from "./errors.js";
import { Prisma } from "./generated/prisma/client.js";

export type Role = "EDITOR" | "ADMIN";

export const ROLES: readonly Role[] = ["EDITOR", "ADMIN"];

/** Who is making a request: the holder of a valid, unrevoked key. */
export interface Editor {
  keyId: number;
  name: string;
  role: Role;
}

export interface ApiKeyInfo {
  name: string;
  role: Role;
  createdAt: Date;
  revokedAt: Date | null;
}

const KEY_PREFIX = "acc_";
const SECRET_BYTES = 32;
/** base64url of 32 bytes, unpadded. */
const SECRET_LENGTH = 43;
const KEY_PATTERN = new RegExp(
  `^${KEY_PREFIX}([1-9][0-9]{0,9})_([A-Za-z0-9_-]{${SECRET_LENGTH}})$`,
);
const MAX_NAME_LENGTH = 100;

/** The most keys there may be, revoked ones included: what `apiKeys` lists is bounded. */
export const MAX_KEYS = 1000;

/** A key's columns that may be shown: never its hash. */
const INFO = { name: true, role: true, createdAt: true, revokedAt: true } as const;

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

/** Equal-time comparison of two sha256 hex digests; anything else never matches. */
function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The name as stored: trimmed, 1–100 characters, no control characters. */
function checkName(name: unknown): string {
  if (typeof name !== "string") throw accordError("BAD_USER_INPUT", "A key needs a name");
  const trimmed = name.trim();
  if (trimmed === "") throw accordError("BAD_USER_INPUT", "A key's name must not be blank");
  if ([...trimmed].length > MAX_NAME_LENGTH) {
    throw accordError(
      "BAD_USER_INPUT",
      `A key's name must be at most ${MAX_NAME_LENGTH} characters long`,
    );
  }
  // The name is the editor shown in the audit trail and in `list`'s table: no control
  // characters, and no invisible or direction-changing ones (\p{Cf}) that would let one name
  // pass for another.
  if (/\p{Cc}/u.test(trimmed)) {
    throw accordError("BAD_USER_INPUT", "A key's name must not contain control characters");
  }
  if (/\p{Cf}/u.test(trimmed)) {
    throw accordError(
      "BAD_USER_INPUT",
      "A key's name must not contain invisible or direction-changing characters",
    );
  }
  return trimmed;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * Makes a key for `name` with `role`. The returned key is the only copy: it cannot be read
 * back later. Names are unique among all keys, revoked ones included, so that an editor's
 * name in the audit trail always means one key.
 */
export async function createApiKey(
  db: Database,
  input: { name: string; role: Role },
): Promise<ApiKeyInfo & { key: string }> {
  const name = checkName(input.name);
  if (!isRole(input.role)) {
    throw accordError("BAD_USER_INPUT", `A key's role must be ${ROLES.join(" or ")}`);
  }
  const role = input.role;
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  try {
    return await db.prisma.$transaction(async (tx) => {
      // Counted under a lock, so that two creations at the bound cannot both pass it.
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext('accord:apikeys'))");
      if ((await tx.apiKey.count()) >= MAX_KEYS) {
        throw accordError(
          "BAD_USER_INPUT",
          `There are ${MAX_KEYS} keys, revoked ones included: the most there may be`,
          { max: MAX_KEYS },
        );
      }
      // The hash covers the secret only, so it is known before the row's id is: one INSERT
      // writes the whole row and there is never a row without its real hash.
      const { id, ...info } = await tx.apiKey.create({
        data: { name, role, hash: hashSecret(secret) },
        select: { id: true, ...INFO },
      });
      return { key: `${KEY_PREFIX}${id}_${secret}`, ...info };
    });
  } catch (error) {
    // `hash` is unique too, but a collision of 256-bit secrets is not a practical concern.
    if (isUniqueViolation(error)) {
      throw accordError(
        "CONFLICT",
        `There is already a key named "${name}" (names are never reused, even after revocation)`,
      );
    }
    throw error;
  }
}

/** Every key, oldest first, without its hash: at most `MAX_KEYS`. */
export async function listApiKeys(db: Database): Promise<ApiKeyInfo[]> {
  return db.prisma.apiKey.findMany({
    select: INFO,
    orderBy: { id: "asc" },
  });
}

/** Revokes the key named `name`; it stops working at once. */
export async function revokeApiKey(db: Database, name: string): Promise<ApiKeyInfo> {
  const trimmed = typeof name === "string" ? name.trim() : "";
  if (trimmed === "") throw accordError("BAD_USER_INPUT", "Name the key to revoke");
  // Conditional update: of two concurrent revocations exactly one succeeds.
  const { count } = await db.prisma.apiKey.updateMany({
    where: { name: trimmed, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const key = await db.prisma.apiKey.findUnique({
    where: { name: trimmed },
    select: INFO,
  });
  if (!key) throw accordError("NOT_FOUND", `There is no key named "${trimmed}"`);
  if (count === 0) {
    throw accordError(
      "CONFLICT",
      `The key "${trimmed}" was already revoked at ${key.revokedAt?.toISOString()}`,
    );
  }
  return key;
}

const INVALID_KEY = "Invalid API key";

/**
 * The editor that `authorizationHeader` identifies, or null for an anonymous request (no
 * header, or a blank one). A header that is there but does not hold a valid, unrevoked key is
 * an error rather than anonymity, so that a broken key is reported instead of silently
 * turning a mutation into an UNAUTHENTICATED one later. Messages never repeat the key.
 */
export async function authenticate(
  db: Database,
  authorizationHeader: string | undefined,
): Promise<Editor | null> {
  if (authorizationHeader === undefined || authorizationHeader.trim() === "") return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorizationHeader.trim());
  if (!match) {
    throw accordError("UNAUTHENTICATED", "The Authorization header must read: Bearer <api key>");
  }
  const parts = KEY_PATTERN.exec(match[1] ?? "");
  if (!parts) throw accordError("UNAUTHENTICATED", INVALID_KEY);
  const id = Number(parts[1]);
  const secret = parts[2] ?? "";
  if (!Number.isSafeInteger(id) || id > 2_147_483_647) {
    throw accordError("UNAUTHENTICATED", INVALID_KEY);
  }
  // Read on every request, never cached: a revocation takes effect at once.
  const row = await db.prisma.apiKey.findUnique({
    where: { id },
    select: { id: true, name: true, role: true, hash: true, revokedAt: true },
  });
  if (!row || !sameHash(hashSecret(secret), row.hash)) {
    throw accordError("UNAUTHENTICATED", INVALID_KEY);
  }
  if (row.revokedAt) {
    throw accordError("UNAUTHENTICATED", `This API key ("${row.name}") has been revoked`);
  }
  return { keyId: row.id, name: row.name, role: row.role };
}

const RANK: Record<Role, number> = { EDITOR: 1, ADMIN: 2 };

/** The editor, if they hold `role` or a higher one (ADMIN satisfies EDITOR). */
export function requireRole(editor: Editor | null, role: Role): Editor {
  if (!editor) {
    throw accordError(
      "UNAUTHENTICATED",
      "This operation needs an API key: send Authorization: Bearer <key>",
    );
  }
  if (RANK[editor.role] < RANK[role]) {
    throw accordError(
      "FORBIDDEN",
      `This operation needs an ${role} key; the key "${editor.name}" is ${editor.role}`,
    );
  }
  return editor;
}
