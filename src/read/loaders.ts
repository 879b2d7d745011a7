/**
 * Per-request batching: every lookup by key goes through a DataLoader, so a query sends one
 * SQL statement per kind of lookup, however many objects it returns (no N+1).
 */
import DataLoader from "dataloader";

/**
 * A DataLoader that also answers at once what the request already holds: rows read with
 * their parent (an article's page, a list's includes) or by an earlier batch. A resolver that
 * returns a value instead of a promise lets graphql-js complete the field, and the object
 * holding it, without a promise each: on the article page, most of the time the execution
 * took once everything was read.
 */
export class Lookup<K, V> extends DataLoader<K, V> {
  private readonly known: Map<K, V>;
  /** Raised by every clear: a batch that began before it keeps its rows to itself. */
  private readonly cleared: { count: number };

  constructor(batch: (keys: readonly K[]) => Promise<V[]>) {
    const known = new Map<K, V>();
    const cleared = { count: 0 };
    super(async (keys) => {
      const began = cleared.count;
      const values = await batch(keys);
      // Rows read before a clear (an edit's, say) may be stale: they answer this batch's own
      // loads, and are not held for later ones.
      if (cleared.count === began) keys.forEach((key, i) => known.set(key, values[i]!));
      return values;
    });
    this.known = known;
    this.cleared = cleared;
  }

  /** The value for `key`: itself when this request holds it, else a promise of it. */
  get(key: K): V | Promise<V> {
    return this.known.has(key) ? this.known.get(key)! : this.load(key);
  }

  /** The values for `keys`, in order: an array when all are held, else a promise of one. */
  getAll(keys: readonly K[]): V[] | Promise<V[]> {
    const values: V[] = [];
    for (const key of keys) {
      if (!this.known.has(key)) return Promise.all(keys.map((k) => this.load(k)));
      values.push(this.known.get(key)!);
    }
    return values;
  }

  /** As DataLoader's: a key already held keeps its value. */
  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    const settled =
      !(value instanceof Error) && typeof (value as PromiseLike<V>)?.then !== "function";
    if (settled && !this.known.has(key)) this.known.set(key, value as V);
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.cleared.count++;
    this.known.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.cleared.count++;
    this.known.clear();
    return super.clearAll();
  }
}
import type { Database, NamedStatement } from "../db/database.js";
import { columnList, columnsOf, fromJsonRow, orderOf } from "../db/rows.js";
import type { ResolversParentTypes } from "../generated/graphql.js";
import { NODE_TYPES, NODES, type NodeType } from "../registry.js";
import type { Article, ArticleSource, Prisma } from "../generated/prisma/client.js";
import { RELATIONS, type Relation, type RelationName, type RelationRows } from "./relations.js";

type Row = Record<string, unknown>;

