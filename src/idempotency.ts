/**
 * `Idempotency-Key` for mutations (IETF HTTPAPI draft "The Idempotency-Key HTTP Header
 * Field"): a client that lost its answer sends the same request with the same key again and
 * learns what happened, without the change being made twice.
 *
 * - The key is recorded in the mutation's own transaction (src/edits/edit.ts calls `claim` and
 *   `record`), so a key exists exactly when its change committed: a change that rolled back
 *   or never started leaves no key, and a retry runs it.
 * - The record holds what the mutation field returned (`{type, id}` of the object, or the
 *   scalar, e.g. a deleted object's id). Once the answer is built it is stored too.
 * - A retry of the same request (same query text, operation name and variables) gets the
 *   stored answer without running anything; when none was stored (the process died after the
 *   commit, the answer was too big or had errors) the operation runs again in replay mode:
 *   `edit()` returns the recorded object, read as it is now, and changes nothing. Either way
 *   the answer carries `Idempotent-Replayed: true`.
 * - A different request under a used key is refused (422), as is a retry while the first
 *   request's transaction is still open (409, `Retry-After`): an advisory lock held by that
 *   transaction tells, without waiting for it.
 * - Keys belong to an API key: one editor's key never answers another's request.
 * - One mutation field per keyed request: each root field is a transaction of its own, and
 *   an operation cut off between two of them could not be told apart from one that ran whole.
 * - Queries ignore the header: a read changes nothing, so repeating it is already safe.
 *
 * With or without a key, an error in a mutation's answer after its commit says so
 * (`committed: true`, see `markCommitted`).
 */
import { createHash } from "node:crypto";
import { stringify } from "safe-stable-stringify";
import {
  HeaderMap,
  type ApolloServerPlugin,
  type GraphQLRequestContextWillSendResponse,
  type GraphQLResponse,
} from "@apollo/server";
import {
  getNamedType,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Logger } from "pino";
import type { Context } from "./context.js";
import type { Database } from "./db/database.js";
import type { Tx } from "./edits/validate.js";
import { accordError } from "./errors.js";
import { NODE_TYPES, type NodeType } from "./registry.js";

export const IDEMPOTENCY_HEADER = "idempotency-key";
export const REPLAYED_HEADER = "idempotent-replayed";
/** Longest key accepted, in characters (a UUID is 36). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
/** Largest answer stored; a bigger one is rebuilt on a retry instead (see the module comment). */
export const MAX_STORED_RESPONSE_BYTES = 64_000;
/** Expired keys deleted at most per new key: pruning never costs a request more than this. */
export const PRUNE_BATCH = 100;
export const IN_USE_RETRY_AFTER_SECONDS = 1;

/** What a mutation field returned, as recorded: enough to answer again. */
type ResultReference = { type: NodeType; id: number } | { value: string | number | boolean | null };

interface Recorded {
  fingerprint: string;
  result: ResultReference;
  status: number | null;
  response: string | null;
}

function badRequest(message: string) {
  return accordError("BAD_REQUEST", message, { http: { status: 400 } });
}

/**
 * The key a header value names. Accepted: a Structured Field string (`"…"`, with `\"` and
 * `\\` escapes), as the draft defines the field, or the same characters unquoted (as many
 * clients send a UUID), without spaces, commas, quotes or backslashes, so that two header
 * lines joined by a comma are refused rather than read as one key. 1 to 255 characters of
 * printable ASCII; `"abc"` and `abc` are the same key.
 */
