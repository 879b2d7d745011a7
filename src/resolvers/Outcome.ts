import type { OutcomeResolvers } from "../generated/graphql.js";
import { toGlobalId } from "../ids.js";

export const Outcome: OutcomeResolvers = {
  id: (outcome) => toGlobalId("Outcome", outcome.id),
  visit: async (outcome, _, { loaders }) => {
    const visit = await loaders.visit.load(outcome.visitId);
    if (!visit) throw new Error(`Outcome ${outcome.id} names a missing visit`);
    return visit;
  },
  citations: (outcome, _, { loaders }) => loaders.citationsOfOutcome.load(outcome.id),
};
