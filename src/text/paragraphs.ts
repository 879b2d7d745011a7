/**
 * An article body's paragraphs, as offsets into the body itself: the seed and an editor's body
 * are split by the same rules, so a body pasted from the source gets the seed's paragraphs.
 */
import { findRepeats } from "./repeats.js";
import { spanAt } from "./spans.js";

/** A paragraph's place in its body (UTF-16 offsets): `body.slice(start, end)` is its text. */
export interface ParagraphSpan {
  index: number;
  start: number;
  end: number;
}

export interface Paragraph extends ParagraphSpan {
  /** Index of the earlier paragraph this one repeats almost word for word (`findRepeats`). */
  duplicateOf: number | null;
}

/** The body splits into more paragraphs than an article may hold. */
export class TooManyParagraphsError extends RangeError {
  override name = "TooManyParagraphsError";
  constructor(
    readonly count: number,
    readonly max: number,
  ) {
    super(`the body has ${count} paragraphs; an article holds at most ${max}`);
  }
}

/** A line opening a numbered list item ("1. ", "2) "): the item is a paragraph of its own. */
const ORDERED_ITEM = /^\d+[.)]\s/;

/**
 * Where each paragraph of `text` starts and ends. Paragraphs are separated by one or more
 * blank lines (whitespace-only lines count as blank; `\n`, `\r\n` and `\r` all end a line), and
 * each item of a numbered list is a paragraph of its own, so that the source's ordinals stay
 * one to a paragraph whether or not blank lines separate them. A paragraph's span is trimmed of
 * surrounding whitespace; other line breaks inside it are kept.
 */
export function paragraphSpans(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  let open: { start: number; end: number } | null = null;
  const lineBreak = /\r\n|\r|\n/g;
  let lineStart = 0;
  for (;;) {
    const found = lineBreak.exec(text);
    const lineEnd = found ? found.index : text.length;
    const line = text.slice(lineStart, lineEnd);
    const content = line.trim();
    if (content === "" || (open && ORDERED_ITEM.test(content))) {
      if (open) spans.push(open);
      open = null;
    }
    if (content !== "") {
      const lead = line.length - line.trimStart().length;
      const trail = line.length - line.trimEnd().length;
      open ??= { start: lineStart + lead, end: 0 };
      open.end = lineEnd - trail;
    }
    if (!found) break;
    lineStart = found.index + found[0].length;
  }
  if (open) spans.push(open);
  return spans;
}

/**
 * The paragraphs of `body` (`paragraphSpans`), each with the earlier paragraph it repeats.
 * More than `max` paragraphs throw `TooManyParagraphsError` before any of them is compared.
 */
export function splitParagraphs(body: string, max = Infinity): Paragraph[] {
  const spans = paragraphSpans(body);
  if (spans.length > max) throw new TooManyParagraphsError(spans.length, max);
  const duplicates = findRepeats(spans.map((s) => body.slice(s.start, s.end)));
  return spans.map((span, index) => ({
    index,
    start: span.start,
    end: span.end,
    duplicateOf: duplicates[index] ?? null,
  }));
}

/**
 * Index of the paragraph holding `offset`, by binary search: paragraphs sorted by `start`, as
 * `splitParagraphs` gives them.
 */
export function paragraphIndexAt(paragraphs: readonly ParagraphSpan[], offset: number): number {
  const at = spanAt(
    paragraphs,
    offset,
    (p) => p.start,
    (p) => p.end,
  );
  if (at < 0) throw new RangeError(`offset ${offset} of the body lies in no paragraph`);
  return paragraphs[at]!.index;
}
