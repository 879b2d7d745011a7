-- CreateTable
CREATE TABLE "ListCount" (
    "list" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "ListCount_pkey" PRIMARY KEY ("list")
);

-- Written by hand: the triggers that keep "ListCount" exact, and its first figures.
--
-- A connection's totalCount would otherwise be a count(*) over the list, which grows with the
-- data. Each counted table has statement-level triggers that add up what a statement inserted,
-- deleted or moved between filter values, in one upsert per statement (a bulk load costs one
-- statement more, not one per row). Counter rows are locked until the writing transaction
-- commits: concurrent writes to one table queue on its counter, which suits an editorial
-- workload. A reader sees the counts of its own snapshot, so they always match the rows.

-- accord_count_rows(): the trigger function. Its arguments name the filter columns counted
-- per value, besides the whole table: ('status', 'category') on "Outcome" keeps `Outcome`,
-- `Outcome.status:<value>` and `Outcome.category:<value>`.
CREATE OR REPLACE FUNCTION accord_count_rows()
  RETURNS trigger
  LANGUAGE plpgsql
AS $$
DECLARE
  keys text := quote_literal(TG_TABLE_NAME);
  filter_column text;
  changes text;
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM "ListCount"
    WHERE "list" = TG_TABLE_NAME OR starts_with("list", TG_TABLE_NAME || '.');
    RETURN NULL;
  END IF;
  -- TG_ARGV is null when the trigger passes no arguments.
  FOREACH filter_column IN ARRAY coalesce(TG_ARGV, '{}') LOOP
    keys := keys || format(', %L || %I::text', TG_TABLE_NAME || '.' || filter_column || ':', filter_column);
  END LOOP;
  changes := concat_ws(' UNION ALL ',
    CASE WHEN TG_OP IN ('INSERT', 'UPDATE')
      THEN format('SELECT ARRAY[%s] AS keys, 1 AS delta FROM new_rows', keys) END,
    CASE WHEN TG_OP IN ('DELETE', 'UPDATE')
      THEN format('SELECT ARRAY[%s] AS keys, -1 AS delta FROM old_rows', keys) END);
  -- In key order, so that two transactions lock the same counters in the same order.
  EXECUTE format(
    'INSERT INTO "ListCount" ("list", "count")
     SELECT key, sum(delta) FROM (%s) changes, unnest(keys) AS key
     WHERE key IS NOT NULL
     GROUP BY key HAVING sum(delta) <> 0
     ORDER BY key
     ON CONFLICT ("list") DO UPDATE SET "count" = "ListCount"."count" + excluded."count"',
    changes);
  RETURN NULL;
END
$$;

CREATE TRIGGER "Article_count_insert" AFTER INSERT ON "Article"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows();
CREATE TRIGGER "Article_count_delete" AFTER DELETE ON "Article"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows();
CREATE TRIGGER "Article_count_truncate" AFTER TRUNCATE ON "Article"
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows();

CREATE TRIGGER "Visit_count_insert" AFTER INSERT ON "Visit"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows();
CREATE TRIGGER "Visit_count_delete" AFTER DELETE ON "Visit"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows();
CREATE TRIGGER "Visit_count_truncate" AFTER TRUNCATE ON "Visit"
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows();

CREATE TRIGGER "Agreement_count_insert" AFTER INSERT ON "Agreement"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows('kind');
CREATE TRIGGER "Agreement_count_update" AFTER UPDATE ON "Agreement"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows('kind');
CREATE TRIGGER "Agreement_count_delete" AFTER DELETE ON "Agreement"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows('kind');
CREATE TRIGGER "Agreement_count_truncate" AFTER TRUNCATE ON "Agreement"
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows();

CREATE TRIGGER "Outcome_count_insert" AFTER INSERT ON "Outcome"
  REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows('status', 'category');
CREATE TRIGGER "Outcome_count_update" AFTER UPDATE ON "Outcome"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows('status', 'category');
CREATE TRIGGER "Outcome_count_delete" AFTER DELETE ON "Outcome"
  REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows('status', 'category');
CREATE TRIGGER "Outcome_count_truncate" AFTER TRUNCATE ON "Outcome"
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows();

CREATE TRIGGER "Actor_count_insert" AFTER INSERT ON "Actor"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows('kind');
CREATE TRIGGER "Actor_count_update" AFTER UPDATE ON "Actor"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows('kind');
CREATE TRIGGER "Actor_count_delete" AFTER DELETE ON "Actor"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows('kind');
CREATE TRIGGER "Actor_count_truncate" AFTER TRUNCATE ON "Actor"
  FOR EACH STATEMENT EXECUTE FUNCTION accord_count_rows();

-- The rows already there. The triggers above hold their tables' locks until this migration
-- commits, so no write can slip in between.
INSERT INTO "ListCount" ("list", "count")
SELECT key, count(*) FROM (
  SELECT ARRAY['Article'] AS keys FROM "Article"
  UNION ALL SELECT ARRAY['Visit'] FROM "Visit"
  UNION ALL SELECT ARRAY['Agreement', 'Agreement.kind:' || "kind"::text] FROM "Agreement"
  UNION ALL SELECT ARRAY['Outcome', 'Outcome.status:' || "status"::text, 'Outcome.category:' || "category"::text] FROM "Outcome"
  UNION ALL SELECT ARRAY['Actor', 'Actor.kind:' || "kind"::text] FROM "Actor"
) rows_, unnest(keys) AS key
WHERE key IS NOT NULL
GROUP BY key;
