/**
 * Rows read as JSON (`row_to_json`, `json_agg`): one statement can return a whole tree
 * that way, and dates arrive as text whatever the server's time zone.
 */
const DATE_FIELDS = ["publishedOn", "startDate", "endDate", "signedOn"];
const TIMESTAMP_FIELDS = ["createdAt", "updatedAt"];

/** JSON rows back into the shapes Prisma gives: dates and timestamps as Date objects. */
export function fromJsonRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const field of DATE_FIELDS) {
    const value = row[field];
    if (typeof value === "string") row[field] = dateOf(value);
  }
  for (const field of TIMESTAMP_FIELDS) {
    const value = row[field];
    if (typeof value === "string") row[field] = timestampOf(value);
  }
  return row;
}

/**
 * The digits of `text` from `start` to `end` as a number, or NaN when one is not a digit (or
 * the year is below 100).
 * Every list page revives a few hundred dates: read by position, as Postgres writes them, they
 * cost a third of what `Date`'s general parser does.
 */
function digits(text: string, start: number, end: number): number {
  // Date.UTC reads years 0–99 as 1900–1999: those take the general parser.
  if (start === 0 && text.charCodeAt(0) === 48 && text.charCodeAt(1) === 48) return NaN;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

/** `2025-06-01` as midnight UTC. */
function dateOf(text: string): Date {
  if (text.length !== 10) return new Date(`${text}T00:00:00Z`);
  const time = Date.UTC(digits(text, 0, 4), digits(text, 5, 7) - 1, digits(text, 8, 10));
  return Number.isNaN(time) ? new Date(`${text}T00:00:00Z`) : new Date(time);
}

/** `2025-06-01T09:30:00.123` (a `timestamp(3)`, UTC by Prisma's convention), or any ISO form. */
function timestampOf(text: string): Date {
  if (text.length === 23 && text[10] === "T") {
    const time = Date.UTC(
      digits(text, 0, 4),
      digits(text, 5, 7) - 1,
      digits(text, 8, 10),
      digits(text, 11, 13),
      digits(text, 14, 16),
      digits(text, 17, 19),
      digits(text, 20, 23),
    );
    if (!Number.isNaN(time)) return new Date(time);
  }
  return new Date(/[Zz+]/.test(text.slice(19)) ? text : `${text}Z`);
}
