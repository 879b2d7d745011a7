/**
 * Rows read as JSON (`row_to_json`, `json_agg`): one statement can return a whole tree
 * that way, and dates arrive as text whatever the server's time zone.
 */
import { Prisma } from "../generated/prisma/client.js";

type ModelRow<M extends Prisma.ModelName> = Prisma.TypeMap["model"][M]["payload"]["scalars"];

/** The columns of model `M` that Prisma gives as `Date`s (dates and timestamps). */
type DateColumn<M extends Prisma.ModelName> = {
  [K in keyof ModelRow<M>]-?: Date extends NonNullable<ModelRow<M>[K]> ? K : never;
}[keyof ModelRow<M>] &
  string;

/**
 * Every model's `Date` columns, as prisma/schema.prisma declares them. The compiler holds this
 * to the schema: a model missing here, or a date column missing from its list, does not
 * type-check (`complete` below), so no row can come back with a date left as text.
 */
const DATE_COLUMNS = {
  Actor: ["createdAt", "updatedAt"],
  ActorAlias: [],
  Article: ["publishedOn", "createdAt", "updatedAt"],
  ArticleSource: [],
  ArticleAuthor: [],
  ArticleParagraph: [],
  ArticleVisit: [],
  Visit: ["startDate", "endDate", "createdAt", "updatedAt"],
  VisitParticipant: [],
  Agreement: ["signedOn", "createdAt", "updatedAt"],
  AgreementParty: [],
  Place: ["createdAt"],
  Outcome: ["createdAt", "updatedAt"],
  Citation: ["createdAt"],
  Mention: [],
  Revision: ["at"],
  ApiKey: ["createdAt", "revokedAt"],
  IdempotencyKey: ["createdAt", "expiresAt"],
  ListCount: [],
  CacheGeneration: [],
} as const satisfies { [M in Prisma.ModelName]: readonly DateColumn<M>[] };

type Listed<M extends Prisma.ModelName> = (typeof DATE_COLUMNS)[M][number];
type Unlisted = { [M in Prisma.ModelName]: Exclude<DateColumn<M>, Listed<M>> }[Prisma.ModelName];
type AnyDateColumn = { [M in Prisma.ModelName]: DateColumn<M> }[Prisma.ModelName];
/** A column named like some model's date column but holding something else in another model. */
type Clash = {
  [M in Prisma.ModelName]: Exclude<Extract<keyof ModelRow<M>, AnyDateColumn>, DateColumn<M>>;
}[Prisma.ModelName];
// Compile-time checks: each fails to type-check, naming the columns, when it does not hold.
const complete: [Unlisted] extends [never] ? true : Unlisted = true;
const unambiguous: [Clash] extends [never] ? true : Clash = true;
void [complete, unambiguous];

/**
 * The names revived, whatever the model: a name is a date column in every model that has it
 * (`Clash`), so a row's model need not be known. Postgres writes a date as `YYYY-MM-DD` and a
 * timestamp with its time: the text's length tells which.
 */
const REVIVED = [...new Set(Object.values(DATE_COLUMNS).flat())] as string[];

/**
 * Model `model`'s columns as prisma/schema.prisma declares its fields (a column Prisma cannot
 * read, like a search vector, is not one), without those in `omit`. Every statement that reads
 * rows for the resolvers names its columns from here.
 */
export function columnsOf(
  model: Prisma.ModelName,
  omit: readonly string[] = [],
): readonly string[] {
  const key = `${model}|${omit.join(",")}`;
  let columns = COLUMNS.get(key);
  if (!columns) {
    const fields = (Prisma as unknown as Record<string, Record<string, string>>)[
      `${model}ScalarFieldEnum`
    ];
    if (!fields) throw new Error(`Prisma has no fields for the model ${model}`);
    columns = Object.freeze(Object.values(fields).filter((column) => !omit.includes(column)));
    COLUMNS.set(key, columns);
  }
  return columns;
}

/**
 * `columnsOf`'s answers, worked out once: lists ask on every request. Its keys are the models
 * and `omit` lists the code names, so it holds a few dozen entries at most.
 */
const COLUMNS = new Map<string, readonly string[]>();

/** `columns` as an SQL select list, each quoted and, with `alias`, qualified by it. */
export const columnList = (columns: readonly string[], alias?: string) =>
  columns.map((column) => (alias ? `${alias}."${column}"` : `"${column}"`)).join(", ");

/**
 * The order of rows of `model` by the columns `order`, then by id where the model has one (so
 * the order is total), qualified by `alias`: `r."position", r."id"`; empty for no order at all.
 */
export function orderOf(model: Prisma.ModelName, order: readonly string[], alias: string): string {
  const unique = columnsOf(model).includes("id") && !order.includes("id") ? ["id"] : [];
  return [...order, ...unique].map((column) => `${alias}."${column}"`).join(", ");
}

/** JSON rows back into the shapes Prisma gives: dates and timestamps as Date objects. */
export function fromJsonRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const field of REVIVED) {
    const value = row[field];
    if (typeof value === "string")
      row[field] = value.length === 10 ? dateOf(value) : timestampOf(value);
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
