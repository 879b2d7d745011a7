/**
 * Trusted documents (a safelist): with `ACCORD_TRUSTED_DOCUMENTS` set, Accord executes only
 * the documents of a manifest, `{ "sha256:<hex>": "<document text>" }` as GraphQL Code
 * Generator's client preset writes it (src/generated/operations/persisted-documents.json).
 *
 * A request names its document by `documentId` (the GraphQL over HTTP persisted documents
 * form, `sha256:<hex>` or the bare `<hex>`), by Apollo's `extensions.persistedQuery.sha256Hash`,
 * or sends the listed text itself as `query`. Anything else is refused before it is parsed:
 * an unknown id with PERSISTED_QUERY_NOT_IN_LIST, any other text (introspection included)
 * with QUERY_NOT_IN_SAFELIST, both with HTTP 400.
 *
 * `resolveDocument` is the one place that decides; every transport calls it.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { RequestHandler } from "express";
import { buildASTSchema, GraphQLError, parse, validate } from "graphql";
import type { RequestLog } from "./logging.js";
import { schemaDocument } from "./schema.js";

/** Most documents a manifest may list: checked at start. */
export const MAX_TRUSTED_DOCUMENTS = 10_000;
/** Largest manifest file, in bytes: checked at start, before it is read. */
export const MAX_TRUSTED_MANIFEST_BYTES = 10_000_000;

/** The listed documents, by the lowercase hex digits of their sha256. */
export interface TrustedDocuments {
  byHash: ReadonlyMap<string, string>;
}

/** What a request says about its document, as any transport receives it. */
export interface DocumentRequest {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

const ID = /^(?:sha256:)?([0-9a-f]{64})$/;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * Reads and checks a manifest, throwing a message that names the variable and the file: too
 * big, not JSON, not an object of strings, an entry whose text does not hash to its key, or
 * a document that does not parse or validate against schema.graphql.
 */
export function readTrustedDocuments(file: string): TrustedDocuments {
  const fail = (why: string): never => {
    throw new Error(`ACCORD_TRUSTED_DOCUMENTS: ${file}: ${why}`);
  };
  let raw = "";
  try {
    const { size } = statSync(file);
    if (size > MAX_TRUSTED_MANIFEST_BYTES) {
      fail(`is ${size} bytes, over the limit of ${MAX_TRUSTED_MANIFEST_BYTES}`);
    }
    raw = readFileSync(file, "utf8");
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("ACCORD_TRUSTED_DOCUMENTS")) throw error;
    fail(`cannot be read (${(error as Error).message})`);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(raw);
  } catch (error) {
    fail(`is not JSON (${(error as Error).message})`);
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    return fail('must be a JSON object { "sha256:<hex>": "<document>" }');
  }
  const entries = Object.entries(manifest);
  if (entries.length > MAX_TRUSTED_DOCUMENTS) {
    fail(`lists ${entries.length} documents, over the limit of ${MAX_TRUSTED_DOCUMENTS}`);
  }
  const schema = buildASTSchema(schemaDocument());
  const byHash = new Map<string, string>();
  for (const [key, text] of entries) {
    const hex = ID.exec(key)?.[1];
    if (hex === undefined) fail(`key "${key}" is not sha256:<64 lowercase hex digits>`);
    if (typeof text !== "string") return fail(`the document of "${key}" is not a string`);
    if (sha256(text) !== hex) fail(`the document of "${key}" does not hash to its key`);
    let errors: readonly GraphQLError[];
    try {
      errors = validate(schema, parse(text));
    } catch (error) {
      return fail(`the document of "${key}" does not parse: ${(error as Error).message}`);
    }
    if (errors.length > 0) {
      fail(
        `the document of "${key}" does not validate: ${errors.map((e) => e.message).join("; ")}`,
      );
    }
    byHash.set(hex!, text);
  }
  return { byHash };
}

function refusal(code: string, message: string, extensions: Record<string, unknown> = {}) {
  return new GraphQLError(message, {
    extensions: { code, ...extensions, http: { status: 400 } },
  });
}

/**
 * The text of the listed document that the request names or sends, or a GraphQLError
 * (HTTP 400) saying why it is refused: BAD_REQUEST for a malformed request,
 * PERSISTED_QUERY_NOT_IN_LIST for an id not listed, QUERY_NOT_IN_SAFELIST for a text not
 * listed. A `query` sent with an id must be that document's text.
 */
