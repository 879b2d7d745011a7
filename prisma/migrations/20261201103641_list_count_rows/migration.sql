-- A list's size is now the sum of its "ListCount" rows, so that writers never wait for a
-- counter. The rows already there (one per list) keep their counts: the conversion is exact.
ALTER TABLE "ListCount" DROP CONSTRAINT "ListCount_pkey",
ADD COLUMN "id" BIGSERIAL NOT NULL,
ADD CONSTRAINT "ListCount_pkey" PRIMARY KEY ("id");

-- CreateIndex
CREATE INDEX "ListCount_list_idx" ON "ListCount"("list");

-- Written by hand: the counting triggers add to rows no other transaction holds.
--
-- With one row per list, every write to a table updated that row and kept it locked until its
-- transaction committed: concurrent creates queued on it, and timed out. Now a statement's
-- change goes into a row of the list that no other transaction holds (FOR UPDATE SKIP
-- LOCKED), and every other such row is folded into it; when another transaction holds every
-- row, the change becomes a row of its own. A writer never waits for a counter, and a change
-- still commits or rolls back with the rows it counts, so a reader's snapshot sums to exactly
-- the rows it sees. (Under READ COMMITTED, which Accord's transactions use.)
--
-- Bound: a transaction holds at most one live row per list after each of its statements, and
-- a row is added only when every row of the list is held by some other transaction, so a list
-- has at most one row more than the transactions that ever wrote it at the same time (at most
-- max_connections + 1). Its next write that finds them free folds them back into one.
--
-- Rejected: insert-only deltas leave a dead row per write, and need a compactor; the embedded
-- database has neither autovacuum nor background workers. Here the common write updates its row
-- in place, a HOT update that page pruning cleans up. Shards picked by backend pid modulo N
-- still make two backends whose pids collide wait for each other.
CREATE OR REPLACE FUNCTION accord_count_rows()
  RETURNS trigger
  LANGUAGE plpgsql
AS $$
DECLARE
  keys text := quote_literal(TG_TABLE_NAME);
  filter_column text;
  changes text;
BEGIN
  -- TRUNCATE locks the table exclusively: no other transaction holds its counters.
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
  -- `free`: the rows of each changed list that this transaction holds now, its own included
  -- (SKIP LOCKED skips only rows another one holds). The lowest id of each list keeps the sum
  -- and the change; the others go. Lists with no free row get a row of their own.
  EXECUTE format(
    'WITH change AS MATERIALIZED (
       SELECT key AS list, sum(delta) AS delta FROM (%s) changes, unnest(keys) AS key
       WHERE key IS NOT NULL
       GROUP BY key HAVING sum(delta) <> 0
     ),
     free AS MATERIALIZED (
       SELECT change.list, held.id, held.count FROM change, LATERAL (
         SELECT "id", "count" FROM "ListCount" WHERE "list" = change.list
         FOR UPDATE SKIP LOCKED
       ) held
     ),
     kept AS (SELECT list, min(id) AS id, sum(count) AS total FROM free GROUP BY list),
     folded AS (
       DELETE FROM "ListCount" WHERE "id" IN (SELECT id FROM free EXCEPT SELECT id FROM kept)
     ),
     added AS (
       UPDATE "ListCount" SET "count" = kept.total + change.delta
       FROM kept JOIN change USING (list) WHERE "ListCount"."id" = kept.id
     )
     INSERT INTO "ListCount" ("list", "count")
     SELECT list, delta FROM change WHERE list NOT IN (SELECT list FROM kept)',
    changes);
  RETURN NULL;
END
$$;
