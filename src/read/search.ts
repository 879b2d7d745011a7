/**
 * Search over everything Accord holds. Words go through Postgres full-text search (English
 * stemming, `websearch_to_tsquery` syntax: quotes, `or`, `-`); names and aliases also match
 * by substring and by trigram word similarity (`<%`: a misspelt name still finds its actor),
 * ignoring case and accents (`accord_unaccent`).
 * The expressions below are the ones the search indexes in prisma/migrations are built on
 * (Article's is the generated column "searchVector"): change them together.
 */
import type DataLoader from "dataloader";
import { ungated, type Gate } from "../busy.js";
import type { Database, NamedStatement } from "../db/database.js";
import { columnsOf, fromJsonRow } from "../db/rows.js";
import { badInput } from "../errors.js";
import type { Actor, Agreement, Outcome, Visit } from "../generated/prisma/client.js";
import { NODES, type SearchableType } from "../registry.js";
import { type ArticleRow, type Loaders } from "./loaders.js";
import { pageSize, sizeBucket } from "./pagination.js";

export const MAX_QUERY_LENGTH = 200;

/**
 * Most terms (lexemes, after Postgres drops stop words such as "the" and "of") a search may
 * hold. Matching and ranking cost grows with the terms; 12 covers any real question.
 */
export const MAX_QUERY_TERMS = 12;

/** `accord_unaccent(lower(x))`: how names are compared. */
const folded = (column: string) => `accord_unaccent(lower(${column}))`;

/** The LIKE pattern "starts with `param`" (escaped as below). */
const prefixPattern = (param: string) =>
  `replace(replace(replace(${folded(param)}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`;

/**
 * The LIKE pattern "contains `param`", with `param` folded as names are and LIKE's wildcards
 * escaped after the folding, so the input matches literally: folding turns some characters
 * into `%`, `_` or `\\` (U+2216 SET MINUS becomes a backslash), which escaping before it would
 * miss.
 */
const containsPattern = (param: string) => `'%' || ${prefixPattern(param)}`;

/**
 * The search text as compared: NFKC-normalised first, so that compatibility forms (fullwidth
 * `％` and `Ｊａｐａｒｏｖ`, ligatures) mean what they look like, then trimmed and checked.
 */
function searchText(argumentName: string, text: string): string {
  const trimmed = text.normalize("NFKC").trim();
  if (trimmed.length === 0) throw badInput(argumentName, "must not be empty");
  if (trimmed.length > MAX_QUERY_LENGTH) {
    throw badInput(argumentName, `must be at most ${MAX_QUERY_LENGTH} characters`, {
      max: MAX_QUERY_LENGTH,
    });
  }
  return trimmed;
}

/**
 * Name searches shorter than this match at the start of a name or alias, not anywhere in it:
 * the trigram indexes cannot serve a substring of one or two characters, and a search for
 * "a" anywhere read every name and alias (over half a second of database time at 100k
 * articles). "EU", "UN" or "K" still find the names they begin.
 */
export const MIN_SUBSTRING_SEARCH = 3;

/**
 * The condition "the actor's name or an alias contains `text`" (begins with it, for a text
 * shorter than MIN_SUBSTRING_SEARCH), ignoring case and accents, on "Actor" rows, with `$1`
 * standing for `pattern` (the text as compared). The trigram indexes serve both halves. A
 * text with no letter or digit is refused: trigrams are made of those, so punctuation alone
 * could only be matched by reading every name.
 */
export function nameMatch(argumentName: string, text: string) {
  const pattern = searchText(argumentName, text);
  if (!/[\p{L}\p{N}]/u.test(pattern))
    throw badInput(argumentName, "must contain a letter or a digit");
  const like = [...pattern].length < MIN_SUBSTRING_SEARCH ? prefixPattern : containsPattern;
  return {
    // The pattern as a scalar subquery: computed once per statement, not once per row tested.
    where: `"id" IN (SELECT "actorId" FROM "ActorAlias" WHERE ${folded(`"alias"`)} LIKE (SELECT ${like("$1")})
                     UNION SELECT "id" FROM "Actor" WHERE ${folded(`"name"`)} LIKE (SELECT ${like("$1")}))`,
    pattern,
  };
}

