import type DataLoader from "dataloader";
import { loadArticlePage } from "../prefetch.js";
import type { QueryResolvers, ResolversTypes } from "../generated/graphql.js";
import { listApiKeys, requireRole } from "../auth.js";
import type { Context } from "../context.js";
import { badInput } from "../errors.js";
import { fromGlobalId, keyOf, toGlobalId } from "../ids.js";
import type { NodeType } from "../registry.js";
import { pageSize, type Sort } from "../pagination.js";
import { primeLoaders, searchHits } from "../search.js";
import {
  actorList,
  actorSearchList,
  agreementList,
  articleList,
  listPage,
  outcomeList,
  selects,
  visitList,
} from "../lists.js";
import { previewArticle } from "../import/preview.js";
import { asNode } from "./Node.js";

type Direction = "ASC" | "DESC";
const direction = (value: Direction | undefined, fallback: Direction) =>
  (value ?? fallback) === "ASC" ? "asc" : "desc";

/** The row of `type` behind a global id, or `null` when the id names no such object. */
function byId<Row>(type: NodeType, loader: DataLoader<number, Row | null>, id: string) {
  const ref = fromGlobalId(id);
  return ref && ref.type === type ? loader.load(ref.key) : null;
}

type NodeRow = ResolversTypes["Node"];

/** Any object behind a global id, tagged with its type for `Node`. */
async function loadNode({ loaders }: Context, id: string) {
  const ref = fromGlobalId(id);
  if (!ref) return null;
  const row = (await loaders.byId[ref.type].load(ref.key)) as NodeRow | null;
  return row && asNode(ref.type, row);
}

const articleSort = (order: Direction | undefined): Sort => ({
  field: "publishedOn",
  kind: "date",
  direction: direction(order, "DESC"),
});

export const Query: QueryResolvers = {
  node: (_, { id }, context) => loadNode(context, id),

  article: async (_, { slug, id }, context, info) => {
    if ((slug == null) === (id == null)) {
      throw badInput("slug", "give either `slug` or `id`, not both and not neither");
    }
    // The article's tree below it (through fragments too): then one statement loads it all.
    if (selects(info, ["visits"])) {
      if (slug != null) return loadArticlePage(context, { slug });
      const ref = fromGlobalId(id!);
      return ref && ref.type === "Article" ? loadArticlePage(context, { id: ref.key }) : null;
    }
    const article =
      slug != null
        ? await context.loaders.articleBySlug.load(slug)
        : await byId("Article", context.loaders.byId.Article, id!);
    // Citations on the page load their article by id: let them find it here.
    if (article) context.loaders.byId.Article.prime(article.id, article);
    return article;
  },
  articles: (_, args, context, info) =>
    listPage(context, "Article", args, articleSort(args.orderBy?.direction), articleList(info)),

  visit: (_, { id }, { loaders }) => byId("Visit", loaders.byId.Visit, id),
  visits: (_, args, context, info) =>
    listPage(
      context,
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

  agreement: (_, { id }, { loaders }) => byId("Agreement", loaders.byId.Agreement, id),
  agreements: (_, args, context, info) => {
    const { kind, partyId } = args.filter ?? {};
    return listPage(
      context,
      "Agreement",
      args,
      { field: "id", kind: "int", direction: "asc" },
      agreementList(info, {
        kind,
        partyId: partyId != null ? keyOf("filter.partyId", partyId, "Actor") : undefined,
      }),
    );
  },

  outcome: (_, { id }, { loaders }) => byId("Outcome", loaders.byId.Outcome, id),
  outcomes: (_, args, context, info) => {
    const { status, category, visitId } = args.filter ?? {};
    return listPage(
      context,
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

  actor: (_, { id }, { loaders }) => byId("Actor", loaders.byId.Actor, id),
  actors: (_, args, context, info) => {
    const { kind, search: text } = args.filter ?? {};
    const sort: Sort = {
      field: "name",
      kind: "string",
      direction: direction(args.orderBy?.direction, "ASC"),
    };
    const list = text != null ? actorSearchList(info, text, kind) : actorList(info, kind);
    return listPage(context, "Actor", args, sort, list);
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

  search: async (_, args, context) => {
    const hits = await searchHits(context.db, args.query, args.first, context.expensive);
    // The search statement returned the hits' rows: their nodes load from the loaders, no SQL.
    primeLoaders(context.loaders, hits);
    const nodes = await Promise.all(
      hits.map((hit) => loadNode(context, toGlobalId(hit.type, hit.id))),
    );
    return hits.flatMap((hit, i) => {
      const node = nodes[i];
      return node ? [{ score: hit.score, snippet: hit.snippet, node }] : [];
    });
  },
};