export function resolveDocument(documents: TrustedDocuments, request: DocumentRequest): string {
  const { query, documentId } = request;
  const persisted = (request.extensions as { persistedQuery?: unknown } | undefined)
    ?.persistedQuery;
  if (query !== undefined && query !== null && typeof query !== "string") {
    throw refusal("BAD_REQUEST", "`query` must be a string");
  }
  if (documentId !== undefined && documentId !== null && typeof documentId !== "string") {
    throw refusal("BAD_REQUEST", "`documentId` must be a string");
  }
  let hash: string | undefined;
  if (persisted !== undefined && persisted !== null) {
    const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
    if (version !== 1 || typeof sha256Hash !== "string") {
      throw refusal(
        "BAD_REQUEST",
        "`extensions.persistedQuery` must be { version: 1, sha256Hash: <64 hex digits> }",
      );
    }
    hash = sha256Hash.toLowerCase();
  }
  const id = typeof documentId === "string" ? documentId : hash;
  if (id !== undefined) {
    const hex = ID.exec(id.toLowerCase())?.[1];
    if (hex === undefined) {
      throw refusal(
        "BAD_REQUEST",
        `Document id "${id}" is not sha256:<64 hex digits> or the 64 digits alone`,
      );
    }
    if (hash !== undefined && hash !== hex) {
      throw refusal(
        "BAD_REQUEST",
        "`documentId` and `extensions.persistedQuery.sha256Hash` name different documents",
      );
    }
    const text = documents.byHash.get(hex);
    if (text === undefined) {
      throw refusal(
        "PERSISTED_QUERY_NOT_IN_LIST",
        `Document "${id}" is not in this server's list of trusted documents`,
        { documentId: id },
      );
    }
    if (typeof query === "string" && query !== text) {
      throw refusal("BAD_REQUEST", `\`query\` is not the text of document "${id}"`);
    }
    return text;
  }
  if (typeof query !== "string" || query === "") {
    throw refusal(
      "BAD_REQUEST",
      "A request must name a trusted document (`documentId`) or send one (`query`)",
    );
  }
  if (documents.byHash.get(sha256(query)) !== query) {
    throw refusal(
      "QUERY_NOT_IN_SAFELIST",
      "This operation is not in this server's list of trusted documents: send a listed document, or its documentId",
    );
  }
  return query;
}

/**
 * The body a POST would carry if it sent its document's text: `query` the listed text, the
 * id and `extensions.persistedQuery` dropped. The response cache keys this, so a document
 * named by id and the same document sent in full share one entry; null when refused.
 */
export function canonicalBody(documents: TrustedDocuments, body: unknown): object | null {
  if (!isObject(body)) return null;
  try {
    return canonicalOrThrow(documents, body);
  } catch {
    return null;
  }
}

function canonicalOrThrow(documents: TrustedDocuments, body: Record<string, unknown>): object {
  const query = resolveDocument(documents, body);
  const rest = without(body, ["query", "documentId", "extensions"]);
  const others = withoutPersistedQuery(body.extensions);
  return { query, ...rest, ...(others === undefined ? {} : { extensions: others }) };
}

function without(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key)));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `extensions` without `persistedQuery`; undefined when nothing else is left. Anything but
 * an object is kept as it is, for Apollo to refuse.
 */
function withoutPersistedQuery(extensions: unknown): unknown {
  if (!isObject(extensions)) return extensions;
  const others = without(extensions, ["persistedQuery"]);
  return Object.keys(others).length > 0 ? others : undefined;
}

/**
 * The HTTP gate, between Express's JSON parser and Apollo: a request goes on to Apollo with
 * its listed document's text as `query` (the body's, or the GET's query string) and neither
 * `documentId` nor `extensions.persistedQuery` (Apollo's own APQ is off in this mode), or is
 * answered here with its refusal, never parsed. A POST whose body is not a JSON object, or a
 * method other than GET and POST, goes on unchanged: Apollo refuses it without executing.
 */
export function trustedRequests(documents: TrustedDocuments): RequestHandler {
  return (req, res, next) => {
    try {
      if (req.method === "GET") {
        const url = new URL(req.url, "http://accord.invalid");
        const params = url.searchParams;
        const ids = params.getAll("documentId");
        if (ids.length > 1) {
          throw refusal("BAD_REQUEST", "The query string gives `documentId` more than once");
        }
        const extensions = jsonParameter(params.get("extensions"));
        params.set(
          "query",
          resolveDocument(documents, {
            query: params.get("query") ?? undefined,
            documentId: ids[0],
            extensions,
          }),
        );
        params.delete("documentId");
        const others = withoutPersistedQuery(extensions);
        if (others !== undefined) params.set("extensions", JSON.stringify(others));
        else params.delete("extensions");
        req.url = `${url.pathname}?${params.toString()}`;
      } else if (req.method === "POST" && isObject(req.body)) {
        req.body = canonicalOrThrow(documents, req.body);
      }
    } catch (error) {
      if (!(error instanceof GraphQLError)) return next(error);
      const extensions = without(error.extensions, ["http"]);
      const log = res.locals.requestLog as RequestLog | undefined;
      if (log) log.errorCodes = [String(extensions.code)];
      return void res.status(400).json({ errors: [{ message: error.message, extensions }] });
    }
    next();
  };
}

function jsonParameter(value: string | null): unknown {
  if (value === null || value === "") return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw refusal("BAD_REQUEST", "`extensions` in the query string is not JSON");
  }
}
