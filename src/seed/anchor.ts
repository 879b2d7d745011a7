/**
 * Turns quotes and actor names into offsets into an article's body, so that every citation
 * and mention satisfies `body.slice(start, end) === quote`.
 */

export interface ParagraphSpan {
  index: number;
  start: number;
  end: number;
}

export interface Anchor {
  start: number;
  end: number;
  quote: string;
  paragraphIndex: number;
}

export interface Mention extends Anchor {
  /** The alias that matched; equal to `quote`. */
  alias: string;
}

/** The quote is not in the body (or not as often as the occurrence asked for). */
export class QuoteNotFoundError extends Error {
  override name = "QuoteNotFoundError";
  constructor(
    readonly quote: string,
    readonly occurrence?: number,
    readonly occurrences = 0,
  ) {
    super(
      occurrence === undefined || occurrences === 0
        ? `quote not found in the article body: "${quote}"`
        : `occurrence ${occurrence} of the quote not found: it occurs ${occurrences} time(s) in the article body: "${quote}"`,
    );
  }
}

/** The quote occurs more than once and no occurrence says which one is meant. */
export class AmbiguousQuoteError extends Error {
  override name = "AmbiguousQuoteError";
  constructor(
    readonly quote: string,
    readonly occurrences: number,
  ) {
    super(
      `quote occurs ${occurrences} times in the article body; give the occurrence (1 to ${occurrences}): "${quote}"`,
    );
  }
}

/** Start offsets of every occurrence of `needle`, overlapping ones included. */
function occurrencesOf(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    found.push(at);
  }
  return found;
}

function paragraphAt(paragraphs: readonly ParagraphSpan[], offset: number): number {
  const paragraph = paragraphs.find((p) => p.start <= offset && offset < p.end);
  if (!paragraph) {
    throw new RangeError(`offset ${offset} of the body lies in no paragraph`);
  }
  return paragraph.index;
}

/**
 * Finds `quote` in `body` by exact match. `occurrence` (1-based) picks one when the quote
 * occurs more than once; without it a repeated quote is an error rather than a guess.
 */
export function anchorQuote(
  body: string,
  paragraphs: readonly ParagraphSpan[],
  quote: string,
  occurrence?: number,
): Anchor {
  if (quote === "") throw new QuoteNotFoundError(quote);
  if (occurrence !== undefined && (!Number.isInteger(occurrence) || occurrence < 1)) {
    throw new RangeError(`occurrence must be a whole number from 1, got ${occurrence}`);
  }
  const found = occurrencesOf(body, quote);
  if (found.length === 0) throw new QuoteNotFoundError(quote, occurrence);
  if (occurrence === undefined && found.length > 1) {
    throw new AmbiguousQuoteError(quote, found.length);
  }
  const start = found[(occurrence ?? 1) - 1];
  if (start === undefined) throw new QuoteNotFoundError(quote, occurrence, found.length);
  return {
    start,
    end: start + quote.length,
    quote,
    paragraphIndex: paragraphAt(paragraphs, start),
  };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
/** Scripts written without spaces between words: there, a name has no word boundary to test. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && WORD_CHAR.test(char) && !UNSPACED.test(char);
}

/** The whole code point ending just before `offset`, surrogate pairs included. */
function charBefore(text: string, offset: number): string | undefined {
  if (offset <= 0) return undefined;
  const low = text.charCodeAt(offset - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && offset >= 2 ? offset - 2 : offset - 1;
  return String.fromCodePoint(text.codePointAt(start)!);
}

function charAt(text: string, offset: number): string | undefined {
  const point = text.codePointAt(offset);
  return point === undefined ? undefined : String.fromCodePoint(point);
}

/**
 * True when the match neither continues a word before it nor runs on into one after it:
 * "Tajikistan" does not match inside "Tajikistani". An alias edge that is itself no word
 * character ("H.E.") needs no boundary there.
 */
function atWordBoundaries(body: string, start: number, alias: string): boolean {
  const end = start + alias.length;
  const first = charAt(alias, 0);
  const last = charBefore(alias, alias.length);
  if (isWordChar(first) && isWordChar(charBefore(body, start))) return false;
  if (isWordChar(last) && isWordChar(charAt(body, end))) return false;
  return true;
}

/**
 * Every place in `body` that names one actor under any of its `aliases`: exact, case-sensitive,
 * at word boundaries. Where matches overlap the longest wins (then the earliest), so
 * "H.E. Emomali Rahmon" is one mention, not also "Emomali Rahmon" inside it. Sorted by start.
 */
export function findMentions(
  body: string,
  paragraphs: readonly ParagraphSpan[],
  aliases: readonly string[],
): Mention[] {
  const candidates: { start: number; end: number; alias: string }[] = [];
  for (const alias of new Set(aliases)) {
    if (alias.trim() === "") throw new TypeError("an alias must not be empty");
    for (const start of occurrencesOf(body, alias)) {
      if (atWordBoundaries(body, start, alias)) {
        candidates.push({ start, end: start + alias.length, alias });
      }
    }
  }
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);

  const kept: typeof candidates = [];
  for (const candidate of candidates) {
    if (kept.every((k) => candidate.end <= k.start || k.end <= candidate.start)) {
      kept.push(candidate);
    }
  }
  kept.sort((a, b) => a.start - b.start);

  return kept.map(({ start, end, alias }) => ({
    start,
    end,
    quote: body.slice(start, end),
    paragraphIndex: paragraphAt(paragraphs, start),
    alias,
  }));
}
