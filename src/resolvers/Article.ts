import type { ArticleResolvers } from "../generated/graphql.js";
import { toGlobalId } from "../ids.js";
import { loadAll } from "./load.js";

export const Article: ArticleResolvers = {
  id: (article) => toGlobalId("Article", article.id),
  publisher: (article, _, { loaders }) =>
    article.publisherId === null ? null : loaders.actor.load(article.publisherId),
  authors: async (article, _, { loaders }) => {
    const authors = await loaders.authorsOfArticle.load(article.id);
    return loadAll(
      loaders.actor,
      authors.map((author) => author.actorId),
    );
  },
  paragraphs: async (article, _, { loaders }) =>
    (await loaders.paragraphsOfArticle.load(article.id)).map((paragraph) => ({
      index: paragraph.index,
      start: paragraph.start,
      end: paragraph.end,
      text: article.body.slice(paragraph.start, paragraph.end),
      duplicateOf: paragraph.duplicateOf,
    })),
  visits: async (article, _, { loaders }) => {
    const links = await loaders.visitsOfArticle.load(article.id);
    return loadAll(
      loaders.visit,
      links.map((link) => link.visitId),
    );
  },
};
