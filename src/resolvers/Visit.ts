import type { ParticipantResolvers, VisitResolvers } from "../generated/graphql.js";
import { toGlobalId } from "../ids.js";
import { NESTED, nestedPage } from "../nested.js";

export const Visit: VisitResolvers = {
  id: (visit) => toGlobalId("Visit", visit.id),
  participants: (visit, _, { loaders }) => loaders.participantsOfVisit.load(visit.id),
  agreements: (visit, _, { loaders }) => loaders.agreementsOfVisit.load(visit.id),
  outcomes: (visit, _, { loaders }) => loaders.outcomesOfVisit.load(visit.id),
  citations: (visit, _, { loaders }) => loaders.citationsOfVisit.load(visit.id),
  /** Newest first. */
  articles: (visit, args, context, info) =>
    nestedPage(context, info, NESTED.visitArticles, visit.id, args),
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
