/**
 * Turns a quote into offsets into an article's body, so that every citation satisfies
 * `body.slice(start, end) === quote`.
 */
import { paragraphIndexAt, type ParagraphSpan } from "./paragraphs.js";
import { quoteProblem } from "./rules.js";
import { occurrencesOf } from "./search.js";

export interface Anchor {
  start: number;
  end: number;
  quote: string;
  paragraphIndex: number;
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

/** The quote is one no citation may hold (blank, too long, half a character...). */
export class InvalidQuoteError extends Error {
  override name = "InvalidQuoteError";
  constructor(
    readonly quote: string,
    readonly problem: string,
  ) {
    super(problem);
  }
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
  const problem = quoteProblem(quote);
  if (problem) throw new InvalidQuoteError(quote, problem);
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
  // A well-formed quote never starts or ends inside a surrogate pair of the body: its first
  // code unit is no low surrogate and its last no high one. Its start is never between
  // paragraphs either, as it does not begin with whitespace.
  return {
    start,
    end: start + quote.length,
    quote,
    paragraphIndex: paragraphIndexAt(paragraphs, start),
  };
}
