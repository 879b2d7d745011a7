/** Creating, updating and deleting actors. */
import type {
  MutationCreateActorArgs,
  MutationDeleteActorArgs,
  MutationUpdateActorArgs,
} from "../generated/graphql.js";
import { maxItems } from "../bounds.js";
import { badInput } from "../errors.js";
import { toGlobalId } from "../ids.js";
import { aliasProblem } from "../text/rules.js";
import { editorialNote } from "./basis.js";
import { atMost } from "./bounded.js";
import { deleteVersioned, dependent, recordCreate, replaceRows, updateVersioned } from "./edit.js";
import type { EditScope } from "./edit.js";
import { refreshActorMentions } from "./mentions.js";
import { MAX_LENGTH, notNull, optionalText, text, type Tx } from "./validate.js";

/**
 * An alias (or the name, which is always one), trimmed: not blank, not too long, and not
 * a spelling that would match noise (src/text/rules.ts).
 */
function alias(field: string, value: string): string {
  const trimmed = text(field, value, MAX_LENGTH.alias);
  const problem = aliasProblem(trimmed);
  if (problem) throw badInput(field, problem);
  return trimmed;
}

/**
 * The actor's aliases: the name first, then the others, trimmed, each once, at most
 * `Actor.aliases` in all. A spelling may name one actor only, so a mention never has to guess
 * whom it means. `stored` aliases (kept by an update that gives none) were checked when
 * written, under the rules of their day, and are not refused now.
 */
async function checkAliases(
  tx: Tx,
  actorId: number | null,
  name: string,
  aliases: readonly string[],
  stored = false,
) {
  // Counted before any is read, so a huge list costs nothing.
  atMost("input.aliases", aliases, "Actor", "aliases");
  const all = [name];
  const seen = new Set(all);
  aliases.forEach((given, i) => {
    const trimmed = stored ? given : alias(`input.aliases[${i}]`, given);
    if (seen.has(trimmed) && trimmed !== name) {
      throw badInput(`input.aliases[${i}]`, `"${trimmed}" is listed twice`);
    }
    if (!seen.has(trimmed)) all.push(trimmed);
    seen.add(trimmed);
  });
  const max = maxItems("Actor", "aliases");
  if (all.length > max) {
    throw badInput(
      "input.aliases",
      `with the name, the actor would have ${all.length} aliases; Actor.aliases holds at most ${max}`,
      { max },
    );
  }
  const taken = await tx.actorAlias.findFirst({
    where: { alias: { in: all }, ...(actorId === null ? {} : { actorId: { not: actorId } }) },
    include: { actor: true },
  });
  if (taken) {
    const field =
      taken.alias === name
        ? "input.name"
        : `input.aliases[${aliases.findIndex((given) => given.trim() === taken.alias)}]`;
    throw badInput(
      field,
      `"${taken.alias}" already names ${taken.actor.name} (${toGlobalId("Actor", taken.actorId)})`,
    );
  }
  return all;
}

/** An actor as the mutations answer it: with its aliases, the name first. */
function withAliases(tx: Tx, id: number) {
  return tx.actor.findUniqueOrThrow({
    where: { id },
    include: { aliases: { orderBy: { id: "asc" } } },
  });
}

export async function createActor(scope: EditScope, { input }: MutationCreateActorArgs) {
  const { tx } = scope;
  const name = alias("input.name", input.name);
  const aliases = await checkAliases(tx, null, name, input.aliases ?? []);
  const actor = await tx.actor.create({
    data: {
      name,
      kind: input.kind,
      description: optionalText("input.description", input.description, MAX_LENGTH.description),
      editorialNote: editorialNote("input.editorialNote", input.editorialNote) ?? null,
      aliases: { create: aliases.map((alias) => ({ alias })) },
    },
  });
  await refreshActorMentions(tx, actor.id, input.aliases ? "input.aliases" : "input.name");
  await recordCreate(scope, "Actor", actor);
  return withAliases(tx, actor.id);
}

export async function updateActor(scope: EditScope, args: MutationUpdateActorArgs) {
  const { tx } = scope;
  const key = await updateVersioned(scope, "Actor", args, async (key, input) => {
    const current = await tx.actor.findUniqueOrThrow({
      where: { id: key },
      include: { aliases: true },
    });
    const given = notNull("input.name", input.name);
    const name = given === undefined ? current.name : alias("input.name", given);
    const names = notNull("input.aliases", input.aliases);
    // Without new aliases the old ones stay: the sources still use the old spelling.
    const aliases = names ?? current.aliases.map((a) => a.alias);
    const all = await checkAliases(tx, key, name, aliases, names === undefined);
    await tx.actor.update({
      where: { id: key },
      data: {
        name,
        kind: notNull("input.kind", input.kind),
        description: optionalText("input.description", input.description, MAX_LENGTH.description),
        editorialNote: editorialNote("input.editorialNote", input.editorialNote),
      },
    });
    const before = current.aliases.map((a) => a.alias);
    if (all.length !== before.length || all.some((alias, i) => alias !== before[i])) {
      const rows = all.map((alias) => ({ actorId: key, alias }));
      await replaceRows(tx.actorAlias, { actorId: key }, rows);
      await refreshActorMentions(tx, key, names ? "input.aliases" : "input.name");
    }
  });
  return withAliases(tx, key);
}

export function deleteActor(scope: EditScope, args: MutationDeleteActorArgs) {
  const { tx } = scope;
  return deleteVersioned(scope, "Actor", args, {
    dependents: async (key) => {
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
        ...participations.map((p) => dependent("Visit", p.visitId, p.visit.title)),
        ...parties.map((p) => dependent("Agreement", p.agreementId, p.agreement.title)),
        ...[...authored.map((a) => a.article), ...published].map((a) =>
          dependent("Article", a.id, a.title),
        ),
      ];
    },
  });
}
