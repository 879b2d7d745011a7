/**
 * Lists read in one SQL statement: a keyset page of a table, its size, and the related rows
 * the query asks for with it (an article's authors, an outcome's visit and citations), which
 * prime the request's loaders so their resolvers send no SQL. This is what PostGraphile does
 * for a whole query; here it covers the lists the frontends page through.
 */
import { createHash } from "node:crypto";
import {
  getDirectiveValues,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  type FieldNode,
  type GraphQLResolveInfo,
  type SelectionNode,
} from "graphql";
import { LRUCache } from "lru-cache";
import type { Context } from "./context.js";
import type { NamedStatement } from "./db/database.js";
import { counterFor, counterSum } from "./counts.js";
import { columnsOf, fromJsonRow } from "./db/rows.js";
import type {
  Actor,
  ActorAlias,
  ActorKind,
  Agreement,
  AgreementKind,
  ArticleAuthor,
  Citation,
  Outcome,
  OutcomeCategory,
  OutcomeStatus,
  Visit,
} from "./generated/prisma/client.js";
import { NODES, type NodeType } from "./registry.js";
import {
  AUTHOR_WITH_ACTOR,
  authorsWithActors,
  primeGrouped,
  type ArticleRow,
  type Loaders,
} from "./loaders.js";
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
import { nameMatch } from "./search.js";

type Json = Record<string, unknown>;

/** Related rows read with a page: a JSON value computed from the page's rows (`page`). */
interface Include {
  sql: string;
  /** Hands what was read to the loaders; `ids` are the page's row ids. */
  prime(loaders: Loaders, value: Json[], ids: number[]): void;
}

/** A list of `Row`s: the rows of `table` that meet `where`, a condition over its columns. */
interface SqlList<Row> {
  /** Never set: it carries the type of the rows, so a list's page has its resolver's type. */
  rowType?: Row;
  table: string;
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
  include?: Record<string, Include>;
}

/**
 * The names of the fields the query selects at `path` below the current field (through
 * fragments as well), e.g. `["edges", "node"]` under a connection; `null` when it does not
 * select `path` at all. A field or fragment that `@skip`/`@include` leave out is not selected,
 * as graphql-js executes it. Fragments' type conditions are not read: a field selected only
 * for another type is counted, which can only read more than is needed, never less.
 */
export function fieldsAt(info: GraphQLResolveInfo, path: readonly string[]): Set<string> | null {
  let level: readonly SelectionNode[] = info.fieldNodes.flatMap(
    (node) => node.selectionSet?.selections ?? [],
  );
  const included = (node: SelectionNode) =>
    !node.directives?.length ||
    (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if !== true &&
      getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false);
  const namesOf = (selections: readonly SelectionNode[], each: (field: FieldNode) => void) => {
    for (const selection of selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) each(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        namesOf(selection.selectionSet.selections, each);
      } else {
        namesOf(info.fragments[selection.name.value]?.selectionSet.selections ?? [], each);
      }
    }
  };
  for (const name of path) {
    const next: SelectionNode[] = [];
    let found = false;
    namesOf(level, (field) => {
      if (field.name.value !== name) return;
      found = true;
      next.push(...(field.selectionSet?.selections ?? []));
    });
    if (!found) return null;
    level = next;
  }
  const names = new Set<string>();
  namesOf(level, (field) => names.add(field.name.value));
  return names;
}

/**
 * Whether the query selects `path` below the current field (through fragments as well), e.g.
 * `["edges", "node", "authors"]` under a connection.
 */
