/** Spans of text sorted by start, none overlapping: paragraphs, runs of an edit. */

/**
 * The position in `sorted` of the span holding `offset` (`start(span) <= offset < end(span)`),
 * by binary search, or -1 when none does.
 */
export function spanAt<T>(
  sorted: readonly T[],
  offset: number,
  start: (span: T) => number,
  end: (span: T) => number,
): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const span = sorted[mid]!;
    if (offset < start(span)) high = mid - 1;
    else if (offset >= end(span)) low = mid + 1;
    else return mid;
  }
  return -1;
}
