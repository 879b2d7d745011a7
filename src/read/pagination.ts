/**
 * Relay-style connections with keyset pagination: a cursor holds the sort value and id of
 * a row, and a page starts right after it (`first`/`after`) or ends right before it
 * (`last`/`before`, read in the reversed order). No OFFSET, so a page costs the same wherever
 * it is in the list, and rows added meanwhile neither repeat nor vanish.
 */
import { badInput } from "../errors.js";
import type { NodeType } from "../registry.js";
import { isWellFormed } from "../text/rules.js";

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
  last?: number | null;
  before?: string | null;
}

/** The page size when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;

/**
 * What a connection's arguments ask for: `size` rows after the cursor `after` (forward), or
 * before the cursor `before` (`backward`: `last`, or `before` alone). The Relay specification
 * also lets `first` and `last` narrow the same range and both cursors bound it; Accord pages
 * in one direction at a time, which each keyset index reads as one range, and refuses the
 * mixed forms naming the argument that mixes them in.
 */
export interface PageRequest {
  size: number;
  backward: boolean;
  cursor: string | null;
  /** The argument the cursor came in, for naming it when it is malformed. */
  cursorArgument: "after" | "before";
}

const MIXED = "page forward with `first`/`after` or backward with `last`/`before`";

/** Checks a connection's paging arguments (see `PageRequest`). */
export function pageRequest(args: PageArgs, fallback = DEFAULT_PAGE_SIZE): PageRequest {
  const given = (value: unknown) => value !== null && value !== undefined;
  if (given(args.first) && given(args.last)) {
    throw badInput("last", `cannot be given with \`first\`: ${MIXED}`);
  }
  if (given(args.after) && given(args.before)) {
    throw badInput("before", `cannot be given with \`after\`: ${MIXED}`);
  }
  if (given(args.first) && given(args.before)) {
    throw badInput("before", `cannot be given with \`first\`: ${MIXED}`);
  }
  if (given(args.last) && given(args.after)) {
    throw badInput("after", `cannot be given with \`last\`: ${MIXED}`);
  }
  const backward = given(args.last) || given(args.before);
  return backward
    ? {
        size: pageSize(args.last, fallback, "last"),
        backward,
        cursor: args.before ?? null,
        cursorArgument: "before",
      }
    : {
        size: pageSize(args.first, fallback),
        backward,
        cursor: args.after ?? null,
        cursorArgument: "after",
      };
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

/**
 * The edges and `pageInfo` of a page: `rows` as read in the page's direction (the reversed
 * order when `backward`), at most `size` of them kept, and a row beyond them meaning more
 * follow in that direction. The other way is not read: `hasPreviousPage` of a forward page
 * and `hasNextPage` of a backward one are `false`, as the Relay specification allows.
 */
export function pageOf<Row>(
  rows: readonly Row[],
  request: PageRequest,
  cursor: (row: Row) => string,
): Pick<Page<Row>, "edges" | "pageInfo"> {
  const kept = rows.slice(0, request.size);
  if (request.backward) kept.reverse();
  const edges = kept.map((node) => ({ cursor: cursor(node), node }));
  const more = rows.length > request.size;
  return {
    edges,
    pageInfo: {
      hasNextPage: !request.backward && more,
      hasPreviousPage: request.backward && more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * A page's size: `first` (or `last`, named by `argument`), from 0 (a page of no items, which
 * the Relay spec allows) to 100.
 */
export function pageSize(
  first: number | null | undefined,
  fallback = DEFAULT_PAGE_SIZE,
  argument = "first",
): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badInput(argument, `must be between 0 and ${MAX_PAGE_SIZE}, got ${size}`, {
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

/** The refusal of a cursor that this list did not give, naming its argument. */
export const notACursor = (argument: string) =>
  badInput(
    argument,
    `is not a cursor of this list; pass ${argument === "before" ? "a `startCursor`" : "an `endCursor`"} or \`cursor\` it returned`,
  );

export function decodeCursor(
  cursor: string,
  type: NodeType,
  sort: Sort,
  argument = "after",
): { value: SortValue; id: number } {
  const malformed = () => notACursor(argument);
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
