import type { GraphQLResolveInfo } from "graphql";
import type { QueryResolvers, ResolversTypes } from "../generated/graphql.js";
import { listApiKeys, requireRole } from "../auth.js";
import type { Context } from "../context.js";
import { badInput } from "../errors.js";
import { fromGlobalId, keyOf, toGlobalId } from "../ids.js";
import type { NodeType } from "../registry.js";
import { pageSize, type Sort } from "../read/pagination.js";
import { primeLoaders, searchHits } from "../read/search.js";
import {
  actorList,
  actorSearchList,
  agreementList,
  articleList,
  listPage,
  outcomeList,
  visitList,
} from "../read/lists.js";
import { readObject } from "../read/plan.js";
import type { NodeRow } from "../read/loaders.js";
import { previewArticle } from "../import/preview.js";
import { asNode } from "./Node.js";

type Direction = "ASC" | "DESC";
const direction = (value: Direction | undefined, fallback: Direction) =>
  (value ?? fallback) === "ASC" ? "asc" : "desc";

/**
 * The object of `type` behind a global id, with what the query selects below it
 * (src/read/plan.ts); `null` when the id names no such object.
 */
function byId<T extends NodeType>(
  type: T,
  id: string,
  context: Context,
  info: GraphQLResolveInfo,
): Promise<NodeRow<T> | null> | null {
  const ref = fromGlobalId(id);
  return ref && ref.type === type
    ? readObject(context, info, type, { column: "id", value: ref.key })
    : null;
}

type AnyNodeRow = ResolversTypes["Node"];

/** Any object behind a global id, tagged with its type for `Node`. */
async function loadNode(context: Context, info: GraphQLResolveInfo, id: string) {
  const ref = fromGlobalId(id);
  if (!ref) return null;
  const key = { column: "id", value: ref.key } as const;
  const row = (await readObject(context, info, ref.type, key)) as AnyNodeRow | null;
  return row && asNode(ref.type, row);
}

const articleSort = (order: Direction | undefined): Sort => ({
  field: "publishedOn",
  kind: "date",
  direction: direction(order, "DESC"),
});

export const Query: QueryResolvers = {
  node: (_, { id }, context, info) => loadNode(context, info, id),

  article: async (_, { slug, id }, context, info) => {
    if ((slug == null) === (id == null)) {
      throw badInput("slug", "give either `slug` or `id`, not both and not neither");
    }
    if (slug != null) return readObject(context, info, "Article", { column: "slug", value: slug });
    return byId("Article", id!, context, info);
  },
  articles: (_, args, context, info) =>
    listPage(
      context,
      info,
      "Article",
      args,
      articleSort(args.orderBy?.direction),
      articleList(info),
    ),

  visit: (_, { id }, context, info) => byId("Visit", id, context, info),
  visits: (_, args, context, info) =>
    listPage(
      context,
      info,
      "Visit",
      args,
      {
        field: "startDate",
        kind: "date",
        nullable: true,
        direction: direction(args.orderBy?.direction, "DESC"),
      },
      visitList(info),
    ),

  agreement: (_, { id }, context, info) => byId("Agreement", id, context, info),
  agreements: (_, args, context, info) => {
    const { kind, partyId } = args.filter ?? {};
    return listPage(
      context,
      info,
      "Agreement",
      args,
      { field: "id", kind: "int", direction: "asc" },
      agreementList(info, {
        kind,
        partyId: partyId != null ? keyOf("filter.partyId", partyId, "Actor") : undefined,
      }),
    );
  },

  outcome: (_, { id }, context, info) => byId("Outcome", id, context, info),
  outcomes: (_, args, context, info) => {
    const { status, category, visitId } = args.filter ?? {};
    return listPage(
      context,
      info,
      "Outcome",
      args,
      { field: "ordinal", kind: "int", direction: direction(args.orderBy?.direction, "ASC") },
      outcomeList(info, {
        status,
        category,
        visitId: visitId != null ? keyOf("filter.visitId", visitId, "Visit") : undefined,
      }),
    );
  },

  actor: (_, { id }, context, info) => byId("Actor", id, context, info),
  actors: (_, args, context, info) => {
    const { kind, search: text } = args.filter ?? {};
    const sort: Sort = {
      field: "name",
      kind: "string",
      direction: direction(args.orderBy?.direction, "ASC"),
    };
    const list = text != null ? actorSearchList(info, text, kind) : actorList(info, kind);
    return listPage(context, info, "Actor", args, sort, list);
  },

  previewArticle: async (_, { input }, context) => {
    requireRole(await context.editor(), "EDITOR");
    return previewArticle(context.db, input);
  },

  apiKeys: async (_, __, context) => {
    requireRole(await context.editor(), "ADMIN");
    return listApiKeys(context.db);
  },

  revisions: (_, { nodeId, first }, { db }) =>
    db.prisma.revision.findMany({
      where: { nodeId },
      orderBy: { id: "desc" },
      take: pageSize(first),
    }),

  search: async (_, args, context, info) => {
    const hits = await searchHits(context.db, args.query, args.first, context.expensive);
    // The search statement returned the hits' rows: their nodes load from the loaders, no SQL.
    primeLoaders(context.loaders, hits);
    const nodes = await Promise.all(
      hits.map((hit) => loadNode(context, info, toGlobalId(hit.type, hit.id))),
    );
    return hits.flatMap((hit, i) => {
      const node = nodes[i];
      return node ? [{ score: hit.score, snippet: hit.snippet, node }] : [];
    });
  },
};
