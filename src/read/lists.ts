/**
 * Lists read in one SQL statement: a keyset page of a table, its size, and the related rows
 * the query asks for with it (an article's authors, an outcome's visit and citations), which
 * prime the request's loaders so their resolvers send no SQL. This is what PostGraphile does
 * for a whole query; here it covers the lists the frontends page through.
 */
import type { GraphQLResolveInfo } from "graphql";
import type { Context } from "../context.js";
import { counterFor, counterSum } from "./counts.js";
import { columnsOf, fromJsonRow } from "../db/rows.js";
import type {
  Prisma,
  Actor,
  ActorKind,
  Agreement,
  AgreementKind,
  Outcome,
  OutcomeCategory,
  OutcomeStatus,
  Visit,
} from "../generated/prisma/client.js";
import { NODES, type NodeType } from "../registry.js";
import type { ArticleRow } from "./loaders.js";
import {
  decodeCursor,
  encodeCursor,
  listKey,
  pageOf,
  pageRequest,
  sizeBucket,
  sortValue,
  type Page,
  type PageArgs,
  type Sort,
} from "./pagination.js";
import { planBelow, statementFor } from "./plan.js";
import { nameMatch } from "./search.js";
import { fieldsAt, selectionAt } from "./selection.js";

type Json = Record<string, unknown>;

/** A list of `Row`s: the rows of `table` that meet `where`, a condition over its columns. */
interface SqlList<Row> {
  /** Never set: it carries the type of the rows, so a list's page has its resolver's type. */
  rowType?: Row;
  table: Prisma.ModelName;
  /** The columns of a row, as its Prisma model has them. */
  columns: readonly string[];
  /**
   * A condition that may use parameters `$1` to `$n`, the values of `params`. Enum values
   * are written into it instead (`enumLiteral`): each value then has its own prepared
   * statement, planned for how common it is; and a prepared statement keeps its parameters'
   * types, so a migration that recreates an enum type (as Prisma does to drop a value) would
   * leave an enum parameter typed with a type that no longer exists.
   */
  where: string;
  params: unknown[];
  /**
   * Where the size comes from: the `ListCount` counter of that name; otherwise the filtered
   * rows are counted. `materialize` filters once for both page and count (for a costly
   * filter, such as a name search); otherwise the page walks its index and stops early.
   */
  counter?: string | null;
  materialize?: boolean;
  /**
   * A read whose cost grows with the data (a name search): it runs in the request's expensive
   * slots (src/busy.ts), so a burst of them cannot hold every pooled connection.
   */
  expensive?: boolean;
}

/** The fields the query selects on each node of a connection's page (`edges { node { … } }`). */
const nodeFields = (info: GraphQLResolveInfo): Set<string> =>
  fieldsAt(info, ["edges", "node"]) ?? new Set<string>();

/** The columns every versioned row carries for its bookkeeping, which lists rarely show. */
const BOOKKEEPING = new Set(["version", "createdAt", "updatedAt"]);

/**
 * The columns of a page's rows: all of the model's `columns`, or, when the query names none of
 * the bookkeeping columns on the page's nodes (`fields`), all but those. Two variants only, so
 * that however a client varies its selection a list has few statement texts, each prepared
 * once per connection. A page's rows stay in their page (they are never handed to the lookups
 * by id, which hold whole rows), so nothing else reads the columns left out; not reading them
 * spares Postgres building them and Node parsing and reviving their timestamps.
 */
function pageColumns(fields: Set<string>, columns: readonly string[]): string[] {
  const shown = columns.some((column) => BOOKKEEPING.has(column) && fields.has(column));
  return shown ? [...columns] : columns.filter((column) => !BOOKKEEPING.has(column));
}

/** A value of one of the schema's enums as SQL: the values are upper-case words only. */
function enumLiteral(value: string, type: string): string {
  if (!/^[A-Z][A-Z_]*$/.test(value)) throw new Error(`Not a ${type} value: ${value}`);
  return `'${value}'::"${type}"`;
}

/** A counter's name as SQL: a table, or a table, a column and an enum value. */
function counterLiteral(name: string): string {
  if (!/^[A-Za-z]+(\.[A-Za-z]+:[A-Z_]+)?$/.test(name)) throw new Error(`Not a counter: ${name}`);
  return `'${name}'`;
}

function sqlType(sort: Sort): string {
  return sort.kind === "int" ? "int" : sort.kind === "date" ? "date" : "text";
}

