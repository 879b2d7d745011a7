import type { CitationResolvers, MentionResolvers } from "../generated/graphql.js";
import type { Context } from "../context.js";
import { toGlobalId } from "../ids.js";

async function articleOf(row: { articleId: number }, { loaders }: Context) {
  const article = await loaders.article.load(row.articleId);
  if (!article) throw new Error(`A passage names missing article ${row.articleId}`);
  return article;
}

export const Citation: CitationResolvers = {
  id: (citation) => toGlobalId("Citation", citation.id),
  article: (citation, _, context) => articleOf(citation, context),
};

export const Mention: MentionResolvers = {
  id: (mention) => toGlobalId("Mention", mention.id),
  article: (mention, _, context) => articleOf(mention, context),
  actor: async (mention, _, { loaders }) => {
    const actor = await loaders.actor.load(mention.actorId);
    if (!actor) throw new Error(`Mention ${mention.id} names a missing actor`);
    return actor;
  },
};
