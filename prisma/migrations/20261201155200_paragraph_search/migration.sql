-- Search cuts an article's snippet from the paragraph that matches the query, not from the
-- whole body: ts_headline parses all the text it is given (about 1 ms per 10 kB body, for
-- each hit of a page). Each paragraph keeps its own full-text document, to find the
-- matching one among the article's paragraphs, and where its text lies in the body's UTF-8
-- bytes, to cut it out without counting characters (paragraph offsets count UTF-16 code
-- units, as JavaScript does; Postgres's substr counts code points and walks the text from its
-- start).
--
-- Both columns are kept by the triggers below, whoever writes the rows (the edits, the seed,
-- bulk SQL): a paragraph is indexed when it is inserted or its offsets change, and every
-- paragraph of an article again when its body changes.

-- The backfill below reads every body once (about 2 ms per article of 35 paragraphs): longer
-- than a statement_timeout on big tables.
SET LOCAL statement_timeout = 0;

-- AlterTable
ALTER TABLE "ArticleParagraph" ADD COLUMN     "bodyBytes" int4range,
ADD COLUMN     "searchVector" tsvector;

-- The byte offset in `bytes` (UTF-8) that lies `units` UTF-16 code units after byte offset
-- `from_byte`, which must begin a character. An offset inside a surrogate pair stops before its
-- character. Costs in proportion to `units`, not to `from_byte`.
CREATE FUNCTION accord_utf16_advance(bytes bytea, from_byte int, units int) RETURNS int
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
AS $$
DECLARE
  chunk bytea;
  size int;
  i int;
  lead_byte int;
  needed int;
  piece text;
  segment text;
  used int := 0;   -- UTF-16 units walked
  points int := 0; -- characters walked
  first boolean := true;
BEGIN
  IF units <= 0 THEN
    RETURN from_byte;
  END IF;
  -- `units` UTF-16 units take at most 3 bytes each: cut there, then drop a character cut in two.
  chunk := substring(bytes FROM from_byte + 1 FOR 3 * units);
  size := length(chunk);
  i := size;
  WHILE i > 0 AND get_byte(chunk, i - 1) & 192 = 128 LOOP
    i := i - 1;
  END LOOP;
  IF i > 0 THEN
    lead_byte := get_byte(chunk, i - 1);
    needed := CASE WHEN lead_byte < 128 THEN 1 WHEN lead_byte >= 240 THEN 4 WHEN lead_byte >= 224 THEN 3 ELSE 2 END;
    IF size - i + 1 < needed THEN
      chunk := substring(chunk FROM 1 FOR i - 1);
    END IF;
  END IF;
  piece := left(convert_from(chunk, 'UTF8'), units);
  -- One pass: the text between characters outside the BMP counts one unit a character, each
  -- of those characters two (a surrogate pair). Split once, walked once: linear in `units`.
  FOREACH segment IN ARRAY regexp_split_to_array(piece, '[\U00010000-\U0010FFFF]') LOOP
    IF NOT first THEN
      -- The character outside the BMP before this segment: whole, or not at all.
      EXIT WHEN used + 2 > units;
      used := used + 2;
      points := points + 1;
    END IF;
    first := false;
    IF used + length(segment) >= units THEN
      points := points + (units - used);
      used := units;
      EXIT;
    END IF;
    used := used + length(segment);
    points := points + length(segment);
  END LOOP;
  RETURN from_byte + octet_length(left(piece, points));
END
$$;

-- Sets "bodyBytes" and "searchVector" of every paragraph of `article` from its body.
CREATE FUNCTION accord_index_paragraphs(article int) RETURNS void
  LANGUAGE plpgsql
AS $$
DECLARE
  body_text text;
  bytes bytea;
  paragraph record;
  reached int := 0;    -- the UTF-16 offset walked to
  reached_at int := 0; -- its byte offset
  first_byte int;
  indexes int[] := '{}';
  starts int[] := '{}';
  ends int[] := '{}';
BEGIN
  SELECT "body" INTO body_text FROM "Article" WHERE "id" = article;
  IF body_text IS NULL THEN
    RETURN;
  END IF;
  bytes := convert_to(body_text, 'UTF8');
  IF length(bytes) = length(body_text) THEN
    -- ASCII: a UTF-16 offset is the byte offset.
    UPDATE "ArticleParagraph"
       SET "bodyBytes" = int4range("start", "end"),
           "searchVector" = to_tsvector('english', convert_from(substring(bytes FROM "start" + 1 FOR "end" - "start"), 'UTF8'))
     WHERE "articleId" = article;
    RETURN;
  END IF;
  -- Otherwise walk the paragraphs in body order, each step from the last: linear in the body.
  FOR paragraph IN
    SELECT "index", "start", "end" FROM "ArticleParagraph" WHERE "articleId" = article ORDER BY "start", "index"
  LOOP
    IF paragraph."start" < reached THEN
      reached := 0;
      reached_at := 0;
    END IF;
    first_byte := accord_utf16_advance(bytes, reached_at, paragraph."start" - reached);
    reached_at := accord_utf16_advance(bytes, first_byte, paragraph."end" - paragraph."start");
    reached := paragraph."end";
    indexes := indexes || paragraph."index";
    starts := starts || first_byte;
    ends := ends || reached_at;
  END LOOP;
  UPDATE "ArticleParagraph" p
     SET "bodyBytes" = int4range(m.first_byte, m.last_byte),
         "searchVector" = to_tsvector('english', convert_from(substring(bytes FROM m.first_byte + 1 FOR m.last_byte - m.first_byte), 'UTF8'))
    FROM unnest(indexes, starts, ends) AS m(paragraph, first_byte, last_byte)
   WHERE p."articleId" = article AND p."index" = m.paragraph;
END
$$;

CREATE FUNCTION accord_paragraphs_inserted() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM accord_index_paragraphs(a."articleId") FROM (SELECT DISTINCT "articleId" FROM inserted) a;
  RETURN NULL;
END
$$;

CREATE FUNCTION accord_paragraph_moved() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM accord_index_paragraphs(NEW."articleId");
  RETURN NULL;
END
$$;

CREATE FUNCTION accord_article_body_changed() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM accord_index_paragraphs(NEW."id");
  RETURN NULL;
END
$$;

-- Once per statement: an article's paragraphs arrive in one INSERT.
CREATE TRIGGER "ArticleParagraph_index_inserted"
  AFTER INSERT ON "ArticleParagraph" REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION accord_paragraphs_inserted();

-- Not fired by the indexing itself, which sets neither of these columns.
CREATE TRIGGER "ArticleParagraph_index_moved"
  AFTER UPDATE OF "articleId", "start", "end" ON "ArticleParagraph"
  FOR EACH ROW EXECUTE FUNCTION accord_paragraph_moved();

CREATE TRIGGER "Article_index_paragraphs"
  AFTER UPDATE OF "body" ON "Article"
  FOR EACH ROW WHEN (OLD."body" IS DISTINCT FROM NEW."body")
  EXECUTE FUNCTION accord_article_body_changed();

SELECT accord_index_paragraphs("id") FROM "Article";
