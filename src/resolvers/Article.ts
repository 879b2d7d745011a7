import type { Context } from "../context.js";
import type { ArticleResolvers } from "../generated/graphql.js";
import { readFrontMatter } from "../import/source.js";
import type { ArticleRow } from "../read/loaders.js";
import { andThen, existing } from "./load.js";

/** The body, from the row when it was loaded with it. */
function bodyOf(article: ArticleRow, { loaders }: Context): string | Promise<string> {
  if (article.body !== undefined) return article.body;
  return andThen(loaders.articleBody.get(article.id), (row) => {
    // Deleted since its row was read, within this request: no text to show rather than none.
    if (!row) throw new Error(`Article ${article.id} was deleted while it was being read`);
    return row.body;
  });
}

export const Article: ArticleResolvers = {
  body: (article, _, context) => bodyOf(article, context),
  authors: (article, _, { loaders }) =>
    andThen(loaders.authorsOfArticle.get(article.id), (authors) =>
      andThen(loaders.byId.Actor.getAll(authors.map((author) => author.actorId)), existing),
    ),
  paragraphs: (article, _, context) =>
    andThen(context.loaders.paragraphsOfArticle.get(article.id), (paragraphs) =>
      andThen(bodyOf(article, context), (body) =>
        paragraphs.map((paragraph) => ({
          index: paragraph.index,
          start: paragraph.start,
          end: paragraph.end,
          text: body.slice(paragraph.start, paragraph.end),
          duplicateOf: paragraph.duplicateOf,
        })),
      ),
    ),
  // Only an imported article has one; its own loader, so the page never reads it unasked.
  source: (article, _, { loaders }) =>
    andThen(
      loaders.sourceOfArticle.get(article.id),
      (row) => row && { text: row.text, frontMatter: readFrontMatter(row.frontMatter) },
    ),
  visits: (article, _, { loaders }) =>
    andThen(loaders.visitsOfArticle.get(article.id), (links) =>
      andThen(loaders.byId.Visit.getAll(links.map((link) => link.visitId)), existing),
    ),
};
