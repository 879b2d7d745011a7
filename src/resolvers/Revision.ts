import type { RevisionResolvers } from "../generated/graphql.js";
import { toGlobalId } from "../ids.js";

export const Revision: RevisionResolvers = {
  id: (revision) => toGlobalId("Revision", revision.id),
};
