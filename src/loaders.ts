/**
 * Per-request batching: every lookup by key goes through a DataLoader, so a query sends one
 * SQL statement per kind of lookup, however many objects it returns (no N+1).
 */
import DataLoader from "dataloader";
import type { Database, NamedStatement } from "./db/database.js";
import { fromJsonRow } from "./db/rows.js";
import type { ResolversParentTypes } from "./generated/graphql.js";
import { delegateName, NODE_TYPES, NODES, type NodeType } from "./registry.js";
import type {
  Actor,
  Agreement,
  Article,
  ArticleAuthor,
  ArticleParagraph,
  Citation,
  Outcome,
  VisitParticipant,
} from "./generated/prisma/client.js";

/** Loads rows by their unique key; a missing key gives `null`. */
function unique<K, Row>(load: (keys: K[]) => Promise<Row[]>, keyOf: (row: Row) => K) {
  return new DataLoader<K, Row | null>(async (keys) => {
    const byKey = new Map((await load([...keys])).map((row) => [keyOf(row), row]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** Loads the rows that belong to each key, in the order the query returns them. */
function grouped<K, Row>(load: (keys: K[]) => Promise<Row[]>, keyOf: (row: Row) => K) {
  return new DataLoader<K, Row[]>(async (keys) => {
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

const withoutBody = { body: true } as const;

/** An author row (`au`) with its actor (`ac`), as one JSON value: see `authorsWithActors`. */
export const AUTHOR_WITH_ACTOR = `json_build_object('author', row_to_json(au), 'actor', row_to_json(ac))`;

/** Authors read together with their actors: the actor loader gets the actors. */
export function authorsWithActors(
  pairs: { author: ArticleAuthor; actor: Record<string, unknown> }[],
  actors: DataLoader<number, Actor | null>,
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

type NodeLoaders = { [T in NodeType]: DataLoader<number, NodeRow<T> | null> };

/** One loader per `Node` type, by row id, from its registry entry (src/registry.ts). */
function nodeLoaders(prisma: Database["prisma"]): NodeLoaders {
  const entries = NODE_TYPES.map((type) => {
    const entry: { model: Parameters<typeof delegateName>[0]; omit?: readonly string[] } =
      NODES[type];
    // Every model's client has the same findMany; the registry says which model a type is.
    const delegate = prisma[delegateName(entry.model)] as unknown as {
      findMany(args: object): Promise<{ id: number }[]>;
    };
    const omit = entry.omit && Object.fromEntries(entry.omit.map((column) => [column, true]));
    const loader = unique(
      (ids: number[]) => delegate.findMany({ where: { id: { in: ids } }, ...(omit && { omit }) }),
      (row) => row.id,
    );
    return [type, loader] as const;
  });
  return Object.fromEntries(entries) as unknown as NodeLoaders;
}

export function createLoaders(db: Database) {
  const { prisma } = db;
  const byId = { id: "asc" } as const;
  const nodes = nodeLoaders(prisma);
  const actor = nodes.Actor;
  return {
    /** Each `Node` type's rows by id: `loaders.byId.Visit.load(7)`. */
    byId: nodes,
    articleBySlug: unique<string, ArticleRow>(
      (slugs) => prisma.article.findMany({ where: { slug: { in: slugs } }, omit: withoutBody }),
      (row) => row.slug,
    ),
    articleBody: unique<number, { id: number; body: string }>(
      (ids) =>
        prisma.article.findMany({ where: { id: { in: ids } }, select: { id: true, body: true } }),
      (row) => row.id,
    ),

    aliasesOfActor: grouped(
      (actorIds: number[]) =>
        prisma.actorAlias.findMany({ where: { actorId: { in: actorIds } }, orderBy: byId }),
      (row) => row.actorId,
    ),
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
    paragraphsOfArticle: grouped<number, ArticleParagraph>(
      (articleIds) =>
        prisma.articleParagraph.findMany({
          where: { articleId: { in: articleIds } },
          orderBy: { index: "asc" },
        }),
      (row) => row.articleId,
    ),
    visitsOfArticle: grouped(
      (articleIds: number[]) =>
        prisma.articleVisit.findMany({
          where: { articleId: { in: articleIds } },
          orderBy: { visitId: "asc" },
        }),
      (row) => row.articleId,
    ),
    participantsOfVisit: grouped<number, VisitParticipant>(
      (visitIds) =>
        prisma.visitParticipant.findMany({ where: { visitId: { in: visitIds } }, orderBy: byId }),
      (row) => row.visitId,
    ),
    agreementsOfVisit: grouped<number, Agreement>(
      (visitIds) =>
        prisma.agreement.findMany({ where: { visitId: { in: visitIds } }, orderBy: byId }),
      (row) => row.visitId ?? 0,
    ),
    outcomesOfVisit: grouped<number, Outcome>(
      (visitIds) =>
        prisma.outcome.findMany({
          where: { visitId: { in: visitIds } },
          orderBy: { ordinal: "asc" },
        }),
      (row) => row.visitId,
    ),
    partiesOfAgreement: grouped(
      (agreementIds: number[]) =>
        prisma.agreementParty.findMany({
          where: { agreementId: { in: agreementIds } },
          orderBy: { actorId: "asc" },
        }),
      (row) => row.agreementId,
    ),
    citationsOfVisit: grouped<number, Citation>(
      (ids) =>
        prisma.citation.findMany({ where: { visitId: { in: ids } }, orderBy: { start: "asc" } }),
      (row) => row.visitId ?? 0,
    ),
    citationsOfAgreement: grouped<number, Citation>(
      (ids) =>
        prisma.citation.findMany({
          where: { agreementId: { in: ids } },
          orderBy: { start: "asc" },
        }),
      (row) => row.agreementId ?? 0,
    ),
    citationsOfOutcome: grouped<number, Citation>(
      (ids) =>
        prisma.citation.findMany({ where: { outcomeId: { in: ids } }, orderBy: { start: "asc" } }),
      (row) => row.outcomeId ?? 0,
    ),
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
