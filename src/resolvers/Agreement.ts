import type { AgreementResolvers } from "../generated/graphql.js";
import { toGlobalId } from "../ids.js";
import { loadAll } from "./load.js";

export const Agreement: AgreementResolvers = {
  id: (agreement) => toGlobalId("Agreement", agreement.id),
  parties: async (agreement, _, { loaders }) => {
    const parties = await loaders.partiesOfAgreement.load(agreement.id);
    return loadAll(
      loaders.actor,
      parties.map((party) => party.actorId),
    );
  },
  visit: (agreement, _, { loaders }) =>
    agreement.visitId === null ? null : loaders.visit.load(agreement.visitId),
  citations: (agreement, _, { loaders }) => loaders.citationsOfAgreement.load(agreement.id),
};
