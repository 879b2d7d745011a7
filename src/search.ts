/**
 * Search over everything Accord holds. Words go through Postgres full-text search (English
 * stemming, `websearch_to_tsquery` syntax: quotes, `or`, `-`); names and aliases also match
 * by substring and by trigram word similarity (`<%`: a misspelt name still finds its actor),
 * ignoring case and accents (`accord_unaccent`).
 * The expressions below are the ones the search indexes in prisma/migrations are built on
 * (Article's is the generated column "searchVector"): change them together.
 */
import type { Database, NamedStatement } from "./db/database.js";
import { fromJsonRow } from "./db/rows.js";
import { badInput } from "./errors.js";
import {
  Prisma,
  type Actor,
  type Agreement,
  type Outcome,
  type Visit,
} from "./generated/prisma/client.js";
import type { NodeType } from "./ids.js";
import { nodeLoader, type ArticleRow, type Loaders } from "./loaders.js";
import { pageSize } from "./pagination.js";

export const MAX_QUERY_LENGTH = 200;

const documents = {
  // A stored column (generated from title, subtitle and body): ranking reads it instead of
  // recomputing it from 10 kB of text for every match.
  Article: `"searchVector"`,
  Visit: `to_tsvector('english', "title")`,
  Agreement: `to_tsvector('english', "title")`,
  Outcome: `to_tsvector('english', "statement")`,
  Actor: `to_tsvector('english', "name" || ' ' || coalesce("description", ''))`,
} satisfies Record<Exclude<NodeType, "Citation" | "Mention" | "Revision">, string>;

/** `accord_unaccent(lower(x))`: how names are compared. */
const folded = (column: string) => `accord_unaccent(lower(${column}))`;

/** Escapes LIKE's wildcards so user input matches literally. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function searchText(argumentName: string, text: string): string {
  const trimmed = text.trim();
  if (trimmed.length === 0) throw badInput(argumentName, "must not be empty");
  if (trimmed.length > MAX_QUERY_LENGTH) {
    throw badInput(argumentName, `must be at most ${MAX_QUERY_LENGTH} characters`, {
      max: MAX_QUERY_LENGTH,
    });
  }
  return trimmed;
}

/**
 * The condition "the actor's name or an alias contains `text`", ignoring case and accents, on
 * "Actor" rows, with `$1` standing for `pattern`. The trigram indexes serve both halves.
 */
export function nameMatch(argumentName: string, text: string) {
  return {
    where: `"id" IN (SELECT "actorId" FROM "ActorAlias" WHERE ${folded(`"alias"`)} LIKE ${folded("$1")}
                     UNION SELECT "id" FROM "Actor" WHERE ${folded(`"name"`)} LIKE ${folded("$1")})`,
    pattern: `%${likeLiteral(searchText(argumentName, text))}%`,
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

type Kind = keyof typeof documents;

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
 * The newest CANDIDATES_PER_KIND matches of a kind, scored. The ids of all matches come from
 * the index first (`OFFSET 0` keeps the planner from walking the primary key backwards and
 * testing every row instead); only the newest are read and ranked.
 */
const ranked = (type: Kind, table: string) =>
  `SELECT '${type}' AS type, t."id", ts_rank(${documents[type]}, q.tsq) AS score
   FROM q, LATERAL (
     SELECT "id" FROM (SELECT "id" FROM "${table}" WHERE ${documents[type]} @@ q.tsq OFFSET 0) matches
     ORDER BY "id" DESC LIMIT ${CANDIDATES_PER_KIND}
   ) c JOIN "${table}" t ON t."id" = c."id"`;

/** An article's row as the loaders hold it: without the body (10 kB) and the search vector. */
const articleRow = (alias: string) =>
  `json_build_object(${Object.values(Prisma.ArticleScalarFieldEnum)
    .filter((column) => column !== "body")
    .map((column) => `'${column}', ${alias}."${column}"`)
    .join(", ")})`;

/**
 * The best `limit` matches across all kinds, each with a snippet and its row. One statement:
 * the candidates come from the indexes, and snippets and rows are read only for the hits
 * returned.
 */
const searchSql = (limit: number) => `
    WITH q AS (
      SELECT websearch_to_tsquery('english', $1) AS tsq, ${folded("$1")} AS plain,
             '%' || ${folded("$2")} || '%' AS pattern
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
    SELECT best.type, best.id, best.score::float8 AS score,
      CASE best.type
        WHEN 'Article' THEN (SELECT ts_headline('english', "body", q.tsq, ${HEADLINE}) FROM "Article" WHERE "id" = best.id)
        WHEN 'Visit' THEN (SELECT ts_headline('english', "title", q.tsq, ${HEADLINE}) FROM "Visit" WHERE "id" = best.id)
        WHEN 'Agreement' THEN (SELECT ts_headline('english', "title", q.tsq, ${HEADLINE}) FROM "Agreement" WHERE "id" = best.id)
        WHEN 'Outcome' THEN (SELECT ts_headline('english', "statement", q.tsq, ${HEADLINE}) FROM "Outcome" WHERE "id" = best.id)
        ELSE (SELECT ts_headline('english', "name" || coalesce(': ' || "description", ''), q.tsq, ${HEADLINE}) FROM "Actor" WHERE "id" = best.id)
      END AS snippet,
      CASE best.type
        WHEN 'Article' THEN (SELECT ${articleRow("r")} FROM "Article" r WHERE r."id" = best.id)
        WHEN 'Visit' THEN (SELECT row_to_json(r) FROM "Visit" r WHERE r."id" = best.id)
        WHEN 'Agreement' THEN (SELECT row_to_json(r) FROM "Agreement" r WHERE r."id" = best.id)
        WHEN 'Outcome' THEN (SELECT row_to_json(r) FROM "Outcome" r WHERE r."id" = best.id)
        ELSE (SELECT row_to_json(r) FROM "Actor" r WHERE r."id" = best.id)
      END AS row
    FROM best, q
    ORDER BY best.score DESC, best.type, best.id`;

/**
 * The search statement for `limit` hits. The limit is written into it: with `LIMIT $n`
 * Postgres re-plans the statement on every execution (about 1 ms), since it cannot price a
 * plan for an unknown limit; with a literal it plans each limit once per connection.
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

export async function searchHits(
  db: Database,
  query: string,
  first?: number | null,
): Promise<SearchHit[]> {
  const text = searchText("query", query);
  const statement = searchStatement(pageSize(first, 10));
  const hits = await db.read<SearchHit>(statement, [text, likeLiteral(text)]);
  return hits.map(
    (hit) =>
      ({ ...hit, row: fromJsonRow(hit.row as unknown as Record<string, unknown>) }) as SearchHit,
  );
}

/** Gives the request's loaders the hits' rows, so resolving their nodes sends no SQL. */
export function primeLoaders(loaders: Loaders, hits: SearchHit[]): void {
  for (const hit of hits) nodeLoader(loaders, hit.type).prime(hit.id, hit.row);
}
