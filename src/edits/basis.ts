/**
 * Where a fact comes from, checked alike by every edit and import: a visit, agreement or
 * outcome cites a passage or carries the editor's note (its basis is `CITED` or `EDITORIAL`,
 * see `Basis` in schema.graphql), and a date says how precisely it is known. The database holds
 * the same rules (migration fact_basis); these checks refuse first, naming the field.
 */
import type { DatePrecision } from "../generated/graphql.js";
import { badInput } from "../errors.js";
import { text, type Tx } from "./validate.js";

/** Longest editorial note, in characters (UTF-16 code units). */
export const MAX_NOTE_LENGTH = 2_000;

/** The facts whose basis rests on their own citations, and the column linking a citation. */
export const FACT_COLUMN = {
  Visit: "visitId",
  Agreement: "agreementId",
  Outcome: "outcomeId",
} as const;

export type CitedFact = keyof typeof FACT_COLUMN;

/** A fact's basis, as its `editorialNote` makes it. */
export const basisOf = (row: { editorialNote: string | null }) =>
  row.editorialNote === null ? ("CITED" as const) : ("EDITORIAL" as const);

/** A note as given: absent stays absent, `null` removes it; blank is refused, not a removal. */
export function editorialNote(field: string, value: string | null | undefined) {
  if (value == null) return value;
  return text(field, value, MAX_NOTE_LENGTH);
}

/** Why a fact with neither a citation nor a note is refused, in the words of its kind. */
export function uncitedProblem(type: CitedFact): string {
  const fact = type === "Visit" ? "a visit" : type === "Agreement" ? "an agreement" : "an outcome";
  return `${fact} needs at least one citation, or an editorialNote saying what it rests on`;
}

/**
 * How a new fact's passages are cited, before its creation is recorded: by default those of its
 * input; an import gives its own, anchored beforehand (its facts were checked as a whole).
 */
export interface CiteOption {
  cite?: (factKey: number) => Promise<void>;
}

/**
 * A new fact's editorial note, checked. A fact stands on citations or a note: without either
 * it is refused on `input.citations`, unless the caller cites it itself (`cite`).
 */
export function newFactNote(
  type: CitedFact,
  input: { editorialNote?: string | null; citations?: readonly unknown[] | null },
  { cite }: CiteOption,
): string | null {
  const note = editorialNote("input.editorialNote", input.editorialNote) ?? null;
  if (!cite && (input.citations?.length ?? 0) === 0 && note == null) {
    throw badInput("input.citations", uncitedProblem(type));
  }
  return note;
}

/**
 * The note an update of a fact (locked by the update) writes: `undefined` when not given. A
 * note is removed only from a fact that cites a passage.
 */
export async function keptBasis(
  tx: Tx,
  type: CitedFact,
  key: number,
  note: string | null | undefined,
): Promise<string | null | undefined> {
  if (note !== null) return editorialNote("input.editorialNote", note);
  const cited = await tx.citation.count({ where: { [FACT_COLUMN[type]]: key } });
  if (cited === 0) {
    throw badInput(
      "input.editorialNote",
      `cannot be removed: the ${type.toLowerCase()} cites no passage (cite one first)`,
    );
  }
  return null;
}

/** A precision given without the date it would qualify. */
function noDateFor(dateField: string) {
  const name = dateField.slice(dateField.lastIndexOf(".") + 1);
  return badInput(`${dateField}Precision`, `there is no ${name} to give a precision to`);
}

const FIRST_DAY: Record<Exclude<DatePrecision, "DAY">, (d: Date) => boolean> = {
  YEAR: (d) => d.getUTCMonth() === 0 && d.getUTCDate() === 1,
  MONTH: (d) => d.getUTCDate() === 1,
};

/** What is wrong with a date at a precision, or null. */
export function precisionProblem(date: Date, precision: DatePrecision): string | null {
  if (precision === "DAY" || FIRST_DAY[precision](date)) return null;
  const day = date.toISOString().slice(0, 10);
  const first = precision === "YEAR" ? `${day.slice(0, 4)}-01-01` : `${day.slice(0, 7)}-01`;
  return `with precision ${precision} the date is the first day of its ${precision.toLowerCase()}: ${first}, not ${day}`;
}

/**
 * The precision to store beside a date: none without a date, `DAY` when not given. The date,
 * when the precision is coarser, must be the first day of its year or month (`dateField` names
 * it in the refusal).
 */
export function precisionOf(
  dateField: string,
  date: Date | null,
  precision: DatePrecision | null | undefined,
): DatePrecision | null {
  if (date === null) {
    if (precision != null) throw noDateFor(dateField);
    return null;
  }
  const chosen = precision ?? "DAY";
  const problem = precisionProblem(date, chosen);
  if (problem) throw badInput(dateField, problem);
  return chosen;
}

/** The last day a date at a precision can stand for: the end of its year or month. */
export function lastDay(date: Date, precision: DatePrecision | null): Date {
  if (precision === "DAY" || precision === null) return date;
  const last = new Date(date);
  // setUTCFullYear, not Date.UTC: that one reads the years 0 to 99 as 1900 to 1999.
  if (precision === "YEAR") last.setUTCFullYear(date.getUTCFullYear() + 1, 0, 0);
  else last.setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth() + 1, 0);
  return last;
}

/** A date and the precision it is known to. */
export interface DateAt {
  date: Date | null;
  precision: DatePrecision | null;
}

/** An input's date field `F` and `<F>Precision` beside it. */
type DateInput<F extends string> = { [K in F]?: Date | null } & {
  [K in `${F}Precision`]?: DatePrecision | null;
};

/** A stored row's date column `F` and `<F>Precision` beside it. */
type DateColumns<F extends string> = { [K in F]: Date | null } & {
  [K in `${F}Precision`]: DatePrecision | null;
};

/** The precision beside a date field, which the types above say is there. */
const precisionBeside = (row: object, field: string) =>
  (row as Record<string, DatePrecision | null | undefined>)[`${field}Precision`];

/** A new fact's date `field` and its precision, as its input gives them (see precisionOf). */
export function givenDate<F extends string>(input: DateInput<F>, field: F): DateAt {
  const date = input[field] ?? null;
  return { date, precision: precisionOf(`input.${field}`, date, precisionBeside(input, field)) };
}

/**
 * A date and its precision as an update leaves the stored ones: a new date takes the precision
 * given with it (`DAY` when none); a precision given alone applies to the date already stored.
 */
export function updatedDate<F extends string>(
  current: DateColumns<F>,
  input: DateInput<F>,
  field: F,
): DateAt {
  const stored = { date: current[field], precision: precisionBeside(current, field) ?? null };
  const date = input[field];
  const precision = precisionBeside(input, field);
  if (date === undefined && precision == null) return stored;
  const next = date === undefined ? stored.date : date;
  return { date: next, precision: precisionOf(`input.${field}`, next, precision) };
}

/** A visit's end is not before its start, each taken as the period it stands for. */
export function dateOrder(endField: string, start: DateAt, end: DateAt) {
  if (start.date && end.date && lastDay(end.date, end.precision) < start.date) {
    throw badInput(endField, "the visit cannot end before it starts");
  }
}
