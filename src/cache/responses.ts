/**
 * The response cache over HTTP. A POSTed read whose exact body (query, operation name,
 * variables) was answered before is sent from the cache without touching GraphQL or the
 * database. Otherwise the request runs as usual while the plugin notes what it shows (the id
 * of every object and every root field's type), and a successful read is stored under those
 * tags. Mutations are never stored, and they evict what they touched (src/edits/edit.ts).
 */
import accepts from "accepts";
import { createHash } from "node:crypto";
import type http from "node:http";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import { requestIdFrom } from "../logging.js";
import { OperationTypeNode } from "graphql";
import type { Context } from "../context.js";
import { NODE_TYPES, toGlobalId, type NodeType } from "../ids.js";
import type { CacheStore } from "./store.js";

/** What a request carries through the pipeline for the cache. */
export interface CacheState {
  key: string;
  generation: number;
  tags: Set<string>;
  cacheable: boolean;
}

const nodeTypes = new Set<string>(NODE_TYPES);

/** Root fields and the type whose changes they follow; `any` for lookups across types. */
const ROOT_TYPES: Record<string, string> = {
  article: "Article",
  articles: "Article",
  visit: "Visit",
  visits: "Visit",
  agreement: "Agreement",
  agreements: "Agreement",
  outcome: "Outcome",
  outcomes: "Outcome",
  actor: "Actor",
  actors: "Actor",
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
};

const MAX_CACHED_REQUEST_BYTES = 64 * 1024;

/**
 * Answers repeated reads before Express and GraphQL see them: the fast path that makes a cached
 * read cost little more than sending its bytes. It takes only what the full pipeline would
 * treat the same way: JSON POSTs to /graphql with a small, declared length. Everything else
 * goes to `next` untouched; a miss goes with its body already parsed (Express's JSON parser
 * skips a parsed body) and its cache key.
 */
export function serveFromCache(store: CacheStore, logger: Logger, maxBodyBytes: number) {
  const limit = Math.min(MAX_CACHED_REQUEST_BYTES, maxBodyBytes);
  return (req: CachedRequest, res: http.ServerResponse, next: () => void) => {
    const length = Number(req.headers["content-length"]);
    if (
      req.method !== "POST" ||
      req.url !== "/graphql" ||
      !/^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i.test(
        req.headers["content-type"] ?? "",
      ) ||
      !accepts(req).type(["application/json", "application/graphql-response+json"]) ||
      !(length > 0 && length <= limit)
    ) {
      return next();
    }
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("error", () => next());
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      // The key is the exact request bytes: no parsing at all on the way to a hit.
      const key = createHash("sha256").update(raw).digest("base64url");
      store
        .get(key)
        .then(async (hit) => {
          if (hit !== null) return sendHit(req, res, hit, started);
          const body = parseBody(raw);
          if (body === undefined) return sendBadJson(res);
          req.body = body;
          req._body = true;
          if (isQueryBody(body)) {
            req.cacheState = {
              key,
              generation: await store.generation(),
              tags: new Set(),
              cacheable: true,
            };
            res.setHeader("x-cache", "miss");
          }
          next();
        })
        // An unreachable cache is a miss: the request still gets its answer.
        .catch(() => {
          req.body = parseBody(raw);
          req._body = req.body !== undefined;
          next();
        });
    });
  };

  function sendHit(req: CachedRequest, res: http.ServerResponse, entry: string, started: bigint) {
    const split = entry.indexOf("\n");
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    res.writeHead(200, {
      "content-type": "application/json; charset=utf-8",
      "x-cache": "hit",
      "x-request-id": requestId,
      "access-control-allow-origin": "*",
    });
    res.end(entry.slice(split + 1));
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

function parseBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

function sendBadJson(res: http.ServerResponse) {
  res.writeHead(400, { "content-type": "application/json; charset=utf-8" });
  res.end(
    JSON.stringify({
      errors: [
        { message: "The request body is not valid JSON", extensions: { code: "BAD_REQUEST" } },
      ],
    }),
  );
}

export function responseCachePlugin(store: CacheStore): ApolloServerPlugin<Context> {
  return {
    requestDidStart: ({ contextValue }) => {
      const state = contextValue.cache;
      if (!state) return Promise.resolve();
      return Promise.resolve({
        didResolveOperation({ operation }) {
          if (operation?.operation !== OperationTypeNode.QUERY) state.cacheable = false;
          return Promise.resolve();
        },
        executionDidStart: () =>
          Promise.resolve({
            willResolveField({ source, info }) {
              const parent = info.parentType.name;
              if (parent === "Query") {
                const type = ROOT_TYPES[info.fieldName];
                if (type) state.tags.add(rootTag(type));
                else state.cacheable = false;
              } else if (nodeTypes.has(parent)) {
                const id = (source as { id?: unknown }).id;
                if (typeof id === "number") state.tags.add(toGlobalId(parent as NodeType, id));
              }
            },
          }),
        async willSendResponse({ response, operationName, contextValue }) {
          const body = response.body;
          if (!state.cacheable || body.kind !== "single" || body.singleResult.errors) return;
          if (response.http.status !== undefined && response.http.status !== 200) return;
          // A response the byte budget already measured as too big to store is not
          // serialised a second time just to be refused (src/response-size.ts).
          const budget = contextValue.responseBudget;
          if (budget && budget.limit - budget.left > store.maxEntryBytes) return;
          // The operation's name rides along for the log line of each hit.
          const entry = `${operationName ?? ""}\n${JSON.stringify(body.singleResult)}`;
          await store.set(state.key, entry, state.tags, state.generation).catch(() => false);
        },
      });
    },
  };
}
