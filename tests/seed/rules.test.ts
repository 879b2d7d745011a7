/**
 * The rules every alias, quote and body meets, from an edit or from the seed, and the exact
 * passage search that anchors quotes.
 */
import { describe, expect, it } from "@jest/globals";
import { factProblems } from "../../src/import/facts.js";
import { anchorQuote, InvalidQuoteError } from "../../src/text/anchor.js";
import {
  aliasProblem,
  bodyProblem,
  loneSurrogateAt,
  MAX_BODY_LENGTH,
  quoteProblem,
} from "../../src/text/rules.js";
import { occurrencesOf } from "../../src/text/search.js";
import { seedFacts } from "../support/seed-article.js";

/** `[label, value, problem]`: a long value is named by its length in the test's title. */
const labelled = ([value, problem]: string[]): [string, string, string] => [
  value!.length > 40 ? `${value!.length} characters` : JSON.stringify(value),
  value!,
  problem!,
];

describe("aliasProblem", () => {
  it("accepts every alias of the seed", () => {
    const aliases = seedFacts().actors.flatMap((a) => a.aliases);
    expect(aliases).toHaveLength(19);
    expect(aliases.filter((alias) => aliasProblem(alias) !== null)).toEqual([]);
  });

  it.each([
    "UN",
    "US",
    "WHO",
    "IS",
    "EU",
    "G7",
    "H.E.",
    "U.N.",
    "中国",
    "The Hague",
    "Of Counsel LLP",
  ])("accepts %j", (alias) => expect(aliasProblem(alias)).toBeNull());

  it.each(
    [
      ["X", '"X" is too short: an alias needs at least 2 characters'],
      ["中", '"中" is too short: an alias needs at least 2 characters'],
      [".", '"." is too short: an alias needs at least 2 characters'],
      ["...", '"..." has no letter: an alias of digits or punctuation only would match noise'],
      ["2025", '"2025" has no letter: an alias of digits or punctuation only would match noise'],
      ["🇺🇳", '"🇺🇳" has no letter: an alias of digits or punctuation only would match noise'],
      [
        "the",
        '"the" is only common English words and would match almost every article; write an acronym in capitals',
      ],
      [
        "Of the",
        '"Of the" is only common English words and would match almost every article; write an acronym in capitals',
      ],
      [
        "of",
        '"of" is only common English words and would match almost every article; write an acronym in capitals',
      ],
      ["x".repeat(201), "must be at most 200 characters, got 201"],
      [
        "Tajik\uD83D",
        "is not well-formed UTF-16: a lone surrogate (half of a character) at index 5",
      ],
    ].map(labelled),
  )("refuses %s", (_, alias, problem) => {
    expect(aliasProblem(alias)).toBe(problem);
  });

  it("stops the seed at an alias an edit would refuse, naming the actor and the alias", () => {
    const facts = structuredClone(seedFacts());
    facts.actors[2]!.aliases.push("the");
    expect(factProblems(facts)).toEqual([
      {
        path: "facts.actors[2].aliases[2]",
        message:
          '"the" is only common English words and would match almost every article; write an acronym in capitals',
      },
    ]);
    const many = structuredClone(seedFacts());
    many.actors[2]!.aliases.push(...Array.from({ length: 49 }, (_, i) => `Tajikistan ${i}`));
    expect(factProblems(many)).toEqual([
      { path: "facts.actors[2].aliases", message: "51 items; at most 50" },
    ]);
  });
});

