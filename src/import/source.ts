/**
 * The source of an article as submitted, and where its front matter lies in it: what
 * `previewArticle` answers and what the import keeps (`ArticleSource`), computed here once for
 * both. Offsets are UTF-16 code units of the source exactly as it came in, byte order mark and
 * line endings included: `source.slice(start, end) === passage.text`.
 */
import { readFileSync } from "node:fs";
import type { Prisma } from "../generated/prisma/client.js";
import type { ParsedArticle } from "./parse.js";

// Types rather than interfaces: the front matter is stored as it is, as JSON.

/** A passage of the source: `source.slice(start, end) === text`. */
export type SourcePassage = {
  text: string;
  start: number;
  end: number;
};

/** Where each part of the front matter was read (schema.graphql `FrontMatter`). */
export type FrontMatter = {
  masthead: SourcePassage[];
  publisher: SourcePassage;
  title: SourcePassage;
  subtitle: SourcePassage | null;
  byline: SourcePassage;
  author: SourcePassage;
  affiliation: SourcePassage | null;
  dateLine: SourcePassage;
  /** The day the date line names. */
  publishedOn: Date;
};

/**
 * A source file's text, every character of it: a byte order mark is kept, not dropped, and a
 * file that is not UTF-8 is refused rather than read with replacement characters.
 */
export function readSourceFile(file: string): string {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  try {
    return decoder.decode(readFileSync(file));
  } catch (error) {
    if (error instanceof TypeError) throw new Error(`${file}: not UTF-8 text`);
    throw error;
  }
}

/** The start and end offset of each line of `source`, as the parser splits lines. */
function lineSpans(source: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const breaks = /\r\n?|\n/g;
  let start = source.startsWith("\uFEFF") ? 1 : 0;
  for (const match of source.matchAll(breaks)) {
    spans.push({ start, end: match.index });
    start = match.index + match[0].length;
  }
  spans.push({ start, end: source.length });
  return spans;
}

/**
 * Where each part of the front matter was read, as passages of the source: a line (trimmed),
 * or the text inside it where the part is printed verbatim there.
 */
export function frontMatter(source: string, article: ParsedArticle): FrontMatter {
  const lines = lineSpans(source);
  const line = (index: number): SourcePassage => {
    let { start, end } = lines[index]!;
    while (start < end && /\s/.test(source[start]!)) start++;
    while (end > start && /\s/.test(source[end - 1]!)) end--;
    return { text: source.slice(start, end), start, end };
  };
  /** `text` inside `within`, verbatim; the whole of `within` when it is not printed so. */
  const inside = (within: SourcePassage, text: string): SourcePassage => {
    const at = within.text.indexOf(text);
    if (text === "" || at < 0) return within;
    return { text, start: within.start + at, end: within.start + at + text.length };
  };
  const heading = line(article.lines.heading);
  const byline = line(article.lines.author);
  const masthead = article.lines.masthead.map(line);
  const title = inside(heading, article.title);
  // The first of the publisher's names the masthead prints verbatim: as printed, then native.
  const printed = article.publisher.aliases
    .map((alias) => ({ alias, line: masthead.find((m) => m.text.includes(alias)) }))
    .find((p) => p.line !== undefined);
  return {
    masthead,
    publisher: printed ? inside(printed.line!, printed.alias) : masthead[0]!,
    title,
    subtitle: article.subtitle === null ? null : inside(heading, article.subtitle),
    byline,
    author: inside(byline, article.author.name),
    affiliation:
      article.author.description === "" ? null : inside(byline, article.author.description),
    dateLine: line(article.lines.date),
    publishedOn: new Date(`${article.publishedOn}T00:00:00Z`),
  };
}

/** The front matter as `ArticleSource.frontMatter` stores it: `publishedOn` as `YYYY-MM-DD`. */
export function storedFrontMatter(front: FrontMatter): Prisma.InputJsonObject {
  return { ...front, publishedOn: front.publishedOn.toISOString().slice(0, 10) };
}

/** The front matter `storedFrontMatter` stored. */
export function readFrontMatter(stored: Prisma.JsonValue): FrontMatter {
  const front = stored as unknown as Omit<FrontMatter, "publishedOn"> & { publishedOn: string };
  return { ...front, publishedOn: new Date(`${front.publishedOn}T00:00:00Z`) };
}
