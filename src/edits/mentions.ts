/**
 * Mentions are derived data: every passage of an article that names an actor under one of its
 * aliases. They are recomputed inside the edit that changes a body or a name, so readers never
 * see them out of step with the text.
 */
import { badInput } from "../errors.js";
import { toGlobalId } from "../ids.js";
import { findMentionsOfEach, TooManyAliasMatchesError, type Mention } from "../text/mentions.js";
import type { ParagraphSpan } from "../text/paragraphs.js";
import type { Tx } from "./validate.js";

interface MentionRow {
  actorId: number;
  articleId: number;
  start: number;
  end: number;
  quote: string;
  paragraphIndex: number;
}

/**
 * Stores mentions in one statement of six arrays. A body can name an actor tens of thousands
 * of times; Prisma's `createMany` builds such a statement row by row on the event loop
 * (seconds for 20,000 rows), where the driver sends six arrays as they are.
 */
async function insertMentions(tx: Tx, rows: readonly MentionRow[]) {
  if (rows.length === 0) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO "Mention" ("actorId", "articleId", "start", "end", "quote", "paragraphIndex")
     SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::int[], $5::text[], $6::int[])`,
    rows.map((r) => r.actorId),
    rows.map((r) => r.articleId),
    rows.map((r) => r.start),
    rows.map((r) => r.end),
    rows.map((r) => r.quote),
    rows.map((r) => r.paragraphIndex),
  );
}

/**
 * Keeps `tx` alive while this process reads a long body for it: between two chunks, at most
 * once a second, one trivial statement. Reading 1,000,000 characters beyond ASCII takes seconds,
 * more with other edits reading beside it, and Postgres ends a transaction idle for
 * `idle_in_transaction_session_timeout` (the statement timeout); the edit's own 30 s
 * transaction timeout still bounds the whole.
 */
function keepAlive(tx: Tx): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < 1000) return;
    await tx.$executeRawUnsafe("SELECT 1");
    last = Date.now();
  };
}

/**
 * `findMentionsOfEach` inside `tx`, with a body whose aliases occur too often refused as bad
 * input of `field` (the edit's transaction then rolls back: nothing is written).
 */
async function mentionsOrRefuse(
  tx: Tx,
  field: string,
  where: string,
  ...[body, paragraphs, aliasLists]: Parameters<typeof findMentionsOfEach>
): Promise<Mention[][]> {
  try {
    return await findMentionsOfEach(body, paragraphs, aliasLists, { onTurn: keepAlive(tx) });
  } catch (error) {
    if (error instanceof TooManyAliasMatchesError) {
      throw badInput(field, `${where}: ${error.message}`, { max: error.max });
    }
    throw error;
  }
}

/** Recomputes the mentions in one article, after its body changed or it was created. */
export async function refreshArticleMentions(
  tx: Tx,
  articleId: number,
  body: string,
  paragraphs: readonly ParagraphSpan[],
) {
  await tx.mention.deleteMany({ where: { articleId } });
  const found = await recordMentions(tx, "input.body", body, paragraphs);
  await insertMentions(
    tx,
    found.map(({ actorId, start, end, quote, paragraphIndex }) => ({
      actorId,
      articleId,
      start,
      end,
      quote,
      paragraphIndex,
    })),
  );
}

/**
 * Every mention in `body` of the actors in the record, with the actor's key; `field` is the
 * input refused when their names occur too often.
 */
export async function recordMentions(
  tx: Tx,
  field: string,
  body: string,
  paragraphs: readonly ParagraphSpan[],
): Promise<(Mention & { actorId: number })[]> {
  // Only aliases that occur in the body at all can be mentions: Postgres narrows them down.
  const candidates = await tx.$queryRawUnsafe<{ actorId: number; alias: string }[]>(
    `SELECT "actorId", "alias" FROM "ActorAlias" WHERE strpos($1, "alias") > 0`,
    body,
  );
  const byActor = new Map<number, string[]>();
  for (const { actorId, alias } of candidates) {
    const aliases = byActor.get(actorId);
    if (aliases) aliases.push(alias);
    else byActor.set(actorId, [alias]);
  }
  const actorIds = [...byActor.keys()];
  // Every actor's aliases in one pass over the body.
  const found = await mentionsOrRefuse(tx, field, "actors' names", body, paragraphs, [
    ...byActor.values(),
  ]);
  return found.flatMap((mentions, i) =>
    mentions.map((mention) => ({ ...mention, actorId: actorIds[i]! })),
  );
}

/**
 * Recomputes one actor's mentions in every article, after its names changed; `field` is the
 * input refused when the names occur too often in an article.
 */
export async function refreshActorMentions(tx: Tx, actorId: number, field = "input.aliases") {
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
  const byArticle = new Map<number, ParagraphSpan[]>(articles.map((a) => [a.id, []]));
  for (const paragraph of paragraphs) byArticle.get(paragraph.articleId)!.push(paragraph);
  const data = [];
  for (const article of articles) {
    const [mentions] = await mentionsOrRefuse(
      tx,
      field,
      `in article ${toGlobalId("Article", article.id)}`,
      article.body,
      byArticle.get(article.id)!,
      [aliases],
    );
    for (const { start, end, quote, paragraphIndex } of mentions!) {
      data.push({ actorId, articleId: article.id, start, end, quote, paragraphIndex });
    }
  }
  await insertMentions(tx, data);
}
