/**
 * Parses a source article in the seed format: a masthead (publisher names, Latin and CJK), a
 * Markdown `##` heading holding the bold title and subtitle, a "By …" author line, a
 * "Published on …" date line, then the body as blank-line separated paragraphs.
 */
import { maxItems } from "../bounds.js";
import { bodyProblem } from "../text/rules.js";

export interface ParsedParagraph {
  index: number;
  /** Offsets into `body` (UTF-16 code units): `body.slice(start, end)` is the paragraph. */
  start: number;
  end: number;
  /** Index of the earlier paragraph this one repeats almost word for word. */
  duplicateOf: number | null;
}

export interface ParsedArticle {
  slug: string;
  title: string;
  subtitle: string | null;
  language: string;
  /** `YYYY-MM-DD` */
  publishedOn: string;
  author: { name: string; description: string };
  publisher: { name: string; aliases: string[]; description: string };
  body: string;
  paragraphs: ParsedParagraph[];
  /** The names printed above the title, in order, each line-wrapped name joined up. */
  masthead: string[];
  /** The author line as printed, without markup. */
  byline: string;
}

export interface ParseOptions {
  /** The format carries no language tag; sources in another language must say so. */
  language?: string;
}

/** The source text lacks a part every article must have. */
export class ArticleStructureError extends Error {
  override name = "ArticleStructureError";
}

/**
 * Two paragraphs whose word-bigram Sørensen–Dice coefficient (see `paragraphSimilarity`)
 * reaches this value count as the same paragraph. On the source article the reworded repeats
 * score 0.747 and up (the "We can confidently say …" pair is the lowest), while the most alike
 * distinct paragraphs, the two openings about the state visit, score 0.390: 0.6 leaves room on
 * both sides.
 */
export const DUPLICATE_THRESHOLD = 0.6;

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** Minor words kept lowercase when an all-capitals masthead name is put in title case. */
const MINOR_WORDS = new Set(["a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with"]);

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const ORDERED_ITEM = /^\d+[.)]\s/;
const HONORIFIC = /^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor)\.?\s+/;

/** Removes inline Markdown/HTML markup, keeping the text it wraps. */
function stripInline(text: string): string {
  return text
    .replace(/<\/?(?:sup|sub|em|strong|b|i|u|span)\b[^>]*>/gi, "")
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/\*\*(?=\S)(.*?\S)\*\*/g, "$1")
    .replace(/__(?=\S)(.*?\S)__/g, "$1")
    .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*]*?\S)\*(?![\p{L}\p{N}*])/gu, "$1$2")
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_]*?\S)_(?![\p{L}\p{N}_])/gu, "$1$2");
}

function isBlank(line: string): boolean {
  return line.trim() === "";
}

export function slugify(title: string): string {
  const words = title
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
  if (words.length === 0) {
    throw new ArticleStructureError(`the title "${title}" has no ASCII words to make a slug from`);
  }
  return words.join("-");
}

function titleCase(name: string): string {
  return name
    .toLowerCase()
    .split(/(\s+)/)
    .map((word, i) =>
      i > 0 && MINOR_WORDS.has(word) ? word : word.charAt(0).toUpperCase() + word.slice(1),
    )
    .join("");
}

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

interface Heading {
  title: string;
  subtitle: string | null;
}

