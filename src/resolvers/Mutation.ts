/** Edits: each mutation checks the key's role and runs in one transaction (src/edits). */
import type { MutationResolvers } from "../generated/graphql.js";
import { createActor, deleteActor, updateActor } from "../edits/actors.js";
import { createAgreement, deleteAgreement, updateAgreement } from "../edits/agreements.js";
import { createArticle, deleteArticle, updateArticle } from "../edits/articles.js";
import { createCitation, deleteCitation } from "../edits/citations.js";
import { edit } from "../edits/edit.js";
import { createOutcome, deleteOutcome, updateOutcome } from "../edits/outcomes.js";
import { createVisit, deleteVisit, updateVisit } from "../edits/visits.js";

export const Mutation: MutationResolvers = {
  createArticle: (_, { input }, context) => edit(context, "EDITOR", (s) => createArticle(s, input)),
  updateArticle: (_, args, context) => edit(context, "EDITOR", (s) => updateArticle(s, args)),
  deleteArticle: (_, args, context) => edit(context, "ADMIN", (s) => deleteArticle(s, args)),

  createVisit: (_, { input }, context) => edit(context, "EDITOR", (s) => createVisit(s, input)),
  updateVisit: (_, args, context) => edit(context, "EDITOR", (s) => updateVisit(s, args)),
  deleteVisit: (_, args, context) => edit(context, "ADMIN", (s) => deleteVisit(s, args)),

  createAgreement: (_, { input }, context) =>
    edit(context, "EDITOR", (s) => createAgreement(s, input)),
  updateAgreement: (_, args, context) => edit(context, "EDITOR", (s) => updateAgreement(s, args)),
  deleteAgreement: (_, args, context) => edit(context, "ADMIN", (s) => deleteAgreement(s, args)),

  createOutcome: (_, { input }, context) => edit(context, "EDITOR", (s) => createOutcome(s, input)),
  updateOutcome: (_, args, context) => edit(context, "EDITOR", (s) => updateOutcome(s, args)),
  deleteOutcome: (_, args, context) => edit(context, "ADMIN", (s) => deleteOutcome(s, args)),

  createActor: (_, { input }, context) => edit(context, "EDITOR", (s) => createActor(s, input)),
  updateActor: (_, args, context) => edit(context, "EDITOR", (s) => updateActor(s, args)),
  deleteActor: (_, args, context) => edit(context, "ADMIN", (s) => deleteActor(s, args)),

  createCitation: (_, { input }, context) =>
    edit(context, "EDITOR", (s) => createCitation(s, input)),
  deleteCitation: (_, { id }, context) => edit(context, "ADMIN", (s) => deleteCitation(s, id)),
};
