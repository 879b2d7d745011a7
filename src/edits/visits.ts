/** Creating, updating and deleting visits. */
import type {
  CreateVisitInput,
  MutationDeleteVisitArgs,
  MutationUpdateVisitArgs,
  ParticipantInput,
} from "../generated/graphql.js";
import { badInput } from "../errors.js";
import { dateOrder, editorialNote, givenDate, keptBasis, updatedDate } from "./basis.js";
import { articlesWithRoom, atMost } from "./bounded.js";
import { citedCreate } from "./citations.js";
import { deleteVersioned, dependent, replaceRows, updateVersioned } from "./edit.js";
import type { EditScope } from "./edit.js";
import {
  existingKeys,
  keyOf,
  MAX_LENGTH,
  notNull,
  optionalText,
  text,
  wholeNumber,
  type Tx,
} from "./validate.js";

async function participants(tx: Tx, list: readonly ParticipantInput[]) {
  atMost("input.participants", list, "Visit", "participants");
  const seen = new Set<string>();
  const rows = list.map((p, i) => {
    const actorId = keyOf(`input.participants[${i}].actorId`, p.actorId, "Actor");
    const pair = `${actorId}:${p.role}`;
    if (seen.has(pair))
      throw badInput(`input.participants[${i}]`, "is listed twice with the same role");
    seen.add(pair);
    const note = editorialNote(`input.participants[${i}].editorialNote`, p.editorialNote);
    return { actorId, role: p.role, editorialNote: note ?? null };
  });
  // Existence, with the element named: an actor may appear twice in different roles.
  const distinct = [...new Set(list.map((p) => p.actorId))];
  await existingKeys(tx, "input.participants.actorId", distinct, "Actor");
  return rows;
}

const count = (value: number | null | undefined) =>
  value == null ? value : wholeNumber("input.documentsSignedCount", value, 0);

export const createVisit = citedCreate(
  "Visit",
  async (tx, input: CreateVisitInput, editorialNote) => {
    const start = givenDate(input, "startDate");
    const end = givenDate(input, "endDate");
    dateOrder("input.endDate", start, end);
    const articleIds = await existingKeys(
      tx,
      "input.articleIds",
      input.articleIds ?? [],
      "Article",
    );
    await articlesWithRoom(tx, "input.articleIds", articleIds, null);
    return tx.visit.create({
      data: {
        title: text("input.title", input.title, MAX_LENGTH.title),
        kind: input.kind,
        startDate: start.date,
        startDatePrecision: start.precision,
        endDate: end.date,
        endDatePrecision: end.precision,
        location: optionalText("input.location", input.location, MAX_LENGTH.location) ?? null,
        documentsSignedCount: count(input.documentsSignedCount) ?? null,
        editorialNote,
        participants: { create: await participants(tx, input.participants ?? []) },
        articles: { create: articleIds.map((articleId) => ({ articleId })) },
      },
    });
  },
);

export async function updateVisit(scope: EditScope, args: MutationUpdateVisitArgs) {
  const { tx } = scope;
  const key = await updateVersioned(scope, "Visit", args, async (key, input) => {
    const current = await tx.visit.findUniqueOrThrow({ where: { id: key } });
    const start = updatedDate(current, input, "startDate");
    const end = updatedDate(current, input, "endDate");
    dateOrder("input.endDate", start, end);
    const note = await keptBasis(tx, "Visit", key, input.editorialNote);
    const title = notNull("input.title", input.title);
    await tx.visit.update({
      where: { id: key },
      data: {
        title: title === undefined ? undefined : text("input.title", title, MAX_LENGTH.title),
        kind: notNull("input.kind", input.kind),
        startDate: start.date,
        startDatePrecision: start.precision,
        endDate: end.date,
        endDatePrecision: end.precision,
        editorialNote: note,
        location: optionalText("input.location", input.location, MAX_LENGTH.location),
        documentsSignedCount: count(input.documentsSignedCount),
      },
    });
    const list = notNull("input.participants", input.participants);
    if (list !== undefined) {
      const rows = (await participants(tx, list)).map((row) => ({ visitId: key, ...row }));
      await replaceRows(tx.visitParticipant, { visitId: key }, rows);
    }
    const articleIds = notNull("input.articleIds", input.articleIds);
    if (articleIds !== undefined) {
      const keys = await existingKeys(tx, "input.articleIds", articleIds, "Article");
      await articlesWithRoom(tx, "input.articleIds", keys, key);
      const links = keys.map((articleId) => ({ articleId, visitId: key }));
      await replaceRows(tx.articleVisit, { visitId: key }, links);
    }
  });
  return tx.visit.findUniqueOrThrow({ where: { id: key } });
}

export function deleteVisit(scope: EditScope, args: MutationDeleteVisitArgs) {
  const { tx } = scope;
  return deleteVersioned(scope, "Visit", args, {
    dependents: async (key) => [
      ...(await tx.agreement.findMany({ where: { visitId: key }, orderBy: { id: "asc" } })).map(
        (a) => dependent("Agreement", a.id, a.title),
      ),
      ...(await tx.outcome.findMany({ where: { visitId: key }, orderBy: { ordinal: "asc" } })).map(
        (o) => dependent("Outcome", o.id, `${o.ordinal}. ${o.statement}`),
      ),
    ],
    remove: async (key) => {
      await tx.articleVisit.deleteMany({ where: { visitId: key } });
      await tx.visit.delete({ where: { id: key } });
    },
  });
}
