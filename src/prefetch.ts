/**
 * The article page in one SQL statement. The reader asks for an article with everything its
 * visits produced; instead of one batched lookup per level (about fifteen statements), this
 * reads the whole tree at once as JSON and primes the request's loaders with it, so every
 * resolver below finds its rows already loaded. Resolvers stay as they are: whatever the
 * query asks for that is not prefetched still loads through the loaders.
 */
import type { Context } from "./context.js";
import { primeGrouped } from "./loaders.js";
import type { NamedStatement } from "./db/database.js";
import { columnList, columnsOf, fromJsonRow } from "./db/rows.js";
import type {
  Actor,
  Agreement,
  Article,
  AgreementParty,
  ArticleAuthor,
  ArticleParagraph,
  ArticleVisit,
  Citation,
  Outcome,
  Visit,
  VisitParticipant,
} from "./generated/prisma/client.js";

/** A paragraph's columns as the client models them: not its search columns (a kilobyte each). */
const PARAGRAPH_COLUMNS = columnList(columnsOf("ArticleParagraph"));

/** The page of the article `article` selects, as one JSON object (`article` null if none). */
const pageSql = (article: string) => `
WITH article AS (${article}),
visit_ids AS (SELECT "visitId" AS id FROM "ArticleVisit" WHERE "articleId" = (SELECT id FROM article)),
agreement_ids AS (SELECT id FROM "Agreement" WHERE "visitId" IN (SELECT id FROM visit_ids)),
outcome_ids AS (SELECT id FROM "Outcome" WHERE "visitId" IN (SELECT id FROM visit_ids)),
actor_ids AS (
  SELECT "publisherId" AS id FROM article
  UNION SELECT "actorId" FROM "ArticleAuthor" WHERE "articleId" = (SELECT id FROM article)
  UNION SELECT "actorId" FROM "VisitParticipant" WHERE "visitId" IN (SELECT id FROM visit_ids)
  UNION SELECT "actorId" FROM "AgreementParty" WHERE "agreementId" IN (SELECT id FROM agreement_ids)
)
SELECT json_build_object(
  'article', (SELECT row_to_json(a) FROM article a),
  'paragraphs', (SELECT coalesce(json_agg(p ORDER BY p."index"), '[]') FROM (SELECT ${PARAGRAPH_COLUMNS} FROM "ArticleParagraph" WHERE "articleId" = (SELECT id FROM article)) p),
  'authors', (SELECT coalesce(json_agg(a ORDER BY a."position"), '[]') FROM "ArticleAuthor" a WHERE a."articleId" = (SELECT id FROM article)),
  'visitLinks', (SELECT coalesce(json_agg(l ORDER BY l."visitId"), '[]') FROM "ArticleVisit" l WHERE l."articleId" = (SELECT id FROM article)),
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

/** The article's columns as Prisma's model has them (not its search document, a tsvector). */
const ARTICLE = `SELECT ${columnList(columnsOf("Article"))} FROM "Article"`;

const PAGE_BY_SLUG: NamedStatement = {
  name: "article_page_by_slug",
  text: pageSql(`${ARTICLE} WHERE "slug" = $1`),
};
const PAGE_BY_ID: NamedStatement = {
  name: "article_page_by_id",
  text: pageSql(`${ARTICLE} WHERE "id" = $1`),
};

interface Page {
  article: Article | null;
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

/**
 * Loads the article (by slug or id) with its page's tree in one statement, primes the loaders
 * with the tree and returns the article, or `null` when there is none.
 */
export async function loadArticlePage(
  { db, loaders }: Context,
  key: { slug: string } | { id: number },
): Promise<Article | null> {
  const [statement, param] = "slug" in key ? [PAGE_BY_SLUG, key.slug] : [PAGE_BY_ID, key.id];
  const [result] = await db.read<{ page: Record<keyof Page, unknown> }>(statement, [param]);
  const json = result!.page as { article: Record<string, unknown> | null } & Record<
    Exclude<keyof Page, "article">,
    Record<string, unknown>[]
  >;
  if (!json.article) return null;
  const rows = Object.fromEntries(
    Object.entries(json).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.map((row: Record<string, unknown>) => fromJsonRow(row)) : value,
    ]),
  );
  const page = { ...rows, article: fromJsonRow(json.article) } as unknown as Page;
  const article = page.article!;
  const articleId = article.id;

  loaders.byId.Article.prime(articleId, article);
  loaders.articleBySlug.prime(article.slug, article);
  for (const actor of page.actors) loaders.byId.Actor.prime(actor.id, actor);
  for (const visit of page.visits) loaders.byId.Visit.prime(visit.id, visit);
  for (const agreement of page.agreements) loaders.byId.Agreement.prime(agreement.id, agreement);
  for (const outcome of page.outcomes) loaders.byId.Outcome.prime(outcome.id, outcome);
  for (const citation of page.citations) loaders.byId.Citation.prime(citation.id, citation);
  loaders.paragraphsOfArticle.prime(articleId, page.paragraphs);
  loaders.authorsOfArticle.prime(articleId, page.authors);
  loaders.visitsOfArticle.prime(articleId, page.visitLinks);

  const visitIds = page.visits.map((v) => v.id);
  const agreementIds = page.agreements.map((a) => a.id);
  const outcomeIds = page.outcomes.map((o) => o.id);
  primeGrouped(loaders.participantsOfVisit, visitIds, page.participants, (p) => p.visitId);
  primeGrouped(loaders.agreementsOfVisit, visitIds, page.agreements, (a) => a.visitId);
  primeGrouped(loaders.outcomesOfVisit, visitIds, page.outcomes, (o) => o.visitId);
  primeGrouped(loaders.partiesOfAgreement, agreementIds, page.parties, (p) => p.agreementId);
  primeGrouped(loaders.citationsOfVisit, visitIds, page.citations, (c) => c.visitId);
  primeGrouped(loaders.citationsOfAgreement, agreementIds, page.citations, (c) => c.agreementId);
  primeGrouped(loaders.citationsOfOutcome, outcomeIds, page.citations, (c) => c.outcomeId);
  return article;
}
