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
import { frontMatter } from "./source.js";
import { suggestFacts, type Suggestion } from "./suggest.js";

/** A mention in a previewed body, of the actor `actorId`. */
export type PreviewMentionRow = Awaited<ReturnType<typeof recordMentions>>[number];

/** Mentions the preview lists; `mentionCount` tells how many there are beyond. */
export const MAX_PREVIEW_MENTIONS = 1000;

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
