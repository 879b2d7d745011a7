/**
 * Re-anchoring after a body edit: where each cited or mentioned passage of the old body stands
 * in the new one, or that the edit changed it. Pure; the caller stores the results.
 */
import { diffArrays } from "diff";
import { spanAt } from "./spans.js";

/** A passage of a body: `body.slice(start, end) === quote`. */
export interface Span {
  id: number;
  start: number;
  end: number;
  quote: string;
}

export interface ReanchorResult<T extends Span> {
  /** Spans found in the new body, with their new offsets, in input order. */
  moved: T[];
  /** Spans whose text the edit changed or removed, in input order. */
  orphaned: T[];
}

/** Text the old and the new body share: `old.slice(oldStart, oldStart + length)` is unchanged. */
interface Run {
  oldStart: number;
  newStart: number;
  length: number;
}

/** Coarse to fine: a changed line is compared word by word, a changed word by characters. */
const LEVELS: readonly ((text: string) => string[])[] = [
  (text) => text.match(/[^\r\n]+|\r\n|\r|\n/g) ?? [],
  (text) => text.match(/[\p{L}\p{N}\p{M}_]+|\s+|[^]/gu) ?? [],
  (text) => Array.from(text),
];

/**
 * Token lists longer than this together are first cut at tokens that occur once on each side
 * (patience anchors): Myers then only sees short pieces, which keeps edits scattered over a
 * large body cheap.
 */
const CUT_ABOVE = 128;

/** How often a piece may be cut again, which bounds the work on reordered text. */
const MAX_CUTS = 10;

/**
 * A piece that cannot be cut is given to Myers only up to this many tokens and this many
 * inserted plus deleted tokens (the O(D²) part); past either it counts as rewritten, and what it
 * keeps is found only at the next level or by the quote search.
 */
const MYERS_AT_MOST = 4_000;
const MAX_EDITS = 1_000;

/**
 * Where each span of `oldBody` stands in `newBody`. A span none of whose characters the edit
 * touched keeps its identity at its mapped offsets. A span the edit changed is orphaned, unless
 * its quote occurs exactly once in the new body, where it then moves (a paragraph moved whole);
 * a quote that occurs several times only ever follows the diff.
 *
 * The diff runs coarse to fine: lines, then words within changed lines, then characters within
 * changed words, each level first keeping the common head and tail. Complexity: jsdiff's Myers
 * diff, O((N + M) · D) for N and M tokens and D edits, on pieces of at most `CUT_ABOVE` tokens,
 * which long token lists are cut into at tokens unique to both sides (patience anchors,
 * O(N log N)). A local edit to a 1 MB body costs about a linear scan (tens of ms); rewriting
 * most of it, a few seconds at worst.
 *
 * @throws RangeError when an input span is not a non-empty passage of `oldBody`.
 */
export function reanchor<T extends Span>(
  oldBody: string,
  newBody: string,
  spans: readonly T[],
): ReanchorResult<T> {
  for (const span of spans) {
    if (span.quote === "" || oldBody.slice(span.start, span.end) !== span.quote) {
      throw new RangeError(
        `span ${span.id} (${span.start}–${span.end}) does not match its quote in the old body`,
      );
    }
  }
  const runs = spans.length === 0 ? [] : sharedRuns(oldBody, newBody);
  const moved: T[] = [];
  const orphaned: T[] = [];
  for (const span of spans) {
    const start = mapSpan(runs, span.start, span.end) ?? uniqueOccurrence(newBody, span.quote);
    if (start === null) {
      orphaned.push(span);
      continue;
    }
    const end = start + span.quote.length;
    if (newBody.slice(start, end) !== span.quote) {
      throw new Error(`reanchor bug: span ${span.id} mapped to ${start}–${end} off its quote`);
    }
    moved.push({ ...span, start, end });
  }
  return { moved, orphaned };
}

