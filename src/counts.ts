/**
 * The size of a list for a connection's `totalCount`. Lists that are a whole table, or a table
 * filtered on one counted column, read their size from "ListCount", which triggers keep exact
 * (prisma/migrations/*_list_counts): one row however long the list. Any other filter counts
 * its rows.
 */
import type { Database, NamedStatement } from "./db/database.js";

/** The columns whose values have counters, per table (the triggers' arguments). */
interface Counted {
  Article: never;
  Visit: never;
  Agreement: "kind";
  Outcome: "status" | "category";
  Actor: "kind";
}

type Filter<T extends keyof Counted> = Partial<Record<Counted[T], string | null>>;

const LIST_COUNT: NamedStatement = {
  name: "list_count",
  text: `SELECT coalesce((SELECT "count" FROM "ListCount" WHERE "list" = $1), 0) AS count`,
};

/**
 * The counter that holds the size of `table` filtered by `filter` (the filters a counter can
 * stand for), or `null` when other filters apply too or more than one is set.
 */
export function counterFor<T extends keyof Counted>(
  table: T,
  filter: Filter<T>,
  otherFilters: boolean,
): string | null {
  const set = Object.entries(filter).filter(([, value]) => value != null);
  if (otherFilters || set.length > 1) return null;
  return set.length === 0 ? table : `${table}.${set[0]![0]}:${String(set[0]![1])}`;
}

/** `count` of the list, read from its counter when there is one. */
export async function listSize<T extends keyof Counted>(
  db: Database,
  table: T,
  filter: Filter<T>,
  otherFilters: boolean,
  count: () => Promise<number>,
): Promise<number> {
  const list = counterFor(table, filter, otherFilters);
  if (list === null) return count();
  const [row] = await db.read<{ count: number }>(LIST_COUNT, [list]);
  return row!.count;
}
