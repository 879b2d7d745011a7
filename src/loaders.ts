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
import type { Database, NamedStatement } from "./db/database.js";
import { columnList, columnsOf, fromJsonRow } from "./db/rows.js";
import type { ResolversParentTypes } from "./generated/graphql.js";
import { NODE_TYPES, NODES, type NodeType } from "./registry.js";
import type {
  Actor,
  Article,
  ArticleAuthor,
  ArticleSource,
  Prisma,
} from "./generated/prisma/client.js";

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

/** An author row (`au`) with its actor (`ac`), as one JSON value: see `authorsWithActors`. */
export const AUTHOR_WITH_ACTOR = `json_build_object('author', row_to_json(au), 'actor', row_to_json(ac))`;

/** Authors read together with their actors: the actor loader gets the actors. */
export function authorsWithActors(
  pairs: { author: ArticleAuthor; actor: Record<string, unknown> }[],
  actors: Lookup<number, Actor | null>,
): ArticleAuthor[] {
  for (const { actor } of pairs) {
    actors.prime(actor.id as number, fromJsonRow(actor) as unknown as Actor);
  }
  return pairs.map((pair) => pair.author);
}

/** An article's authors with the actors themselves: a list of articles with their authors
 * costs one statement for all the authors. */
const AUTHORS_WITH_ACTORS: NamedStatement = {
  name: "authors_with_actors",
  text: `SELECT ${AUTHOR_WITH_ACTOR} AS row
         FROM "ArticleAuthor" au JOIN "Actor" ac ON ac.id = au."actorId"
         WHERE au."articleId" = ANY($1::int[])
         ORDER BY au."articleId", au."position"`,
};

/** A `Node` type's row as its resolvers receive it (codegen's mapper for the type). */
export type NodeRow<T extends NodeType> = ResolversParentTypes[T];

type NodeLoaders = { [T in NodeType]: Lookup<number, NodeRow<T> | null> };

/** A model's row as its client returns it. */
type RowOf<M extends Prisma.ModelName> = Prisma.TypeMap["model"][M]["payload"]["scalars"];

/**
 * A list below an object: the rows of `model` whose `parent` column holds its id, in the
 * ascending order of column `order`.
 */
type ChildList = {
  [M in Prisma.ModelName]: { model: M; parent: keyof RowOf<M> & string; order: keyof RowOf<M> };
}[Prisma.ModelName];

/**
 * The lists below an object that resolvers read whole (each bounded by its parent), one
 * grouped loader each. An article's authors come with their actors (`authorsOfArticle`).
 */
const CHILD_LISTS = {
  aliasesOfActor: { model: "ActorAlias", parent: "actorId", order: "id" },
  paragraphsOfArticle: { model: "ArticleParagraph", parent: "articleId", order: "index" },
  visitsOfArticle: { model: "ArticleVisit", parent: "articleId", order: "visitId" },
  participantsOfVisit: { model: "VisitParticipant", parent: "visitId", order: "id" },
  agreementsOfVisit: { model: "Agreement", parent: "visitId", order: "id" },
  outcomesOfVisit: { model: "Outcome", parent: "visitId", order: "ordinal" },
  partiesOfAgreement: { model: "AgreementParty", parent: "agreementId", order: "actorId" },
  citationsOfVisit: { model: "Citation", parent: "visitId", order: "start" },
  citationsOfAgreement: { model: "Citation", parent: "agreementId", order: "start" },
  citationsOfOutcome: { model: "Citation", parent: "outcomeId", order: "start" },
} as const satisfies Record<string, ChildList>;

type ChildLoaders = {
  [L in keyof typeof CHILD_LISTS]: Lookup<number, RowOf<(typeof CHILD_LISTS)[L]["model"]>[]>;
};

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
  const columns = columnsOf(model, omit);
  const by = [...order, ...(columns.includes("id") && !order.includes("id") ? ["id"] : [])];
  const text = `SELECT row_to_json(r) AS row FROM (
      SELECT ${columnList(columns)} FROM "${model}" WHERE "${column}" = ANY($1::${keyType}[])
    ) r${by.length > 0 ? ` ORDER BY ${by.map((c) => `r."${c}"`).join(", ")}` : ""}`;
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

const CHILDREN = Object.entries(CHILD_LISTS).map(([name, list]: [string, ChildList]) => {
  const statement = rowsWhere(`children_${name}`, list.model, list.parent, "int", [
    String(list.order),
  ]);
  return [name, statement, list.parent] as const;
});

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

function childLoaders(db: Database): ChildLoaders {
  const loaders: Record<string, unknown> = {};
  for (const [name, statement, parent] of CHILDREN) {
    const read = readRows<number, Record<string, unknown>>(db, statement);
    loaders[name] = grouped(read, (row) => row[parent] as number);
  }
  return loaders as ChildLoaders;
}

export function createLoaders(db: Database) {
  const nodes = nodeLoaders(db);
  const actor = nodes.Actor;
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

    authorsOfArticle: grouped<number, ArticleAuthor>(
      async (articleIds) => {
        const rows = await db.read<{
          row: { author: ArticleAuthor; actor: Record<string, unknown> };
        }>(AUTHORS_WITH_ACTORS, [articleIds]);
        return authorsWithActors(
          rows.map(({ row }) => row),
          actor,
        );
      },
      (row) => row.articleId,
    ),
    ...childLoaders(db),
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
