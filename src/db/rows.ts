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
    if (typeof value === "string") row[field] = new Date(`${value}T00:00:00Z`);
  }
  for (const field of TIMESTAMP_FIELDS) {
    const value = row[field];
    if (typeof value === "string")
      row[field] = new Date(/[Zz+]/.test(value.slice(19)) ? value : `${value}Z`);
  }
  return row;
}
