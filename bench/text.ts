/**
 * How the text domain's costs grow: each case runs on an input of size n and of size 4n and
 * prints the time of each (the median of several runs) and their ratio. Near-linear code shows
 * a ratio near 4 (a capped one near 1); a quadratic one near 16. The tests check these cases'
 * results; their time is measured here, away from a test run on a busy machine.
 *
 *   npm run bench:text
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { readFactsFile } from "../src/import/facts.js";
import { parseArticle, type ParsedArticle } from "../src/import/parse.js";
import { suggestFacts } from "../src/import/suggest.js";
import { anchorQuote } from "../src/text/anchor.js";
import {
  findMentions,
  findMentionsOfEach,
  TooManyAliasMatchesError,
} from "../src/text/mentions.js";
import { reanchor, type Span } from "../src/text/reanchor.js";
import { findRepeats } from "../src/text/repeats.js";
import { occurrencesOf } from "../src/text/search.js";

const RUNS = 9;

interface Case {
  name: string;
  /** The size n, in the case's own unit. */
  n: number;
  unit: string;
  /** Builds the input of size `size` and returns the work to time on it. */
  prepare(size: number): (() => unknown) | Promise<() => unknown>;
}

const whole = (text: string) => [{ index: 0, start: 0, end: text.length }];
const words = (count: number) => Array(count).fill("ab").join(" ");

const source = readFileSync(
  new URL("../src/seed/articles/tajikistan-kyrgyzstan-border.md", import.meta.url),
  "utf8",
);
const seed = parseArticle(source);

/** A body of `copies` copies of the seed body, each with its own spelling of one name. */
function copiesOfSeed(copies: number): string {
  return Array.from({ length: copies }, (_, i) =>
    seed.body.replaceAll("Kyrgyzstan", `Kyrgyzstan-${i}`),
  ).join("\n\n");
}

