/**
 * Relay-style connections with keyset pagination: a cursor holds the sort value and id of
 * the last row seen, and the next page starts right after it. No OFFSET, so a page costs
 * the same wherever it is in the list, and rows added meanwhile neither repeat nor vanish.
 */
import { badInput } from "./errors.js";
import type { NodeType } from "./ids.js";

export const MAX_PAGE_SIZE = 100;

type Direction = "asc" | "desc";
type SortValue = string | number | null;

/** How a list is ordered: one column (dates and nullable columns allowed), then `id`; or `id` alone. */
export interface Sort {
  field: string;
  direction: Direction;
  kind: "string" | "int" | "date";
  /** A nullable column; its nulls come last whatever the direction. */
  nullable?: boolean;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Page<Row> {
  edges: { cursor: string; node: Row }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export function pageSize(first: number | null | undefined, fallback = 20): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badInput("first", `must be between 1 and ${MAX_PAGE_SIZE}, got ${size}`, {
      min: 1,
      max: MAX_PAGE_SIZE,
    });
  }
  return size;
}

function sortValue(row: Record<string, unknown>, sort: Sort): SortValue {
  const value = row[sort.field];
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value as SortValue;
}

/** Which list a cursor belongs to: the same type in another order is another list. */
function listKey(type: NodeType, sort: Sort): string {
  return `${type}.${sort.field}.${sort.direction}`;
}

function encodeCursor(list: string, value: SortValue, id: number): string {
  return Buffer.from(JSON.stringify([list, value, id])).toString("base64url");
}

function decodeCursor(
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
    (sort.kind === "int" && Number.isInteger(value)) ||
    (sort.kind === "string" && typeof value === "string") ||
    (sort.kind === "date" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value));
  if (!validValue || !Number.isInteger(id)) throw malformed();
  return { value: value as SortValue, id: id as number };
}

/** Prisma `orderBy` for a sort. */
export function orderBy(sort: Sort) {
  if (sort.field === "id") return [{ id: sort.direction }];
  const column = sort.nullable ? { sort: sort.direction, nulls: "last" as const } : sort.direction;
  return [{ [sort.field]: column }, { id: sort.direction }];
}

/** Prisma `where` that selects the rows after a cursor. */
function after(sort: Sort, cursor: { value: SortValue; id: number }) {
  const beyond = sort.direction === "asc" ? "gt" : "lt";
  const idAfter = { id: { [beyond]: cursor.id } };
  if (sort.field === "id") return idAfter;
  if (cursor.value === null) return { [sort.field]: null, ...idAfter };
  const value = sort.kind === "date" ? new Date(`${cursor.value}T00:00:00Z`) : cursor.value;
  return {
    OR: [
      { [sort.field]: { [beyond]: value } },
      { [sort.field]: value, ...idAfter },
      ...(sort.nullable ? [{ [sort.field]: null }] : []),
    ],
  };
}

/**
 * One page of a list. `find` gets Prisma query arguments (filter, cursor condition, order and
 * limit) and `count` the size of the whole filtered list.
 */
export async function paginate<Row extends { id: number }, Where extends object>(
  type: NodeType,
  args: PageArgs,
  sort: Sort,
  where: Where,
  find: (query: {
    where: Where & object;
    orderBy: ReturnType<typeof orderBy>;
    take: number;
  }) => Promise<Row[]>,
  count: (where: Where) => Promise<number>,
): Promise<Page<Row>> {
  const size = pageSize(args.first);
  const cursor = args.after == null ? null : decodeCursor(args.after, type, sort);
  const pageWhere = cursor ? ({ AND: [where, after(sort, cursor)] } as unknown as Where) : where;
  const [rows, totalCount] = await Promise.all([
    find({ where: pageWhere, orderBy: orderBy(sort), take: size + 1 }),
    count(where),
  ]);
  const edges = rows.slice(0, size).map((row) => ({
    cursor: encodeCursor(listKey(type, sort), sortValue(row, sort), row.id),
    node: row,
  }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > size, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount,
  };
}