/**
 * One page of `list` with its size and what the query selects below its nodes (src/read/plan.ts),
 * in one statement that Postgres plans once per connection (its name is a hash of its text):
 * the keyset pager of every top-level list.
 * The cursor condition is a row comparison, `(column, id) > (value, id)`; a nullable sort
 * column puts its nulls last (see below). A backward page (`last`/`before`) reads the list's
 * reversed order from `before` and turns the rows it keeps round: a statement per direction,
 * so a list has at most 2 directions x cursor or none x 4 page sizes texts per filter and
 * selection below the nodes.
 */
export async function listPage<Row extends { id: number }>(
  { db, loaders, expensive }: Context,
  info: GraphQLResolveInfo,
  type: NodeType,
  args: PageArgs,
  sort: Sort,
  list: SqlList<Row>,
): Promise<Page<Row>> {
  if (sort.nullable && list.materialize) {
    throw new Error(`listPage cannot sort a materialised list on nullable ${sort.field}`);
  }
  const request = pageRequest(args);
  const { size, backward } = request;
  const cursor =
    request.cursor == null
      ? null
      : decodeCursor(request.cursor, type, sort, request.cursorArgument);
  // One more row than the bucket's size: whether there is a further page.
  const limit = sizeBucket(size) + 1;
  const params = [...list.params];
  const param = (value: unknown) => `$${params.push(value)}`;
  const keys = sort.field === "id" ? [`"id"`] : [`"${sort.field}"`, `"id"`];
  // The order the rows are read in: the list's, or its reverse for a backward page.
  const ascending = (sort.direction === "asc") !== backward;
  const direction = ascending ? "ASC" : "DESC";
  const beyond = ascending ? ">" : "<";
  let from = "TRUE";
  if (cursor && cursor.value !== null) {
    const value = sort.field === "id" ? [] : [`${param(cursor.value)}::${sqlType(sort)}`];
    const bound = [...value, param(cursor.id)];
    from = `(${keys.join(", ")}) ${beyond} (${bound.join(", ")})`;
  }
  const order = (table: string) => keys.map((key) => `${table}${key} ${direction}`).join(", ");
  const columns = list.columns.map((column) => `"${column}"`).join(", ");
  const source = list.materialize ? "matches" : `"${list.table}"`;
  const filter = list.materialize ? from : `(${list.where}) AND ${from}`;
  const count = list.counter
    ? counterSum(counterLiteral(list.counter))
    : list.materialize
      ? `(SELECT count(*) FROM matches)`
      : `(SELECT count(*) FROM "${list.table}" WHERE ${list.where})`;
  const below = planBelow(info, selectionAt(info, ["edges", "node"]), {
    name: "page",
    model: list.table,
    columns: list.columns,
  });
  let page = `SELECT ${columns} FROM ${source} WHERE ${filter} ORDER BY ${order("")} LIMIT ${limit}`;
  let rowOrder = order("r.");
  if (sort.nullable) {
    // Rows without a value come last, by id, whatever the direction. No index order puts them
    // there in a descending list, so the page is read in two index ranges, with and without a
    // value, and the first `limit` rows of the two taken. Read backward, the rows without a
    // value come first, and those with a value only after a cursor that has none (or none).
    const column = `"${sort.field}"`;
    const nullCursor = cursor?.value === null;
    const valued =
      nullCursor && !backward ? "FALSE" : `(${list.where}) AND ${column} IS NOT NULL AND ${from}`;
    const nulls = nullCursor
      ? `"id" ${beyond} ${param(cursor.id)}`
      : backward && cursor
        ? "FALSE"
        : "TRUE";
    rowOrder = `(r.${column} IS NULL) ${backward ? "DESC" : "ASC"}, ${rowOrder}`;
    page = `SELECT * FROM (
        (SELECT ${columns} FROM ${source} WHERE ${valued} ORDER BY ${order("")} LIMIT ${limit})
        UNION ALL
        (SELECT ${columns} FROM ${source} WHERE (${list.where}) AND ${column} IS NULL AND ${nulls}
         ORDER BY "id" ${direction} LIMIT ${limit})
      ) r ORDER BY ${rowOrder} LIMIT ${limit}`;
  }
  const text = `
    WITH ${list.materialize ? `matches AS MATERIALIZED (SELECT ${columns} FROM "${list.table}" WHERE ${list.where}),` : ""}
    page AS MATERIALIZED (${page})${below.with}
    SELECT json_build_object(
      'rows', (SELECT coalesce(json_agg(r ORDER BY ${rowOrder}), '[]') FROM page r),
      'count', ${count}${below.select}
    ) AS result`;
  const statement = statementFor(`list_${type}`, text);
  const read = () =>
    db.read<{ result: Record<string, Json[]> & { count: number } }>(statement, params);
  const [row] = await (list.expensive ? expensive.run(read) : read());
  const result = row!.result;
  const nodes = result.rows!.map((json) => fromJsonRow(json) as unknown as Row);
  below.prime(loaders, { ...(result as Record<string, Json[]>), page: nodes });
  return {
    ...pageOf(nodes, request, (node) =>
      encodeCursor(listKey(type, sort), sortValue(node, sort), node.id),
    ),
    totalCount: result.count,
  };
}