/** New start of `[start, end)` if it lies inside one unchanged run, else null. */
function mapSpan(runs: readonly Run[], start: number, end: number): number | null {
  const at = spanAt(
    runs,
    start,
    (r) => r.oldStart,
    (r) => r.oldStart + r.length,
  );
  if (at < 0) return null;
  const run = runs[at]!;
  return end <= run.oldStart + run.length ? run.newStart + (start - run.oldStart) : null;
}

function uniqueOccurrence(body: string, quote: string): number | null {
  const first = body.indexOf(quote);
  if (first < 0 || body.indexOf(quote, first + 1) >= 0) return null;
  return first;
}

/** Maximal runs of text kept by the edit, in order of both bodies. */
function sharedRuns(oldBody: string, newBody: string): Run[] {
  const runs: Run[] = [];
  const keep = (oldStart: number, newStart: number, length: number) => {
    if (length === 0) return;
    const last = runs.at(-1);
    // Runs found at different levels may abut; merged, a span across them still maps.
    if (
      last &&
      last.oldStart + last.length === oldStart &&
      last.newStart + last.length === newStart
    ) {
      last.length += length;
    } else {
      runs.push({ oldStart, newStart, length });
    }
  };
  align(oldBody, 0, oldBody.length, newBody, 0, newBody.length, 0, keep);
  return runs;
}

function align(
  oldText: string,
  oldFrom: number,
  oldTo: number,
  newText: string,
  newFrom: number,
  newTo: number,
  level: number,
  keep: (oldStart: number, newStart: number, length: number) => void,
): void {
  const tokenize = LEVELS[level];
  if (!tokenize) return;
  const oldTokens = tokenize(oldText.slice(oldFrom, oldTo));
  const newTokens = tokenize(newText.slice(newFrom, newTo));

  // The common head and tail are kept as they are: a single edit is then isolated exactly, where
  // Myers could pair a space inside inserted text with the one after the insertion point.
  const most = Math.min(oldTokens.length, newTokens.length);
  let head = 0;
  while (head < most && oldTokens[head] === newTokens[head]) head++;
  let tail = 0;
  while (
    tail < most - head &&
    oldTokens[oldTokens.length - 1 - tail] === newTokens[newTokens.length - 1 - tail]
  ) {
    tail++;
  }
  const headLength = textLength(oldTokens, 0, head);
  const tailLength = textLength(oldTokens, oldTokens.length - tail, oldTokens.length);
  keep(oldFrom, newFrom, headLength);

  const segments: Segment[] = [];
  diffTokens(
    oldTokens.slice(head, oldTokens.length - tail),
    newTokens.slice(head, newTokens.length - tail),
    0,
    segments,
  );
  const finest = level === LEVELS.length - 1;
  let oldIndex = head;
  let newIndex = head;
  let oldAt = oldFrom + headLength;
  let newAt = newFrom + headLength;
  // Start of the pending changed hunk, whose removed and added parts are refined together.
  let hunkOld = oldAt;
  let hunkNew = newAt;
  segments.forEach((segment, i) => {
    const oldLength = textLength(oldTokens, oldIndex, oldIndex + segment.old);
    const newLength = textLength(newTokens, newIndex, newIndex + segment.new);
    const weak =
      // Spaces and punctuation matched between two changes are mostly chance; comparing the
      // whole stretch at the next level finds what really stayed.
      !finest &&
      (oldAt > hunkOld || newAt > hunkNew) &&
      i < segments.length - 1 &&
      !oldTokens.slice(oldIndex, oldIndex + segment.old).some((t) => /[\p{L}\p{N}]/u.test(t));
    if (segment.equal && !weak) {
      if (oldAt > hunkOld && newAt > hunkNew) {
        align(oldText, hunkOld, oldAt, newText, hunkNew, newAt, level + 1, keep);
      }
      keep(oldAt, newAt, oldLength);
      hunkOld = oldAt + oldLength;
      hunkNew = newAt + newLength;
    }
    oldIndex += segment.old;
    newIndex += segment.new;
    oldAt += oldLength;
    newAt += newLength;
  });
  if (oldAt > hunkOld && newAt > hunkNew) {
    align(oldText, hunkOld, oldAt, newText, hunkNew, newAt, level + 1, keep);
  }
  keep(oldTo - tailLength, newTo - tailLength, tailLength);
}