/**
 * How many matches of each kind are ranked at most: the newest ones (highest ids). Ranking
 * reads each match's document, so without a bound a common word would cost in proportion to
 * the data (every article matches "border": seconds at 100k articles, past the statement
 * timeout). Finding the matches and keeping the newest costs far less per match. A kind with
 * no more matches than this is ranked whole.
 */
export const CANDIDATES_PER_KIND = 100;

type Kind = SearchableType;

/** The row each kind of hit is loaded as, so that the hit's node costs no further lookup. */
interface HitRows {
  Article: ArticleRow;
  Visit: Visit;
  Agreement: Agreement;
  Outcome: Outcome;
  Actor: Actor;
}

export type SearchHit = {
  [K in Kind]: { type: K; id: number; score: number; snippet: string; row: HitRows[K] };
}[Kind];

const HEADLINE = `'MaxWords=30, MinWords=12, MaxFragments=1, StartSel=**, StopSel=**'`;

/**
 * How much of a paragraph its snippet is cut from at most: the first 16,000 characters (about
 * 2,500 words; a paragraph is rarely a tenth of that). A body without blank lines is one
 * paragraph, and `ts_headline` over 200 kB costs about 20 ms; over this window a snippet costs
 * at most about a millisecond. A match found only further on gets the window's opening words.
 */
export const SNIPPET_WINDOW = 16_000;

/** `text` cut to SNIPPET_WINDOW; a text within it in bytes is taken as it is (no count). */
const snippetText = (text: string) =>
  `CASE WHEN octet_length(${text}) <= ${SNIPPET_WINDOW} THEN ${text} ELSE left(${text}, ${SNIPPET_WINDOW}) END`;

/**
 * An article's snippet is cut from one of its paragraphs, not from its body: `ts_headline`
 * parses all the text it is given (about 1 ms per 10 kB body, 20 ms per 200 kB), and a
 * paragraph is a few hundred characters. The paragraph is the first that matches the whole
 * query, else the first holding any of its words (the words of an `and` may lie in different
 * paragraphs), else the first one (a hit through the title or subtitle alone). Each paragraph's
 * "searchVector" and "bodyBytes" (where its text lies in the body's UTF-8) are kept by triggers
 * (prisma/migrations/*_paragraph_search): an article's paragraphs are read by primary key and
 * the text is cut out by byte offsets, so a match deep in a long body costs what one near its
 * start does. An article without paragraph rows (written by SQL alone) gets its snippet from
 * the body's opening SNIPPET_WINDOW.
 */
const articleSnippet = `(SELECT ts_headline('english', ${snippetText("p.text")}, q.marked, ${HEADLINE})
        FROM "Article" a, LATERAL (
          -- Cut out after the LIMIT: once, not for every paragraph compared.
          SELECT convert_from(substring(convert_to(a."body", 'UTF8')
                   FROM lower(chosen."bodyBytes") + 1 FOR upper(chosen."bodyBytes") - lower(chosen."bodyBytes")), 'UTF8') AS text
          FROM (SELECT "bodyBytes" FROM "ArticleParagraph"
          WHERE "articleId" = a."id"
          ORDER BY coalesce("searchVector" @@ q.tsq, false) DESC,
                   coalesce("searchVector" @@ q."anyWord", false) DESC, "index"
          LIMIT 1) chosen
        ) p
        WHERE a."id" = best.id)`;

/**
 * The newest CANDIDATES_PER_KIND matches of a kind, scored. The ids of all matches come from
 * the index first (`OFFSET 0` keeps the planner from walking the primary key backwards and
 * testing every row instead); only the newest are read and ranked, each by its primary key in
 * a subquery of its own: joined instead, the planner read every agreement of 20,000 (a hash
 * join, 3 ms) to rank 100 of them.
 */
