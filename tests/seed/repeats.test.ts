/**
 * Repeated paragraphs, found without comparing every pair: the results must be those of the
 * pairwise comparison the seed has always made (`dice-coefficient` over word bigrams, the
 * earliest earlier original reaching the threshold), at a cost that grows with the text.
 */
import { describe, expect, it } from "@jest/globals";
import { diceCoefficient } from "dice-coefficient";
import fc from "fast-check";
import {
  DUPLICATE_THRESHOLD,
  findRepeats,
  paragraphSimilarity,
  wordTokens,
} from "../../src/text/repeats.js";

/** The comparison as the seed made it before: every earlier original, scored by the package. */
function pairwise(texts: readonly string[]): (number | null)[] {
  const bigrams = (text: string) => {
    const words = wordTokens(text);
    return words.length < 2 ? words : words.slice(1).map((w, i) => `${words[i]} ${w}`);
  };
  const score = (a: string, b: string) => {
    const left = bigrams(a);
    const right = bigrams(b);
    if (left.length === 0 || right.length === 0) return a.trim() === b.trim() ? 1 : 0;
    return diceCoefficient(left, right);
  };
  const result: (number | null)[] = [];
  texts.forEach((text, i) => {
    let original: number | null = null;
    for (let j = 0; j < i && original === null; j++) {
      if (result[j] === null && score(texts[j]!, text) >= DUPLICATE_THRESHOLD) original = j;
    }
    result.push(original);
  });
  return result;
}

describe("paragraphSimilarity", () => {
  it.each([
    // 5 bigrams each, 3 shared: 2·3 / 10.
    ["alpha beta gamma delta epsilon zeta", "alpha beta gamma delta eta theta", 0.6],
    ["alpha beta gamma delta epsilon zeta", "alpha beta gamma eta theta iota", 0.4],
    // Case and punctuation do not count; word order does.
    ["The border, at last!", "the BORDER at last", 1],
    ["beta alpha", "alpha beta", 0],
    // A pair counts as often as it occurs on both sides: "a b" twice and once, 2·1 / (3 + 1).
    ["a b a b", "a b", 0.5],
    ["Contents", "contents", 1],
    ["***", "***", 1],
    ["***", "Contents", 0],
  ])("scores %j against %j as %d", (a, b, expected) => {
    expect(paragraphSimilarity(a, b)).toBeCloseTo(expected, 12);
  });
});

describe("findRepeats", () => {
  it("points a repeat to the earliest original it reaches the threshold with", () => {
    expect(
      findRepeats([
        "alpha beta gamma delta epsilon zeta",
        "alpha beta gamma delta eta theta", // 0.6 with 0: a repeat of it
        "alpha beta gamma eta theta iota", // 0.6 with 1, a repeat; 0.4 with 0
        "Something else entirely, of course.",
        "something ELSE entirely of course",
        "alpha beta gamma delta epsilon zeta",
      ]),
    ).toEqual([null, 0, null, null, 3, 0]);
  });

  it("marks one-word and wordless repeats by the text itself", () => {
    expect(findRepeats(["Contents", "***", "Body text here.", "***", "contents", "* * *"])).toEqual(
      [null, null, null, 1, 0, null],
    );
  });

  it("finds repeats whose shared pairs are all common ones", () => {
    const common = "of the people of the state of the nation";
    expect(findRepeats(Array.from({ length: 5 }, () => common))).toEqual([null, 0, 0, 0, 0]);
  });

  it("gives the results of comparing every pair, on random paragraphs near the threshold", () => {
    const vocabulary = ["border", "treaty", "the", "of", "visit", "state", "Rahmon", "Japarov"];
    const paragraph = fc
      .array(fc.constantFrom(...vocabulary), { minLength: 0, maxLength: 9 })
      .map((words) => words.join(" "));
    fc.assert(
      fc.property(fc.array(paragraph, { maxLength: 30 }), (texts) => {
        expect(findRepeats(texts)).toEqual(pairwise(texts));
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  // Their time, at n and 4n, is `npm run bench:text`'s.
  it("settles 2,000 one-word paragraphs and 2,000 alike but distinct ones", () => {
    const words = Array.from({ length: 2_000 }, (_, i) => `word${i % 1_000}`);
    const oneWord = findRepeats(words);
    expect(oneWord.slice(0, 1_000)).toEqual(Array.from({ length: 1_000 }, () => null));
    expect(oneWord.slice(1_000)).toEqual(Array.from({ length: 1_000 }, (_, i) => i));

    // Every paragraph shares "the border", half of its two pairs, with every other: no two
    // reach the threshold, and the shared pair is in the prefix of each.
    const alike = Array.from({ length: 2_000 }, (_, i) => `the border ${i}`);
    expect(findRepeats(alike)).toEqual(Array.from({ length: 2_000 }, () => null));
  });
});
