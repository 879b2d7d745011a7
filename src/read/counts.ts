/**
 * The size of a list for a connection's `totalCount`. Lists that are a whole table, or a table
 * filtered on one counted column, read their size from "ListCount", which triggers keep exact
 * (prisma/migrations/*_list_counts, *_list_count_rows); any other filter counts its rows.
 *
 * A list's size is the sum of its "ListCount" rows. A write adds its change to a row no other
 * transaction holds (SKIP LOCKED) and folds the list's other free rows into it, or adds a row
 * when all are held: writers never wait for each other's counter, and each change commits with
 * the rows it counts, so a reader's snapshot sums exactly to the rows it can page through. A
 * list has at most one row more than the transactions that wrote it at the same time, and is
 * folded back to one row by its next write that meets no other, so the sum reads a few index
 * entries whatever the size of the table. (Insert-only deltas would leave a dead row per write
 * and need a compactor, and the embedded database has no autovacuum; shards picked by backend
 * pid still collide.)
 */

/** The columns whose values have counters, per table (the triggers' arguments). */
interface Counted {
  Article: never;
  Visit: never;
  Agreement: "kind";
  Outcome: "status" | "category";
  Actor: "kind";
}

type Filter<T extends keyof Counted> = Partial<Record<Counted[T], string | null>>;

/** The size of the list named by the SQL expression `list`, as an SQL int expression. */
export function counterSum(list: string): string {
  return `(SELECT coalesce(sum("count"), 0)::int FROM "ListCount" WHERE "list" = ${list})`;
}

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
