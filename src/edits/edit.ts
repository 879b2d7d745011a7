/**
 * Runs the checks the database defers to commit (a fact's basis, migration fact_basis) now, as
 * a statement of the transaction: a failure then comes back as that statement's error. At
 * commit itself, the embedded database's driver adapter loses the error and reports success.
 * Later writes of the same transaction (the seed's next article) are deferred again.
 */
export async function deferredChecked(tx: Tx) {
  await tx.$executeRawUnsafe("SET CONSTRAINTS ALL IMMEDIATE");
  await tx.$executeRawUnsafe("SET CONSTRAINTS ALL DEFERRED");
}

/**
 * The frame every mutation runs in: check the editor's role, run the change in one
 * transaction together with its revision, and turn database refusals into clear errors.
 */
import { GraphQLError } from "graphql";
import { requireRole, type Editor, type Role } from "../auth.js";
import type { Context } from "../context.js";
import { accordError, commitOutcomeUnknown } from "../errors.js";
import { Prisma } from "../generated/prisma/client.js";
import { keyOf, toGlobalId } from "../ids.js";
import { clearNestedPages } from "../read/nested.js";
import { delegateName, NODES, type NodeType, type VersionedType } from "../registry.js";
import { snapshots, type Snapshot } from "./snapshots.js";
import type { Tx } from "./validate.js";

export interface EditScope {
  tx: Tx;
  editor: Editor;
}

export async function edit<T>(
  context: Context,
  role: Role,
  change: (scope: EditScope) => Promise<T>,
): Promise<T> {
  const editor = requireRole(await context.editor(), role);
  // An Idempotency-Key whose change committed before: its answer, and no change at all.
  const keyed = context.idempotency;
  if (keyed?.recorded) return (await keyed.replay(context)) as T;
  let result: T;
  let committing = false;
  let cacheToken: string | undefined;
  try {
    result = await context.db.prisma.$transaction(
      async (tx) => {
        // Names this transaction in the notifications its rows send (src/cache/invalidation.ts).
        cacheToken = await context.responseCache?.beginWrite(tx);
        // The key is recorded with the change, so that both commit or neither does.
        await keyed?.claim(tx);
        const value = await change({ tx, editor });
        await deferredChecked(tx);
        await keyed?.record(tx, value);
        committing = true;
        return value;
      },
      { maxWait: 10_000, timeout: 30_000 },
    );
  } catch (error) {
    throw (committing && commitOutcomeUnknown(error)) || fromDatabase(error);
  } finally {
    // The change may have made anything this request loaded before it stale.
    const { byId, ...related } = context.loaders;
    for (const loader of [...Object.values(byId), ...Object.values(related)]) loader.clearAll();
    clearNestedPages(context.loaders);
  }
  // Committed: wait, before answering, until no instance can serve a read from before the
  // commit. It never throws: a cache that cannot be reached must not turn a committed change
  // into a reported failure, which a client would retry.
  if (context.responseCache && cacheToken) await context.responseCache.afterCommit(cacheToken);
  return result;
}

/**
 * What each unique index guards, in the API's terms: the input field and who holds the value.
 * A create that races another past validation meets these; Mention's index only ever meets
 * two edits re-anchoring one article at once.
 */
const UNIQUE: Record<string, { field: string; clash: string } | undefined> = {
  Article_slug_key: {
    field: "input.slug",
    clash: "the slug is already used by another article, created at the same moment",
  },
  // An actor's name is one of its alias rows too: the index cannot tell which was sent.
  ActorAlias_alias_key: {
    field: "input.name",
    clash:
      "the name, or one of the aliases, is already used by another actor, written at the same moment",
  },
  ActorAlias_actorId_alias_key: { field: "input.aliases", clash: "an alias is listed twice" },
  Outcome_visitId_ordinal_key: {
    field: "input.ordinal",
    clash: "another outcome of this visit has this ordinal, written at the same moment",
  },
  VisitParticipant_visitId_actorId_role_key: {
    field: "input.participants",
    clash: "an actor is listed twice in one role",
  },
};

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** The driver adapter's account of a Postgres refusal (kind, constraint, SQLSTATE), if any. */
function driverCause(error: unknown): Record<string, unknown> | undefined {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta;
  const cause = meta?.driverAdapterError?.cause;
  return cause && typeof cause === "object" ? (cause as Record<string, unknown>) : undefined;
}

/**
 * The unique index a write ran into: its name, "" when the driver does not say, undefined
 * when the error is not a unique violation.
 */
export function uniqueIndexOf(error: unknown): string | undefined {
  if (error instanceof GraphQLError) return undefined;
  const cause = driverCause(error);
  const code = error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
  const sqlState = typeof cause?.originalCode === "string" ? cause.originalCode : cause?.code;
  if (code !== "P2002" && cause?.kind !== "UniqueConstraintViolation" && sqlState !== "23505") {
    return undefined;
  }
  const constraint = cause?.constraint as { index?: string } | undefined;
  const message = text(cause?.originalMessage) || text(cause?.message);
  return constraint?.index ?? /unique constraint "([^"]+)"/.exec(message)?.[1] ?? "";
}

/**
 * Errors that slip past validation but that Postgres refuses, said in the API's terms: the
 * field and what clashes, never the index, table, model or SQLSTATE behind it. A value taken
 * by a create that committed first is BAD_USER_INPUT, as it is when validation sees it (the
 * message says it was taken at the same moment); sending it again names the holder.
 */
