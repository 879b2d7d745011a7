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
  /** Its visit's place: read through the visit, never copied (see the add_place migration). */
  place: async (agreement, _, { loaders }) => {
    const visit =
      agreement.visitId === null ? null : await loaders.byId.Visit.load(agreement.visitId);
    return visit?.placeId == null ? null : loaders.byId.Place.load(visit.placeId);
  },
};