export function selects(info: GraphQLResolveInfo, path: string[]): boolean {
  return fieldsAt(info, path.slice(0, -1))?.has(path.at(-1)!) ?? false;
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
 * The named statement for `text`: the same name for the same text (a hash of it). A memo of
 * the most recent texts (a text is hashed once, not per request), bounded like each
 * connection's prepared statements (src/db/database.ts): a name that falls out is computed
 * again, the same.
 */
const statements = new LRUCache<string, NamedStatement>({ max: 100 });
function statementFor(type: NodeType, text: string): NamedStatement {
  let statement = statements.get(text);
  if (!statement) {
    const hash = createHash("sha1").update(text).digest("hex").slice(0, 12);
    statement = { name: `list_${type}_${hash}`, text };
    statements.set(text, statement);
  }
  return statement;
}

/**
 * One page of `list` with its size and includes, in one statement that Postgres plans once
 * per connection (its name is a hash of its text): the keyset pager of every top-level list.
 * The cursor condition is a row comparison, `(column, id) > (value, id)`; a nullable sort
 * column puts its nulls last (see below). A backward page (`last`/`before`) reads the list's
 * reversed order from `before` and turns the rows it keeps round: a statement per direction,
 * so a list has at most 2 directions x cursor or none x 4 page sizes texts per filter and
 * includes asked for.
 */
export async function listPage<Row extends { id: number }>(
  { db, loaders, expensive }: Context,
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
  const includes = Object.entries(list.include ?? {});
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
    page AS MATERIALIZED (${page})
    SELECT json_build_object(
      'rows', (SELECT coalesce(json_agg(r ORDER BY ${rowOrder}), '[]') FROM page r),
      'count', ${count}${includes.map(([name, include]) => `,\n      '${name}', (${include.sql})`).join("")}
    ) AS result`;
  const statement = statementFor(type, text);
  const read = () =>
    db.read<{ result: Record<string, Json[]> & { count: number } }>(statement, params);
  const [row] = await (list.expensive ? expensive.run(read) : read());
  const result = row!.result;
  const nodes = result.rows!.map((json) => fromJsonRow(json) as unknown as Row);
  const ids = nodes.map((node) => node.id);
  for (const [key, include] of includes) {
    include.prime(loaders, (result[key] ?? []).map(fromJsonRow), ids);
  }
  return {
    ...pageOf(nodes, request, (node) =>
      encodeCursor(listKey(type, sort), sortValue(node, sort), node.id),
    ),
    totalCount: result.count,
  };
}

/** `json_agg` of `select`'s rows, or `[]`. */
const jsonRows = (select: string, alias: string, order: string) =>
  `SELECT coalesce(json_agg(${alias} ORDER BY ${order}), '[]') FROM (${select}) ${alias}`;

const includeAliases: Include = {
  sql: jsonRows(
    `SELECT a.* FROM page p CROSS JOIN LATERAL (SELECT * FROM "ActorAlias" WHERE "actorId" = p."id") a`,
    "a",
    `a."id"`,
  ),
  prime: (loaders, rows, ids) =>
    primeGrouped(loaders.aliasesOfActor, ids, rows as unknown as ActorAlias[], (a) => a.actorId),
};

/** Articles newest first (or oldest), without their bodies, with their authors when asked. */
export function articleList(info: GraphQLResolveInfo): SqlList<ArticleRow> {
  const fields = nodeFields(info);
  return {
    table: "Article",
    columns: pageColumns(fields, columnsOf("Article", NODES.Article.omit)),
    where: "TRUE",
    params: [],
    counter: "Article",
    include: fields.has("authors")
      ? {
          authors: {
            sql: `SELECT coalesce(json_agg(${AUTHOR_WITH_ACTOR} ORDER BY au."articleId", au."position"), '[]')
                  FROM page p
                  CROSS JOIN LATERAL (SELECT * FROM "ArticleAuthor" WHERE "articleId" = p."id") au
                  JOIN "Actor" ac ON ac."id" = au."actorId"`,
            prime(loaders, rows, ids) {
              const pairs = rows as unknown as { author: ArticleAuthor; actor: Json }[];
              const authors = authorsWithActors(pairs, loaders.byId.Actor);
              primeGrouped(loaders.authorsOfArticle, ids, authors, (a) => a.articleId);
            },
          },
        }
      : {},
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

/** Outcomes filtered by status, category and visit, with their visits and citations when asked. */
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
  const include: Record<string, Include> = {};
  if (fields.has("visit")) {
    include.visits = {
      sql: jsonRows(
        `SELECT * FROM "Visit" WHERE "id" IN (SELECT "visitId" FROM page)`,
        "v",
        `v."id"`,
      ),
      prime: (loaders, rows) => {
        for (const visit of rows as unknown as Visit[]) loaders.byId.Visit.prime(visit.id, visit);
      },
    };
  }
  if (fields.has("citations")) {
    include.citations = {
      sql: jsonRows(
        `SELECT c.* FROM page p CROSS JOIN LATERAL (SELECT * FROM "Citation" WHERE "outcomeId" = p."id") c`,
        "c",
        `c."start", c."id"`,
      ),
      prime: (loaders, rows, ids) => {
        const citations = rows as unknown as Citation[];
        for (const citation of citations) loaders.byId.Citation.prime(citation.id, citation);
        primeGrouped(loaders.citationsOfOutcome, ids, citations, (c) => c.outcomeId);
      },
    };
  }
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
    include,
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
    include: fields.has("aliases") ? { aliases: includeAliases } : {},
  };
}

/** Actors of one kind or all, with their aliases when asked. */
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
    include: fields.has("aliases") ? { aliases: includeAliases } : {},
  };
}
