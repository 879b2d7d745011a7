/**
 * `previewArticle`: what an import of a source would read in it, and the facts the rules
 * suggest (./suggest.ts), without writing anything. The suggestions come back together as one
 * facts object, so that accepting them is sending that object, edited, to `importArticle`.
 */
import type { Database } from "../db/database.js";
import { recordMentions } from "../edits/mentions.js";
import type { ArticleFactsInput } from "../generated/graphql.js";
import type { ParsedArticle } from "./parse.js";
import { parseSource } from "./import.js";
import { suggestFacts, type Suggestion } from "./suggest.js";

/** A mention in a previewed body, of the actor `actorId`. */
export type PreviewMentionRow = Awaited<ReturnType<typeof recordMentions>>[number];

/** Mentions the preview lists; `mentionCount` tells how many there are beyond. */
export const MAX_PREVIEW_MENTIONS = 1000;

interface Passage {
  text: string;
  start: number;
  end: number;
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
function frontMatter(source: string, article: ParsedArticle) {
  const lines = lineSpans(source);
  const line = (index: number): Passage => {
    let { start, end } = lines[index]!;
    while (start < end && /\s/.test(source[start]!)) start++;
    while (end > start && /\s/.test(source[end - 1]!)) end--;
    return { text: source.slice(start, end), start, end };
  };
  /** `text` inside `within`, verbatim; the whole of `within` when it is not printed so. */
  const inside = (within: Passage, text: string): Passage => {
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

/** Every suggestion of the rules in the facts format: what `importArticle` takes. */
function asFacts(article: ParsedArticle, suggestions: readonly Suggestion[]): ArticleFactsInput {
  const of = (kind: Suggestion["kind"]) =>
    suggestions.filter((s) => s.kind === kind).map((s) => s.fact);
  const actors = of("ACTOR") as unknown as NonNullable<ArticleFactsInput["actors"]>;
  const visits = of("VISIT") as unknown as NonNullable<ArticleFactsInput["visits"]>;
  for (const count of of("DOCUMENT_COUNT")) {
    const visit = visits.find((v) => v.key === count.visit);
    if (visit && visit.documentsSignedCount == null) {
      visit.documentsSignedCount = count.documentsSignedCount as number;
    }
  }
  const keyOf = (name: string) => actors.find((a) => a.name === name)?.key;
  return {
    article: {
      slug: article.slug,
      authors: [keyOf(article.author.name)].filter((k): k is string => k !== undefined),
      publisher: keyOf(article.publisher.name) ?? null,
    },
    actors,
    visits,
    agreements: of("AGREEMENT") as unknown as ArticleFactsInput["agreements"],
    // An outcome belongs to a visit: without one suggested, there is none to attach it to,
    // and the editor adds the visit before sending the outcomes (they stay in `suggestions`).
    outcomes: (visits.length === 1
      ? of("OUTCOME")
      : []) as unknown as ArticleFactsInput["outcomes"],
  };
}

/** The preview of `source`, against the actors in `db`'s record. */
export async function previewArticle(
  db: Database,
  input: { source: string; language?: string | null },
) {
  const article = parseSource(input.source, input.language);
  const { body, paragraphs } = article;
  const mentions = await recordMentions(db.prisma, "input.source", body, paragraphs);
  mentions.sort((a, b) => a.start - b.start);
  const names = new Set(
    (
      await db.prisma.actorAlias.findMany({
        where: { actorId: { in: [...new Set(mentions.map((m) => m.actorId))] } },
        select: { alias: true },
      })
    ).map((a) => a.alias),
  );
  const suggestions = await suggestFacts(article, (name) => names.has(name));
  return {
    slug: article.slug,
    frontMatter: frontMatter(input.source, article),
    body,
    paragraphs: paragraphs.map((p) => ({ ...p, text: body.slice(p.start, p.end) })),
    repeats: paragraphs.filter((p) => p.duplicateOf !== null).map((p) => p.index),
    mentions: mentions.slice(0, MAX_PREVIEW_MENTIONS),
    mentionCount: mentions.length,
    suggestions,
    facts: asFacts(article, suggestions),
  };
}
