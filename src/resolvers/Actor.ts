import type { ActorResolvers } from "../generated/graphql.js";
import { toGlobalId } from "../ids.js";
import { loadAll } from "./load.js";

export const Actor: ActorResolvers = {
  id: (actor) => toGlobalId("Actor", actor.id),
  // A mutation hands over the aliases it read in its transaction: nothing to load after commit.
  aliases: async (actor, _, { loaders }) => {
    const given = (actor as { aliases?: { alias: string }[] }).aliases;
    return (given ?? (await loaders.aliasesOfActor.load(actor.id))).map((row) => row.alias);
  },
  participations: (actor, _, { loaders }) => loaders.participationsOfActor.load(actor.id),
  agreements: async (actor, _, { loaders }) => {
    const parties = await loaders.agreementsOfActor.load(actor.id);
    return loadAll(
      loaders.agreement,
      parties.map((party) => party.agreementId),
    );
  },
  /** Written or published by the actor, newest first, each article once. */
  articles: async (actor, _, { loaders }) => {
    const [authored, published] = await Promise.all([
      loaders.authoredByActor.load(actor.id),
      loaders.publishedByActor.load(actor.id),
    ]);
    const written = await loadAll(
      loaders.article,
      authored.map((row) => row.articleId),
    );
    const unique = new Map([...written, ...published].map((article) => [article.id, article]));
    return [...unique.values()].sort(
      (a, b) => b.publishedOn.getTime() - a.publishedOn.getTime() || a.id - b.id,
    );
  },
  mentions: (actor, _, { loaders }) => loaders.mentionsOfActor.load(actor.id),
};
