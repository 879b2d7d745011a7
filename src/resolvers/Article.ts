import type { Context } from "../context.js";
import type { ArticleResolvers } from "../generated/graphql.js";
import type { ArticleRow } from "../loaders.js";
import { loadAll } from "./load.js";

/** The body, from the row when it was loaded with it. */
async function bodyOf(article: ArticleRow, { loaders }: Context): Promise<string> {
  if (article.body !== undefined) return article.body;
  const row = await loaders.articleBody.load(article.id);
  // Deleted since its row was read, within this request: no text to show rather than none.
  if (!row) throw new Error(`Article ${article.id} was deleted while it was being read`);
  return row.body;
}

export const Article: ArticleResolvers = {
  body: (article, _, context) => bodyOf(article, context),
  authors: async (article, _, { loaders }) => {
    const authors = await loaders.authorsOfArticle.load(article.id);
    return loadAll(
      loaders.byId.Actor,
      authors.map((author) => author.actorId),
    );
  },
  paragraphs: async (article, _, context) => {
    const [paragraphs, body] = await Promise.all([
      context.loaders.paragraphsOfArticle.load(article.id),
      bodyOf(article, context),
    ]);
    return paragraphs.map((paragraph) => ({
      index: paragraph.index,
      start: paragraph.start,
      end: paragraph.end,
      text: body.slice(paragraph.start, paragraph.end),
      duplicateOf: paragraph.duplicateOf,
    }));
  },
  visits: async (article, _, { loaders }) => {
    const links = await loaders.visitsOfArticle.load(article.id);
    return loadAll(
      loaders.byId.Visit,
      links.map((link) => link.visitId),
    );
  },
};
