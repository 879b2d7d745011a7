/**
 * The response cache over HTTP. A POSTed read whose exact body (query, operation name,
 * variables) was answered before, by an instance with the same settings and for the same
 * response type, is sent from the cache without touching GraphQL or the database. Otherwise
 * the request runs as usual while the plugin notes what it shows (the id of every object and
 * every root field's type), and a successful read is stored under those tags. Mutations are
 * never stored; what their rows touch is evicted at commit (src/cache/invalidation.ts).
 */
import accepts from "accepts";
import { createHash } from "node:crypto";
import type http from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import { requestIdFrom } from "../logging.js";
import { OperationTypeNode } from "graphql";
import type { Context } from "../context.js";
import type { CorsHandler } from "../cors.js";
import { toGlobalId } from "../ids.js";
import { NODE_TYPES, NODES, type NodeType } from "../registry.js";
import type { ResponseCache } from "./invalidation.js";

/** What a request carries through the pipeline for the cache. */
export interface CacheState {
  key: string;
  /** The store's epoch and the instance's when the request started: see `CacheStore.set`. */
  epoch: number;
  localEpoch: number;
  tags: Set<string>;
  cacheable: boolean;
}

/** Apollo's media types, in the order it offers them (`chooseContentTypeForSingleResultResponse`). */
const MEDIA_TYPES = [
  "application/json; charset=utf-8",
  "application/graphql-response+json; charset=utf-8",
  "application/json; callbackSpec=1.0; charset=utf-8",
];

/**
 * Everything besides the request that decides a response, or whether it is refused: the
 * schema, the limits, introspection, federation and error formatting. Instances that differ
 * in any of them never answer each other's requests from a shared cache.
 */
export function settingsFingerprint(settings: unknown): string {
  return createHash("sha256").update(JSON.stringify(settings)).digest("base64url").slice(0, 16);
}

/** The ETag Express sends with a body (`etag`, weak): a hit carries the one a miss would. */
function weakEtag(body: string): string {
  const hash = createHash("sha1").update(body, "utf8").digest("base64").slice(0, 27);
  return `W/"${Buffer.byteLength(body, "utf8").toString(16)}-${hash}"`;
}

const nodeTypes = new Set<string>(NODE_TYPES);

/**
 * Root fields and the type whose changes they follow (`roots` in src/registry.ts); `any` for
 * the lookups across types. A root field not here is never cached.
 */
const ROOT_TYPES: Record<string, string> = {
  ...Object.fromEntries(
    NODE_TYPES.flatMap((type) => NODES[type].roots.map((root) => [root, type])),
  ),
  node: "any",
  search: "any",
};

export const rootTag = (type: string) => `root:${type}`;

/** The tags a change to these objects invalidates: the objects and the root fields of their types. */
export function tagsFor(globalIds: Iterable<string>, types: Iterable<NodeType>): string[] {
  const tags = new Set<string>([rootTag("any")]);
  for (const id of globalIds) tags.add(id);
  for (const type of types) tags.add(rootTag(type));
  return [...tags];
}

/** A request the cache missed carries its entry-to-be to the GraphQL layer. */
export type CachedRequest = http.IncomingMessage & {
  cacheState?: CacheState;
  body?: unknown;
  _body?: boolean;
  /** The body was read and is not JSON: see `refuseUnparsedBodies`. */
  unparsable?: boolean;
};

const MAX_CACHED_REQUEST_BYTES = 64 * 1024;

/** The header by which a federation router asks a subgraph for the trace of a request. */
const TRACE_HEADER = "apollo-federation-include-trace";

/**
 * Answers repeated reads before Express and GraphQL see them: the fast path that makes a cached
 * read cost little more than sending its bytes. It takes only what the full pipeline would
 * treat the same way: JSON POSTs to /graphql with a small, declared length. Everything else
 * goes to `next` untouched; a miss goes with its body already parsed (Express's JSON parser
 * skips a parsed body) and its cache key.
 *
 * A request for a federated trace (`apollo-federation-include-trace: ftv1`, which a router
 * sends to a subgraph) is answered afresh and not stored: its answer carries the trace of its
 * own execution in `extensions.ftv1`, which an entry made without one would lack and which no
 * other request should be given.
 *
 * With trusted documents, `canonical` (src/trusted.ts) turns each body into the one its
 * listed document's text would make, and the key is that body: a document sent by id and in
 * full share an entry. A body it refuses is never looked up, so an unlisted query is never
 * answered from the cache, whoever stored it; it goes on to be refused.
 */
