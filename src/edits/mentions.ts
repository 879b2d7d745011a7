/**
 * Mentions are derived data: every passage of an article that names an actor under one of its
 * aliases. They are recomputed inside the edit that changes a body or a name, so readers never
 * see them out of step with the text.
 */
import { toGlobalId } from "../ids.js";
import { findMentions } from "../seed/anchor.js";
import type { Tx } from "./validate.js";

interface Paragraph {
  index: number;
  start: number;
  end: number;
}

function mentionRows(
  actorId: number,
  articleId: number,
  body: string,
  paragraphs: readonly Paragraph[],
  aliases: string[],
) {
  return findMentions(body, paragraphs, aliases).map(({ start, end, quote, paragraphIndex }) => ({
    actorId,
    articleId,
    start,
    end,
    quote,
    paragraphIndex,
  }));
}

/** Notes the actors whose mentions a change replaces, for the response cache. */
async function noteMentioned(
  tx: Tx,
  where: { articleId?: number; actorId?: number },
  affected: Set<string>,
) {
  const rows = await tx.mention.findMany({
    where,
    distinct: ["actorId", "articleId"],
    select: { actorId: true, articleId: true },
  });
  for (const row of rows) {
    affected.add(toGlobalId("Actor", row.actorId));
    affected.add(toGlobalId("Article", row.articleId));
  }
}

/** Recomputes the mentions in one article, after its body changed or it was created. */
export async function refreshArticleMentions(
  tx: Tx,
  articleId: number,
  body: string,
  paragraphs: readonly Paragraph[],
  affected: Set<string>,
) {
  await noteMentioned(tx, { articleId }, affected);
  await tx.mention.deleteMany({ where: { articleId } });
  // Only aliases that occur in the body at all can be mentions: Postgres narrows them down.
  const candidates = await tx.$queryRawUnsafe<{ actorId: number; alias: string }[]>(
    `SELECT "actorId", "alias" FROM "ActorAlias" WHERE strpos($1, "alias") > 0`,
    body,
  );
  const byActor = new Map<number, string[]>();
  for (const { actorId, alias } of candidates) {
    byActor.set(actorId, [...(byActor.get(actorId) ?? []), alias]);
  }
  const data = [...byActor].flatMap(([actorId, aliases]) =>
    mentionRows(actorId, articleId, body, paragraphs, aliases),
  );
  if (data.length > 0) await tx.mention.createMany({ data });
  await noteMentioned(tx, { articleId }, affected);
}

/** Recomputes one actor's mentions in every article, after its names changed. */
export async function refreshActorMentions(tx: Tx, actorId: number, affected: Set<string>) {
  await noteMentioned(tx, { actorId }, affected);
  await tx.mention.deleteMany({ where: { actorId } });
  const aliases = (await tx.actorAlias.findMany({ where: { actorId } })).map((a) => a.alias);
  const articles = await tx.$queryRawUnsafe<{ id: number; body: string }[]>(
    `SELECT "id", "body" FROM "Article" a
     WHERE EXISTS (SELECT 1 FROM "ActorAlias" x WHERE x."actorId" = $1 AND strpos(a."body", x."alias") > 0)`,
    actorId,
  );
  if (articles.length === 0) return;
  const paragraphs = await tx.articleParagraph.findMany({
    where: { articleId: { in: articles.map((a) => a.id) } },
    orderBy: { index: "asc" },
  });
  const data = articles.flatMap((article) =>
    mentionRows(
      actorId,
      article.id,
      article.body,
      paragraphs.filter((p) => p.articleId === article.id),
      aliases,
    ),
  );
  if (data.length > 0) await tx.mention.createMany({ data });
  await noteMentioned(tx, { actorId }, affected);
}
