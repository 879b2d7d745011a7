/**
 * Per-request batching: every lookup by key goes through a DataLoader, so a query sends one
 * SQL statement per kind of lookup, however many objects it returns (no N+1).
 */
import DataLoader from "dataloader";
import type { Database, NamedStatement } from "./db/database.js";
import { fromJsonRow } from "./db/rows.js";
import type { NodeType } from "./ids.js";
import type {
  Actor,
  Agreement,
  Article,
  ArticleAuthor,
  ArticleParagraph,
  Citation,
  Mention,
  Outcome,
  Revision,
  Visit,
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

export function createLoaders(db: Database) {
  const { prisma } = db;
  const byId = { id: "asc" } as const;
  const actor = unique<number, Actor>(
    (ids) => prisma.actor.findMany({ where: { id: { in: ids } } }),
    (row) => row.id,
  );
  return {
    article: unique<number, ArticleRow>(
      (ids) => prisma.article.findMany({ where: { id: { in: ids } }, omit: withoutBody }),
      (row) => row.id,
    ),
    articleBySlug: unique<string, ArticleRow>(
      (slugs) => prisma.article.findMany({ where: { slug: { in: slugs } }, omit: withoutBody }),
      (row) => row.slug,
    ),
    articleBody: unique<number, { id: number; body: string }>(
      (ids) =>
        prisma.article.findMany({ where: { id: { in: ids } }, select: { id: true, body: true } }),
      (row) => row.id,
    ),
    visit: unique<number, Visit>(
      (ids) => prisma.visit.findMany({ where: { id: { in: ids } } }),
      (row) => row.id,
    ),
    agreement: unique<number, Agreement>(
      (ids) => prisma.agreement.findMany({ where: { id: { in: ids } } }),
      (row) => row.id,
    ),
    outcome: unique<number, Outcome>(
      (ids) => prisma.outcome.findMany({ where: { id: { in: ids } } }),
      (row) => row.id,
    ),
    actor,
    citation: unique<number, Citation>(
      (ids) => prisma.citation.findMany({ where: { id: { in: ids } } }),
      (row) => row.id,
    ),
    mention: unique<number, Mention>(
      (ids) => prisma.mention.findMany({ where: { id: { in: ids } } }),
      (row) => row.id,
    ),
    revision: unique<number, Revision>(
      (ids) => prisma.revision.findMany({ where: { id: { in: ids } } }),
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

/** The loader of the objects of a `Node` type, by their row id. */
export function nodeLoader(loaders: Loaders, type: NodeType): DataLoader<number, object | null> {
  const byType: { [T in NodeType]: DataLoader<number, object | null> } = {
    Article: loaders.article,
    Visit: loaders.visit,
    Agreement: loaders.agreement,
    Outcome: loaders.outcome,
    Actor: loaders.actor,
    Citation: loaders.citation,
    Mention: loaders.mention,
    Revision: loaders.revision,
  };
  return byType[type];
}

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