const CASES: Case[] = [
  {
    name: "occurrencesOf: a 5,000-character quote in a body of one letter",
    n: 250_000,
    unit: "characters",
    prepare(size) {
      const haystack = "a".repeat(size);
      const needle = "a".repeat(5_000);
      return () => occurrencesOf(haystack, needle);
    },
  },
  {
    name: "findRepeats: one-word paragraphs, each word twice",
    n: 8_000,
    unit: "paragraphs",
    prepare(size) {
      const texts = Array.from({ length: size }, (_, i) => `word${i % (size / 2)}`);
      return () => findRepeats(texts);
    },
  },
  {
    name: "findRepeats: alike but distinct paragraphs",
    n: 2_000,
    unit: "paragraphs",
    prepare(size) {
      const texts = Array.from({ length: size }, (_, i) => `the border ${i}`);
      return () => findRepeats(texts);
    },
  },
  {
    name: "findMentions: self-overlapping aliases, stopped by the cap",
    n: 15_000,
    unit: "words",
    prepare(size) {
      const aliases = Array.from({ length: 49 }, (_, i) => words(i + 2));
      const body = words(size);
      return async () => {
        try {
          await findMentions(body, whole(body), aliases);
        } catch (error) {
          if (!(error instanceof TooManyAliasMatchesError)) throw error;
        }
      };
    },
  },
  {
    name: "findMentions: a body of one repeated name",
    n: 5_000,
    unit: "mentions",
    prepare(size) {
      const body = "Kyrgyzstan ".repeat(size);
      return () => findMentions(body, whole(body), ["Kyrgyzstan", "Kyrgyz Republic"]);
    },
  },
  {
    name: "reanchor: the seed's citations and mentions after a one-word edit",
    n: 1,
    unit: "seed bodies",
    async prepare(size) {
      // The spans are in the first copy; the edit is in its paragraph 20.
      const body = Array<string>(size).fill(seed.body).join("\n\n");
      const facts = readFactsFile(
        new URL("../src/seed/articles/tajikistan-kyrgyzstan-border.facts.json", import.meta.url),
      );
      const citations = [
        ...(facts.visits ?? []).flatMap((v) => v.citations ?? []),
        ...(facts.agreements ?? []).flatMap((a) => a.citations ?? []),
        ...(facts.outcomes ?? []).flatMap((o) => o.citations ?? []),
      ].map(({ quote, occurrence }) =>
        anchorQuote(seed.body, seed.paragraphs, quote, occurrence ?? undefined),
      );
      const mentions = (
        await findMentionsOfEach(
          seed.body,
          seed.paragraphs,
          (facts.actors ?? []).map((actor) => actor.aliases ?? [actor.name]),
        )
      ).flat();
      const spans: Span[] = [...citations, ...mentions].map(({ start, end, quote }, id) => ({
        id,
        start,
        end,
        quote,
      }));
      const at = seed.paragraphs[20]!.start + 10;
      const edited = body.slice(0, at) + "very " + body.slice(at);
      return () => reanchor(body, edited, spans);
    },
  },
  {
    name: "reanchor: 400 spans after a paragraph inserted mid-body",
    n: 24,
    unit: "seed bodies",
    prepare(size) {
      const big = copiesOfSeed(size);
      const spans = Array.from({ length: 400 }, (_, id) => {
        const start = Math.floor((id * big.length) / 400);
        return { id, start, end: start + 30, quote: big.slice(start, start + 30) };
      });
      const middle = Math.floor(big.length / 2);
      const edited = big.slice(0, middle) + "\n\nAn inserted paragraph.\n\n" + big.slice(middle);
      return () => reanchor(big, edited, spans);
    },
  },
  {
    name: "suggestFacts: the seed body, repeated",
    n: 5,
    unit: "seed bodies",
    prepare(size) {
      const article = withBody(copiesOfSeed(size));
      return () => suggestFacts(article);
    },
  },
  {
    name: "suggestFacts: one paragraph of signed treaties",
    n: 3_000,
    unit: "sentences",
    prepare(size) {
      const article = withBody(
        "The Treaty on Trade between Kyrgyzstan and Tajikistan was signed. ".repeat(size).trim(),
      );
      return () => suggestFacts(article);
    },
  },
  {
    name: "suggestFacts: one word of capitals",
    n: 100_000,
    unit: "letters",
    prepare(size) {
      const article = withBody(`President ${"A".repeat(size)} University`);
      return () => suggestFacts(article);
    },
  },
  {
    name: "suggestFacts: lead-ins that are list items",
    n: 500,
    unit: "paragraphs",
    prepare(size) {
      const article = withBody(
        Array.from({ length: size }, (_, i) => `${i + 1}. results in 2025:`).join("\n\n"),
      );
      return () => suggestFacts(article);
    },
  },
  {
    name: "parseArticle: bold marks that never close, on one line",
    n: 50_000,
    unit: "marks",
    prepare(size) {
      const text = source.replace("The state visit", `${" **a".repeat(size)} The state visit`);
      return () => parseArticle(text);
    },
  },
];

/** The seed's front matter with another body, parsed as an import parses a source. */
const withBody = (body: string): ParsedArticle =>
  parseArticle(source.slice(0, source.indexOf("The state visit")) + body);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(work: () => unknown): Promise<number> {
  await work(); // warm-up: compiled code, not the first interpretation, is measured
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

const rows = [];
for (const c of CASES) {
  const small = await measure(await c.prepare(c.n));
  const large = await measure(await c.prepare(4 * c.n));
  rows.push({ case: c.name, n: `${c.n.toLocaleString("en")} ${c.unit}`, small, large });
}

const width = Math.max(...rows.map((r) => r.case.length));
const nWidth = Math.max(...rows.map((r) => r.n.length));
console.log(
  `${"case".padEnd(width)}  ${"n".padStart(nWidth)}  ${"ms at n".padStart(9)}  ${"ms at 4n".padStart(9)}  ratio`,
);
for (const r of rows) {
  console.log(
    `${r.case.padEnd(width)}  ${r.n.padStart(nWidth)}  ${r.small.toFixed(2).padStart(9)}  ${r.large
      .toFixed(2)
      .padStart(9)}  ${(r.large / r.small).toFixed(2).padStart(5)}`,
  );
}
console.log(
  `\nEach figure is the median of ${RUNS} runs after one warm-up run (Node ${process.version}).`,
);
