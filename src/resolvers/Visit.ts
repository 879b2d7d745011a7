import type { VisitResolvers } from "../generated/graphql.js";
import { NESTED, nestedPage } from "../nested.js";

export const Visit: VisitResolvers = {
  participants: (visit, _, { loaders }) => loaders.participantsOfVisit.load(visit.id),
  agreements: (visit, _, { loaders }) => loaders.agreementsOfVisit.load(visit.id),
  outcomes: (visit, _, { loaders }) => loaders.outcomesOfVisit.load(visit.id),
  citations: (visit, _, { loaders }) => loaders.citationsOfVisit.load(visit.id),
  /** Newest first. */
  articles: (visit, args, context, info) =>
    nestedPage(context, info, NESTED.visitArticles, visit.id, args),
};
