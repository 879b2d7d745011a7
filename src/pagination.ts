/**
 * Relay-style connections with keyset pagination: a cursor holds the sort value and id of
 * the last row seen, and the next page starts right after it. No OFFSET, so a page costs
 * the same wherever it is in the list, and rows added meanwhile neither repeat nor vanish.
 */
import { badInput } from "./errors.js";
import type { NodeType } from "./registry.js";
import { isWellFormed } from "./text/rules.js";

export const MAX_PAGE_SIZE = 100;

type Direction = "asc" | "desc";
type SortValue = string | number | null;

/** How a list is ordered: one column (dates and nullable columns allowed), then `id`; or `id` alone. */
export interface Sort {
  field: string;
  direction: Direction;
  kind: "string" | "int" | "date";
  /** A nullable column; its nulls come last whatever the direction, ordered by id. */
  nullable?: boolean;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<Row> {
  edges: { cursor: string; node: Row }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** The `pageInfo` of a page read forward: its edges, and whether more rows were found. */
export function pageInfo(edges: readonly { cursor: string }[], hasNextPage: boolean): PageInfo {
  return {
    hasNextPage,
    hasPreviousPage: false,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
  };
}

/** A page's size: `first`, from 0 (a page of no items, which the Relay spec allows) to 100. */
export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput("first", `must be between 0 and ${MAX_PAGE_SIZE}, got ${size}`, {
      min: 0,
      max: MAX_PAGE_SIZE,
    });
  }
  return size;
}

/**
 * The page sizes statements are written for: a page of `first` rows reads the smallest of
 * these that holds it and keeps `first`. Four LIMITs instead of a hundred: a client varying
 * `first` from 0 to 100 makes four statements, not a hundred, and each keeps a literal LIMIT
 * (with `LIMIT $n` Postgres plans a statement afresh on every execution). The usual sizes
 * (10, 20, 50, 100) read no row more than they ask for.
 */
export const PAGE_SIZE_BUCKETS = [10, 20, 50, 100] as const;

/** The smallest of PAGE_SIZE_BUCKETS that holds `size` rows (1 to MAX_PAGE_SIZE). */
export const sizeBucket = (size: number): number =>
  PAGE_SIZE_BUCKETS.find((bucket) => bucket >= size) ?? MAX_PAGE_SIZE;

export function sortValue(row: Record<string, unknown>, sort: Sort): SortValue {
  const value = row[sort.field];
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value as SortValue;
}

/** Which list a cursor belongs to: the same type in another order is another list. */
export function listKey(type: NodeType, sort: Sort): string {
  return `${type}.${sort.field}.${sort.direction}`;
}

export function encodeCursor(list: string, value: SortValue, id: number): string {
  return Buffer.from(JSON.stringify([list, value, id])).toString("base64url");
}

/** Postgres `int`: a cursor from elsewhere must not overflow the column it is compared with. */
const isInt4 = (value: unknown): value is number =>
  Number.isInteger(value) && Math.abs(value as number) <= 2 ** 31 - 1;

/**
 * A calendar date `YYYY-MM-DD` that exists (no 2025-13-45) and that Postgres's `date` can hold:
 * it has no year 0000 (the `Date` scalar refuses it too, src/resolvers/dates.ts).
 */
const isDate = (value: unknown): value is string =>
  typeof value === "string" &&
  /^\d{4}-\d{2}-\d{2}$/.test(value) &&
  !value.startsWith("0000") &&
  !Number.isNaN(Date.parse(value)) &&
  new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

export function decodeCursor(
  cursor: string,
  type: NodeType,
  sort: Sort,
): { value: SortValue; id: number } {
  const malformed = () =>
    badInput("after", "is not a cursor of this list; pass an `endCursor` or `cursor` it returned");
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString());
  } catch {
    throw malformed();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== listKey(type, sort))
    throw malformed();
  const [, value, id] = parsed as [unknown, unknown, unknown];
  const validValue =
    (value === null && sort.nullable) ||
    (sort.kind === "int" && isInt4(value)) ||
    (sort.kind === "string" &&
      typeof value === "string" &&
      !value.includes("\u0000") &&
      isWellFormed(value)) ||
    (sort.kind === "date" && isDate(value));
  if (!validValue || !isInt4(id)) throw malformed();
  return { value, id };
}
