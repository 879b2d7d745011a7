/**
 * The keyset pager of every connection: a top-level list (`articles`) and a list below an object
 * (`actor.mentions`) read their pages, sizes and what the query selects below their nodes the
 * same way, in one statement. Below an object, the statement reads the page of every parent the
 * query reached at once (src/read/nested.ts batches them), each parent's page an index range
 * with its own LIMIT; a top-level list is the same statement with one parent.
 *
 * The cursor condition is a row comparison, `(column, id) > (value, id)`; a nullable first key
 * puts its nulls last (see `pageSql`). A backward page (`last`/`before`) reads the list's
 * reversed order from `before` and turns the rows it keeps round. Statement texts per list: 2
 * directions x cursor or none x 4 page sizes x count or none, per filter and selection below the
 * nodes; each is prepared once per connection (its name is a hash of its text).
 */
import type { Context } from "../context.js";
import { columnList, columnsOf, fromJsonRow } from "../db/rows.js";
import type { Prisma } from "../generated/prisma/client.js";
import { NODES, type NodeType } from "../registry.js";
import { reserveRows } from "../response-size.js";
import { counterSum } from "./counts.js";
import {
  decodeCursor,
  encodeCursor,
  listKey,
  pageOf,
  sizeBucket,
  sortValue,
  type Page,
  type PageRequest,
  type Sort,
} from "./pagination.js";
import { planBelow, statementFor } from "./plan.js";
import type { Request, Selection } from "./selection.js";

type Row = Record<string, unknown>;
type SortValue = string | number | null;

/** How a connection's rows are found, ordered, counted and given cursors. */
export interface PagedList<R extends { id: number } = { id: number }> {
  /** Never set: it carries the type of the rows, so a page has its resolver's type. */
  rowType?: R;
  /** Part of the statement's name. */
  name: string;
  /** The type a cursor names with `sort` (`listKey`): a cursor of one list is refused by another. */
  owner: NodeType;
  sort: Sort;
  /** The model of the rows, and the columns read of each. */
  model: Prisma.ModelName;
  columns: readonly string[];
  /**
   * The rows, as a FROM item (a table, or a subquery with the model's columns), and a condition
   * over them. Below an object both may use `p.parent`, the parent's id. The condition may use
   * parameters `$1` to `$n`, the values of `params`.
   */
  source: string;
  where: string;
  params: readonly unknown[];
  /** The order, as columns of the rows, the last one unique (`"publishedOn", "id"`), and their SQL types. */
  keys: readonly string[];
  keyTypes: readonly string[];
  /** A cursor's keys from its sort value and id; throws for a value this list never gives. */
  cursorKeys?(value: SortValue, id: number, argument: string): unknown[];
  /** A row's sort value in its cursor (default: its `sort.field` column). */
  value?(row: R): SortValue;
  /**
   * Where the size comes from: the `ListCount` counter of that name; otherwise the rows are
   * counted. `materialize` filters once for both page and count (a costly filter, such as a name
   * search; top-level lists only); otherwise the page walks its index and stops early.
   */
  counter?: string | null;
  materialize?: boolean;
  /**
   * A read whose cost grows with the data (a name search): it runs in the request's expensive
   * slots (src/busy.ts), so a burst of them cannot hold every pooled connection.
   */
  expensive?: boolean;
}

/** What one read of pages asks for besides the list and the page. */
export interface PageRead {
  /** The parents' ids; `null` for a top-level list. */
  parents: readonly number[] | null;
  counted: boolean;
  /** The selection on each node (`edges { node { … } }`), planned into the statement. */
  request: Request;
  nodes: Selection | null;
  /** Whether every parent's page, full, must first fit the response (src/response-size.ts). */
  reserve: boolean;
}

/** The SQL of one page of `list` under `p.parent`, and the order its rows are returned in. */
function pageSql(
  list: PagedList,
  page: PageRequest,
  bound: string[] | null,
  nullCursor: { id: string } | null,
) {
  const { backward } = page;
  const limit = sizeBucket(page.size) + 1;
  const ascending = (list.sort.direction === "asc") !== backward;
  const direction = ascending ? "ASC" : "DESC";
  const beyond = ascending ? ">" : "<";
  const keys = list.keys.map((key) => `"${key}"`);
  const order = (alias: string) => keys.map((key) => `${alias}${key} ${direction}`).join(", ");
  const from = bound ? `(${keys.join(", ")}) ${beyond} (${bound.join(", ")})` : "TRUE";
  const columns = columnList(list.columns);
  const source = list.materialize ? "matches" : list.source;
  const where = list.materialize ? "TRUE" : `(${list.where})`;
  if (!list.sort.nullable) {
    const sql = `SELECT ${columns} FROM ${source} WHERE ${where} AND ${from} ORDER BY ${order("")} LIMIT ${limit}`;
    return { sql, rowOrder: order("r.") };
  }
  // Rows without a value come last, by id, whatever the direction. No index order puts them
  // there in a descending list, so the page is read in two index ranges, with and without a
  // value, and the first `limit` rows of the two taken. Read backward, the rows without a
  // value come first, and those with a value only after a cursor that has none (or none).
  const column = keys[0]!;
  const valued =
    nullCursor && !backward ? "FALSE" : `${where} AND ${column} IS NOT NULL AND ${from}`;
  const nulls = nullCursor
    ? `"id" ${beyond} ${nullCursor.id}`
    : backward && bound
      ? "FALSE"
      : "TRUE";
  const rowOrder = `(r.${column} IS NULL) ${backward ? "DESC" : "ASC"}, ${order("r.")}`;
  const sql = `SELECT * FROM (
      (SELECT ${columns} FROM ${source} WHERE ${valued} ORDER BY ${order("")} LIMIT ${limit})
      UNION ALL
      (SELECT ${columns} FROM ${source} WHERE ${where} AND ${column} IS NULL AND ${nulls}
       ORDER BY "id" ${direction} LIMIT ${limit})
    ) r ORDER BY ${rowOrder} LIMIT ${limit}`;
  return { sql, rowOrder };
}

