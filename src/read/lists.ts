/**
 * Lists read in one SQL statement: a keyset page of a table, its size, and the related rows
 * the query asks for with it (an article's authors, an outcome's visit and citations), which
 * prime the request's loaders so their resolvers send no SQL. This is what PostGraphile does
 * for a whole query; here it covers the lists the frontends page through.
 */
import type { GraphQLResolveInfo } from "graphql";
import type { Context } from "../context.js";
import { counterFor } from "./counts.js";
import { columnsOf } from "../db/rows.js";
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
import { pageRequest, type Page, type PageArgs, type Sort } from "./pagination.js";
import { nameMatch } from "./search.js";
import { fieldsAt, selectionAt, selects } from "./selection.js";
import { readPages, type PagedList } from "./pager.js";

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

/** A counter's name, checked to be one that can be written into SQL: a table, or a table, a column and an enum value. */
function counterLiteral(name: string): string {
  if (!/^[A-Za-z]+(\.[A-Za-z]+:[A-Z_]+)?$/.test(name)) throw new Error(`Not a counter: ${name}`);
  return name;
}

function sqlType(sort: Sort): string {
  return sort.kind === "int" ? "int" : sort.kind === "date" ? "date" : "text";
}

/**
 * The page `args` asks for of the top-level list `list` of `type`, in the order `sort`, with its
 * size and what the query selects below its nodes: one statement (src/read/pager.ts).
 */
export async function listPage<Row extends { id: number }>(
  context: Context,
  info: GraphQLResolveInfo,
  type: NodeType,
  args: PageArgs,
  sort: Sort,
  list: SqlList<Row>,
): Promise<Page<Row>> {
  const byId = sort.field === "id";
  const paged: PagedList<Row> = {
    name: type,
    owner: type,
    sort,
    model: list.table,
    columns: list.columns,
    source: `"${list.table}"`,
    where: list.where,
    params: list.params,
    keys: byId ? ["id"] : [sort.field, "id"],
    keyTypes: byId ? ["int"] : [sqlType(sort), "int"],
    cursorKeys: byId ? (_value, id) => [id] : undefined,
    counter: list.counter && counterLiteral(list.counter),
    materialize: list.materialize,
    expensive: list.expensive,
  };
  const pages = await readPages(context, paged, pageRequest(args), {
    parents: null,
    counted: selects(info, ["totalCount"]),
    request: info,
    nodes: selectionAt(info, ["edges", "node"]),
    reserve: false,
  });
  return pages.get(0)!;
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
