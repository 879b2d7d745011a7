/**
 * Repeated paragraphs: a paragraph that says again, almost word for word, what an earlier one
 * said (a source printing a passage twice, an editor pasting one back). Readers are shown the
 * earlier paragraph it repeats (`duplicateOf`).
 */

/**
 * Two paragraphs whose word-bigram Sørensen–Dice coefficient (see `paragraphSimilarity`)
 * reaches this value count as the same paragraph. On the source article the reworded repeats
 * score 0.747 and up (the "We can confidently say …" pair is the lowest), while the most alike
 * distinct paragraphs, the two openings about the state visit, score 0.390: 0.6 leaves room on
 * both sides.
 */
export const DUPLICATE_THRESHOLD = 0.6;

/** Word tokens for comparing paragraphs: case-folded runs of letters and digits. */
export function wordTokens(text: string): string[] {
  return (
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * Adjacent word pairs, so that word order counts; a one-word text is its own gram. Lowercased
 * once more, as the Sørensen–Dice reference (`dice-coefficient`) normalises each gram.
 */
function wordBigrams(text: string): string[] {
  const words = wordTokens(text);
  if (words.length < 2) return words.map((word) => word.toLowerCase());
  return words.slice(1).map((word, i) => `${words[i]} ${word}`.toLowerCase());
}

function gramCounts(grams: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const gram of grams) counts.set(gram, (counts.get(gram) ?? 0) + 1);
  return counts;
}

/** Size of the multiset intersection of two gram counts, walking the smaller one. */
function sharedGrams(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [gram, count] of small) shared += Math.min(count, large.get(gram) ?? 0);
  return shared;
}

/**
 * Sørensen–Dice coefficient of the two texts' word-bigram multisets, from 0 (no pair of
 * adjacent words in common) to 1 (the same words in the same order, ignoring case and
 * punctuation): `2·|A ∩ B| / (|A| + |B|)`, the value `dice-coefficient` gives for the same
 * grams, counted with maps in linear time where that package compares every pair of grams.
 */
export function paragraphSimilarity(a: string, b: string): number {
  const left = wordBigrams(a);
  const right = wordBigrams(b);
  if (left.length === 0 || right.length === 0) return a.trim() === b.trim() ? 1 : 0;
  return (2 * sharedGrams(gramCounts(left), gramCounts(right))) / (left.length + right.length);
}

/**
 * Bounds on the work one paragraph may cause in `findRepeats`, reached only by text made to
 * reach them (thousands of distinct paragraphs built from the same rare word pairs): the
 * earlier originals kept per gram of the index, and the candidates scored per paragraph.
 */
const POSTINGS_PER_GRAM = 64;
const SCORED_PER_PARAGRAPH = 64;

/**
 * For each paragraph, the earliest earlier paragraph that is not itself a repeat and whose
 * `paragraphSimilarity` reaches `DUPLICATE_THRESHOLD`, or null: the result of comparing every
 * pair, without comparing every pair.
 *
 * - A text of fewer than two words scores 1 against the same word (or, wordless, the same
 *   text) and 0 against anything else, so a map from that key finds its original.
 * - Longer texts go through prefix filtering (the AllPairs similarity join), which is exact:
 *   a Dice score of t needs an overlap of at least α = ⌈t·|x| / (2 − t)⌉ grams, so two texts
 *   that reach it share a gram among the first |x| − α + 1 of each, in any fixed order of
 *   grams. Ordering rarest first keeps common pairs ("of the") out of those prefixes. Only
 *   prefix grams are indexed, only texts sharing one are scored, and the score decides.
 *
 * Work: linear in the words, with at most `POSTINGS_PER_GRAM` postings read per prefix gram
 * and `SCORED_PER_PARAGRAPH` scores per paragraph (past either, a candidate can be missed,
 * which only text built to exhaust them reaches).
 */
export function findRepeats(texts: readonly string[]): (number | null)[] {
  const repeatOf: (number | null)[] = texts.map(() => null);
  const counts: (Map<string, number> | null)[] = [];
  const sizes: number[] = [];
  const rarity = new Map<string, number>();
  const shortOriginals = new Map<string, number>();
  texts.forEach((text, i) => {
    const words = wordTokens(text);
    if (words.length < 2) {
      const key = words.length === 1 ? `w${words[0]!.toLowerCase()}` : `t${text.trim()}`;
      const original = shortOriginals.get(key);
      if (original === undefined) shortOriginals.set(key, i);
      else repeatOf[i] = original;
      counts.push(null);
      sizes.push(0);
      return;
    }
    const grams = gramCounts(wordBigrams(text));
    for (const gram of grams.keys()) rarity.set(gram, (rarity.get(gram) ?? 0) + 1);
    counts.push(grams);
    sizes.push(words.length - 1);
  });

  const t = DUPLICATE_THRESHOLD;
  // Slack keeps float rounding from ever tightening a bound past the exact one.
  const EPSILON = 1e-9;
  const postings = new Map<string, number[]>();
  const seen = new Uint8Array(texts.length);
  counts.forEach((grams, i) => {
    if (grams === null) return;
    const size = sizes[i]!;
    // The gram multiset as (gram, k) tokens, k = 1 … count, rarest gram first.
    const order = [...grams.keys()].sort(
      (a, b) => rarity.get(a)! - rarity.get(b)! || (a < b ? -1 : a > b ? 1 : 0),
    );
    const overlap = Math.max(1, Math.ceil((t * size) / (2 - t) - EPSILON));
    let room = size - overlap + 1;
    const prefix: string[] = [];
    for (const gram of order) {
      for (let k = 1; k <= grams.get(gram)! && room > 0; k++, room--) prefix.push(`${k} ${gram}`);
      if (room === 0) break;
    }

    const smallest = (t * size) / (2 - t) - EPSILON;
    const largest = ((2 - t) * size) / t + EPSILON;
    const touched: number[] = [];
    for (const token of prefix) {
      for (const j of postings.get(token) ?? []) {
        if (seen[j]) continue;
        seen[j] = 1;
        touched.push(j);
      }
    }
    for (const j of touched) seen[j] = 0;
    const candidates = touched.filter((j) => sizes[j]! >= smallest && sizes[j]! <= largest);
    candidates.sort((a, b) => a - b);
    for (const j of candidates.slice(0, SCORED_PER_PARAGRAPH)) {
      if ((2 * sharedGrams(grams, counts[j]!)) / (size + sizes[j]!) >= t) {
        repeatOf[i] = j;
        return;
      }
    }
    for (const token of prefix) {
      const list = postings.get(token);
      if (!list) postings.set(token, [i]);
      else if (list.length < POSTINGS_PER_GRAM) list.push(i);
    }
  });
  return repeatOf;
}
