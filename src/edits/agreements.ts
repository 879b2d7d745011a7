/** Creating, updating and deleting agreements. */
import type {
  CreateAgreementInput,
  MutationDeleteAgreementArgs,
  MutationUpdateAgreementArgs,
} from "../generated/graphql.js";
import { givenDate, keptBasis, updatedDate } from "./basis.js";
import { roomForOne } from "./bounded.js";
import { citedCreate } from "./citations.js";
import { deleteVersioned, replaceRows, updateVersioned } from "./edit.js";
import type { EditScope } from "./edit.js";
import { existingKey, existingKeys, MAX_LENGTH, notNull, text, type Tx } from "./validate.js";

/** The parties an edit lists, checked alike by a create and an update. */
const partyKeys = (tx: Tx, ids: readonly string[]) =>
  existingKeys(tx, "input.partyIds", ids, "Actor", "Agreement.parties");

export const createAgreement = citedCreate(
  "Agreement",
  async (tx, input: CreateAgreementInput, editorialNote) => {
    const signed = givenDate(input, "signedOn");
    const parties = await partyKeys(tx, input.partyIds ?? []);
    const visitId =
      input.visitId == null ? null : await existingKey(tx, "input.visitId", input.visitId, "Visit");
    if (visitId !== null) await roomForOne(tx, "input.visitId", "Visit.agreements", visitId);
    return tx.agreement.create({
      data: {
        title: text("input.title", input.title, MAX_LENGTH.title),
        kind: input.kind,
        status: input.status,
        signedOn: signed.date,
        signedOnPrecision: signed.precision,
        visitId,
        editorialNote,
        parties: { create: parties.map((actorId) => ({ actorId })) },
      },
    });
  },
);

export async function updateAgreement(scope: EditScope, args: MutationUpdateAgreementArgs) {
  const { tx } = scope;
  const key = await updateVersioned(scope, "Agreement", args, async (key, input) => {
    const current = await tx.agreement.findUniqueOrThrow({ where: { id: key } });
    const signed = updatedDate(current, input, "signedOn");
    const note = await keptBasis(tx, "Agreement", key, input.editorialNote);
    const title = notNull("input.title", input.title);
    const visitId =
      input.visitId == null
        ? input.visitId
        : await existingKey(tx, "input.visitId", input.visitId, "Visit");
    if (visitId != null) await roomForOne(tx, "input.visitId", "Visit.agreements", visitId, key);
    await tx.agreement.update({
      where: { id: key },
      data: {
        title: title === undefined ? undefined : text("input.title", title, MAX_LENGTH.title),
        kind: notNull("input.kind", input.kind),
        status: notNull("input.status", input.status),
        signedOn: signed.date,
        signedOnPrecision: signed.precision,
        editorialNote: note,
        visitId,
      },
    });
    const partyIds = notNull("input.partyIds", input.partyIds);
    if (partyIds !== undefined) {
      const keys = await partyKeys(tx, partyIds);
      const parties = keys.map((actorId) => ({ agreementId: key, actorId }));
      await replaceRows(tx.agreementParty, { agreementId: key }, parties);
    }
  });
  return tx.agreement.findUniqueOrThrow({ where: { id: key } });
}

export function deleteAgreement(scope: EditScope, args: MutationDeleteAgreementArgs) {
  return deleteVersioned(scope, "Agreement", args);
}
