-- AlterTable
ALTER TABLE "Visit" ADD COLUMN     "placeId" INTEGER;

-- CreateTable
CREATE TABLE "Place" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Place_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Place_name_key" ON "Place"("name");

-- CreateIndex
CREATE INDEX "Visit_placeId_idx" ON "Visit"("placeId");

-- AddForeignKey
ALTER TABLE "Visit" ADD CONSTRAINT "Visit_placeId_fkey" FOREIGN KEY ("placeId") REFERENCES "Place"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Places are derived from what the sources say, never edited: a visit's location names its
-- place, created the first time it is named. Every writer (the seed, edits, imports) gets this
-- without code of its own. (An agreement's place is its visit's, read through the visit: a
-- copy kept on the agreement would make a visit's edit lock its agreements after itself, the
-- reverse of an agreement's edit, and the two would deadlock.)
CREATE FUNCTION accord_visit_place() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  IF NEW."location" IS NULL THEN
    NEW."placeId" := NULL;
  ELSE
    SELECT "id" INTO NEW."placeId" FROM "Place" WHERE "name" = NEW."location";
    IF NEW."placeId" IS NULL THEN
      -- DO UPDATE, not DO NOTHING: it returns the row that a concurrent writer committed
      -- first (or fails as a serialisation conflict, which the edit reports as CONFLICT).
      INSERT INTO "Place" ("name") VALUES (NEW."location")
        ON CONFLICT ("name") DO UPDATE SET "name" = EXCLUDED."name"
        RETURNING "id" INTO NEW."placeId";
    END IF;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Visit_place" BEFORE INSERT OR UPDATE OF "location", "placeId" ON "Visit"
  FOR EACH ROW EXECUTE FUNCTION accord_visit_place();

-- The record as it stands: its locations become places.
UPDATE "Visit" SET "location" = "location" WHERE "location" IS NOT NULL;

-- Cached answers follow places like any other object (see cache_invalidation).
CREATE TRIGGER "Place_cache_insert" AFTER INSERT ON "Place" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify('Place:id');
CREATE TRIGGER "Place_cache_update" AFTER UPDATE ON "Place"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify('Place:id');
CREATE TRIGGER "Place_cache_delete" AFTER DELETE ON "Place" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify('Place:id');
CREATE TRIGGER "Place_cache_truncate" AFTER TRUNCATE ON "Place"
  FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify();
