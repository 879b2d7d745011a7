-- CreateTable
CREATE TABLE "CacheGeneration" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "generation" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "CacheGeneration_pkey" PRIMARY KEY ("id")
);

-- Written by hand: what tells every instance which cached responses a commit made stale
-- (src/cache/invalidation.ts).
--
-- Every data table has statement-level triggers that send, on the channel `accord_cache`, the
-- objects its changed rows belong to as `<Type>:<key>` words (a citation: itself, its article
-- and its fact; a join row: both its parents; an UPDATE: the parents before and after). The
-- tags come from the rows written, so no mutation has to remember them. Postgres delivers a
-- notification only at commit, and in commit order. A payload is `<token>|<words>`, where the
-- token is the writing transaction's `accord.cache_token` (empty for writes from outside
-- Accord), in batches that stay under NOTIFY's 8000-byte limit; TRUNCATE sends `<token>|*`.
-- The price: Postgres takes one lock for every notifying commit of the cluster, held while the
-- commit is written, so such commits follow one another (a fraction of a millisecond each).

-- One row: the generation that namespaces the response cache's keys in Redis. Kept here, not
-- in Redis, so that a Redis restarted with old data holds only keys of an old generation.
ALTER TABLE "CacheGeneration" ADD CONSTRAINT "CacheGeneration_one_row" CHECK ("id" = 1);
INSERT INTO "CacheGeneration" ("id", "generation") VALUES (1, 0);

-- accord_cache_notify(): the trigger function. Its arguments say which words a row gives:
-- 'Citation:id' is the word `Citation:<id>`, 'Outcome:outcomeId' the word `Outcome:<outcomeId>`
-- (none when the column is null).
CREATE OR REPLACE FUNCTION accord_cache_notify()
  RETURNS trigger
  LANGUAGE plpgsql
AS $$
DECLARE
  token text := coalesce(current_setting('accord.cache_token', true), '');
  words text := '';
  argument text;
  sources text;
  word text;
  batch text := '';
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    PERFORM pg_notify('accord_cache', token || '|*');
    RETURN NULL;
  END IF;
  FOREACH argument IN ARRAY TG_ARGV LOOP
    words := concat_ws(', ', nullif(words, ''),
      format('%L || %I', split_part(argument, ':', 1) || ':', split_part(argument, ':', 2)));
  END LOOP;
  sources := concat_ws(' UNION ',
    CASE WHEN TG_OP IN ('INSERT', 'UPDATE')
      THEN format('SELECT unnest(ARRAY[%s]) AS word FROM new_rows', words) END,
    CASE WHEN TG_OP IN ('DELETE', 'UPDATE')
      THEN format('SELECT unnest(ARRAY[%s]) AS word FROM old_rows', words) END);
  FOR word IN EXECUTE format('SELECT DISTINCT word FROM (%s) w WHERE word IS NOT NULL ORDER BY word', sources)
  LOOP
    IF length(batch) + length(word) > 7000 THEN
      PERFORM pg_notify('accord_cache', token || '|' || batch);
      batch := '';
    END IF;
    batch := concat_ws(' ', nullif(batch, ''), word);
  END LOOP;
  IF batch <> '' THEN
    PERFORM pg_notify('accord_cache', token || '|' || batch);
  END IF;
  RETURN NULL;
END
$$;

-- A generation moved on (a writer that could not evict in Redis): every instance switches.
CREATE OR REPLACE FUNCTION accord_cache_generation_notify()
  RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM pg_notify('accord_cache', '!generation ' || NEW."generation");
  RETURN NULL;
END
$$;

CREATE TRIGGER "CacheGeneration_notify" AFTER UPDATE ON "CacheGeneration"
  FOR EACH ROW EXECUTE FUNCTION accord_cache_generation_notify();

-- The triggers: a transition table belongs to one event, so three per table, and TRUNCATE.
DO $$
DECLARE
  watched constant text[][] := ARRAY[
    ['Actor', 'Actor:id'],
    ['ActorAlias', 'Actor:actorId'],
    ['Article', 'Article:id, Actor:publisherId'],
    ['ArticleAuthor', 'Article:articleId, Actor:actorId'],
    ['ArticleParagraph', 'Article:articleId'],
    ['ArticleVisit', 'Article:articleId, Visit:visitId'],
    ['Visit', 'Visit:id'],
    ['VisitParticipant', 'Visit:visitId, Actor:actorId'],
    ['Agreement', 'Agreement:id, Visit:visitId'],
    ['AgreementParty', 'Agreement:agreementId, Actor:actorId'],
    ['Outcome', 'Outcome:id, Visit:visitId'],
    ['Citation', 'Citation:id, Article:articleId, Visit:visitId, Agreement:agreementId, Outcome:outcomeId'],
    ['Mention', 'Mention:id, Actor:actorId, Article:articleId']
  ];
  entry text[];
  arguments text;
BEGIN
  FOREACH entry SLICE 1 IN ARRAY watched LOOP
    SELECT string_agg(quote_literal(trim(a)), ', ') INTO arguments
    FROM unnest(string_to_array(entry[2], ',')) a;
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify(%s)',
      entry[1] || '_cache_insert', entry[1], arguments);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify(%s)',
      entry[1] || '_cache_update', entry[1], arguments);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
      FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify(%s)',
      entry[1] || '_cache_delete', entry[1], arguments);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
      FOR EACH STATEMENT EXECUTE FUNCTION accord_cache_notify()',
      entry[1] || '_cache_truncate', entry[1]);
  END LOOP;
END
$$;
