/** Creating, updating and deleting agreements. */
import type {
  CreateAgreementInput,
  MutationDeleteAgreementArgs,
  MutationUpdateAgreementArgs,
} from "../generated/graphql.js";
import { atMost, roomForOne } from "./bounded.js";
import { deleteVersioned, recordCreate, updateVersioned, type EditScope } from "./edit.js";
import { existingKey, existingKeys, keyOf, MAX_LENGTH, notNull, text } from "./validate.js";

export async function createAgreement(scope: EditScope, input: CreateAgreementInput) {
  const { tx } = scope;
  const parties = await existingKeys(
    tx,
    "input.partyIds",
    atMost("input.partyIds", input.partyIds ?? [], "Agreement", "parties"),
    "Actor",
  );
  const visitId =
    input.visitId == null ? null : await existingKey(tx, "input.visitId", input.visitId, "Visit");
  if (visitId !== null) await roomForOne(tx, "input.visitId", "Visit.agreements", visitId);
  const agreement = await tx.agreement.create({
    data: {
      title: text("input.title", input.title, MAX_LENGTH.title),
      kind: input.kind,
      status: input.status,
      signedOn: input.signedOn ?? null,
      visitId,
      parties: { create: parties.map((actorId) => ({ actorId })) },
    },
  });
  await recordCreate(scope, "Agreement", agreement.id);
  return agreement;
}

export async function updateAgreement(scope: EditScope, args: MutationUpdateAgreementArgs) {
  const { tx } = scope;
  const key = keyOf("id", args.id, "Agreement");
  const { input } = args;
  await updateVersioned(scope, "Agreement", key, args.expectedVersion, async () => {
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
        signedOn: input.signedOn,
        visitId,
      },
    });
    const partyIds = notNull("input.partyIds", input.partyIds);
    if (partyIds !== undefined) {
      const keys = await existingKeys(
        tx,
        "input.partyIds",
        atMost("input.partyIds", partyIds, "Agreement", "parties"),
        "Actor",
      );
      await tx.agreementParty.deleteMany({ where: { agreementId: key } });
      await tx.agreementParty.createMany({
        data: keys.map((actorId) => ({ agreementId: key, actorId })),
      });
    }
  });
  return tx.agreement.findUniqueOrThrow({ where: { id: key } });
}

export function deleteAgreement(scope: EditScope, args: MutationDeleteAgreementArgs) {
  const key = keyOf("id", args.id, "Agreement");
  return deleteVersioned(
    scope,
    "Agreement",
    key,
    args.expectedVersion,
    () => Promise.resolve([]),
    async () => {
      await scope.tx.agreement.delete({ where: { id: key } });
    },
  );
}
