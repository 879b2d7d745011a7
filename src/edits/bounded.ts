/**
 * The bounded lists of the schema (`@listSize(assumedSize:)`, src/bounds.ts) on write: an edit
 * that would grow one past its maximum is refused, naming the field and the maximum. A list
 * that grows one item at a time (a visit's agreements, a fact's citations) is counted under a
 * lock on its parent row, so two concurrent edits cannot both take the last place.
 */
import { maxItems } from "../bounds.js";
import { badInput } from "../errors.js";
import type { Tx } from "./validate.js";

/** A list given whole, which replaces the old one: at most the bound of `type.listField`. */
export function atMost<T>(field: string, list: readonly T[], type: string, listField: string) {
  const max = maxItems(type, listField);
  if (list.length > max) {
    throw badInput(field, `lists ${list.length} items; ${type}.${listField} holds at most ${max}`, {
      max,
    });
  }
  return list;
}

/** The parent rows, locked in id order (the same order in every edit: no deadlock). */
async function lock(tx: Tx, table: "Article" | "Visit" | "Agreement" | "Outcome", ids: number[]) {
  await tx.$queryRawUnsafe(
    `SELECT 1 FROM "${table}" WHERE "id" = ANY($1::int[]) ORDER BY "id" FOR UPDATE`,
    ids,
  );
}

/** The rows the child table has for the parent, leaving out `except` (the row being moved). */
async function countOf(
  tx: Tx,
  table: string,
  column: string,
  parent: number,
  except: number | null,
): Promise<number> {
  const [row] = await tx.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1 AND "id" IS DISTINCT FROM $2`,
    parent,
    except,
  );
  return row!.n;
}

/** What `roomForOne` can count: a fact's or a visit's list of rows that point to it. */
const CHILDREN = {
  "Visit.agreements": { parent: "Visit", table: "Agreement", column: "visitId" },
  "Visit.outcomes": { parent: "Visit", table: "Outcome", column: "visitId" },
  "Visit.citations": { parent: "Visit", table: "Citation", column: "visitId" },
  "Agreement.citations": { parent: "Agreement", table: "Citation", column: "agreementId" },
  "Outcome.citations": { parent: "Outcome", table: "Citation", column: "outcomeId" },
} as const;

/**
 * Checks that `list` of parent `parentId` has room for one more row (`field` names the input
 * that adds it), locking the parent until the transaction ends. `except` is the row itself
 * when an update moves it, which does not count against its new parent.
 */
export async function roomForOne(
  tx: Tx,
  field: string,
  list: keyof typeof CHILDREN,
  parentId: number,
  except: number | null = null,
) {
  const { parent, table, column } = CHILDREN[list];
  const [type, listField] = list.split(".") as [string, string];
  const max = maxItems(type, listField);
  await lock(tx, parent, [parentId]);
  const count = await countOf(tx, table, column, parentId, except);
  if (count + 1 > max) {
    throw badInput(
      field,
      `the ${type} already has ${count} ${listField}; ${list} holds at most ${max}`,
      {
        max,
      },
    );
  }
}

/**
 * Checks that each article of `articleIds` may report one more visit, `visitId` (null for a
 * new visit): an article reports at most `Article.visits` visits. `field` is the input list.
 */
export async function articlesWithRoom(
  tx: Tx,
  field: string,
  articleIds: readonly number[],
  visitId: number | null,
) {
  if (articleIds.length === 0) return;
  const max = maxItems("Article", "visits");
  const ids = [...articleIds];
  await lock(tx, "Article", ids);
  const counts = await tx.$queryRawUnsafe<{ articleId: number; n: number }[]>(
    `SELECT "articleId", count(*)::int AS n FROM "ArticleVisit"
     WHERE "articleId" = ANY($1::int[]) AND "visitId" IS DISTINCT FROM $2
     GROUP BY "articleId"`,
    ids,
    visitId,
  );
  const byArticle = new Map(counts.map((row) => [row.articleId, row.n]));
  ids.forEach((id, i) => {
    const count = byArticle.get(id) ?? 0;
    if (count + 1 > max) {
      throw badInput(
        `${field}[${i}]`,
        `the article already reports ${count} visits; Article.visits holds at most ${max}`,
        { max },
      );
    }
  });
}
