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
import type { NamedStatement } from "../db/database.js";
import { columnList, columnsOf, fromJsonRow } from "../db/rows.js";
import type { Agreement, Mention, VisitParticipant } from "../generated/prisma/client.js";
import { NODES, type NodeType } from "../registry.js";
import type { ArticleRow, Loaders } from "./loaders.js";
import { selects } from "./selection.js";
import { reserveRows } from "../response-size.js";
import {
  decodeCursor,
  encodeCursor,
  listKey,
  notACursor,
  pageOf,
  pageRequest,
  type Page,
  type PageRequest,
  type PageArgs,
  type Sort,
} from "./pagination.js";

/** How a nested list is read and ordered. */
interface NestedList<Row extends { id: number }> {
  /** Part of its statements' names: `nested_<name>_...`. */
  name: string;
  /** The parent type and the list's field: cursors of one list are refused by another. */
  parent: NodeType;
  sort: Sort;
  /** The rows of parent `p.parent`, with the columns `columns` and the keys of `order`. */
  source: string;
  columns: string;
  /** The order, as column expressions of the source's rows `s`; the last one is unique. */
  order: string[];
  /**
   * The cursor condition's right-hand side, for the cursor's sort value and id; a value this
   * list never gives is refused naming `argument` (`after` or `before`).
   */
  after(value: string | number | null, id: number, argument: string): unknown[];
  /** The cursor's sort value of a row. */
  value(row: Row): string | number;
  /** Hands the rows read to the request's lookups by id. */
  prime?(loaders: Loaders, rows: Row[]): void;
}

const ARTICLE_COLUMNS = columnList(columnsOf("Article", NODES.Article.omit), "a");

const isoDate = (date: Date) => date.toISOString().slice(0, 10);

const newestFirst: Pick<NestedList<ArticleRow>, "order" | "after" | "value" | "prime"> = {
  order: [`s."publishedOn"`, `s."id"`],
  after: (value, id) => [value, id],
  value: (row) => isoDate(row.publishedOn),
  prime: (loaders, rows) => {
    for (const row of rows) loaders.byId.Article.prime(row.id, row);
  },
};

/** A list of whole rows in id order. */
const byId: Pick<NestedList<{ id: number }>, "columns" | "order" | "after" | "value"> = {
  columns: "s.*",
  order: [`s."id"`],
  after: (_value, id) => [id],
  value: (row) => row.id,
};

const participations: NestedList<VisitParticipant> = {
  name: "actor_participations",
  parent: "Actor",
  sort: { field: "participations", direction: "asc", kind: "int" },
  source: `SELECT * FROM "VisitParticipant" WHERE "actorId" = p.parent`,
  ...byId,
};

const actorAgreements: NestedList<Agreement> = {
  name: "actor_agreements",
  parent: "Actor",
  sort: { field: "agreements", direction: "asc", kind: "int" },
  source: `SELECT g.* FROM "AgreementParty" ap JOIN "Agreement" g ON g."id" = ap."agreementId"
           WHERE ap."actorId" = p.parent`,
  ...byId,
  prime: (loaders, rows) => {
    for (const row of rows) loaders.byId.Agreement.prime(row.id, row);
  },
};

const actorArticles: NestedList<ArticleRow> = {
  name: "actor_articles",
  parent: "Actor",
  sort: { field: "articles", direction: "desc", kind: "date" },
  // Written or published by the actor, each article once; a UNION so that each side is an
  // index lookup (an OR across the two would scan every article).
  source: `SELECT ${ARTICLE_COLUMNS} FROM "Article" a
           WHERE a."id" IN (SELECT "articleId" FROM "ArticleAuthor" WHERE "actorId" = p.parent
                            UNION SELECT "id" FROM "Article" WHERE "publisherId" = p.parent)`,
  columns: "s.*",
  ...newestFirst,
};

const visitArticles: NestedList<ArticleRow> = {
  name: "visit_articles",
  parent: "Visit",
  sort: { field: "articles", direction: "desc", kind: "date" },
  source: `SELECT ${ARTICLE_COLUMNS} FROM "ArticleVisit" av JOIN "Article" a ON a."id" = av."articleId"
           WHERE av."visitId" = p.parent`,
  columns: "s.*",
  ...newestFirst,
};

/** A mention's position: its article, then its offset in the article's body. */
const MENTION_POSITION = /^(\d{1,10}):(\d{1,10})$/;

const mentions: NestedList<Mention> = {
  name: "actor_mentions",
  parent: "Actor",
  sort: { field: "mentions", direction: "asc", kind: "string" },
  source: `SELECT * FROM "Mention" WHERE "actorId" = p.parent`,
  columns: "s.*",
  order: [`s."articleId"`, `s."start"`, `s."id"`],
  after(value, id, argument) {
    const match = MENTION_POSITION.exec(String(value));
    const [articleId, start] = [Number(match?.[1]), Number(match?.[2])];
    if (!match || articleId > 2 ** 31 - 1 || start > 2 ** 31 - 1) throw notACursor(argument);
    return [articleId, start, id];
  },
  value: (row) => `${row.articleId}:${row.start}`,
  prime: (loaders, rows) => {
    for (const row of rows) loaders.byId.Mention.prime(row.id, row);
  },
};

