import type { ActorResolvers } from "../generated/graphql.js";
import { NESTED, nestedPage } from "../read/nested.js";
import { andThen } from "./load.js";

export const Actor: ActorResolvers = {
  // A mutation hands over the aliases it read in its transaction: nothing to load after commit.
  aliases: (actor, _, { loaders }) => {
    const given = (actor as { aliases?: { alias: string }[] }).aliases;
    return andThen(given ?? loaders.aliasesOfActor.get(actor.id), (rows) =>
      rows.map((row) => row.alias),
    );
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
