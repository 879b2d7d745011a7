/**
 * The article page in one SQL statement. The reader asks for an article with everything its
 * visits produced; instead of one batched lookup per level (about fifteen statements), this
 * reads the whole tree at once as JSON and primes the request's loaders with it, so every
 * resolver below finds its rows already loaded. Resolvers stay as they are: whatever the
 * query asks for that is not prefetched still loads through the loaders.
 */
import type { Context } from "./context.js";
import type {
  Actor,
  Agreement,
  AgreementParty,
  ArticleAuthor,
  ArticleParagraph,
  ArticleVisit,
  Citation,
  Outcome,
  Visit,
  VisitParticipant,
} from "./generated/prisma/client.js";

const DATE_FIELDS = ["publishedOn", "startDate", "endDate", "signedOn"];
const TIMESTAMP_FIELDS = ["createdAt", "updatedAt"];

/** JSON rows back into the shapes Prisma gives: dates and timestamps as Date objects. */
function revive(row: Record<string, unknown>): Record<string, unknown> {
  for (const field of DATE_FIELDS) {
    const value = row[field];
    if (typeof value === "string") row[field] = new Date(`${value}T00:00:00Z`);
  }
  for (const field of TIMESTAMP_FIELDS) {
    const value = row[field];
    if (typeof value === "string")
      row[field] = new Date(/[Zz+]/.test(value.slice(19)) ? value : `${value}Z`);
  }
  return row;
}

const PAGE_SQL = `
WITH visit_ids AS (SELECT "visitId" AS id FROM "ArticleVisit" WHERE "articleId" = $1),
agreement_ids AS (SELECT id FROM "Agreement" WHERE "visitId" IN (SELECT id FROM visit_ids)),
outcome_ids AS (SELECT id FROM "Outcome" WHERE "visitId" IN (SELECT id FROM visit_ids)),
actor_ids AS (
  SELECT "publisherId" AS id FROM "Article" WHERE id = $1
  UNION SELECT "actorId" FROM "ArticleAuthor" WHERE "articleId" = $1
  UNION SELECT "actorId" FROM "VisitParticipant" WHERE "visitId" IN (SELECT id FROM visit_ids)
  UNION SELECT "actorId" FROM "AgreementParty" WHERE "agreementId" IN (SELECT id FROM agreement_ids)
)
SELECT json_build_object(
  'paragraphs', (SELECT coalesce(json_agg(p ORDER BY p."index"), '[]') FROM "ArticleParagraph" p WHERE p."articleId" = $1),
  'authors', (SELECT coalesce(json_agg(a ORDER BY a."position"), '[]') FROM "ArticleAuthor" a WHERE a."articleId" = $1),
  'visitLinks', (SELECT coalesce(json_agg(l ORDER BY l."visitId"), '[]') FROM "ArticleVisit" l WHERE l."articleId" = $1),
  'visits', (SELECT coalesce(json_agg(v ORDER BY v.id), '[]') FROM "Visit" v WHERE v.id IN (SELECT id FROM visit_ids)),
  'participants', (SELECT coalesce(json_agg(p ORDER BY p.id), '[]') FROM "VisitParticipant" p WHERE p."visitId" IN (SELECT id FROM visit_ids)),
  'agreements', (SELECT coalesce(json_agg(g ORDER BY g.id), '[]') FROM "Agreement" g WHERE g.id IN (SELECT id FROM agreement_ids)),
  'parties', (SELECT coalesce(json_agg(p ORDER BY p."actorId"), '[]') FROM "AgreementParty" p WHERE p."agreementId" IN (SELECT id FROM agreement_ids)),
  'outcomes', (SELECT coalesce(json_agg(o ORDER BY o.ordinal), '[]') FROM "Outcome" o WHERE o.id IN (SELECT id FROM outcome_ids)),
  'citations', (SELECT coalesce(json_agg(c ORDER BY c.start), '[]') FROM (
                  -- One index range per kind of fact: an OR across them would scan the table.
                  SELECT * FROM "Citation" WHERE "visitId" IN (SELECT id FROM visit_ids)
                  UNION ALL SELECT * FROM "Citation" WHERE "agreementId" IN (SELECT id FROM agreement_ids)
                  UNION ALL SELECT * FROM "Citation" WHERE "outcomeId" IN (SELECT id FROM outcome_ids)
                ) c),
  'actors', (SELECT coalesce(json_agg(a ORDER BY a.id), '[]') FROM "Actor" a WHERE a.id IN (SELECT id FROM actor_ids))
) AS page`;

function groupBy<T>(rows: T[], keys: number[], keyOf: (row: T) => number | null) {
  const groups = new Map<number, T[]>(keys.map((key) => [key, []]));
  for (const row of rows) {
    const key = keyOf(row);
    if (key !== null) groups.get(key)?.push(row);
  }
  return groups;
}

function primeGroups<T>(
  loader: { prime(key: number, rows: T[]): unknown },
  groups: Map<number, T[]>,
) {
  for (const [key, rows] of groups) loader.prime(key, rows);
}

interface Page {
  paragraphs: ArticleParagraph[];
  authors: ArticleAuthor[];
  visitLinks: ArticleVisit[];
  visits: Visit[];
  participants: VisitParticipant[];
  agreements: Agreement[];
  parties: AgreementParty[];
  outcomes: Outcome[];
  citations: Citation[];
  actors: Actor[];
}

/** Loads the article page's tree in one statement and primes the loaders with it. */
export async function prefetchArticlePage({ db, loaders }: Context, articleId: number) {
  const [result] = await db.prisma.$queryRawUnsafe<
    { page: Record<keyof Page, Record<string, unknown>[]> }[]
  >(PAGE_SQL, articleId);
  const json = result!.page;
  const page = Object.fromEntries(
    Object.entries(json).map(([name, rows]) => [name, rows.map((row) => revive(row))]),
  ) as unknown as Page;

  for (const actor of page.actors) loaders.actor.prime(actor.id, actor);
  for (const visit of page.visits) loaders.visit.prime(visit.id, visit);
  for (const agreement of page.agreements) loaders.agreement.prime(agreement.id, agreement);
  for (const outcome of page.outcomes) loaders.outcome.prime(outcome.id, outcome);
  for (const citation of page.citations) loaders.citation.prime(citation.id, citation);
  loaders.paragraphsOfArticle.prime(articleId, page.paragraphs);
  loaders.authorsOfArticle.prime(articleId, page.authors);
  loaders.visitsOfArticle.prime(articleId, page.visitLinks);

  const visitIds = page.visits.map((v) => v.id);
  const agreementIds = page.agreements.map((a) => a.id);
  const outcomeIds = page.outcomes.map((o) => o.id);
  primeGroups(
    loaders.participantsOfVisit,
    groupBy(page.participants, visitIds, (p) => p.visitId),
  );
  primeGroups(
    loaders.agreementsOfVisit,
    groupBy(page.agreements, visitIds, (a) => a.visitId),
  );
  primeGroups(
    loaders.outcomesOfVisit,
    groupBy(page.outcomes, visitIds, (o) => o.visitId),
  );
  primeGroups(
    loaders.partiesOfAgreement,
    groupBy(page.parties, agreementIds, (p) => p.agreementId),
  );
  primeGroups(
    loaders.citationsOfVisit,
    groupBy(page.citations, visitIds, (c) => c.visitId),
  );
  primeGroups(
    loaders.citationsOfAgreement,
    groupBy(page.citations, agreementIds, (c) => c.agreementId),
  );
  primeGroups(
    loaders.citationsOfOutcome,
    groupBy(page.citations, outcomeIds, (c) => c.outcomeId),
  );
}
