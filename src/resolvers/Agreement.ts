import type { AgreementResolvers } from "../generated/graphql.js";
import { toGlobalId } from "../ids.js";
import { andThen, existing } from "./load.js";

export const Agreement: AgreementResolvers = {
  parties: (agreement, _, { loaders }) =>
    andThen(loaders.partiesOfAgreement.get(agreement.id), (parties) =>
      andThen(loaders.byId.Actor.getAll(parties.map((party) => party.actorId)), existing),
    ),
  citations: (agreement, _, { loaders }) => loaders.citationsOfAgreement.get(agreement.id),
  /** Its visit's place: read through the visit, never copied (see the add_place migration). */
  place: (agreement, _, { loaders, cache }) => {
    if (agreement.visitId === null) return null;
    // The answer depends on the visit, which the response may not show: a cached answer must
    // go when the visit moves.
    cache?.tags.add(toGlobalId("Visit", agreement.visitId));
    return andThen(loaders.byId.Visit.get(agreement.visitId), (visit) =>
      visit?.placeId == null ? null : loaders.byId.Place.get(visit.placeId),
    );
  },
};
