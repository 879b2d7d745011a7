import type { OutcomeResolvers } from "../generated/graphql.js";

export const Outcome: OutcomeResolvers = {
  citations: (outcome, _, { loaders }) => loaders.citationsOfOutcome.get(outcome.id),
};
