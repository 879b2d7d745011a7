import type { ParticipantResolvers, VisitResolvers } from "../generated/graphql.js";
import { toGlobalId } from "../ids.js";
import { loadAll } from "./load.js";

export const Visit: VisitResolvers = {
  id: (visit) => toGlobalId("Visit", visit.id),
  participants: (visit, _, { loaders }) => loaders.participantsOfVisit.load(visit.id),
  agreements: (visit, _, { loaders }) => loaders.agreementsOfVisit.load(visit.id),
  outcomes: (visit, _, { loaders }) => loaders.outcomesOfVisit.load(visit.id),
  citations: (visit, _, { loaders }) => loaders.citationsOfVisit.load(visit.id),
  articles: async (visit, _, { loaders }) => {
    const links = await loaders.articlesOfVisit.load(visit.id);
    return loadAll(
      loaders.article,
      links.map((link) => link.articleId),
    );
  },
};

export const Participant: ParticipantResolvers = {
  actor: async (participant, _, { loaders }) => {
    const actor = await loaders.actor.load(participant.actorId);
    if (!actor) throw new Error(`Participant ${participant.id} names a missing actor`);
    return actor;
  },
  visit: async (participant, _, { loaders }) => {
    const visit = await loaders.visit.load(participant.visitId);
    if (!visit) throw new Error(`Participant ${participant.id} names a missing visit`);
    return visit;
  },
};
