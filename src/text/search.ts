/**
 * Exact search for one passage in a body, in time linear in both. A loop of `indexOf(needle,
 * at + 1)` costs the needle's length per occurrence, so a 5,000-character quote of a letter
 * repeated, in a body of that letter, took seconds; Knuth–Morris–Pratt never looks back.
 */

/** Start offsets (UTF-16) of every occurrence of `needle` in `haystack`, overlapping ones included. */
export function occurrencesOf(haystack: string, needle: string): number[] {
  const found: number[] = [];
  const m = needle.length;
  // Most quotes occur once or not at all: the native search settles those at once.
  const first = m === 0 ? -1 : haystack.indexOf(needle);
  if (first < 0) return found;
  // failure[i]: length of the longest proper border of needle[0..i].
  const failure = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    const unit = needle.charCodeAt(i);
    while (k > 0 && needle.charCodeAt(k) !== unit) k = failure[k - 1]!;
    if (needle.charCodeAt(k) === unit) k++;
    failure[i] = k;
  }
  for (let i = first, k = 0; i < haystack.length; i++) {
    const unit = haystack.charCodeAt(i);
    while (k > 0 && needle.charCodeAt(k) !== unit) k = failure[k - 1]!;
    if (needle.charCodeAt(k) === unit) k++;
    if (k === m) {
      found.push(i - m + 1);
      k = failure[k - 1]!;
    }
  }
  return found;
}