export function serveFromCache(
  cache: ResponseCache,
  logger: Logger,
  maxBodyBytes: number,
  fingerprint: string,
  cors: CorsHandler,
  canonical?: ((body: unknown) => object | null) | null,
) {
  const limit = Math.min(MAX_CACHED_REQUEST_BYTES, maxBodyBytes);
  const store = cache.store;
  return (req: CachedRequest, res: http.ServerResponse, next: () => void) => {
    if (req.method !== "POST" || req.url !== "/graphql") return next();
    const length = Number(req.headers["content-length"]);
    // The type Apollo would answer with; the callback one (and a 406) are left to Apollo.
    const type = accepts(req).type(MEDIA_TYPES);
    if (
      !/^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i.test(
        req.headers["content-type"] ?? "",
      ) ||
      (type !== MEDIA_TYPES[0] && type !== MEDIA_TYPES[1]) ||
      !(length > 0 && length <= limit) ||
      req.headers[TRACE_HEADER] !== undefined ||
      // Not sure to have heard every eviction: compute, store nothing.
      !cache.fresh()
    ) {
      return next();
    }
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => next());
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      let keyed: Buffer | string = raw;
      if (canonical) {
        const body = handOn(req, raw);
        const listed = req.unparsable ? null : canonical(body);
        if (listed === null) return next();
        req.body = listed;
        keyed = JSON.stringify(listed);
      }
      // The key is the exact request bytes (or the canonical body), the instance's settings
      // and the response type: without trusted documents, no parsing at all on the way to a hit.
      const key = createHash("sha256")
        .update(`${fingerprint}\n${type}\n`)
        .update(keyed)
        .digest("base64url");
      const localEpoch = cache.epoch;
      store
        .get(key)
        .then(async (hit) => {
          // Still sure to have heard every eviction, and nothing cleared while Redis answered.
          const sure = cache.fresh() && cache.epoch === localEpoch;
          if (hit !== null && sure) return sendHit(req, res, hit, type, started);
          const body = canonical ? req.body : handOn(req, raw);
          if (sure && isQueryBody(body)) {
            req.cacheState = {
              key,
              epoch: await store.epoch(),
              localEpoch,
              tags: new Set(),
              cacheable: true,
            };
            res.setHeader("x-cache", "miss");
          }
          next();
        })
        // An unreachable cache is a miss: the request still gets its answer.
        .catch(() => {
          if (!canonical) handOn(req, raw);
          next();
        });
    });
  };

  function sendHit(
    req: CachedRequest,
    res: http.ServerResponse,
    entry: string,
    type: string,
    started: bigint,
  ) {
    // `<operation name>\n<ETag>\n<body>`, as `responseCachePlugin` stores it.
    const split = entry.indexOf("\n");
    const second = entry.indexOf("\n", split + 1);
    const body = entry.slice(second + 1);
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    // The CORS headers the miss got for this origin: they are set as they are, not stored.
    cors(req, res, () => {
      res.writeHead(200, {
        "content-type": type,
        "content-length": Buffer.byteLength(body),
        etag: entry.slice(split + 1, second),
        "x-cache": "hit",
        "x-request-id": requestId,
      });
      res.end(body);
    });
    logger.info(
      {
        requestId,
        method: "POST",
        path: "/graphql",
        status: 200,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        operationName: entry.slice(0, split) || undefined,
        cache: "hit",
      },
      "request",
    );
  }
}

function isQueryBody(body: unknown): body is { query: string } {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as { query?: unknown }).query === "string"
  );
}

/**
 * Gives the request its parsed body, as Express's JSON parser would: an object or an array
 * (the parser's `strict`), else none, and the request marked for `refuseUnparsedBodies`.
 */
function handOn(req: CachedRequest, raw: Buffer): unknown {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    body = undefined;
  }
  if (typeof body === "object" && body !== null) req.body = body;
  else req.unparsable = true;
  req._body = true;
  return req.body;
}

/**
 * Refuses a body the cache read and found not to be JSON with the error Express's JSON parser
 * raises, so that it is answered as without the cache: by the same error handler, with the
 * same status, body and headers (CORS, request id).
 */
export function refuseUnparsedBodies(
  req: CachedRequest,
  _res: http.ServerResponse,
  next: (error?: unknown) => void,
) {
  if (!req.unparsable) return next();
  next(Object.assign(new Error("Unexpected token"), { type: "entity.parse.failed", status: 400 }));
}

export function responseCachePlugin(cache: ResponseCache): ApolloServerPlugin<Context> {
  const store = cache.store;
  return {
    requestDidStart: ({ contextValue }) => {
      const state = contextValue.cache;
      if (!state) return Promise.resolve();
      return Promise.resolve({
        didResolveOperation({ operation }) {
          if (operation?.operation !== OperationTypeNode.QUERY) state.cacheable = false;
          return Promise.resolve();
        },
        executionDidStart: () => {
          // Each object is tagged once, at its first field, not at every field it has.
          const tagged = new WeakSet<object>();
          return Promise.resolve({
            willResolveField({ source, info }) {
              const parent = info.parentType.name;
              if (parent === "Query") {
                const type = ROOT_TYPES[info.fieldName];
                if (type) state.tags.add(rootTag(type));
                else state.cacheable = false;
              } else if (nodeTypes.has(parent) && !tagged.has(source as object)) {
                tagged.add(source as object);
                const id = (source as { id?: unknown }).id;
                if (typeof id === "number") state.tags.add(toGlobalId(parent as NodeType, id));
              }
            },
          });
        },
        async willSendResponse({ response, operationName, contextValue }) {
          const body = response.body;
          if (!state.cacheable || body.kind !== "single" || body.singleResult.errors) return;
          if (response.http.status !== undefined && response.http.status !== 200) return;
          // A response the byte budget already measured as too big to store is not
          // serialised a second time just to be refused (src/response-size.ts).
          const budget = contextValue.responseBudget;
          if (budget && budget.limit - budget.left > store.maxEntryBytes) return;
          // The body as Apollo sends it (fields in its order, a newline), with the operation's
          // name for each hit's log line and the ETag Express adds.
          const { data, extensions } = body.singleResult;
          const sent = `${JSON.stringify({ data, extensions })}\n`;
          const entry = `${operationName ?? ""}\n${weakEtag(sent)}\n${sent}`;
          // Stored only if the instance heard every eviction since the request started.
          if (!cache.fresh() || cache.epoch !== state.localEpoch) return;
          await store.set(state.key, entry, state.tags, state.epoch).catch(() => false);
        },
      });
    },
  };
}
