/** The seed's own article, as its files hold it: the fixture most tests compare against. */
import { readFileSync } from "node:fs";
import path from "node:path";
import { readFactsFile, type Facts } from "../../src/import/facts.js";
import { SEED_FOLDER, type SeedArticle } from "../../src/seed/load.js";

const NAME = "tajikistan-kyrgyzstan-border";

export const SEED_SOURCE_FILE = path.join(SEED_FOLDER, `${NAME}.md`);
export const SEED_FACTS_FILE = path.join(SEED_FOLDER, `${NAME}.facts.json`);
export const seedSource = readFileSync(SEED_SOURCE_FILE, "utf8");

/** A list or an object: what `Complete` makes present. */
type Nested<V> = NonNullable<V> extends Date ? false : NonNullable<V> extends object ? true : false;

/** Facts whose lists and objects are all present, as the seed's file gives every one. */
export type Complete<T> = {
  [K in keyof T as Nested<T[K]> extends true ? K : never]-?: NonNullable<
    T[K]
  > extends readonly (infer U)[]
    ? Complete<U>[]
    : Complete<NonNullable<T[K]>>;
} & { [K in keyof T as Nested<T[K]> extends true ? never : K]: T[K] };

/** The seed's facts, read as any facts file is; a fresh copy each call. */
export const seedFacts = () => readFactsFile(SEED_FACTS_FILE) as Complete<Facts>;

/** The seed's article as the seed folder gives it, with `facts` in place of its own. */
export const seedArticle = (facts: Facts = seedFacts()): SeedArticle => ({
  file: SEED_SOURCE_FILE,
  source: seedSource,
  facts,
});

/** A source as a wire desk publishes it: masthead, title, byline and date line, then `body`. */
export const wireSource = (title: string, body: string) =>
  [
    "WIRE DESK",
    "",
    `## ${title}`,
    "",
    "By Dana Omarova, correspondent",
    "",
    "*Published on 2nd May 2025*",
    "",
    body,
  ].join("\n");

/** What importArticle and previewArticle answer a source without the heading that holds its title. */
export const NO_TITLE_REFUSAL = {
  message: "input.source: expected a Markdown heading ('## …') holding the title",
  extensions: { code: "BAD_USER_INPUT", argumentName: "input.source" },
};
