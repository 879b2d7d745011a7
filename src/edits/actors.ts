/** Creating, updating and deleting actors. */
import type {
  CreateActorInput,
  MutationDeleteActorArgs,
  MutationUpdateActorArgs,
} from "../generated/graphql.js";
import { badInput } from "../errors.js";
import { toGlobalId } from "../ids.js";
import { deleteVersioned, recordCreate, updateVersioned, type EditScope } from "./edit.js";
import { refreshActorMentions } from "./mentions.js";
import { keyOf, MAX_LENGTH, notNull, optionalText, text, type Tx } from "./validate.js";

/**
 * The actor's aliases: the name first, then the others, trimmed, each once. A spelling may
 * name one actor only, so a mention never has to guess whom it means.
 */
async function checkAliases(
  tx: Tx,
  actorId: number | null,
  name: string,
  aliases: readonly string[],
) {
  const all = [name];
  aliases.forEach((alias, i) => {
    const trimmed = text(`input.aliases[${i}]`, alias, MAX_LENGTH.name);
    if (all.includes(trimmed) && trimmed !== name) {
      throw badInput(`input.aliases[${i}]`, `"${trimmed}" is listed twice`);
    }
    if (!all.includes(trimmed)) all.push(trimmed);
  });
  const taken = await tx.actorAlias.findFirst({
    where: { alias: { in: all }, ...(actorId === null ? {} : { actorId: { not: actorId } }) },
    include: { actor: true },
  });
  if (taken) {
    const field =
      taken.alias === name ? "input.name" : `input.aliases[${aliases.indexOf(taken.alias)}]`;
    throw badInput(
      field,
      `"${taken.alias}" already names ${taken.actor.name} (${toGlobalId("Actor", taken.actorId)})`,
    );
  }
  return all;
}

export async function createActor(scope: EditScope, input: CreateActorInput) {
  const { tx } = scope;
  const name = text("input.name", input.name, MAX_LENGTH.name);
  const aliases = await checkAliases(tx, null, name, input.aliases ?? []);
  const actor = await tx.actor.create({
    data: {
      name,
      kind: input.kind,
      description: optionalText("input.description", input.description, MAX_LENGTH.description),
      aliases: { create: aliases.map((alias) => ({ alias })) },
    },
  });
  await refreshActorMentions(tx, actor.id, scope.affected);
  await recordCreate(scope, "Actor", actor.id);
  return tx.actor.findUniqueOrThrow({
    where: { id: actor.id },
    include: { aliases: { orderBy: { id: "asc" } } },
  });
}

export async function updateActor(scope: EditScope, args: MutationUpdateActorArgs) {
  const { tx } = scope;
  const key = keyOf("id", args.id, "Actor");
  const { input } = args;
  await updateVersioned(scope, "Actor", key, args.expectedVersion, async () => {
    const current = await tx.actor.findUniqueOrThrow({
      where: { id: key },
      include: { aliases: true },
    });
    const given = notNull("input.name", input.name);
    const name = given === undefined ? current.name : text("input.name", given, MAX_LENGTH.name);
    const names = notNull("input.aliases", input.aliases);
    // Without new aliases the old ones stay: the sources still use the old spelling.
    const aliases = names ?? current.aliases.map((a) => a.alias);
    const all = await checkAliases(tx, key, name, aliases);
    await tx.actor.update({
      where: { id: key },
      data: {
        name,
        kind: notNull("input.kind", input.kind),
        description: optionalText("input.description", input.description, MAX_LENGTH.description),
      },
    });
    const before = current.aliases.map((a) => a.alias);
    if (all.length !== before.length || all.some((alias, i) => alias !== before[i])) {
      await tx.actorAlias.deleteMany({ where: { actorId: key } });
      await tx.actorAlias.createMany({ data: all.map((alias) => ({ actorId: key, alias })) });
      await refreshActorMentions(tx, key, scope.affected);
    }
  });
  return tx.actor.findUniqueOrThrow({
    where: { id: key },
    include: { aliases: { orderBy: { id: "asc" } } },
  });
}

export function deleteActor(scope: EditScope, args: MutationDeleteActorArgs) {
  const { tx } = scope;
  const key = keyOf("id", args.id, "Actor");
  return deleteVersioned(
    scope,
    "Actor",
    key,
    args.expectedVersion,
    async () => {
      // One after another: a transaction is one connection, which runs one query at a time.
      const participations = await tx.visitParticipant.findMany({
        where: { actorId: key },
        include: { visit: true },
      });
      const parties = await tx.agreementParty.findMany({
        where: { actorId: key },
        include: { agreement: true },
      });
      const authored = await tx.articleAuthor.findMany({
        where: { actorId: key },
        include: { article: true },
      });
      const published = await tx.article.findMany({ where: { publisherId: key } });
      return [
        ...participations.map((p) => ({
          id: toGlobalId("Visit", p.visitId),
          type: "Visit",
          label: p.visit.title,
        })),
        ...parties.map((p) => ({
          id: toGlobalId("Agreement", p.agreementId),
          type: "Agreement",
          label: p.agreement.title,
        })),
        ...[...authored.map((a) => a.article), ...published].map((a) => ({
          id: toGlobalId("Article", a.id),
          type: "Article",
          label: a.title,
        })),
      ];
    },
    async () => {
      await tx.actor.delete({ where: { id: key } });
    },
  );
}
