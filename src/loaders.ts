/**
 * Per-request batching: every lookup by key goes through a DataLoader, so a query sends one
 * SQL statement per kind of lookup, however many objects it returns (no N+1).
 */
import DataLoader from "dataloader";
import type {
  Actor,
  Agreement,
  Article,
  ArticleParagraph,
  Citation,
  Mention,
  Outcome,
  PrismaClient,
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

export function createLoaders(prisma: PrismaClient) {
  const byId = { id: "asc" } as const;
  return {
    article: unique<number, Article>(
      (ids) => prisma.article.findMany({ where: { id: { in: ids } } }),
      (row) => row.id,
    ),
    articleBySlug: unique<string, Article>(
      (slugs) => prisma.article.findMany({ where: { slug: { in: slugs } } }),
      (row) => row.slug,
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
    actor: unique<number, Actor>(
      (ids) => prisma.actor.findMany({ where: { id: { in: ids } } }),
      (row) => row.id,
    ),
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
    authorsOfArticle: grouped(
      (articleIds: number[]) =>
        prisma.articleAuthor.findMany({
          where: { articleId: { in: articleIds } },
          orderBy: { position: "asc" },
        }),
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
    articlesOfVisit: grouped(
      (visitIds: number[]) =>
        prisma.articleVisit.findMany({
          where: { visitId: { in: visitIds } },
          orderBy: { articleId: "asc" },
        }),
      (row) => row.visitId,
    ),
    participantsOfVisit: grouped<number, VisitParticipant>(
      (visitIds) =>
        prisma.visitParticipant.findMany({ where: { visitId: { in: visitIds } }, orderBy: byId }),
      (row) => row.visitId,
    ),
    participationsOfActor: grouped<number, VisitParticipant>(
      (actorIds) =>
        prisma.visitParticipant.findMany({ where: { actorId: { in: actorIds } }, orderBy: byId }),
      (row) => row.actorId,
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
    agreementsOfActor: grouped(
      (actorIds: number[]) =>
        prisma.agreementParty.findMany({
          where: { actorId: { in: actorIds } },
          orderBy: { agreementId: "asc" },
        }),
      (row) => row.actorId,
    ),
    authoredByActor: grouped(
      (actorIds: number[]) =>
        prisma.articleAuthor.findMany({
          where: { actorId: { in: actorIds } },
          orderBy: { articleId: "asc" },
        }),
      (row) => row.actorId,
    ),
    publishedByActor: grouped<number, Article>(
      (actorIds) =>
        prisma.article.findMany({ where: { publisherId: { in: actorIds } }, orderBy: byId }),
      (row) => row.publisherId ?? 0,
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
    mentionsOfActor: grouped<number, Mention>(
      (actorIds) =>
        prisma.mention.findMany({
          where: { actorId: { in: actorIds } },
          orderBy: [{ articleId: "asc" }, { start: "asc" }],
        }),
      (row) => row.actorId,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
