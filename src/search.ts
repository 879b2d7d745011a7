/**
 * Search over everything Accord holds. Words go through Postgres full-text search (English
 * stemming, `websearch_to_tsquery` syntax: quotes, `or`, `-`); names and aliases also match
 * by substring and by trigram word similarity (`<%`: a misspelt name still finds its actor),
 * ignoring case and accents (`accord_unaccent`).
 * The expressions below are the ones the search indexes in prisma/migrations are built on:
 * change them together.
 */
import type { Database } from "./db/database.js";
import { badInput } from "./errors.js";
import type { NodeType } from "./ids.js";
import { pageSize } from "./pagination.js";

export const MAX_QUERY_LENGTH = 200;

const documents = {
  Article: `to_tsvector('english', "title" || ' ' || coalesce("subtitle", '') || ' ' || "body")`,
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

/** Ids of the actors whose name or an alias contains `text`, ignoring case and accents. */
export async function matchingActorIds(db: Database, text: string): Promise<number[]> {
  const pattern = `%${likeLiteral(searchText("filter.search", text))}%`;
  const rows = await db.prisma.$queryRawUnsafe<{ id: number }[]>(
    `SELECT "actorId" AS id FROM "ActorAlias" WHERE ${folded(`"alias"`)} LIKE ${folded("$1")}
     UNION
     SELECT "id" FROM "Actor" WHERE ${folded(`"name"`)} LIKE ${folded("$1")}`,
    pattern,
  );
  return rows.map((row) => row.id);
}

export interface SearchHit {
  type: NodeType;
  id: number;
  score: number;
  snippet: string;
}

const HEADLINE = `'MaxWords=30, MinWords=12, MaxFragments=1, StartSel=**, StopSel=**'`;

/**
 * The best `first` matches across all types, with a snippet each. One statement: the
 * candidates come from the indexes, and snippets are built only for the hits returned.
 */
export async function searchHits(db: Database, query: string, first?: number | null) {
  const text = searchText("query", query);
  const limit = pageSize(first, 10);
  const ranked = (type: keyof typeof documents, table: string) =>
    `SELECT '${type}' AS type, "id", ts_rank(${documents[type]}, q.tsq) AS score
     FROM "${table}", q WHERE ${documents[type]} @@ q.tsq`;
  const sql = `
    WITH q AS (
      SELECT websearch_to_tsquery('english', $1) AS tsq, ${folded("$1")} AS plain,
             '%' || ${folded("$2")} || '%' AS pattern
    ),
    named AS (
      SELECT a."actorId" AS id,
             max(CASE WHEN ${folded(`a."alias"`)} LIKE q.pattern THEN 1.0
                      ELSE word_similarity(q.plain, ${folded(`a."alias"`)}) END) AS score
      FROM "ActorAlias" a, q
      WHERE ${folded(`a."alias"`)} LIKE q.pattern OR q.plain <% ${folded(`a."alias"`)}
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
      END AS snippet
    FROM best, q
    ORDER BY best.score DESC, best.type, best.id`;
  return db.prisma.$queryRawUnsafe<SearchHit[]>(sql, text, likeLiteral(text));
}