export const NESTED = { participations, actorAgreements, actorArticles, visitArticles, mentions };

/** SQL types of the cursor condition's parameters. */
function cursorTypes<Row extends { id: number }>(list: NestedList<Row>): string[] {
  if (list.sort.kind === "date") return ["date", "int"];
  return list.order.map(() => "int");
}

const statements = new Map<string, NamedStatement>();

/**
 * The statement of one page per parent: `$1` the parents, `$2` the rows to read per parent
 * (page size + 1, to tell whether more follow), then the cursor's keys. A backward page reads
 * the reversed order from its cursor. Eight texts per list (forward or backward, with or
 * without a cursor, with or without the count), so a bounded number of prepared statements
 * whatever the page sizes asked for.
 */
function statementFor<Row extends { id: number }>(
  list: NestedList<Row>,
  backward: boolean,
  withCursor: boolean,
  withCount: boolean,
) {
  const start = backward ? (withCursor ? "before" : "last") : withCursor ? "after" : "first";
  const name = `nested_${list.name}_${start}_${withCount ? "count" : "rows"}`;
  let statement = statements.get(name);
  if (!statement) {
    const direction = (list.sort.direction === "asc") !== backward ? "ASC" : "DESC";
    const keys = list.order.join(", ");
    const bound = cursorTypes(list).map((type, i) => `$${i + 3}::${type}`);
    const after = withCursor
      ? `WHERE (${keys}) ${direction === "ASC" ? ">" : "<"} (${bound.join(", ")})`
      : "";
    const order = list.order.map((key) => `${key} ${direction}`).join(", ");
    const rowOrder = list.order
      .map((key) => `${key.replace(/^s\./, "r.")} ${direction}`)
      .join(", ");
    const text = `
      SELECT p.parent,
        (SELECT coalesce(json_agg(r ORDER BY ${rowOrder}), '[]')
         FROM (SELECT ${list.columns} FROM (${list.source}) s ${after} ORDER BY ${order} LIMIT $2) r
        ) AS rows${withCount ? `,\n        (SELECT count(*)::int FROM (${list.source}) s) AS count` : ""}
      FROM unnest($1::int[]) AS p(parent)`;
    statement = { name, text };
    statements.set(name, statement);
  }
  return statement;
}

/** The loaders of one request, per list, page size, cursor and whether the count is asked. */
const loadersOf = new WeakMap<Loaders, Map<string, DataLoader<number, Page<never>>>>();

function pageLoader<Row extends { id: number }>(
  { db, loaders, responseBudget }: Context,
  list: NestedList<Row>,
  request: PageRequest,
  cursor: { value: string | number | null; id: number } | null,
  withCount: boolean,
): DataLoader<number, Page<Row>> {
  const { size, backward } = request;
  let byKey = loadersOf.get(loaders);
  if (!byKey) loadersOf.set(loaders, (byKey = new Map<string, DataLoader<number, Page<never>>>()));
  const key = JSON.stringify([list.name, size, backward, cursor, withCount]);
  let loader = byKey.get(key) as DataLoader<number, Page<Row>> | undefined;
  if (!loader) {
    const bound = cursor ? list.after(cursor.value, cursor.id, request.cursorArgument) : [];
    const statement = statementFor(list, backward, cursor !== null, withCount);
    loader = new DataLoader<number, Page<Row>>(async (parents) => {
      // Every parent's page may be full: refused before reading if that cannot fit the
      // response, so a query fanning out over thousands of parents reads nothing.
      const tooMany = reserveRows(responseBudget, parents.length * size);
      if (tooMany) throw tooMany;
      const results = await db.read<{
        parent: number;
        rows: Record<string, unknown>[];
        count?: number;
      }>(statement, [[...parents], size + 1, ...bound]);
      const pages = new Map<number, Page<Row>>();
      for (const result of results) {
        const rows = result.rows.map((row) => fromJsonRow(row) as unknown as Row);
        list.prime?.(loaders, rows);
        pages.set(result.parent, {
          ...pageOf(rows, request, (node) =>
            encodeCursor(listKey(list.parent, list.sort), list.value(node), node.id),
          ),
          // Not selected: the field is never read.
          totalCount: result.count ?? 0,
        });
      }
      return parents.map((parent) => pages.get(parent)!);
    });
    byKey.set(key, loader as DataLoader<number, Page<never>>);
  }
  return loader;
}

/** Forgets the pages read so far in the request: an edit may have changed them. */
export function clearNestedPages(loaders: Loaders) {
  loadersOf.delete(loaders);
}

/** The page `args` asks for of `list` under parent `parentId`. */
export function nestedPage<Row extends { id: number }>(
  context: Context,
  info: GraphQLResolveInfo,
  list: NestedList<Row>,
  parentId: number,
  args: PageArgs,
): Promise<Page<Row>> {
  const request = pageRequest(args);
  const cursor =
    request.cursor == null
      ? null
      : decodeCursor(request.cursor, list.parent, list.sort, request.cursorArgument);
  return pageLoader(context, list, request, cursor, selects(info, ["totalCount"])).load(parentId);
}
