-- CreateTable
CREATE TABLE "ArticleSource" (
    "articleId" INTEGER NOT NULL,
    "text" TEXT NOT NULL,
    "frontMatter" JSONB NOT NULL,

    CONSTRAINT "ArticleSource_pkey" PRIMARY KEY ("articleId")
);

-- AddForeignKey
ALTER TABLE "ArticleSource" ADD CONSTRAINT "ArticleSource_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Written by hand: cached answers that show an article's source follow the article (see
-- cache_invalidation).
CREATE TRIGGER "ArticleSource_cache_insert" AFTER INSERT ON "ArticleSource" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify('Article:articleId');
CREATE TRIGGER "ArticleSource_cache_update" AFTER UPDATE ON "ArticleSource"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify('Article:articleId');
CREATE TRIGGER "ArticleSource_cache_delete" AFTER DELETE ON "ArticleSource" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify('Article:articleId');
CREATE TRIGGER "ArticleSource_cache_truncate" AFTER TRUNCATE ON "ArticleSource"
  FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify();
