import type { ActorResolvers } from "../generated/graphql.js";
import { NESTED, nestedPage } from "../nested.js";

export const Actor: ActorResolvers = {
  // A mutation hands over the aliases it read in its transaction: nothing to load after commit.
  aliases: async (actor, _, { loaders }) => {
    const given = (actor as { aliases?: { alias: string }[] }).aliases;
    return (given ?? (await loaders.aliasesOfActor.load(actor.id))).map((row) => row.alias);
  },
  participations: (actor, args, context, info) =>
    nestedPage(context, info, NESTED.participations, actor.id, args),
  agreements: (actor, args, context, info) =>
    nestedPage(context, info, NESTED.actorAgreements, actor.id, args),
  /** Written or published by the actor, newest first, each article once. */
  articles: (actor, args, context, info) =>
    nestedPage(context, info, NESTED.actorArticles, actor.id, args),
  mentions: (actor, args, context, info) =>
    nestedPage(context, info, NESTED.mentions, actor.id, args),
};