export function parseIdempotencyKey(raw: string): string {
  const value = raw.trim();
  const rule = `1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, e.g. "8e03978e-40d5-43e8-bc93-6894a57f9324"`;
  // Bounded before any pattern runs (an escaped key is at most twice as long, plus quotes).
  if (value.length > 2 * MAX_IDEMPOTENCY_KEY_LENGTH + 2) {
    throw badRequest(`The Idempotency-Key header is too long: it must be ${rule}`);
  }
  let key: string | null = null;
  if (value.startsWith('"')) {
    const quoted = /^"((?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*)"$/.exec(value);
    if (quoted) key = quoted[1]!.replace(/\\(["\\])/g, "$1");
  } else if (/^[\x21\x23-\x2b\x2d-\x5b\x5d-\x7e]+$/.test(value)) {
    key = value;
  }
  if (key === null || key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badRequest(`The Idempotency-Key header must be ${rule}, quoted or not`);
  }
  return key;
}

/** The operation's root fields, through fragments; `__typename` changes nothing and is left out. */
function rootFields(operation: OperationDefinitionNode, document: DocumentNode): FieldNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  const fields: FieldNode[] = [];
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value !== "__typename") fields.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(operation.selectionSet);
  return fields;
}

/**
 * The request a key stands for. Variables are serialised with their keys sorted, and absent
 * ones count as `{}`: a client whose serialiser orders an object differently on the retry
 * sends the same request, as GraphQL reads it.
 */
function fingerprintOf(source: string, operationName: string | null, variables: unknown): string {
  return createHash("sha256")
    .update(stringify([source, operationName, variables ?? {}]) ?? "")
    .digest("base64url");
}

function referenceOf(returnType: string, value: unknown): ResultReference {
  if ((NODE_TYPES as readonly string[]).includes(returnType)) {
    const id = (value as { id?: unknown } | null)?.id;
    if (typeof id === "number") return { type: returnType as NodeType, id };
  } else if (value === null || ["string", "number", "boolean"].includes(typeof value)) {
    return { value: value as string | number | boolean | null };
  }
  // A mutation returning another kind of object needs a reference of its own here.
  throw new Error(`No idempotency record for a ${returnType} result`);
}

/**
 * One keyed mutation request, as `edit()` sees it (`context.idempotency`).
 */
export class KeyedMutation {
  /** Whether this request answered from a record (stored or rebuilt). */
  replayed = false;
  /** Whether this request wrote the key (it is in the change's transaction). */
  wrote = false;
  private claimed = false;

  constructor(
    readonly apiKeyId: number,
    readonly key: string,
    private readonly fingerprint: string,
    private readonly returnType: string,
    private readonly retentionSeconds: number,
    /** The key's record, when its change already committed. */
    readonly recorded: Recorded | null,
  ) {}

  /** The recorded result, as the mutation field would return it; nothing is changed. */
  async replay(context: Context): Promise<unknown> {
    this.replayed = true;
    const result = this.recorded!.result;
    if (!("type" in result)) return result.value;
    const row = await context.loaders.byId[result.type].load(result.id);
    if (row) return row;
    throw accordError(
      "NOT_FOUND",
      `The change under this Idempotency-Key was made, but the ${result.type} it returned has been deleted since`,
      { committed: true },
    );
  }

  /**
   * In the change's transaction, before the change: holds the key until the transaction
   * ends, or refuses at once while another request's transaction holds it.
   */
  async claim(tx: Tx): Promise<void> {
    if (this.claimed) throw new Error("An Idempotency-Key covers one change");
    this.claimed = true;
    const [row] = await tx.$queryRaw<{ locked: boolean }[]>`
      SELECT pg_try_advisory_xact_lock(hashtext('accord:idempotency'), hashtext(${`${this.apiKeyId}:${this.key}`})) AS "locked"`;
    if (!row?.locked) throw inUse();
  }

  /** In the change's transaction, after the change: records the key with its result. */
  async record(tx: Tx, value: unknown): Promise<void> {
    const result = JSON.stringify(referenceOf(this.returnType, value));
    // An expired record not yet pruned gives way; a live one means a request with this key
    // committed since this one looked: this change must not stand beside it.
    const rows = await tx.$queryRaw<{ id: number }[]>`
      INSERT INTO "IdempotencyKey" ("apiKeyId", "key", "fingerprint", "result", "expiresAt")
      VALUES (${this.apiKeyId}, ${this.key}, ${this.fingerprint}, ${result}::jsonb,
              now() + ${this.retentionSeconds}::integer * interval '1 second')
      ON CONFLICT ("apiKeyId", "key") DO UPDATE SET
        "fingerprint" = EXCLUDED."fingerprint", "result" = EXCLUDED."result", "status" = NULL,
        "response" = NULL, "createdAt" = now(), "expiresAt" = EXCLUDED."expiresAt"
      WHERE "IdempotencyKey"."expiresAt" <= now()
      RETURNING "id"`;
    if (rows.length === 0) throw inUse();
    this.wrote = true;
  }
}

function inUse() {
  return accordError(
    "IDEMPOTENCY_KEY_IN_USE",
    "A request with this Idempotency-Key is still running: retry shortly to get its answer",
    {
      retryAfterSeconds: IN_USE_RETRY_AFTER_SECONDS,
      http: {
        status: 409,
        headers: new HeaderMap([["retry-after", String(IN_USE_RETRY_AFTER_SECONDS)]]),
      },
    },
  );
}

async function find(db: Database, apiKeyId: number, key: string): Promise<Recorded | null> {
  const [row] = await db.prisma.$queryRaw<Recorded[]>`
    SELECT "fingerprint", "result", "status", "response" FROM "IdempotencyKey"
    WHERE "apiKeyId" = ${apiKeyId} AND "key" = ${key} AND "expiresAt" > now()`;
  return row ?? null;
}

/**
 * Drops the answers kept for replay that returned the object `type` `key`, in the transaction
 * of a change that must not be replayed from before it (a source removed from the record): a
 * replay of those keys then answers from the record as it is.
 */
export async function forgetStoredAnswers(tx: Tx, type: NodeType, key: number) {
  await tx.$executeRaw`
    UPDATE "IdempotencyKey" SET "status" = NULL, "response" = NULL
    WHERE "result" = ${JSON.stringify({ type, id: key })}::jsonb AND "response" IS NOT NULL`;
}

/** Deletes up to PRUNE_BATCH expired keys, skipping any another request is deleting. */
export async function pruneIdempotencyKeys(db: Database): Promise<number> {
  return db.prisma.$executeRaw`
    DELETE FROM "IdempotencyKey" WHERE "id" IN (
      SELECT "id" FROM "IdempotencyKey" WHERE "expiresAt" <= now()
      ORDER BY "expiresAt" LIMIT ${PRUNE_BATCH} FOR UPDATE SKIP LOCKED)`;
}

function returnTypeOf(schema: GraphQLSchema, field: FieldNode): string {
  const definition = schema.getMutationType()?.getFields()[field.name.value];
  return definition ? getNamedType(definition.type).name : "unknown";
}

/**
 * An error in what a mutation field answers after its change committed (a nested field whose
 * read failed) does not undo the change: such errors carry `committed: true`, and when no
 * other error is left the answer is no "retry shortly" 503, which would invite a duplicate.
 */
function markCommitted(
  response: GraphQLRequestContextWillSendResponse<Context>["response"],
  committed: Set<string>,
) {
  const body = response.body;
  if (body.kind !== "single" || !body.singleResult.errors?.length) return;
  let uncommitted = 0;
  body.singleResult.errors = body.singleResult.errors.map((error) => {
    const field = error.path?.[0];
    if (field === undefined || !committed.has(String(field))) {
      uncommitted++;
      return error;
    }
    return { ...error, extensions: { ...error.extensions, committed: true } };
  });
  if (uncommitted === 0 && response.http.status === 503) {
    response.http.status = 200;
    response.http.headers.delete("retry-after");
  }
}

export function idempotencyPlugin(options: {
  retentionSeconds: number;
  logger: Logger;
}): ApolloServerPlugin<Context> {
  return {
    requestDidStart({ request }) {
      // A mutation's text holds the keyword: a read is answered without this plugin's hooks.
      // (A persisted query sent by hash alone carries no text yet, so it keeps them.)
      if (typeof request.query === "string" && !request.query.includes("mutation")) {
        return Promise.resolve();
      }
      const header = request.http?.headers.get(IDEMPOTENCY_HEADER);
      let mutation = false;
      let keyed: KeyedMutation | null = null;
      let fingerprint = "";
      /** Response keys of the mutation fields that returned: their change committed. */
      const committed = new Set<string>();
      return Promise.resolve({
        async didResolveOperation({ operation, document, source, schema, contextValue }) {
          if (operation?.operation !== OperationTypeNode.MUTATION) return;
          mutation = true;
          if (header === undefined) return;
          const key = parseIdempotencyKey(header);
          const fields = rootFields(operation, document);
          if (fields.length > 1) {
            throw badRequest(
              `An Idempotency-Key covers one mutation field, and this operation has ${fields.length}: send each in a request of its own`,
            );
          }
          if (fields.length === 0) return;
          // Without a valid key the mutation is refused as it runs, and changes nothing.
          const editor = await contextValue.editor().catch(() => null);
          if (!editor) return;
          fingerprint = fingerprintOf(source, request.operationName ?? null, request.variables);
          const recorded = await find(contextValue.db, editor.keyId, key);
          if (recorded && recorded.fingerprint !== fingerprint) {
            throw accordError(
              "IDEMPOTENCY_KEY_REUSED",
              "This Idempotency-Key was used for a different request (query, operation name or variables): use a new key for a new request",
              { http: { status: 422 } },
            );
          }
          keyed = new KeyedMutation(
            editor.keyId,
            key,
            fingerprint,
            returnTypeOf(schema, fields[0]!),
            options.retentionSeconds,
            recorded,
          );
          contextValue.idempotency = keyed;
        },
        responseForOperation(): Promise<GraphQLResponse | null> {
          const stored = keyed?.recorded;
          if (!keyed || stored?.response == null) return Promise.resolve(null);
          keyed.replayed = true;
          return Promise.resolve({
            http: { status: stored.status ?? 200, headers: new HeaderMap() },
            body: { kind: "single", singleResult: JSON.parse(stored.response) as object },
          });
        },
        executionDidStart() {
          if (!mutation) return Promise.resolve();
          return Promise.resolve({
            willResolveField({ info }) {
              if (info.parentType.name !== "Mutation") return;
              // Every mutation field returns only once its change committed (src/edits/edit.ts).
              return (error) => void (error ? undefined : committed.add(String(info.path.key)));
            },
          });
        },
        async willSendResponse({ response, contextValue }) {
          if (committed.size > 0) markCommitted(response, committed);
          if (!keyed) return;
          if (keyed.replayed) response.http.headers.set(REPLAYED_HEADER, "true");
          // Stored: a clean answer of a change this request made, or one it rebuilt.
          const rebuilt = keyed.replayed && keyed.recorded?.response == null;
          if (!keyed.wrote && !rebuilt) return;
          const body = response.body;
          const status = response.http.status ?? 200;
          if (body.kind === "single" && !body.singleResult.errors?.length && status === 200) {
            const text = JSON.stringify(body.singleResult);
            if (Buffer.byteLength(text) <= MAX_STORED_RESPONSE_BYTES) {
              // The answer goes out whether or not it could be stored: a retry rebuilds it.
              await contextValue.db.prisma.$executeRaw`
                UPDATE "IdempotencyKey" SET "status" = ${status}, "response" = ${text}
                WHERE "apiKeyId" = ${keyed.apiKeyId} AND "key" = ${keyed.key}
                  AND "fingerprint" = ${fingerprint} AND "response" IS NULL`.catch(
                (error: unknown) =>
                  options.logger.warn({ err: error }, "idempotency: answer not stored"),
              );
            }
          }
          if (keyed.wrote) {
            await pruneIdempotencyKeys(contextValue.db).catch((error: unknown) =>
              options.logger.warn({ err: error }, "idempotency: expired keys not pruned"),
            );
          }
        },
      });
    },
  };
}
