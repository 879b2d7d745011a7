-- Articles keep their full-text vector in a column. Search ranks the articles it matches with
-- ts_rank, which needs the vector itself: computed on the fly from a 10 kB body, that cost
-- about a millisecond per matching article on every search. Stored, it is read instead.
-- GENERATED: Postgres recomputes it whenever title, subtitle or body change, in the same
-- statement, so no write path has to maintain it. The expression is the one the
-- "Article_fts_idx" expression index was built on, so matches are unchanged.

-- Adding a generated column rewrites the table and runs to_tsvector over every body: about a
-- second per thousand articles, longer than the connection's statement_timeout allows.
SET LOCAL statement_timeout = 0;

-- Dropped first, so that the table rewrite below does not rebuild it (a second to_tsvector over
-- every body). IF EXISTS: the drift check replays the migrations without *_constraints.
DROP INDEX IF EXISTS "Article_fts_idx";

-- AlterTable
ALTER TABLE "Article" ADD COLUMN "searchVector" tsvector
  GENERATED ALWAYS AS (to_tsvector('english', "title" || ' ' || coalesce("subtitle", '') || ' ' || "body")) STORED;

-- CreateIndex
CREATE INDEX "Article_searchVector_idx" ON "Article" USING GIN ("searchVector");