const ranked = (type: Kind, table: string) =>
  `SELECT '${type}' AS type, c."id",
     (SELECT ts_rank(${NODES[type].searchDocument}, q.tsq) FROM "${table}" WHERE "id" = c."id") AS score
   FROM q, LATERAL (
     SELECT "id" FROM (SELECT "id" FROM "${table}" WHERE ${NODES[type].searchDocument} @@ q.tsq OFFSET 0) matches
     ORDER BY "id" DESC LIMIT ${CANDIDATES_PER_KIND}
   ) c`;

/** An article's row as the loaders hold it: without the body (10 kB) and the search vector. */
const articleRow = (alias: string) =>
  `json_build_object(${columnsOf("Article", NODES.Article.omit)
    .map((column) => `'${column}', ${alias}."${column}"`)
    .join(", ")})`;

/**
 * The best `limit` matches across all kinds, each with a snippet and its row. One statement:
 * the candidates come from the indexes, and snippets and rows are read only for the hits
 * returned.
 */
const searchSql = (limit: number) => `
    WITH parsed AS (
      SELECT tsq,
             -- Its lexemes, each printed quoted with inner quotes doubled.
             (SELECT count(*)::int FROM regexp_matches(tsq::text, '''(?:[^'']|'''')*''', 'g')) AS terms
      FROM (SELECT websearch_to_tsquery('english', $1) AS tsq) t
    ),
    q AS (
      SELECT tsq, ${folded("$1")} AS plain, ${containsPattern("$1")} AS pattern,
             -- Snippets of a phrase query mark its words, not the phrase: ts_headline tests a
             -- phrase at every combination of positions (a 6-word phrase in 16 kB of one
             -- repeated word: 0.8 s per hit), any of its words at each position once.
             CASE WHEN strpos(tsq::text, '<') > 0
                  THEN replace(strip(to_tsvector('english', $1))::text, ''' ''', ''' | ''')::tsquery
                  ELSE tsq END AS marked,
             -- Its words that are not negated (\`-word\`): a paragraph holding one of them is
             -- a snippet for an article whose paragraphs match the query only together.
             (SELECT string_agg(m[2], ' | ')::tsquery
              -- A negated phrase, !( 'a' <-> 'b' ), goes whole: its words must not be marked.
              FROM regexp_matches(regexp_replace(tsq::text, '!\\s*\\([^()]*\\)', '', 'g'),
                                  '(!?)(''(?:[^'']|'''')*'')', 'g') m
              WHERE m[1] = '') AS "anyWord"
      -- A query over MAX_QUERY_TERMS searches nothing: the row below reports it.
      FROM parsed WHERE terms <= ${MAX_QUERY_TERMS}
    ),
    named AS (
      SELECT a."actorId" AS id,
             max(CASE WHEN ${folded(`a."alias"`)} LIKE q.pattern THEN 1.0
                      ELSE word_similarity(q.plain, ${folded(`a."alias"`)}) END) AS score
      FROM q, LATERAL (
        SELECT "id" FROM (
          SELECT "id" FROM "ActorAlias"
          WHERE ${folded(`"alias"`)} LIKE q.pattern OR q.plain <% ${folded(`"alias"`)} OFFSET 0
        ) matches ORDER BY "id" DESC LIMIT ${CANDIDATES_PER_KIND}
      ) c JOIN "ActorAlias" a ON a."id" = c."id"
      GROUP BY a."actorId"
    ),
    hits AS (
      ${ranked("Article", "Article")}
      UNION ALL ${ranked("Visit", "Visit")}
      UNION ALL ${ranked("Agreement", "Agreement")}
      UNION ALL ${ranked("Outcome", "Outcome")}
      UNION ALL
      SELECT 'Actor', "id", max(score) FROM (
        ${ranked("Actor", "Actor")}
        UNION ALL SELECT 'Actor', id, score FROM named
      ) actors GROUP BY "id"
    ),
    best AS (SELECT * FROM hits ORDER BY score DESC, type, id LIMIT ${limit})
    (SELECT best.type, best.id, best.score::float8 AS score,
      CASE best.type
        WHEN 'Article' THEN coalesce(${articleSnippet},
          (SELECT ts_headline('english', ${snippetText(`"body"`)}, q.marked, ${HEADLINE}) FROM "Article" WHERE "id" = best.id))
        WHEN 'Visit' THEN (SELECT ts_headline('english', "title", q.marked, ${HEADLINE}) FROM "Visit" WHERE "id" = best.id)
        WHEN 'Agreement' THEN (SELECT ts_headline('english', "title", q.marked, ${HEADLINE}) FROM "Agreement" WHERE "id" = best.id)
        WHEN 'Outcome' THEN (SELECT ts_headline('english', "statement", q.marked, ${HEADLINE}) FROM "Outcome" WHERE "id" = best.id)
        ELSE (SELECT ts_headline('english', "name" || coalesce(': ' || "description", ''), q.marked, ${HEADLINE}) FROM "Actor" WHERE "id" = best.id)
      END AS snippet,
      CASE best.type
        WHEN 'Article' THEN (SELECT ${articleRow("r")} FROM "Article" r WHERE r."id" = best.id)
        WHEN 'Visit' THEN (SELECT row_to_json(r) FROM "Visit" r WHERE r."id" = best.id)
        WHEN 'Agreement' THEN (SELECT row_to_json(r) FROM "Agreement" r WHERE r."id" = best.id)
        WHEN 'Outcome' THEN (SELECT row_to_json(r) FROM "Outcome" r WHERE r."id" = best.id)
        ELSE (SELECT row_to_json(r) FROM "Actor" r WHERE r."id" = best.id)
      END AS row
    FROM best, q
    ORDER BY best.score DESC, best.type, best.id)
    UNION ALL
    SELECT '${TOO_MANY_TERMS}', terms, 0, NULL, NULL FROM parsed WHERE terms > ${MAX_QUERY_TERMS}`;

