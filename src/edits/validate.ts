/**
 * Input checks for edits. Each names the field it refuses (`input.name`, `input.partyIds[2]`)
 * and says what is allowed, so an editor can fix the request without reading the code.
 */
import { badInput } from "../errors.js";
import { keyOf } from "../ids.js";
import { NODES, type NodeType } from "../registry.js";
import { MAX_ALIAS_LENGTH, MAX_BODY_LENGTH, MAX_QUOTE_LENGTH } from "../text/rules.js";
import { atMost } from "./bounded.js";

export { keyOf };
import type { Prisma } from "../generated/prisma/client.js";

export type Tx = Prisma.TransactionClient;

/**
 * Longest accepted value of each kind of text field, in characters (UTF-16 code units). The
 * body, alias and quote caps live with the rules the seed shares (src/text/rules.ts).
 */
export const MAX_LENGTH = {
  name: MAX_ALIAS_LENGTH,
  alias: MAX_ALIAS_LENGTH,
  title: 500,
  slug: 200,
  location: 200,
  description: 5_000,
  statement: 2_000,
  quote: MAX_QUOTE_LENGTH,
  body: MAX_BODY_LENGTH,
} as const;

/** A required text: trimmed, not blank, not too long. */
/**
 * Characters that show nothing: whitespace, control and format characters (zero-width spaces,
 * joiners), the default-ignorable ones (the Hangul fillers, the combining grapheme joiner) and
 * the blank braille pattern.
 */
const INVISIBLE = /^[\s\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

export function text(field: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (INVISIBLE.test(trimmed)) {
    throw badInput(field, "must not be empty or only whitespace or invisible characters");
  }
  if (trimmed.length > max) {
    throw badInput(field, `must be at most ${max} characters, got ${trimmed.length}`, { max });
  }
  return trimmed;
}

/** An optional text: absent stays absent, null or blank clears it. */
export function optionalText(field: string, value: string | null | undefined, max: number) {
  if (value === undefined) return undefined;
  if (value === null || value.trim() === "") return null;
  // Invisible characters alone are refused by text(), not taken as a clear.
  return text(field, value, max);
}

/** A required field of an update may be left out, but not set to null. */
export function notNull<T>(field: string, value: T | null | undefined): T | undefined {
  if (value === null) throw badInput(field, "cannot be null");
  return value;
}

export function slug(field: string, value: string): string {
  const trimmed = text(field, value, MAX_LENGTH.slug);
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(trimmed)) {
    throw badInput(field, "must be lowercase letters and digits separated by single hyphens");
  }
  return trimmed;
}

export function language(field: string, value: string): string {
  if (!/^[a-z]{2}$/.test(value)) throw badInput(field, "must be an ISO 639-1 code such as `en`");
  return value;
}

export function wholeNumber(field: string, value: number, min: number, max = 2_147_483_647) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `must be a whole number from ${min} to ${max}, got ${value}`, {
      min,
      max,
    });
  }
  return value;
}

/** The ids among `keys` that name an object of `type`. */
async function existing(tx: Tx, type: NodeType, keys: number[]): Promise<Set<number>> {
  const rows = await tx.$queryRawUnsafe<{ id: number }[]>(
    `SELECT "id" FROM "${NODES[type].model}" WHERE "id" = ANY($1::int[])`,
    keys,
  );
  return new Set(rows.map((row) => row.id));
}

/**
 * The keys of a list of ids that must all name existing objects of `type`, each once.
 * `field` is the list's name (`input.partyIds`); errors name the element (`input.partyIds[1]`).
 * A list the schema bounds names its field (`Agreement.parties`): one longer than the bound is
 * refused before any id is read.
 */
export async function existingKeys(
  tx: Tx,
  field: string,
  ids: readonly string[],
  type: NodeType,
  bound?: `${string}.${string}`,
): Promise<number[]> {
  if (bound) {
    const [parent, list] = bound.split(".") as [string, string];
    atMost(field, ids, parent, list);
  }
  const keys = ids.map((id, i) => keyOf(`${field}[${i}]`, id, type));
  const seen = new Set<number>();
  keys.forEach((key, i) => {
    if (seen.has(key)) throw badInput(`${field}[${i}]`, `"${ids[i]}" is listed twice`);
    seen.add(key);
  });
  const found = await existing(tx, type, keys);
  keys.forEach((key, i) => {
    if (!found.has(key)) throw badInput(`${field}[${i}]`, `no ${type} has the id "${ids[i]}"`);
  });
  return keys;
}

/** The key of one id that must name an existing object of `type`. */
export async function existingKey(
  tx: Tx,
  field: string,
  id: string,
  type: NodeType,
): Promise<number> {
  const key = keyOf(field, id, type);
  if (!(await existing(tx, type, [key])).has(key)) {
    throw badInput(field, `no ${type} has the id "${id}"`);
  }
  return key;
}