function fromDatabase(error: unknown): unknown {
  if (error instanceof GraphQLError) return error;
  const cause = driverCause(error);
  const code = error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
  const sqlState = typeof cause?.originalCode === "string" ? cause.originalCode : cause?.code;
  const index = uniqueIndexOf(error);
  if (index !== undefined) {
    const guarded = index ? UNIQUE[index] : undefined;
    if (!guarded) return accordError("CONFLICT", "The change collided with another one; try again");
    return accordError(
      "BAD_USER_INPUT",
      `${guarded.field}: ${guarded.clash}; nothing was changed`,
      { argumentName: guarded.field },
    );
  }
  if (code === "P2003" || cause?.kind === "ForeignKeyConstraintViolation" || sqlState === "23503") {
    return accordError("CONFLICT", "The change refers to something that no longer exists");
  }
  if (sqlState === "23514") {
    // `<Table>_<column>_check`: the column is the input field of the same name.
    const message = text(cause?.message) || text(cause?.originalMessage);
    const column = /check constraint "[A-Za-z]+_([A-Za-z]+)_check"/.exec(message)?.[1];
    const field = column ? `input.${column}` : "input";
    return accordError("BAD_USER_INPUT", `${field}: the value breaks a rule of the record`, {
      argumentName: field,
    });
  }
  // A write conflict, or a deadlock Postgres broke by failing this side: nothing was changed,
  // and the same request sent again succeeds.
  if (code === "P2034" || sqlState === "40P01" || sqlState === "40001") {
    return accordError("CONFLICT", "The change collided with another one; try again");
  }
  return error;
}

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
    `SELECT "version" FROM "${NODES[type].model}" WHERE "id" = $1 FOR UPDATE`,
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
  { tx, editor }: EditScope,
  revision: {
    nodeId: string;
    action: "CREATE" | "UPDATE" | "DELETE";
    version: number;
    before: Snapshot | null;
    after: Snapshot | null;
  },
) {
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

/**
 * Records the creation of a versioned object, snapshotting it as created; answers the row, as
 * the create mutation does.
 */
export async function recordCreate<Row extends { id: number }>(
  scope: EditScope,
  type: VersionedType,
  row: Row,
): Promise<Row> {
  const after = await snapshots[type](scope.tx, row.id);
  await recordRevision(scope, {
    nodeId: toGlobalId(type, row.id),
    action: "CREATE",
    version: 1,
    before: null,
    after,
  });
  return row;
}

/** The object an update or a delete names (`id`), and the version its editor read. */
export interface Target {
  id: string;
  expectedVersion?: number | null;
}

/**
 * Runs an update of a versioned object: lock and check the version, snapshot, `apply` the
 * change (`input`) to the row `key`, raise the version, snapshot again, record the revision.
 * Answers the object's key.
 */
export async function updateVersioned<Input>(
  scope: EditScope,
  type: VersionedType,
  target: Target & { input: Input },
  apply: (key: number, input: Input) => Promise<void>,
): Promise<number> {
  const key = keyOf("id", target.id, type);
  const version = await lockVersion(scope.tx, type, key, target.expectedVersion);
  const before = await snapshots[type](scope.tx, key);
  await apply(key, target.input);
  await bumpVersion(scope.tx, type, key);
  const after = await snapshots[type](scope.tx, key);
  await recordRevision(scope, {
    nodeId: toGlobalId(type, key),
    action: "UPDATE",
    version: version + 1,
    before,
    after,
  });
  return key;
}

async function bumpVersion(tx: Tx, type: VersionedType, key: number) {
  await tx.$executeRawUnsafe(
    `UPDATE "${NODES[type].model}" SET "version" = "version" + 1, "updatedAt" = now() WHERE "id" = $1`,
    key,
  );
}

export interface Dependent {
  id: string;
  type: string;
  label: string;
}

/** An object that refers to one being deleted, as the refusal lists it. */
export function dependent(type: NodeType, key: number, label: string): Dependent {
  return { id: toGlobalId(type, key), type, label };
}

/**
 * Deletes a versioned object unless others depend on it (`dependents`), in which case nothing
 * changes and the error lists them (`extensions.dependents`). `remove` deletes the row (by
 * default, only the row); what it owns goes with it, and is kept in the revision's `before`.
 */
export async function deleteVersioned(
  scope: EditScope,
  type: VersionedType,
  target: Target,
  {
    dependents = () => Promise.resolve([]),
    remove = (key) => modelOf(scope.tx, type).delete({ where: { id: key } }),
  }: {
    dependents?: (key: number) => Promise<Dependent[]>;
    remove?: (key: number) => Promise<unknown>;
  } = {},
): Promise<string> {
  const key = keyOf("id", target.id, type);
  const version = await lockVersion(scope.tx, type, key, target.expectedVersion);
  const id = toGlobalId(type, key);
  const blocking = await dependents(key);
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
  await remove(key);
  await recordRevision(scope, { nodeId: id, action: "DELETE", version, before, after: null });
  return id;
}

/** A versioned type's model in the client: every model's client has the same `delete`. */
function modelOf(tx: Tx, type: VersionedType) {
  return tx[delegateName(NODES[type].model)] as unknown as {
    delete(args: { where: { id: number } }): Promise<unknown>;
  };
}

/**
 * Replaces the rows of a join table that `where` picks (an object's parties, authors...) with
 * `rows`: a list given in an update replaces the old one whole.
 */
export async function replaceRows<Where, Row>(
  table: {
    deleteMany(args: { where: Where }): Promise<unknown>;
    createMany(args: { data: Row[] }): Promise<unknown>;
  },
  where: Where,
  rows: Row[],
) {
  await table.deleteMany({ where });
  await table.createMany({ data: rows });
}