/** The type of the one row answered for a query of too many terms; its id is their number. */
const TOO_MANY_TERMS = "TooManyTerms";

/**
 * The search statement for `limit` hits, one of PAGE_SIZE_BUCKETS (src/read/pagination.ts): four
 * statements, made once each. The limit is written into it: with `LIMIT $n` Postgres re-plans
 * the statement on every execution (about 1 ms), since it cannot price a plan for an unknown
 * limit; with a literal it plans each limit once per connection.
 */
const statements = new Map<number, NamedStatement>();
function searchStatement(limit: number): NamedStatement {
  let statement = statements.get(limit);
  if (!statement) {
    statement = { name: `search_hits_${limit}`, text: searchSql(limit) };
    statements.set(limit, statement);
  }
  return statement;
}

/**
 * The best `first` hits for `query`. The read runs in `gate`'s slots: its cost grows with the
 * matches, so a burst of searches must not take every pooled connection.
 */
export async function searchHits(
  db: Database,
  query: string,
  first?: number | null,
  gate: Gate = ungated,
): Promise<SearchHit[]> {
  const text = searchText("query", query);
  const size = pageSize(first, 10);
  const statement = searchStatement(sizeBucket(size));
  const rows = await gate.run(() => db.read<SearchHit>(statement, [text]));
  if ((rows[0]?.type as string) === TOO_MANY_TERMS) {
    const terms = rows[0]!.id;
    throw badInput("query", `must hold at most ${MAX_QUERY_TERMS} search terms, got ${terms}`, {
      max: MAX_QUERY_TERMS,
    });
  }
  const hits = rows.slice(0, size);
  return hits.map(
    (hit) =>
      ({ ...hit, row: fromJsonRow(hit.row as unknown as Record<string, unknown>) }) as SearchHit,
  );
}

/** Gives the request's loaders the hits' rows, so resolving their nodes sends no SQL. */
export function primeLoaders(loaders: Loaders, hits: SearchHit[]): void {
  // Each hit's row is the row of its type (SearchHit pairs them); the loaders are keyed apart.
  for (const hit of hits)
    (loaders.byId[hit.type] as DataLoader<number, object | null>).prime(hit.id, hit.row);
}
