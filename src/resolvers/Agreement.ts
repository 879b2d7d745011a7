import type { AgreementResolvers } from "../generated/graphql.js";
import { loadAll } from "./load.js";

export const Agreement: AgreementResolvers = {
  parties: async (agreement, _, { loaders }) => {
    const parties = await loaders.partiesOfAgreement.load(agreement.id);
    return loadAll(
      loaders.byId.Actor,
      parties.map((party) => party.actorId),
    );
  },
  citations: (agreement, _, { loaders }) => loaders.citationsOfAgreement.load(agreement.id),
};
