/**
 * The frame every mutation runs in: check the editor's role, run the change in one
 * transaction together with its revision, and turn database refusals into clear errors.
 */
import { GraphQLError } from "graphql";
import { requireRole, type Editor, type Role } from "../auth.js";
import type { Context } from "../context.js";
import { accordError } from "../errors.js";
import { Prisma } from "../generated/prisma/client.js";
import { tagsFor } from "../cache/responses.js";
import { fromGlobalId, toGlobalId } from "../ids.js";
import { clearNestedPages } from "../nested.js";
import { snapshots, type Snapshot, type VersionedType } from "./snapshots.js";
import type { Tx } from "./validate.js";

export interface EditScope {
  tx: Tx;
  editor: Editor;
  /** Global ids of every object the change touched: cached responses showing them go. */
  affected: Set<string>;
}

export async function edit<T>(
  context: Context,
  role: Role,
  change: (scope: EditScope) => Promise<T>,
): Promise<T> {
  const editor = requireRole(await context.editor(), role);
  const affected = new Set<string>();
  let result: T;
  try {
    result = await context.db.prisma.$transaction((tx) => change({ tx, editor, affected }), {
      maxWait: 10_000,
      timeout: 30_000,
    });
  } catch (error) {
    throw fromDatabase(error);
  } finally {
    // The change may have made anything this request loaded before it stale.
    for (const loader of Object.values(context.loaders)) loader.clearAll();
    clearNestedPages(context.loaders);
  }
  // Committed: evict before answering, so no read after this response sees the old state.
  // The change stands whatever happens to the cache: a cache that cannot be reached must
  // not turn a committed change into a reported failure, which a client would retry.
  if (context.responseCache) {
    const types = [...affected].flatMap((id) => fromGlobalId(id)?.type ?? []);
    await context.responseCache.invalidate(tagsFor(affected, types)).catch(() => undefined);
  }
  return result;
}

/** Every global id inside a snapshot: the object and everything it points to. */
function idsIn(value: unknown, found: Set<string>) {
  if (typeof value === "string") {
    if (fromGlobalId(value)) found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) idsIn(item, found);
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) idsIn(item, found);
  }
}

/** Errors that slip past validation but that Postgres refuses, said in the API's terms. */
function fromDatabase(error: unknown): unknown {
  if (error instanceof GraphQLError) return error;
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") {
      const target = JSON.stringify(error.meta?.target ?? error.meta);
      return accordError(
        "BAD_USER_INPUT",
        `A value that must be unique is already used (${target})`,
      );
    }
    if (error.code === "P2003") {
      return accordError("CONFLICT", "The change refers to something that no longer exists");
    }
    if (error.code === "P2034") {
      return accordError("CONFLICT", "The change collided with another one; try again");
    }
  }
  return error;
}

const TABLE: Record<VersionedType, string> = {
  Actor: '"Actor"',
  Article: '"Article"',
  Visit: '"Visit"',
  Agreement: '"Agreement"',
  Outcome: '"Outcome"',
};

/**
 * Locks an object's row for the rest of the transaction and checks `expectedVersion`, so the
 * check and the change cannot be separated by another editor's write.
 */
export async function lockVersion(
  tx: Tx,
  type: VersionedType,
  key: number,
  expectedVersion: number | null | undefined,
): Promise<number> {
  const rows = await tx.$queryRawUnsafe<{ version: number }[]>(
    `SELECT "version" FROM ${TABLE[type]} WHERE "id" = $1 FOR UPDATE`,
    key,
  );
  const current = rows[0]?.version;
  const id = toGlobalId(type, key);
  if (current === undefined) throw accordError("NOT_FOUND", `No ${type} has the id "${id}"`);
  if (expectedVersion != null && expectedVersion !== current) {
    throw accordError(
      "CONFLICT",
      `${type} "${id}" is at version ${current}, not ${expectedVersion}: it changed since you read it`,
      { currentVersion: current, expectedVersion },
    );
  }
  return current;
}

export async function recordRevision(
  { tx, editor, affected }: EditScope,
  revision: {
    nodeId: string;
    action: "CREATE" | "UPDATE" | "DELETE";
    version: number;
    before: Snapshot | null;
    after: Snapshot | null;
  },
) {
  affected.add(revision.nodeId);
  idsIn(revision.before, affected);
  idsIn(revision.after, affected);
  await tx.revision.create({
    data: {
      nodeId: revision.nodeId,
      action: revision.action,
      editor: editor.name,
      version: revision.version,
      before: (revision.before ?? Prisma.DbNull) as Prisma.InputJsonValue,
      after: (revision.after ?? Prisma.DbNull) as Prisma.InputJsonValue,
    },
  });
}

/** Records the creation of a versioned object, snapshotting it as created. */
export async function recordCreate(scope: EditScope, type: VersionedType, key: number) {
  const after = await snapshots[type](scope.tx, key);
  await recordRevision(scope, {
    nodeId: toGlobalId(type, key),
    action: "CREATE",
    version: 1,
    before: null,
    after,
  });
}

/**
 * Runs an update of a versioned object: lock and check the version, snapshot, `apply` the
 * change, raise the version, snapshot again, record the revision.
 */
export async function updateVersioned(
  scope: EditScope,
  type: VersionedType,
  key: number,
  expectedVersion: number | null | undefined,
  apply: () => Promise<void>,
) {
  const version = await lockVersion(scope.tx, type, key, expectedVersion);
  const before = await snapshots[type](scope.tx, key);
  await apply();
  await bumpVersion(scope.tx, type, key);
  const after = await snapshots[type](scope.tx, key);
  await recordRevision(scope, {
    nodeId: toGlobalId(type, key),
    action: "UPDATE",
    version: version + 1,
    before,
    after,
  });
}

async function bumpVersion(tx: Tx, type: VersionedType, key: number) {
  await tx.$executeRawUnsafe(
    `UPDATE ${TABLE[type]} SET "version" = "version" + 1, "updatedAt" = now() WHERE "id" = $1`,
    key,
  );
}

export interface Dependent {
  id: string;
  type: string;
  label: string;
}

/**
 * Deletes a versioned object unless others depend on it, in which case nothing changes and
 * the error lists them (`extensions.dependents`). What it owns goes with it, and is kept in
 * the revision's `before`.
 */
export async function deleteVersioned(
  scope: EditScope,
  type: VersionedType,
  key: number,
  expectedVersion: number | null | undefined,
  dependents: () => Promise<Dependent[]>,
  remove: () => Promise<void>,
): Promise<string> {
  const version = await lockVersion(scope.tx, type, key, expectedVersion);
  const id = toGlobalId(type, key);
  const blocking = await dependents();
  if (blocking.length > 0) {
    const list = blocking.map((d) => `${d.type} "${d.label}" (${d.id})`).join(", ");
    throw accordError(
      "CONFLICT",
      `${type} "${id}" cannot be deleted while these refer to it: ${list}`,
      {
        dependents: blocking,
      },
    );
  }
  const before = await snapshots[type](scope.tx, key);
  await remove();
  await recordRevision(scope, { nodeId: id, action: "DELETE", version, before, after: null });
  return id;
}
