import type { AgreementResolvers } from "../generated/graphql.js";
import { andThen, existing } from "./load.js";

export const Agreement: AgreementResolvers = {
  parties: (agreement, _, { loaders }) =>
    andThen(loaders.partiesOfAgreement.get(agreement.id), (parties) =>
      andThen(loaders.byId.Actor.getAll(parties.map((party) => party.actorId)), existing),
    ),
  citations: (agreement, _, { loaders }) => loaders.citationsOfAgreement.get(agreement.id),
  /** Its visit's place: read through the visit, never copied (see the add_place migration). */
  place: (agreement, _, { loaders }) =>
    agreement.visitId === null
      ? null
      : andThen(loaders.byId.Visit.get(agreement.visitId), (visit) =>
          visit?.placeId == null ? null : loaders.byId.Place.get(visit.placeId),
        ),
};
