-- What PostGraphile needs to answer the same questions as Accord over Accord's own tables.
-- PostGraphile exposes tables and functions; Accord's derived fields (a paragraph's text, the
-- name search of the actor directory, search across everything) are functions here, with the
-- same SQL expressions as Accord's, so both servers ask Postgres for the same work. Run on
-- every benchmark run (idempotent); Accord itself never calls these.

-- ArticleParagraph.text: the paragraph's slice of its article's body (offsets count from 0).
CREATE OR REPLACE FUNCTION "ArticleParagraph_text"(p "ArticleParagraph") RETURNS text
  LANGUAGE sql STABLE
AS $$
  SELECT substr(a.body, p.start + 1, p."end" - p.start) FROM "Article" a WHERE a.id = p."articleId"
$$;

-- Query.actorsMatching(search): actors whose name or an alias contains `search`, ignoring
-- case and accents, by name then id (Accord's `actors(filter: {search})`).
CREATE OR REPLACE FUNCTION actors_matching(search text) RETURNS SETOF "Actor"
  LANGUAGE sql STABLE
AS $$
  WITH q AS (
    SELECT '%' || replace(replace(replace(btrim(search), '\', '\\'), '%', '\%'), '_', '\_') || '%' AS pattern
  )
  SELECT a.* FROM "Actor" a
   WHERE a.id IN (
     SELECT "actorId" FROM "ActorAlias", q WHERE accord_unaccent(lower("alias")) LIKE accord_unaccent(lower(q.pattern))
     UNION
     SELECT "id" FROM "Actor", q WHERE accord_unaccent(lower("name")) LIKE accord_unaccent(lower(q.pattern)))
   ORDER BY a.name, a.id
$$;

-- Query.searchEverything(query, lim): Accord's `search` as one function: the best `lim` hits over
-- articles, visits, agreements, outcomes and actors, with a snippet, and the fields Accord's
-- Search operation shows for each kind of hit. An article's snippet is cut from its whole body
-- (Accord cuts it from the matching paragraph): the benchmark compares hits, not snippet text.
DROP FUNCTION IF EXISTS search_everything(text, int);
DROP TYPE IF EXISTS search_hit;
CREATE TYPE search_hit AS (
  type text,
  row_id int,
  score float8,
  snippet text,
  title text,
  slug text,
  kind text,
  ordinal int
);

CREATE FUNCTION search_everything(query text, lim int) RETURNS SETOF search_hit
  LANGUAGE sql STABLE
AS $$
  WITH q AS (
    SELECT websearch_to_tsquery('english', btrim($1)) AS tsq, accord_unaccent(lower(btrim($1))) AS plain,
           '%' || accord_unaccent(lower(replace(replace(replace(btrim($1), '\', '\\'), '%', '\%'), '_', '\_'))) || '%' AS pattern
  ),
  named AS (
    SELECT a."actorId" AS id,
           max(CASE WHEN accord_unaccent(lower(a."alias")) LIKE q.pattern THEN 1.0
                    ELSE word_similarity(q.plain, accord_unaccent(lower(a."alias"))) END) AS score
      FROM q, LATERAL (SELECT "id" FROM (SELECT "id" FROM "ActorAlias"
                                          WHERE accord_unaccent(lower("alias")) LIKE q.pattern
                                             OR q.plain <% accord_unaccent(lower("alias")) OFFSET 0) m
                        ORDER BY "id" DESC LIMIT 100) c JOIN "ActorAlias" a ON a."id" = c."id"
     GROUP BY a."actorId"
  ),
  -- The newest 100 matches of each kind are ranked (Accord's CANDIDATES_PER_KIND).
  hits AS (
    SELECT 'Article' AS type, t."id", ts_rank("searchVector", q.tsq) AS score
      FROM q, LATERAL (SELECT "id" FROM (SELECT "id" FROM "Article" WHERE "searchVector" @@ q.tsq OFFSET 0) m
                        ORDER BY "id" DESC LIMIT 100) c JOIN "Article" t ON t."id" = c."id"
    UNION ALL
    SELECT 'Visit', t."id", ts_rank(to_tsvector('english', "title"), q.tsq)
      FROM q, LATERAL (SELECT "id" FROM (SELECT "id" FROM "Visit" WHERE to_tsvector('english', "title") @@ q.tsq OFFSET 0) m
                        ORDER BY "id" DESC LIMIT 100) c JOIN "Visit" t ON t."id" = c."id"
    UNION ALL
    SELECT 'Agreement', t."id", ts_rank(to_tsvector('english', "title"), q.tsq)
      FROM q, LATERAL (SELECT "id" FROM (SELECT "id" FROM "Agreement" WHERE to_tsvector('english', "title") @@ q.tsq OFFSET 0) m
                        ORDER BY "id" DESC LIMIT 100) c JOIN "Agreement" t ON t."id" = c."id"
    UNION ALL
    SELECT 'Outcome', t."id", ts_rank(to_tsvector('english', "statement"), q.tsq)
      FROM q, LATERAL (SELECT "id" FROM (SELECT "id" FROM "Outcome" WHERE to_tsvector('english', "statement") @@ q.tsq OFFSET 0) m
                        ORDER BY "id" DESC LIMIT 100) c JOIN "Outcome" t ON t."id" = c."id"
    UNION ALL
    SELECT 'Actor', "id", max(score) FROM (
      SELECT t."id", ts_rank(to_tsvector('english', "name" || ' ' || coalesce("description", '')), q.tsq) AS score
      FROM q, LATERAL (SELECT "id" FROM (SELECT "id" FROM "Actor" WHERE to_tsvector('english', "name" || ' ' || coalesce("description", '')) @@ q.tsq OFFSET 0) m
                        ORDER BY "id" DESC LIMIT 100) c JOIN "Actor" t ON t."id" = c."id"
      UNION ALL SELECT id, score FROM named
    ) actors GROUP BY "id"
  ),
  best AS (SELECT * FROM hits ORDER BY score DESC, type, id LIMIT $2)
  SELECT best.type, best.id, best.score::float8,
    CASE best.type
      WHEN 'Article' THEN (SELECT ts_headline('english', "body", q.tsq, 'MaxWords=30, MinWords=12, MaxFragments=1, StartSel=**, StopSel=**') FROM "Article" WHERE "id" = best.id)
      WHEN 'Visit' THEN (SELECT ts_headline('english', "title", q.tsq, 'MaxWords=30, MinWords=12, MaxFragments=1, StartSel=**, StopSel=**') FROM "Visit" WHERE "id" = best.id)
      WHEN 'Agreement' THEN (SELECT ts_headline('english', "title", q.tsq, 'MaxWords=30, MinWords=12, MaxFragments=1, StartSel=**, StopSel=**') FROM "Agreement" WHERE "id" = best.id)
      WHEN 'Outcome' THEN (SELECT ts_headline('english', "statement", q.tsq, 'MaxWords=30, MinWords=12, MaxFragments=1, StartSel=**, StopSel=**') FROM "Outcome" WHERE "id" = best.id)
      ELSE (SELECT ts_headline('english', "name" || coalesce(': ' || "description", ''), q.tsq, 'MaxWords=30, MinWords=12, MaxFragments=1, StartSel=**, StopSel=**') FROM "Actor" WHERE "id" = best.id)
    END,
    CASE best.type
      WHEN 'Article' THEN (SELECT "title" FROM "Article" WHERE "id" = best.id)
      WHEN 'Visit' THEN (SELECT "title" FROM "Visit" WHERE "id" = best.id)
      WHEN 'Agreement' THEN (SELECT "title" FROM "Agreement" WHERE "id" = best.id)
      WHEN 'Outcome' THEN (SELECT "statement" FROM "Outcome" WHERE "id" = best.id)
      ELSE (SELECT "name" FROM "Actor" WHERE "id" = best.id)
    END,
    CASE WHEN best.type = 'Article' THEN (SELECT "slug" FROM "Article" WHERE "id" = best.id) END,
    CASE best.type
      WHEN 'Agreement' THEN (SELECT "kind"::text FROM "Agreement" WHERE "id" = best.id)
      WHEN 'Actor' THEN (SELECT "kind"::text FROM "Actor" WHERE "id" = best.id)
    END,
    CASE WHEN best.type = 'Outcome' THEN (SELECT "ordinal" FROM "Outcome" WHERE "id" = best.id) END
  FROM best, q
  ORDER BY best.score DESC, best.type, best.id
$$;