describe("quoteProblem", () => {
  it.each(
    [
      ["", "must not be empty or only whitespace"],
      [" ", "must not be empty or only whitespace"],
      ["\n\n", "must not be empty or only whitespace"],
      ["\n\nThe state visit", "must begin with the quoted text, not with whitespace"],
      ["x".repeat(5_001), "must be at most 5000 characters, got 5001"],
      ["\uD83D", "is not well-formed UTF-16: a lone surrogate (half of a character) at index 0"],
      ["ok \uDE00", "is not well-formed UTF-16: a lone surrogate (half of a character) at index 3"],
    ].map(labelled),
  )("refuses %s", (_, quote, problem) => {
    expect(quoteProblem(quote)).toBe(problem);
  });

  it.each(["Direct flights between the countries were restored", "x", "the border. ", "🙂 yes"])(
    "accepts %j",
    (quote) => expect(quoteProblem(quote)).toBeNull(),
  );
});

describe("bodyProblem", () => {
  it("refuses a blank body, one past the maximum and one with half a character", () => {
    expect(bodyProblem(" \n\n ")).toBe("must not be empty or only whitespace");
    expect(bodyProblem("x".repeat(MAX_BODY_LENGTH + 1))).toBe(
      "must be at most 1000000 characters (UTF-16 code units), got 1000001",
    );
    expect(bodyProblem("A \uDC00 b")).toBe(
      "is not well-formed UTF-16: a lone surrogate (half of a character) at index 2",
    );
    expect(bodyProblem("x".repeat(MAX_BODY_LENGTH))).toBeNull();
  });
});

describe("surrogates", () => {
  it("finds the first lone surrogate: a high half without its low one, or a low half alone", () => {
    expect(loneSurrogateAt("a🙂b")).toBe(-1);
    expect(loneSurrogateAt("a\uD83Db")).toBe(1);
    expect(loneSurrogateAt("🙂\uDE00")).toBe(2);
    expect(loneSurrogateAt("🙂\uD83D")).toBe(2);
    expect(loneSurrogateAt("\uDE00\uD83D")).toBe(0);
  });
});

describe("anchorQuote: refusals the seed and the edits share", () => {
  const body = "Smile 🙂 at the border.\n\nThe border is calm.";
  const paragraphs = [
    { index: 0, start: 0, end: 23 },
    { index: 1, start: 25, end: 44 },
  ];

  it.each([
    [" ", "must not be empty or only whitespace"],
    ["\n\n", "must not be empty or only whitespace"],
    ["\n\nThe border", "must begin with the quoted text, not with whitespace"],
    ["\uD83D", "is not well-formed UTF-16: a lone surrogate (half of a character) at index 0"],
  ])("refuses %j with InvalidQuoteError", (quote, problem) => {
    expect(() => anchorQuote(body, paragraphs, quote, 1)).toThrow(InvalidQuoteError);
    expect(() => anchorQuote(body, paragraphs, quote, 1)).toThrow(problem);
  });

  it("anchors a quote across a paragraph break, and one holding a whole emoji", () => {
    expect(anchorQuote(body, paragraphs, "border.\n\nThe")).toEqual({
      start: 16,
      end: 28,
      quote: "border.\n\nThe",
      paragraphIndex: 0,
    });
    expect(anchorQuote(body, paragraphs, "🙂 at")).toEqual({
      start: 6,
      end: 11,
      quote: "🙂 at",
      paragraphIndex: 0,
    });
  });
});

describe("occurrencesOf", () => {
  it.each([
    ["aaa", "aaaaa", [0, 1, 2]],
    ["abab", "abababab", [0, 2, 4]],
    ["the", "the border, the treaty", [0, 12]],
    ["treaty", "border", []],
    ["abc", "ab", []],
    ["🙂", "a🙂a🙂", [1, 4]],
  ])("finds %j in %j at %j", (needle, haystack, expected) => {
    expect(occurrencesOf(haystack, needle)).toEqual(expected);
  });

  // Its time, at n and 4n, is `npm run bench:text`'s.
  it("finds every overlapping occurrence of a long repeated quote in a 1,000,000-character body", () => {
    const found = occurrencesOf("a".repeat(1_000_000), "a".repeat(5_000));
    expect(found).toHaveLength(995_001);
    expect(found.every((at, i) => at === i)).toBe(true);
  });
});
