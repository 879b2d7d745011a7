/**
 * Connections below an object (an actor's mentions, a visit's articles): lists that grow with
 * the record, paged by cursor like the top-level lists. Under a list of parents they are
 * batched: one DataLoader per connection, page size and cursor reads the page of every parent
 * in one statement (each parent's page is an index range with its own LIMIT), so a query costs
 * the same number of statements however many parents it reaches.
 */
import DataLoader from "dataloader";
import type { GraphQLResolveInfo } from "graphql";
import type { Context } from "../context.js";
import { columnList, columnsOf } from "../db/rows.js";
import type { Agreement, Mention, VisitParticipant } from "../generated/prisma/client.js";
import { NODES } from "../registry.js";
import type { ArticleRow, Loaders } from "./loaders.js";
import { readPages, type PagedList } from "./pager.js";
import { notACursor, pageRequest, type Page, type PageArgs } from "./pagination.js";
import { selectionAt, selects } from "./selection.js";

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

const ARTICLE_COLUMNS = columnsOf("Article", NODES.Article.omit);

/** Articles newest first. */
const newestFirst = {
  model: "Article",
  columns: ARTICLE_COLUMNS,
  keys: ["publishedOn", "id"],
  keyTypes: ["date", "int"],
  value: (row: ArticleRow) => isoDate(row.publishedOn),
} as const;

/** Rows in id order. */
const inIdOrder = {
  params: [],
  keys: ["id"],
  keyTypes: ["int"],
  cursorKeys: (_value: unknown, id: number) => [id],
  value: (row: { id: number }) => row.id,
} as const;

const participations: PagedList<VisitParticipant> = {
  name: "actor_participations",
  owner: "Actor",
  sort: { field: "participations", direction: "asc", kind: "int" },
  model: "VisitParticipant",
  columns: columnsOf("VisitParticipant"),
  source: `"VisitParticipant"`,
  where: `"actorId" = p.parent`,
  ...inIdOrder,
};

const actorAgreements: PagedList<Agreement> = {
  name: "actor_agreements",
  owner: "Actor",
  sort: { field: "agreements", direction: "asc", kind: "int" },
  model: "Agreement",
  columns: columnsOf("Agreement"),
  source: `"Agreement"`,
  where: `"id" IN (SELECT "agreementId" FROM "AgreementParty" WHERE "actorId" = p.parent)`,
  ...inIdOrder,
};

const actorArticles: PagedList<ArticleRow> = {
  name: "actor_articles",
  owner: "Actor",
  sort: { field: "articles", direction: "desc", kind: "date" },
  ...newestFirst,
  source: `"Article"`,
  // Written or published by the actor, each article once; a UNION so that each side is an
  // index lookup (an OR across the two would scan every article).
  where: `"id" IN (SELECT "articleId" FROM "ArticleAuthor" WHERE "actorId" = p.parent
                   UNION SELECT "id" FROM "Article" WHERE "publisherId" = p.parent)`,
  params: [],
};

const visitArticles: PagedList<ArticleRow> = {
  name: "visit_articles",
  owner: "Visit",
  sort: { field: "articles", direction: "desc", kind: "date" },
  ...newestFirst,
  source: `(SELECT ${columnList(ARTICLE_COLUMNS, "a")} FROM "ArticleVisit" av
            JOIN "Article" a ON a."id" = av."articleId" WHERE av."visitId" = p.parent) s`,
  where: "TRUE",
  params: [],
};

/** A mention's position: its article, then its offset in the article's body. */
const MENTION_POSITION = /^(\d{1,10}):(\d{1,10})$/;

const mentions: PagedList<Mention> = {
  name: "actor_mentions",
  owner: "Actor",
  sort: { field: "mentions", direction: "asc", kind: "string" },
  model: "Mention",
  columns: columnsOf("Mention"),
  source: `"Mention"`,
  where: `"actorId" = p.parent`,
  params: [],
  keys: ["articleId", "start", "id"],
  keyTypes: ["int", "int", "int"],
  cursorKeys(value, id, argument) {
    const match = MENTION_POSITION.exec(String(value));
    const [articleId, start] = [Number(match?.[1]), Number(match?.[2])];
    if (!match || articleId > 2 ** 31 - 1 || start > 2 ** 31 - 1) throw notACursor(argument);
    return [articleId, start, id];
  },
  value: (row) => `${row.articleId}:${row.start}`,
};

export const NESTED = { participations, actorAgreements, actorArticles, visitArticles, mentions };

/** The loaders of one request, per list, page, and whether the count is asked. */
const loadersOf = new WeakMap<Loaders, Map<string, DataLoader<number, Page<never>>>>();

/** Forgets the pages read so far in the request: an edit may have changed them. */
export function clearNestedPages(loaders: Loaders) {
  loadersOf.delete(loaders);
}

/**
 * The page `args` asks for of `list` under parent `parentId`: batched with the same page of the
 * same list under every other parent the query reaches, in one statement.
 */
export function nestedPage<Row extends { id: number }>(
  context: Context,
  info: GraphQLResolveInfo,
  list: PagedList<Row>,
  parentId: number,
  args: PageArgs,
): Promise<Page<Row>> {
  const page = pageRequest(args);
  const counted = selects(info, ["totalCount"]);
  let byKey = loadersOf.get(context.loaders);
  if (!byKey) {
    byKey = new Map<string, DataLoader<number, Page<never>>>();
    loadersOf.set(context.loaders, byKey);
  }
  const key = JSON.stringify([list.name, page, counted]);
  let loader = byKey.get(key) as DataLoader<number, Page<Row>> | undefined;
  if (!loader) {
    // The first parent's selection plans what is read below the nodes; the same field under
    // other parents selects the same, and anything else the loaders read.
    const nodes = selectionAt(info, ["edges", "node"]);
    loader = new DataLoader<number, Page<Row>>(async (parents) => {
      const pages = await readPages(context, list, page, {
        parents,
        counted,
        request: info,
        nodes,
        reserve: true,
      });
      return parents.map((parent) => pages.get(parent)!);
    });
    byKey.set(key, loader as DataLoader<number, Page<never>>);
  }
  return loader.load(parentId);
}
