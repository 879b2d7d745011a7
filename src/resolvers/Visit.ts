import type { VisitResolvers } from "../generated/graphql.js";
import { NESTED, nestedPage } from "../read/nested.js";

export const Visit: VisitResolvers = {
  participants: (visit, _, { loaders }) => loaders.participantsOfVisit.get(visit.id),
  agreements: (visit, _, { loaders }) => loaders.agreementsOfVisit.get(visit.id),
  outcomes: (visit, _, { loaders }) => loaders.outcomesOfVisit.get(visit.id),
  citations: (visit, _, { loaders }) => loaders.citationsOfVisit.get(visit.id),
  /** Newest first. */
  articles: (visit, args, context, info) =>
    nestedPage(context, info, NESTED.visitArticles, visit.id, args),
};
