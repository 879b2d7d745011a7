/**
 * The response cache over HTTP. A POSTed read whose exact body (query, operation name,
 * variables) was answered before is sent from the cache without touching GraphQL or the
 * database. Otherwise the request runs as usual while the plugin notes what it shows (the id
 * of every object and every root field's type), and a successful read is stored under those
 * tags. Mutations are never stored, and they evict what they touched (src/edits/edit.ts).
 */
import { createHash } from "node:crypto";
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler } from "express";
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

declare module "express-serve-static-core" {
  interface Locals {
    cache?: CacheState;
  }
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

function cacheKey(body: { query?: unknown; operationName?: unknown; variables?: unknown }) {
  return createHash("sha256")
    .update(JSON.stringify([body.query, body.operationName ?? null, body.variables ?? null]))
    .digest("base64url");
}

export function responseCacheMiddleware(store: CacheStore): RequestHandler {
  return (req, res, next) => {
    const body = req.body as { query?: unknown; operationName?: unknown } | undefined;
    if (req.method !== "POST" || typeof body?.query !== "string") return next();
    const key = cacheKey(body);
    Promise.all([store.get(key), store.generation()])
      .then(([hit, generation]) => {
        if (hit !== null) {
          res.locals.requestLog.operationName =
            typeof body.operationName === "string" ? body.operationName : null;
          res.locals.requestLog.cache = "hit";
          res
            .status(200)
            .setHeader("content-type", "application/json; charset=utf-8")
            .setHeader("x-cache", "hit");
          res.end(hit);
          return;
        }
        res.locals.cache = { key, generation, tags: new Set(), cacheable: true };
        res.setHeader("x-cache", "miss");
        next();
      })
      // An unreachable cache is a miss: the request still gets its answer.
      .catch(() => next());
  };
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
        async willSendResponse({ response }) {
          const body = response.body;
          if (!state.cacheable || body.kind !== "single" || body.singleResult.errors) return;
          if (response.http.status !== undefined && response.http.status !== 200) return;
          await store
            .set(state.key, JSON.stringify(body.singleResult), state.tags, state.generation)
            .catch(() => false);
        },
      });
    },
  };
}
