-- Rules and search indexes that prisma/schema.prisma cannot express. Written by hand; the
-- drift check (src/cli/drift.ts) knows these objects and does not count them as drift.
--
-- The search code must write the indexed expressions exactly as they appear below (same
-- functions, same argument order, same literals), or Postgres will not use the indexes.

-- Extensions ------------------------------------------------------------------------------

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- accord_unaccent(text): unaccent() for index expressions.
-- unaccent() is only STABLE (it reads its dictionary through search_path), so it cannot be
-- used in an index. The two-argument form with the dictionary and the function named by
-- schema does not depend on search_path, which makes declaring the wrapper IMMUTABLE sound.
CREATE OR REPLACE FUNCTION accord_unaccent(text)
  RETURNS text
  LANGUAGE sql
  IMMUTABLE PARALLEL SAFE STRICT
AS $$
  SELECT public.unaccent('public.unaccent'::regdictionary, $1)
$$;

-- CHECK constraints -------------------------------------------------------------------------

-- Every editable row starts at version 1 and only goes up.
ALTER TABLE "Actor" ADD CONSTRAINT "Actor_version_check" CHECK ("version" >= 1);
ALTER TABLE "Article" ADD CONSTRAINT "Article_version_check" CHECK ("version" >= 1);
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_version_check" CHECK ("version" >= 1);
ALTER TABLE "Agreement" ADD CONSTRAINT "Agreement_version_check" CHECK ("version" >= 1);
ALTER TABLE "Outcome" ADD CONSTRAINT "Outcome_version_check" CHECK ("version" >= 1);
ALTER TABLE "Revision" ADD CONSTRAINT "Revision_version_check" CHECK ("version" >= 1);

-- Names, titles, slugs and aliases are never blank.
ALTER TABLE "Actor" ADD CONSTRAINT "Actor_name_check" CHECK (btrim("name") <> '');
ALTER TABLE "ActorAlias" ADD CONSTRAINT "ActorAlias_alias_check" CHECK (btrim("alias") <> '');
ALTER TABLE "Article" ADD CONSTRAINT "Article_slug_check" CHECK (btrim("slug") <> '');
ALTER TABLE "Article" ADD CONSTRAINT "Article_title_check" CHECK (btrim("title") <> '');
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_title_check" CHECK (btrim("title") <> '');
ALTER TABLE "Agreement" ADD CONSTRAINT "Agreement_title_check" CHECK (btrim("title") <> '');
ALTER TABLE "ApiKey" ADD CONSTRAINT "ApiKey_name_check" CHECK (btrim("name") <> '');

-- A quote or mention is a non-empty span of the article's body: body.slice(start, end).
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_span_check" CHECK ("start" >= 0 AND "start" < "end");
ALTER TABLE "Mention" ADD CONSTRAINT "Mention_span_check" CHECK ("start" >= 0 AND "start" < "end");

-- A citation supports exactly one fact: a visit, an agreement or an outcome.
ALTER TABLE "Citation" ADD CONSTRAINT "Citation_subject_check"
  CHECK (num_nonnulls("visitId", "agreementId", "outcomeId") = 1);

-- Outcomes are numbered from 1, as in the source's own list.
ALTER TABLE "Outcome" ADD CONSTRAINT "Outcome_ordinal_check" CHECK ("ordinal" > 0);

-- A visit does not end before it starts (not checked while either date is unknown).
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_dates_check"
  CHECK ("startDate" IS NULL OR "endDate" IS NULL OR "endDate" >= "startDate");
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_documentsSignedCount_check"
  CHECK ("documentsSignedCount" >= 0);

-- A paragraph is a (possibly empty) span of the body.
ALTER TABLE "ArticleParagraph" ADD CONSTRAINT "ArticleParagraph_span_check"
  CHECK ("start" >= 0 AND "start" <= "end");

-- Author positions count from 0.
ALTER TABLE "ArticleAuthor" ADD CONSTRAINT "ArticleAuthor_position_check" CHECK ("position" >= 0);

-- Fuzzy name search (pg_trgm) -----------------------------------------------------------------
-- Indexed expression, to compare with `%`, `similarity()` or `word_similarity()` against
-- accord_unaccent(lower($1)):

-- ActorAlias: accord_unaccent(lower("alias"))
CREATE INDEX "ActorAlias_alias_trgm_idx" ON "ActorAlias"
  USING gin (accord_unaccent(lower("alias")) gin_trgm_ops);

-- Actor: accord_unaccent(lower("name"))
CREATE INDEX "Actor_name_trgm_idx" ON "Actor"
  USING gin (accord_unaccent(lower("name")) gin_trgm_ops);

-- Full-text search --------------------------------------------------------------------------
-- Indexed expressions, to match with `@@ websearch_to_tsquery('english', $1)` (or any
-- tsquery built with the 'english' configuration):

-- Article: to_tsvector('english', "title" || ' ' || coalesce("subtitle", '') || ' ' || "body")
CREATE INDEX "Article_fts_idx" ON "Article"
  USING gin (to_tsvector('english', "title" || ' ' || coalesce("subtitle", '') || ' ' || "body"));

-- Visit: to_tsvector('english', "title")
CREATE INDEX "Visit_fts_idx" ON "Visit" USING gin (to_tsvector('english', "title"));

-- Agreement: to_tsvector('english', "title")
CREATE INDEX "Agreement_fts_idx" ON "Agreement" USING gin (to_tsvector('english', "title"));

-- Outcome: to_tsvector('english', "statement")
CREATE INDEX "Outcome_fts_idx" ON "Outcome" USING gin (to_tsvector('english', "statement"));

-- Actor: to_tsvector('english', "name" || ' ' || coalesce("description", ''))
CREATE INDEX "Actor_fts_idx" ON "Actor"
  USING gin (to_tsvector('english', "name" || ' ' || coalesce("description", '')));
