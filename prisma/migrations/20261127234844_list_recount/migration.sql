-- Written by hand. accord_recount_lists() rebuilds "ListCount" from the tables themselves.
--
-- The counting triggers do not fire for rows loaded with triggers off: a session with
-- session_replication_role = replica (as bulk loaders set it to skip foreign-key checks) or
-- pg_restore --disable-triggers. Run `SELECT accord_recount_lists();` after such a load. It
-- locks the counted tables against writes until its transaction ends, so no write falls
-- between the count and the counters.
CREATE OR REPLACE FUNCTION accord_recount_lists()
  RETURNS void
  LANGUAGE sql
AS $$
  LOCK TABLE "Article", "Visit", "Agreement", "Outcome", "Actor" IN SHARE MODE;
  DELETE FROM "ListCount";
  INSERT INTO "ListCount" ("list", "count")
  SELECT key, count(*) FROM (
    SELECT ARRAY['Article'] AS keys FROM "Article"
    UNION ALL SELECT ARRAY['Visit'] FROM "Visit"
    UNION ALL SELECT ARRAY['Agreement', 'Agreement.kind:' || "kind"::text] FROM "Agreement"
    UNION ALL SELECT ARRAY['Outcome', 'Outcome.status:' || "status"::text,
                           'Outcome.category:' || "category"::text] FROM "Outcome"
    UNION ALL SELECT ARRAY['Actor', 'Actor.kind:' || "kind"::text] FROM "Actor"
  ) rows_, unnest(keys) AS key
  WHERE key IS NOT NULL
  GROUP BY key;
$$;

-- Databases loaded with triggers off before this migration get exact counters now.
SELECT accord_recount_lists();
