/**
 * What Accord accepts as an article body, an alias and a quote, wherever the text comes from:
 * an edit, the seed or an import. Each check returns what is wrong in words an editor can act
 * on, or null; callers attach the field (`input.aliases[2]`, `actor tajikistan`).
 */
import { eng } from "stopword";

/**
 * Longest article body, in UTF-16 code units (what `String.length` counts and what citation
 * offsets index). Every step over a body is near-linear, so this bounds the work of one edit:
 * a body this long is split, scanned for mentions and re-anchored in well under a second.
 */
export const MAX_BODY_LENGTH = 1_000_000;

/** Longest alias (and actor name, which is always an alias), in UTF-16 code units. */
export const MAX_ALIAS_LENGTH = 200;

/** Longest quote a citation may hold, in UTF-16 code units. */
export const MAX_QUOTE_LENGTH = 5_000;

/**
 * Common English words: an alias made only of these would "mention" its actor in nearly every
 * article. The `stopword` package's English list: function words, no names.
 */
const COMMON_WORDS = new Set(eng);

/**
 * Whether `text` is well-formed UTF-16, with no lone surrogate (half a character): Postgres
 * would store U+FFFD in its place, and every offset after it would be off by one.
 * `String.prototype.isWellFormed` is in Node 20 but not in TypeScript's ES2023 library.
 */
export const isWellFormed = (text: string): boolean =>
  (text as string & { isWellFormed(): boolean }).isWellFormed();

/** Index of the first lone surrogate (half a character) in `text`, or -1 if there is none. */
export function loneSurrogateAt(text: string): number {
  if (isWellFormed(text)) return -1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return i;
    } else if (unit >= 0xdc00 && unit <= 0xdfff) {
      return i;
    }
  }
  return -1;
}

/** What makes `text` not well-formed UTF-16 (a lone surrogate), or null. */
export function malformed(text: string): string | null {
  const at = loneSurrogateAt(text);
  return at < 0
    ? null
    : `is not well-formed UTF-16: a lone surrogate (half of a character) at index ${at}`;
}

const LETTER = /\p{L}/u;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * What makes `alias` (trimmed) a spelling that would match noise rather than its actor, or
 * null when it is fine: fewer than 2 characters, no letter at all ("." or "2025"), or only
 * common English words ("the", "Of the"). Written in capitals a common word reads as an
 * acronym ("WHO", "IS", "US") and is allowed: matching is case-sensitive, so it only ever
 * matches capitals.
 */
export function aliasProblem(alias: string): string | null {
  const bad = malformed(alias);
  if (bad) return bad;
  if (alias.length > MAX_ALIAS_LENGTH) {
    return `must be at most ${MAX_ALIAS_LENGTH} characters, got ${alias.length}`;
  }
  if ([...alias].length < 2) {
    return `"${alias}" is too short: an alias needs at least 2 characters`;
  }
  if (!LETTER.test(alias)) {
    return `"${alias}" has no letter: an alias of digits or punctuation only would match noise`;
  }
  const words = alias.match(WORD) ?? [];
  if (alias !== alias.toUpperCase() && words.every((w) => COMMON_WORDS.has(w.toLowerCase()))) {
    return `"${alias}" is only common English words and would match almost every article; write an acronym in capitals`;
  }
  return null;
}

/**
 * What makes `quote` unfit to cite, or null: empty, only whitespace, beginning with
 * whitespace (which may lie between paragraphs, where no citation can start: the quote starts
 * on the words it cites), too long, or not well-formed UTF-16.
 */
export function quoteProblem(quote: string): string | null {
  if (quote.trim() === "") return "must not be empty or only whitespace";
  if (quote.length > MAX_QUOTE_LENGTH) {
    return `must be at most ${MAX_QUOTE_LENGTH} characters, got ${quote.length}`;
  }
  if (quote.trimStart() !== quote) {
    return "must begin with the quoted text, not with whitespace";
  }
  return malformed(quote);
}

/** What makes `body` unfit as an article body, or null. */
export function bodyProblem(body: string): string | null {
  if (body.trim() === "") return "must not be empty or only whitespace";
  if (body.length > MAX_BODY_LENGTH) {
    return `must be at most ${MAX_BODY_LENGTH} characters (UTF-16 code units), got ${body.length}`;
  }
  return malformed(body);
}