/** A stretch of both token lists: `old` and `new` tokens, the same ones when `equal`. */
interface Segment {
  equal: boolean;
  old: number;
  new: number;
}

/**
 * Appends to `out` the equal and changed stretches of two token lists; a piece too costly to
 * diff counts as changed throughout.
 */
function diffTokens(oldTokens: string[], newTokens: string[], cuts: number, out: Segment[]): void {
  if (oldTokens.length === 0 && newTokens.length === 0) return;
  const size = oldTokens.length + newTokens.length;
  if (oldTokens.length > 0 && newTokens.length > 0) {
    const anchors = size > CUT_ABOVE && cuts < MAX_CUTS ? uniqueAnchors(oldTokens, newTokens) : [];
    if (anchors.length > 0) {
      let oldIndex = 0;
      let newIndex = 0;
      for (const [i, j] of anchors) {
        diffTokens(oldTokens.slice(oldIndex, i), newTokens.slice(newIndex, j), cuts + 1, out);
        out.push({ equal: true, old: 1, new: 1 });
        oldIndex = i + 1;
        newIndex = j + 1;
      }
      diffTokens(oldTokens.slice(oldIndex), newTokens.slice(newIndex), cuts + 1, out);
      return;
    }
    const changes =
      size <= MYERS_AT_MOST
        ? diffArrays(oldTokens, newTokens, { maxEditLength: MAX_EDITS })
        : undefined;
    if (changes) {
      for (const c of changes) {
        out.push({
          equal: !c.added && !c.removed,
          old: c.added ? 0 : c.count,
          new: c.removed ? 0 : c.count,
        });
      }
      return;
    }
  }
  out.push({ equal: false, old: oldTokens.length, new: newTokens.length });
}

/**
 * Pairs `[old index, new index]` of tokens that occur exactly once in each list, the longest
 * chain of them in the same order on both sides.
 */
function uniqueAnchors(
  oldTokens: readonly string[],
  newTokens: readonly string[],
): [number, number][] {
  const seen = new Map<string, { old: number; oldCount: number; new: number; newCount: number }>();
  oldTokens.forEach((token, i) => {
    const entry = seen.get(token);
    if (entry) entry.oldCount++;
    else seen.set(token, { old: i, oldCount: 1, new: -1, newCount: 0 });
  });
  newTokens.forEach((token, j) => {
    const entry = seen.get(token);
    if (!entry) return;
    entry.newCount++;
    entry.new = j;
  });
  // In order of the old list, as the map keeps first insertions.
  const pairs = [...seen.values()].filter((e) => e.oldCount === 1 && e.newCount === 1);

  // Longest increasing run of new indices: `ends[k]` is the pair ending the best chain of k + 1.
  const ends: number[] = [];
  const previous = new Int32Array(pairs.length).fill(-1);
  pairs.forEach((pair, p) => {
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (pairs[ends[mid]!]!.new < pair.new) low = mid + 1;
      else high = mid;
    }
    if (low > 0) previous[p] = ends[low - 1]!;
    ends[low] = p;
  });
  const chain: [number, number][] = [];
  for (let p = ends.at(-1) ?? -1; p >= 0; p = previous[p]!) {
    chain.push([pairs[p]!.old, pairs[p]!.new]);
  }
  return chain.reverse();
}

function textLength(tokens: readonly string[], from: number, to: number): number {
  let length = 0;
  for (let i = from; i < to; i++) length += tokens[i]!.length;
  return length;
}