/** Articles newest first (or oldest), without their bodies. */
export function articleList(info: GraphQLResolveInfo): SqlList<ArticleRow> {
  const fields = nodeFields(info);
  return {
    table: "Article",
    columns: pageColumns(fields, columnsOf("Article", NODES.Article.omit)),
    where: "TRUE",
    params: [],
    counter: "Article",
  };
}

/** Visits, newest first (or oldest); those without a start date last. */
export function visitList(info: GraphQLResolveInfo): SqlList<Visit> {
  return {
    table: "Visit",
    columns: pageColumns(nodeFields(info), columnsOf("Visit")),
    where: "TRUE",
    params: [],
    counter: "Visit",
  };
}

/** Agreements in the order they were recorded, of one kind and with one party when asked. */
export function agreementList(
  info: GraphQLResolveInfo,
  filter: { kind?: AgreementKind | null; partyId?: number },
): SqlList<Agreement> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.kind) where.push(`"kind" = ${enumLiteral(filter.kind, "AgreementKind")}`);
  if (filter.partyId !== undefined) {
    where.push(
      `"id" IN (SELECT "agreementId" FROM "AgreementParty" WHERE "actorId" = $${params.push(filter.partyId)})`,
    );
  }
  return {
    table: "Agreement",
    columns: pageColumns(nodeFields(info), columnsOf("Agreement")),
    where: where.length ? where.join(" AND ") : "TRUE",
    params,
    counter: counterFor("Agreement", { kind: filter.kind }, filter.partyId !== undefined),
  };
}

/** Outcomes filtered by status, category and visit. */
export function outcomeList(
  info: GraphQLResolveInfo,
  filter: { status?: OutcomeStatus | null; category?: OutcomeCategory | null; visitId?: number },
): SqlList<Outcome> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.status) where.push(`"status" = ${enumLiteral(filter.status, "OutcomeStatus")}`);
  if (filter.category) {
    where.push(`"category" = ${enumLiteral(filter.category, "OutcomeCategory")}`);
  }
  if (filter.visitId !== undefined) where.push(`"visitId" = $${params.push(filter.visitId)}`);
  const fields = nodeFields(info);
  return {
    table: "Outcome",
    columns: pageColumns(fields, columnsOf("Outcome")),
    where: where.length ? where.join(" AND ") : "TRUE",
    params,
    counter: counterFor(
      "Outcome",
      { status: filter.status, category: filter.category },
      filter.visitId !== undefined,
    ),
  };
}

/**
 * The actors whose name or an alias contains `text`, ignoring case and accents, and of `kind`
 * when given. The matches stay in the database (a common name matches thousands of actors):
 * the trigram indexes find them once for both the page and the count.
 */
export function actorSearchList(
  info: GraphQLResolveInfo,
  text: string,
  kind: ActorKind | null | undefined,
): SqlList<Actor> {
  const match = nameMatch("filter.search", text);
  const fields = nodeFields(info);
  return {
    table: "Actor",
    columns: pageColumns(fields, columnsOf("Actor")),
    where: match.where + (kind ? ` AND "kind" = ${enumLiteral(kind, "ActorKind")}` : ""),
    params: [match.pattern],
    materialize: true,
    expensive: true,
  };
}

/** Actors of one kind or all. */
export function actorList(
  info: GraphQLResolveInfo,
  kind: ActorKind | null | undefined,
): SqlList<Actor> {
  const fields = nodeFields(info);
  return {
    table: "Actor",
    columns: pageColumns(fields, columnsOf("Actor")),
    where: kind ? `"kind" = ${enumLiteral(kind, "ActorKind")}` : "TRUE",
    params: [],
    counter: counterFor("Actor", { kind }, false),
  };
}