function parseHeading(line: string): Heading {
  const content = line
    .replace(/^\s*#{1,6}\s+/, "")
    .replace(/\s+#+\s*$/, "")
    .trim();
  const bold = [...content.matchAll(/\*\*(?=\S)(.*?\S)\*\*/g)].map((m) => m[1] ?? "");
  let title: string;
  let subtitle: string | null;
  if (bold.length >= 2 && content.replace(/\*\*(?=\S)(.*?\S)\*\*/g, "").trim() === "") {
    title = stripInline(bold[0] ?? "").trim();
    subtitle = stripInline(bold.slice(1).join(" ")).trim();
  } else {
    const plain = stripInline(content).trim();
    const split = /\s+[–—]\s+/.exec(plain);
    title = split ? plain.slice(0, split.index) : plain;
    subtitle = split ? plain.slice(split.index + split[0].length) : null;
  }
  // The subtitle is set off by a dash inside its own bold run: "**– unique example …**".
  subtitle = subtitle?.replace(/^[–—:-]\s*/, "").trim() || null;
  if (title === "") throw new ArticleStructureError(`the title heading "${line.trim()}" is empty`);
  return { title, subtitle };
}

function parseAuthor(line: string): { byline: string; name: string; description: string } {
  const byline = stripInline(line).trim();
  const match = /^By\s+(.+)$/.exec(byline);
  if (!match?.[1]) {
    throw new ArticleStructureError(
      `expected the author line "By <name>, <description>" after the title, found "${byline}"`,
    );
  }
  const rest = match[1].replace(HONORIFIC, "");
  const comma = rest.indexOf(",");
  const name = (comma < 0 ? rest : rest.slice(0, comma)).trim();
  const description = comma < 0 ? "" : rest.slice(comma + 1).trim();
  if (name === "") throw new ArticleStructureError(`the author line "${byline}" names no one`);
  return { byline, name, description };
}

function parseDate(line: string): string {
  const text = stripInline(line).trim();
  const match =
    /^Published\s+on\s+(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\.?$/i.exec(text);
  const month = match ? MONTHS.findIndex((m) => m.startsWith(match[2]!.toLowerCase())) : -1;
  if (!match || month < 0 || match[2]!.length < 3) {
    throw new ArticleStructureError(
      `expected the date line "Published on <day> <month> <year>" after the author line, found "${text}"`,
    );
  }
  const year = Number(match[3]);
  const day = Number(match[1]);
  const date = new Date(Date.UTC(year, month, day));
  if (date.getUTCMonth() !== month || date.getUTCDate() !== day) {
    throw new ArticleStructureError(`the date line "${text}" names a day that does not exist`);
  }
  return date.toISOString().slice(0, 10);
}

interface MastheadEntry {
  text: string;
  cjk: boolean;
}

/**
 * Latin lines that follow each other without a blank line are one name wrapped over lines
 * ("Institute for a Community" / "with Shared Future"); a CJK line is a name of its own.
 */
function mastheadEntries(lines: string[]): MastheadEntry[] {
  const entries: MastheadEntry[] = [];
  let open: MastheadEntry | null = null;
  for (const raw of lines) {
    const line = stripInline(raw).trim();
    if (line === "") {
      open = null;
      continue;
    }
    const cjk = CJK.test(line);
    if (!cjk && open && !open.cjk) {
      open.text = `${open.text} ${line}`;
      continue;
    }
    open = { text: line, cjk };
    entries.push(open);
  }
  return entries;
}

interface MastheadName {
  name: string;
  printed: string;
  native: string | null;
}

/** Pairs each CJK name with the Latin name next to it, the one before it first. */
function mastheadNames(entries: MastheadEntry[]): MastheadName[] {
  const names = new Map<number, MastheadName>();
  entries.forEach((entry, i) => {
    if (entry.cjk) return;
    const printed = entry.text;
    const name = /\p{Ll}/u.test(printed) ? printed : titleCase(printed);
    names.set(i, { name, printed, native: null });
  });
  entries.forEach((entry, i) => {
    if (!entry.cjk) return;
    const partner = [names.get(i - 1), names.get(i + 1)].find((n) => n && n.native === null);
    if (partner) partner.native = entry.text;
  });
  return [...names.values()];
}

function parsePublisher(lines: string[]): ParsedArticle["publisher"] & { masthead: string[] } {
  const entries = mastheadEntries(lines);
  const [first, ...others] = mastheadNames(entries);
  if (!first) {
    throw new ArticleStructureError("expected the publisher's masthead before the title");
  }
  const aliases = [...new Set([first.name, first.printed, first.native])].filter(
    (a): a is string => a !== null,
  );
  const withNative = (n: MastheadName) => (n.native ? `${n.name} (${n.native})` : n.name);
  const description =
    others.length > 0
      ? `Named with its ${others.map(withNative).join(" and its ")} on the article's masthead.`
      : "Named on the article's masthead.";
  return {
    name: first.name,
    aliases,
    description,
    masthead: entries.map((e) => e.text),
  };
}

/**
 * Paragraphs are separated by blank lines; each item of a numbered list is a paragraph of its
 * own and keeps its number, which is the source's own ordinal. Lines wrapped inside a
 * paragraph are joined with a space.
 */
function bodyParagraphs(lines: string[]): string[] {
  const paragraphs: string[] = [];
  let current: string[] | null = null;
  const flush = () => {
    if (current) paragraphs.push(stripInline(current.join(" ").replace(/^#{1,6}\s+/, "")).trim());
    current = null;
  };
  for (const raw of lines) {
    const line = raw.trim();
    if (line === "") {
      flush();
      continue;
    }
    if (ORDERED_ITEM.test(line)) flush();
    if (current) current.push(line);
    else current = [line];
  }
  flush();
  return paragraphs.filter((p) => p !== "");
}

function nextNonBlank(lines: string[], from: number): number {
  let i = from;
  while (i < lines.length && isBlank(lines[i]!)) i++;
  return i;
}

export function parseArticle(source: string, options: ParseOptions = {}): ParsedArticle {
  const lines = source
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");

  const headingAt = lines.findIndex((line) => /^\s{0,3}#{1,6}\s+\S/.test(line));
  if (headingAt < 0) {
    throw new ArticleStructureError("expected a Markdown heading ('## …') holding the title");
  }
  const { title, subtitle } = parseHeading(lines[headingAt]!);
  const { masthead, ...publisher } = parsePublisher(lines.slice(0, headingAt));

  const authorAt = nextNonBlank(lines, headingAt + 1);
  const { byline, name, description } = parseAuthor(lines[authorAt] ?? "");

  const dateAt = nextNonBlank(lines, authorAt + 1);
  const publishedOn = parseDate(lines[dateAt] ?? "");

  const texts = bodyParagraphs(lines.slice(dateAt + 1));
  if (texts.length === 0) {
    throw new ArticleStructureError("expected body paragraphs after the date line");
  }
  const maxParagraphs = maxItems("Article", "paragraphs");
  if (texts.length > maxParagraphs) {
    throw new ArticleStructureError(
      `the body has ${texts.length} paragraphs; an article holds at most ${maxParagraphs}`,
    );
  }
  const duplicates = findRepeats(texts);
  const paragraphs: ParsedParagraph[] = [];
  let offset = 0;
  texts.forEach((text, index) => {
    if (index > 0) offset += 2;
    paragraphs.push({
      index,
      start: offset,
      end: offset + text.length,
      duplicateOf: duplicates[index] ?? null,
    });
    offset += text.length;
  });

  const body = texts.join("\n\n");
  const problem = bodyProblem(body);
  if (problem) throw new ArticleStructureError(`the body ${problem}`);

  return {
    slug: slugify(title),
    title,
    subtitle,
    language: options.language ?? "en",
    publishedOn,
    author: { name, description },
    publisher,
    body,
    paragraphs,
    masthead,
    byline,
  };
}
