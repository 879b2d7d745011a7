/** Edits: each mutation checks the key's role and runs in one transaction (src/edits). */
import { createApiKey, requireRole, revokeApiKey, type Role } from "../auth.js";
import type { Context } from "../context.js";
import type { MutationResolvers } from "../generated/graphql.js";
import { createActor, deleteActor, updateActor } from "../edits/actors.js";
import { createAgreement, deleteAgreement, updateAgreement } from "../edits/agreements.js";
import {
  createArticle,
  deleteArticle,
  removeArticleSource,
  updateArticle,
} from "../edits/articles.js";
import { createCitation, deleteCitation } from "../edits/citations.js";
import { edit, type EditScope } from "../edits/edit.js";
import { createOutcome, deleteOutcome, updateOutcome } from "../edits/outcomes.js";
import { createVisit, deleteVisit, updateVisit } from "../edits/visits.js";
import { importArticle } from "../import/import.js";

/** A mutation that keys of `role` (or above) may run: `change` with the field's arguments. */
const allowed =
  (role: Role) =>
  <Args, T>(change: (scope: EditScope, args: Args) => Promise<T>) =>
  (_: unknown, args: Args, context: Context) =>
    edit(context, role, (scope) => change(scope, args));

/**
 * Key management: admins only, outside `edit()`. It changes no record (no revision), and an
 * `Idempotency-Key` record would have to keep the new key's secret.
 */
const asAdmin =
  <Args, T>(change: (context: Context, args: Args) => Promise<T>) =>
  async (_: unknown, args: Args, context: Context) => {
    requireRole(await context.editor(), "ADMIN");
    return change(context, args);
  };

/** Editors create and update; only admins delete. */
const editor = allowed("EDITOR");
const admin = allowed("ADMIN");

export const Mutation: MutationResolvers = {
  createArticle: editor(createArticle),
  importArticle: editor((scope, { input }) => importArticle(scope, input)),
  updateArticle: editor(updateArticle),
  removeArticleSource: admin(removeArticleSource),
  deleteArticle: admin(deleteArticle),

  createVisit: editor(createVisit),
  updateVisit: editor(updateVisit),
  deleteVisit: admin(deleteVisit),

  createAgreement: editor(createAgreement),
  updateAgreement: editor(updateAgreement),
  deleteAgreement: admin(deleteAgreement),

  createOutcome: editor(createOutcome),
  updateOutcome: editor(updateOutcome),
  deleteOutcome: admin(deleteOutcome),

  createActor: editor(createActor),
  updateActor: editor(updateActor),
  deleteActor: admin(deleteActor),

  createCitation: editor(createCitation),
  deleteCitation: admin(deleteCitation),

  createApiKey: asAdmin(async ({ db }, { name, role }) => {
    const { key, ...apiKey } = await createApiKey(db, { name, role });
    return { key, apiKey };
  }),
  revokeApiKey: asAdmin(({ db }, { name }) => revokeApiKey(db, name)),
};
