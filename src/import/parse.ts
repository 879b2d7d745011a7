/**
 * Parses a source article in the seed format: a masthead (publisher names, Latin and CJK), a
 * Markdown `##` heading holding the bold title and subtitle, a "By …" author line, a
 * "Published on …" date line, then the body as blank-line separated paragraphs.
 */
import { maxItems } from "../bounds.js";
import {
  paragraphSpans,
  splitParagraphs,
  TooManyParagraphsError,
  type Paragraph,
} from "../text/paragraphs.js";
import { bodyProblem } from "../text/rules.js";

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
  /** Offsets into `body`, as an edit of the body would split it (`splitParagraphs`). */
  paragraphs: Paragraph[];
  /** The names printed above the title, in order, each line-wrapped name joined up. */
  masthead: string[];
  /** The author line as printed, without markup. */
  byline: string;
  /** Where the front matter was read: line numbers (from 0) of the source. */
  lines: { masthead: number[]; heading: number; author: number; date: number };
}

export interface ParseOptions {
  /** The format carries no language tag; sources in another language must say so. */
  language?: string;
}

/** The source text lacks a part every article must have. */
export class ArticleStructureError extends Error {
  override name = "ArticleStructureError";
}

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
const HONORIFIC = /^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor)\.?\s+/;

const isSpace = (char: string | undefined) => char !== undefined && /\s/.test(char);

/**
 * The runs of `text` wrapped in `mark` ("**bold**"), paired as `mark(?=\S)(.*?\S)mark` pairs
 * them, in one pass: an opening mark is followed by a non-space, its closing mark is the next
 * one preceded by a non-space. (That pattern itself takes quadratic time on a line of opening
 * marks that never close: "**a " repeated.)
 */
function wrappedRuns(text: string, mark: string): { start: number; end: number }[] {
  const runs: { start: number; end: number }[] = [];
  for (let open = text.indexOf(mark); open >= 0;) {
    if (isSpace(text[open + mark.length]) || open + mark.length >= text.length) {
      open = text.indexOf(mark, open + 1);
      continue;
    }
    let close = text.indexOf(mark, open + mark.length + 1);
    while (close >= 0 && isSpace(text[close - 1])) close = text.indexOf(mark, close + 1);
    // No closing mark for this one: none for any later one either.
    if (close < 0) break;
    runs.push({ start: open, end: close + mark.length });
    open = text.indexOf(mark, close + mark.length);
  }
  return runs;
}

/** `text` with each `mark`-wrapped run replaced by what it wraps. */
function unwrap(text: string, mark: string): string {
  let out = "";
  let at = 0;
  for (const { start, end } of wrappedRuns(text, mark)) {
    out += text.slice(at, start) + text.slice(start + mark.length, end - mark.length);
    at = end;
  }
  return out + text.slice(at);
}

/**
 * Removes inline Markdown/HTML markup, keeping the text it wraps. Linear in the text: every
 * pattern here either cannot run past the next mark or is bounded, as an editor's source may be
 * a million characters on one line.
 */
function stripInline(text: string): string {
  const tags = text
    .replace(/<\/?(?:sup|sub|em|strong|b|i|u|span)\b[^<>]{0,200}>/gi, "")
    .replace(/<br[ \t]{0,20}\/?>/gi, " ");
  return unwrap(unwrap(tags, "**"), "__")
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

/** A heading without its optional closing `#`s ("## Title ##"), by hand: as a pattern with `$`
 * it takes quadratic time on a long run of spaces or `#`s. */
function withoutClosingHashes(text: string): string {
  let end = text.length;
  while (end > 0 && isSpace(text[end - 1])) end--;
  let hashes = end;
  while (hashes > 0 && text[hashes - 1] === "#") hashes--;
  if (hashes < end && hashes > 0 && isSpace(text[hashes - 1])) end = hashes;
  return text.slice(0, end);
}

interface Heading {
  title: string;
  subtitle: string | null;
}

function parseHeading(line: string): Heading {
  const content = withoutClosingHashes(line.replace(/^\s*#{1,6}\s+/, "")).trim();
  const runs = wrappedRuns(content, "**");
  const bold = runs.map(({ start, end }) => content.slice(start + 2, end - 2));
  const outside =
    runs.reduce(
      (rest, run, i) => rest + content.slice(i === 0 ? 0 : runs[i - 1]!.end, run.start),
      "",
    ) + content.slice(runs.at(-1)?.end ?? 0);
  let title: string;
  let subtitle: string | null;
  if (bold.length >= 2 && outside.trim() === "") {
    title = stripInline(bold[0] ?? "").trim();
    subtitle = stripInline(bold.slice(1).join(" ")).trim();
  } else {
    const plain = stripInline(content).trim();
    const split = /[ \t]{1,8}[–—][ \t]{1,8}/.exec(plain);
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
 * The text of each paragraph, split as an edited body is (`paragraphSpans`: blank lines, and
 * each numbered list item on its own, keeping its number, the source's own ordinal). Lines
 * wrapped inside a paragraph are joined with a space, and heading marks and inline markup go.
 */
function bodyParagraphs(lines: string[]): string[] {
  const text = lines.join("\n");
  return paragraphSpans(text)
    .map(({ start, end }) => {
      const joined = text
        .slice(start, end)
        .split("\n")
        .map((line) => line.trim())
        .join(" ");
      return stripInline(joined.replace(/^#{1,6}\s+/, "")).trim();
    })
    .filter((p) => p !== "");
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
  // One paragraph to a line, blank lines between: the stored body splits into these texts.
  const body = texts.join("\n\n");
  let paragraphs: Paragraph[];
  try {
    paragraphs = splitParagraphs(body, maxItems("Article", "paragraphs"));
  } catch (error) {
    if (error instanceof TooManyParagraphsError) throw new ArticleStructureError(error.message);
    throw error;
  }
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
    lines: {
      masthead: lines.flatMap((line, i) => (i < headingAt && !isBlank(line) ? [i] : [])),
      heading: headingAt,
      author: authorAt,
      date: dateAt,
    },
  };
}
