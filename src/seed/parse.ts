/**
 * Parses a source article in the seed format: a masthead (publisher names, Latin and CJK), a
 * Markdown `##` heading holding the bold title and subtitle, a "By …" author line, a
 * "Published on …" date line, then the body as blank-line separated paragraphs.
 */
import { diceCoefficient } from "dice-coefficient";

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

/** Adjacent word pairs, so that word order counts; a one-word text is its own gram. */
function wordBigrams(text: string): string[] {
  const words = wordTokens(text);
  if (words.length < 2) return words;
  return words.slice(1).map((word, i) => `${words[i]} ${word}`);
}

/**
 * Sørensen–Dice coefficient of the two texts' word-bigram multisets, from 0 (no pair of
 * adjacent words in common) to 1 (the same words in the same order, ignoring case and
 * punctuation).
 */
export function paragraphSimilarity(a: string, b: string): number {
  const left = wordBigrams(a);
  const right = wordBigrams(b);
  if (left.length === 0 || right.length === 0) return a.trim() === b.trim() ? 1 : 0;
  return diceCoefficient(left, right);
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

/** A repeat points to the first paragraph it matches; that one is never itself a repeat. */
function findDuplicates(texts: string[]): (number | null)[] {
  const duplicateOf: (number | null)[] = [];
  texts.forEach((text, i) => {
    let original: number | null = null;
    for (let j = 0; j < i && original === null; j++) {
      if (duplicateOf[j] === null && paragraphSimilarity(texts[j]!, text) >= DUPLICATE_THRESHOLD) {
        original = j;
      }
    }
    duplicateOf.push(original);
  });
  return duplicateOf;
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
  const duplicates = findDuplicates(texts);
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

  return {
    slug: slugify(title),
    title,
    subtitle,
    language: options.language ?? "en",
    publishedOn,
    author: { name, description },
    publisher,
    body: texts.join("\n\n"),
    paragraphs,
    masthead,
    byline,
  };
}