/** The cursor's keys of `list` from `after` or `before`, refused when another list gave it. */
function cursorOf(list: PagedList, page: PageRequest) {
  if (page.cursor == null) return null;
  const { value, id } = decodeCursor(page.cursor, list.owner, list.sort, page.cursorArgument);
  return { value, id, keys: list.cursorKeys?.(value, id, page.cursorArgument) ?? [value, id] };
}

/** Whether rows of `list` are whole rows of a `Node` type, which the lookups by id may hold. */
function wholeNodeRows(list: PagedList): NodeType | null {
  const entry = Object.entries(NODES).find(([, node]) => node.model === list.model);
  if (!entry) return null;
  const [type, node] = entry as [NodeType, { omit?: readonly string[] }];
  return list.columns.length === columnsOf(list.model, node.omit).length ? type : null;
}

/**
 * The page `page` asks for of `list`, under each of `read.parents` (or the one top-level page,
 * under key 0), with its size when `read.counted`, in one statement.
 */
export async function readPages<R extends { id: number }>(
  { db, loaders, expensive, responseBudget }: Context,
  list: PagedList<R>,
  page: PageRequest,
  read: PageRead,
): Promise<Map<number, Page<R>>> {
  if (list.sort.nullable && list.materialize) {
    throw new Error(`The list ${list.name} cannot sort a materialised list on a nullable column`);
  }
  const cursor = cursorOf(list, page);
  const parents = read.parents ?? [0];
  if (read.reserve) {
    // Every parent's page may be full: refused before reading if that cannot fit the
    // response, so a query fanning out over thousands of parents reads nothing.
    const tooMany = reserveRows(responseBudget, parents.length * page.size);
    if (tooMany) throw tooMany;
  }
  const params = [...list.params];
  const param = (value: unknown) => `$${params.push(value)}`;
  const parentsParam = `${param(parents)}::int[]`;
  const valued = cursor && cursor.value !== null;
  const bound = valued ? cursor.keys.map((key, i) => `${param(key)}::${list.keyTypes[i]!}`) : null;
  const nullCursor = cursor && cursor.value === null ? { id: `${param(cursor.id)}::int` } : null;
  const { sql, rowOrder } = pageSql(list, page, bound, nullCursor);
  const below = planBelow(read.request, read.nodes, {
    name: "page",
    model: list.model,
    columns: list.columns,
  });
  const count = !read.counted
    ? "NULL"
    : list.counter
      ? counterSum(`'${list.counter}'`)
      : list.materialize
        ? `(SELECT count(*)::int FROM matches)`
        : `(SELECT count(*)::int FROM ${list.source} WHERE ${list.where})`;
  const text = `WITH ${list.materialize ? `matches AS MATERIALIZED (SELECT ${columnList(list.columns)} FROM ${list.source} WHERE ${list.where}),` : ""}
page AS MATERIALIZED (
  SELECT p.parent AS "@parent", r.* FROM unnest(${parentsParam}) p(parent) CROSS JOIN LATERAL (${sql}) r
)${below.with}
SELECT json_build_object('pages', (
  SELECT json_agg(json_build_object(
    'parent', p.parent,
    'count', ${count},
    'rows', (SELECT coalesce(json_agg(r ORDER BY ${rowOrder}), '[]') FROM page r WHERE r."@parent" = p.parent)
  )) FROM unnest(${parentsParam}) p(parent)
)${below.select}) AS result`;
  const statement = statementFor(`list_${list.name}`, text);
  const readAll = () =>
    db.read<{ result: { pages: { parent: number; count: number | null; rows: Row[] }[] } }>(
      statement,
      params,
    );
  const [row] = await (list.expensive ? expensive.run(readAll) : readAll());
  const { pages: found, ...sets } = row!.result;
  const node = wholeNodeRows(list);
  const all: Row[] = [];
  const pages = new Map<number, Page<R>>();
  const value = (node: R) => (list.value ? list.value(node) : sortValue(node, list.sort));
  for (const { parent, count, rows } of found) {
    for (const row of rows) {
      delete row["@parent"];
      fromJsonRow(row);
      all.push(row);
      if (node)
        (loaders.byId[node] as { prime(id: number, row: Row): unknown }).prime(
          row.id as number,
          row,
        );
    }
    const nodes = rows as unknown as R[];
    pages.set(parent, {
      ...pageOf(nodes, page, (node) =>
        encodeCursor(listKey(list.owner, list.sort), value(node), node.id),
      ),
      // Not selected: the field is never read.
      totalCount: count ?? 0,
    });
  }
  below.prime(loaders, { ...(sets as unknown as Record<string, Row[]>), page: all });
  return pages;
}
