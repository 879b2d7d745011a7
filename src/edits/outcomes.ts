/** Creating, updating and deleting outcomes. */
import type {
  CreateOutcomeInput,
  MutationDeleteOutcomeArgs,
  MutationUpdateOutcomeArgs,
} from "../generated/graphql.js";
import { badInput } from "../errors.js";
import { toGlobalId } from "../ids.js";
import { keptBasis } from "./basis.js";
import { roomForOne } from "./bounded.js";
import { citedCreate } from "./citations.js";
import { deleteVersioned, updateVersioned, type EditScope } from "./edit.js";
import { existingKey, MAX_LENGTH, notNull, text, wholeNumber, type Tx } from "./validate.js";

/** Ordinals number a visit's outcomes: two outcomes of one visit cannot share one. */
async function freeOrdinal(tx: Tx, visitId: number, ordinal: number, outcomeId: number | null) {
  wholeNumber("input.ordinal", ordinal, 1);
  const taken = await tx.outcome.findUnique({ where: { visitId_ordinal: { visitId, ordinal } } });
  if (taken && taken.id !== outcomeId) {
    throw badInput(
      "input.ordinal",
      `outcome ${ordinal} of this visit already exists (${toGlobalId("Outcome", taken.id)})`,
    );
  }
  return ordinal;
}

export const createOutcome = citedCreate(
  "Outcome",
  async (tx, input: CreateOutcomeInput, editorialNote) => {
    const visitId = await existingKey(tx, "input.visitId", input.visitId, "Visit");
    await roomForOne(tx, "input.visitId", "Visit.outcomes", visitId);
    return tx.outcome.create({
      data: {
        visitId,
        ordinal: await freeOrdinal(tx, visitId, input.ordinal, null),
        statement: text("input.statement", input.statement, MAX_LENGTH.statement),
        category: input.category,
        status: input.status,
        editorialNote,
      },
    });
  },
);

export async function updateOutcome(scope: EditScope, args: MutationUpdateOutcomeArgs) {
  const { tx } = scope;
  const key = await updateVersioned(scope, "Outcome", args, async (key, input) => {
    const current = await tx.outcome.findUniqueOrThrow({ where: { id: key } });
    const newVisit = notNull("input.visitId", input.visitId);
    const visitId =
      newVisit === undefined
        ? current.visitId
        : await existingKey(tx, "input.visitId", newVisit, "Visit");
    if (visitId !== current.visitId)
      await roomForOne(tx, "input.visitId", "Visit.outcomes", visitId, key);
    const ordinal = notNull("input.ordinal", input.ordinal) ?? current.ordinal;
    const statement = notNull("input.statement", input.statement);
    const note = await keptBasis(tx, "Outcome", key, input.editorialNote);
    await tx.outcome.update({
      where: { id: key },
      data: {
        visitId,
        ordinal: await freeOrdinal(tx, visitId, ordinal, key),
        statement:
          statement === undefined
            ? undefined
            : text("input.statement", statement, MAX_LENGTH.statement),
        category: notNull("input.category", input.category),
        status: notNull("input.status", input.status),
        editorialNote: note,
      },
    });
  });
  return tx.outcome.findUniqueOrThrow({ where: { id: key } });
}

export function deleteOutcome(scope: EditScope, args: MutationDeleteOutcomeArgs) {
  return deleteVersioned(scope, "Outcome", args);
}