/** Loads rows by their unique key; a missing key gives `null`. */
function unique<K, Row>(load: (keys: K[]) => Promise<Row[]>, keyOf: (row: Row) => K) {
  return new Lookup<K, Row | null>(async (keys) => {
    const byKey = new Map((await load([...keys])).map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** Loads the rows that belong to each key, in the order the query returns them. */
function grouped<K, Row>(load: (keys: K[]) => Promise<Row[]>, keyOf: (row: Row) => K) {
  return new Lookup<K, Row[]>(async (keys) => {
    const groups = new Map<K, Row[]>(keys.map((key) => [key, []]));
    for (const row of await load([...keys])) groups.get(keyOf(row))?.push(row);
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/**
 * An article as lists and lookups load it: without its body (about 10 kB), which only the
 * article's own page needs. `body` is there when the row was loaded with it; otherwise the
 * `articleBody` loader reads it.
 */
export type ArticleRow = Omit<Article, "body"> & { body?: string };

/** A `Node` type's row as its resolvers receive it (codegen's mapper for the type). */
export type NodeRow<T extends NodeType> = ResolversParentTypes[T];

type NodeLoaders = { [T in NodeType]: Lookup<number, NodeRow<T> | null> };

/** Each relation's loader (src/read/relations.ts): its rows per parent id. */
type RelationLoaders = { [L in RelationName]: Lookup<number, RelationRows<L>> };

/**
 * A statement reading rows of `model` as JSON (revived by `fromJsonRow`, as every page's rows
 * are), where `column` is one of the keys in `$1`, in the order `order` then id.
 */
function rowsWhere(
  name: string,
  model: Prisma.ModelName,
  column: string,
  keyType: "int" | "text",
  order: readonly string[] = [],
  omit: readonly string[] = [],
): NamedStatement {
  const by = orderOf(model, order, "r");
  const text = `SELECT row_to_json(r) AS row FROM (
      SELECT ${columnList(columnsOf(model, omit))} FROM "${model}" WHERE "${column}" = ANY($1::${keyType}[])
    ) r${by ? ` ORDER BY ${by}` : ""}`;
  return { name, text };
}

/** Rows of `statement` for `keys`, revived. */
const readRows =
  <K, Row>(db: Database, statement: NamedStatement) =>
  async (keys: K[]): Promise<Row[]> =>
    (await db.read<{ row: Record<string, unknown> }>(statement, [keys])).map(
      ({ row }) => fromJsonRow(row) as Row,
    );

/** Each `Node` type's statement by id, from its registry entry (src/registry.ts). */
const BY_ID = NODE_TYPES.map((type) => {
  const entry: { model: Prisma.ModelName; omit?: readonly string[] } = NODES[type];
  return [type, rowsWhere(`by_id_${type}`, entry.model, "id", "int", [], entry.omit)] as const;
});

/**
 * Each relation's statement: its rows for the parents in `$1`, in its order; with a target, each
 * row with the object it names (`target`), so a list of links costs one statement, not two.
 */
const BY_RELATION = (Object.entries(RELATIONS) as [RelationName, Relation][]).map(
  ([name, relation]) => {
    const rows = rowsWhere(`relation_${name}`, relation.model, relation.parent, "int", [
      relation.order,
    ]);
    const target = relation.target;
    if (!target) return [name, rows, relation] as const;
    const { model, omit } = NODES[target.type] as { model: Prisma.ModelName; omit?: string[] };
    const text = `SELECT row_to_json(r) AS row, row_to_json(t) AS target FROM (
        SELECT ${columnList(columnsOf(relation.model))} FROM "${relation.model}"
        WHERE "${relation.parent}" = ANY($1::int[])
      ) r JOIN (SELECT ${columnList(columnsOf(model, omit))} FROM "${model}") t
        ON t."id" = r."${target.column}"
      ORDER BY ${orderOf(relation.model, [relation.order], "r")}`;
    return [name, { name: rows.name, text }, relation] as const;
  },
);

const BY_SLUG = rowsWhere("article_by_slug", "Article", "slug", "text", [], NODES.Article.omit);
const BODIES: NamedStatement = {
  name: "article_bodies",
  text: `SELECT "id", "body" FROM "Article" WHERE "id" = ANY($1::int[])`,
};
const SOURCES = rowsWhere("article_sources", "ArticleSource", "articleId", "int");

const rowId = (row: Record<string, unknown>) => row.id as number;

/** One loader per `Node` type, by row id. */
function nodeLoaders(db: Database): NodeLoaders {
  const loaders: Record<string, unknown> = {};
  for (const [type, statement] of BY_ID) loaders[type] = unique(readRows(db, statement), rowId);
  return loaders as NodeLoaders;
}

function relationLoaders(db: Database, nodes: NodeLoaders): RelationLoaders {
  const loaders: Record<string, unknown> = {};
  for (const [name, statement, relation] of BY_RELATION) {
    const target = relation.target && nodes[relation.target.type];
    const read = async (keys: number[]) => {
      const rows = await db.read<{ row: Row; target?: Row }>(statement, [keys]);
      return rows.map((found) => {
        if (target && found.target) {
          const object = fromJsonRow(found.target);
          target.prime(object.id as number, object as never);
        }
        return fromJsonRow(found.row);
      });
    };
    loaders[name] = grouped(read, (row) => row[relation.parent] as number);
  }
  return loaders as RelationLoaders;
}

export function createLoaders(db: Database) {
  const nodes = nodeLoaders(db);
  return {
    /** Each `Node` type's rows by id: `loaders.byId.Visit.load(7)`. */
    byId: nodes,
    articleBySlug: unique<string, ArticleRow>(readRows(db, BY_SLUG), (row) => row.slug),
    articleBody: unique<number, { id: number; body: string }>(
      (ids) => db.read(BODIES, [ids]),
      (row) => row.id,
    ),
    /** An imported article's source (up to 1,000,000 characters): read only when asked for. */
    sourceOfArticle: unique<number, ArticleSource>(readRows(db, SOURCES), (row) => row.articleId),

    ...relationLoaders(db, nodes),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/**
 * Primes a grouped loader with rows read elsewhere (a page's tree, a list's relations): each
 * of `ids` gets its rows, in the order given, or an empty list.
 */
export function primeGrouped<Row>(
  loader: { prime(key: number, rows: Row[]): unknown },
  ids: number[],
  rows: Row[],
  keyOf: (row: Row) => number | null,
) {
  const groups = new Map<number, Row[]>(ids.map((id) => [id, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) groups.get(key)?.push(row);
  }
  for (const [id, group] of groups) loader.prime(id, group);
}
