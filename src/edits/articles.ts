/** Creating, updating and deleting articles, keeping every citation and mention true. */
import type {
  MutationCreateArticleArgs,
  MutationDeleteArticleArgs,
  MutationRemoveArticleSourceArgs,
  MutationUpdateArticleArgs,
} from "../generated/graphql.js";
import { accordError, badInput } from "../errors.js";
import { forgetStoredAnswers } from "../idempotency.js";
import { toGlobalId } from "../ids.js";
import { maxItems } from "../bounds.js";
import {
  paragraphIndexAt,
  splitParagraphs,
  TooManyParagraphsError,
  type Paragraph,
} from "../text/paragraphs.js";
import { reanchor } from "../text/reanchor.js";
import { bodyProblem, MAX_BODY_LENGTH } from "../text/rules.js";
import { deleteVersioned, dependent, recordCreate, replaceRows, updateVersioned } from "./edit.js";
import type { EditScope } from "./edit.js";
import { refreshArticleMentions } from "./mentions.js";
import { citationSnapshot } from "./snapshots.js";
import {
  existingKey,
  existingKeys,
  language,
  MAX_LENGTH,
  notNull,
  optionalText,
  slug,
  text,
  type Tx,
} from "./validate.js";

interface Body {
  text: string;
  paragraphs: Paragraph[];
}

/** A body and its paragraphs, checked before anything is written or re-anchored. */
function body(value: string): Body {
  const problem = bodyProblem(value);
  if (problem) {
    throw badInput(
      "input.body",
      problem,
      value.length > MAX_BODY_LENGTH ? { max: MAX_BODY_LENGTH } : {},
    );
  }
  const max = maxItems("Article", "paragraphs");
  try {
    // Kept exactly as given: citations are offsets into this very string.
    return { text: value, paragraphs: splitParagraphs(value, max) };
  } catch (error) {
    if (error instanceof TooManyParagraphsError) {
      throw badInput("input.body", `${error.message} (Article.paragraphs)`, {
        max,
        paragraphs: error.count,
      });
    }
    throw error;
  }
}

async function freeSlug(tx: Tx, value: string, articleId: number | null) {
  const taken = await tx.article.findUnique({ where: { slug: value } });
  if (taken && taken.id !== articleId) {
    throw badInput(
      "input.slug",
      `"${value}" is already the slug of ${toGlobalId("Article", taken.id)}`,
    );
  }
  return value;
}

/** The authors and the visits an edit lists, checked alike by a create and an update. */
const authorKeys = (tx: Tx, ids: readonly string[]) =>
  existingKeys(tx, "input.authorIds", ids, "Actor", "Article.authors");
const visitKeys = (tx: Tx, ids: readonly string[]) =>
  existingKeys(tx, "input.visitIds", ids, "Visit", "Article.visits");

/**
 * Stores the paragraphs in one statement of arrays: Prisma's `createMany` builds one of
 * thousands of rows on the event loop, holding up every other request meanwhile.
 */
async function writeParagraphs(tx: Tx, articleId: number, paragraphs: Paragraph[]) {
  await tx.articleParagraph.deleteMany({ where: { articleId } });
  await tx.$executeRawUnsafe(
    `INSERT INTO "ArticleParagraph" ("articleId", "index", "start", "end", "duplicateOf")
     SELECT $1, * FROM unnest($2::int[], $3::int[], $4::int[], $5::int[])`,
    articleId,
    paragraphs.map((p) => p.index),
    paragraphs.map((p) => p.start),
    paragraphs.map((p) => p.end),
    paragraphs.map((p) => p.duplicateOf),
  );
  return paragraphs;
}

/**
 * `withArticle`: what the caller writes with the new article before its creation is recorded
 * (an import, its source), so that the revision shows the article as it committed.
 */
export async function createArticle(
  scope: EditScope,
  { input }: MutationCreateArticleArgs,
  { withArticle }: { withArticle?: (articleId: number) => Promise<unknown> } = {},
) {
  const { tx } = scope;
  const checked = body(input.body);
  const publisherId =
    input.publisherId == null
      ? null
      : await existingKey(tx, "input.publisherId", input.publisherId, "Actor");
  const authorIds = await authorKeys(tx, input.authorIds ?? []);
  const visitIds = await visitKeys(tx, input.visitIds ?? []);
  const article = await tx.article.create({
    data: {
      slug: await freeSlug(tx, slug("input.slug", input.slug), null),
      title: text("input.title", input.title, MAX_LENGTH.title),
      subtitle: optionalText("input.subtitle", input.subtitle, MAX_LENGTH.title) ?? null,
      language: language("input.language", input.language),
      publishedOn: input.publishedOn,
      body: checked.text,
      publisherId,
      authors: { create: authorIds.map((actorId, position) => ({ actorId, position })) },
      visits: { create: visitIds.map((visitId) => ({ visitId })) },
    },
  });
  const paragraphs = await writeParagraphs(tx, article.id, checked.paragraphs);
  await refreshArticleMentions(tx, article.id, checked.text, paragraphs);
  await withArticle?.(article.id);
  return recordCreate(scope, "Article", article);
}

/**
 * A new body: every citation of the article must still find its quote, or the edit is refused
 * with the citations it would break. Those that survive move to their new offsets.
 */
async function replaceBody(tx: Tx, articleId: number, oldBody: string, newBody: Body) {
  const citations = await tx.citation.findMany({ where: { articleId }, orderBy: { id: "asc" } });
  const { moved, orphaned } = reanchor(oldBody, newBody.text, citations);
  if (orphaned.length > 0) {
    const byId = new Map(citations.map((c) => [c.id, c]));
    const broken = orphaned.map((span) => citationSnapshot(byId.get(span.id)!));
    throw badInput(
      "input.body",
      `the new text no longer contains what ${broken.length} citation(s) quote: ` +
        broken.map((c) => `${String(c.id)} "${String(c.quote)}"`).join(", "),
      { citations: broken },
    );
  }
  // Two citations of one fact that the new text would put on one passage: the second one no
  // longer cites what it did (its occurrence is gone), and a fact cites a passage once.
  const at = new Map(moved.map((span) => [span.id, span]));
  const seen = new Set<string>();
  const merged = citations.filter((c) => {
    const span = at.get(c.id) ?? c;
    const where = `${c.visitId}:${c.agreementId}:${c.outcomeId}:${span.start}:${span.end}`;
    if (seen.has(where)) return true;
    seen.add(where);
    return false;
  });
  if (merged.length > 0) {
    const broken = merged.map(citationSnapshot);
    throw badInput(
      "input.body",
      `the new text would leave ${broken.length} citation(s) on the passage another citation of ` +
        `the same fact quotes: ` +
        broken.map((c) => `${String(c.id)} "${String(c.quote)}"`).join(", "),
      { citations: broken },
    );
  }
  const paragraphs = await writeParagraphs(tx, articleId, newBody.paragraphs);
  // One statement for every citation, not a round trip each.
  if (moved.length > 0) {
    await tx.$executeRawUnsafe(
      `UPDATE "Citation" c SET "start" = m.start, "end" = m.stop, "paragraphIndex" = m.paragraph
       FROM unnest($1::int[], $2::int[], $3::int[], $4::int[]) AS m(id, start, stop, paragraph)
       WHERE c."id" = m.id`,
      moved.map((span) => span.id),
      moved.map((span) => span.start),
      moved.map((span) => span.end),
      moved.map((span) => paragraphIndexAt(paragraphs, span.start)),
    );
  }
  await refreshArticleMentions(tx, articleId, newBody.text, paragraphs);
}

export async function updateArticle(scope: EditScope, args: MutationUpdateArticleArgs) {
  const { tx } = scope;
  const key = await updateVersioned(scope, "Article", args, async (key, input) => {
    const current = await tx.article.findUniqueOrThrow({ where: { id: key } });
    const newSlug = notNull("input.slug", input.slug);
    const newTitle = notNull("input.title", input.title);
    const newLanguage = notNull("input.language", input.language);
    const given = notNull("input.body", input.body);
    const newBody = given === undefined ? undefined : body(given);
    if (newBody !== undefined && newBody.text !== current.body) {
      // The new body brings its own paragraphs (replaceBody below). Gone first, the old ones
      // are not indexed for search against the new text only to be replaced.
      await tx.articleParagraph.deleteMany({ where: { articleId: key } });
    }
    await tx.article.update({
      where: { id: key },
      data: {
        slug:
          newSlug === undefined ? undefined : await freeSlug(tx, slug("input.slug", newSlug), key),
        title: newTitle === undefined ? undefined : text("input.title", newTitle, MAX_LENGTH.title),
        subtitle: optionalText("input.subtitle", input.subtitle, MAX_LENGTH.title),
        language: newLanguage === undefined ? undefined : language("input.language", newLanguage),
        publishedOn: notNull("input.publishedOn", input.publishedOn),
        publisherId:
          input.publisherId === undefined
            ? undefined
            : input.publisherId === null
              ? null
              : await existingKey(tx, "input.publisherId", input.publisherId, "Actor"),
        body: newBody?.text,
      },
    });
    const authorIds = notNull("input.authorIds", input.authorIds);
    if (authorIds !== undefined) {
      const keys = await authorKeys(tx, authorIds);
      const authors = keys.map((actorId, position) => ({ articleId: key, actorId, position }));
      await replaceRows(tx.articleAuthor, { articleId: key }, authors);
    }
    const visitIds = notNull("input.visitIds", input.visitIds);
    if (visitIds !== undefined) {
      const keys = await visitKeys(tx, visitIds);
      const links = keys.map((visitId) => ({ articleId: key, visitId }));
      await replaceRows(tx.articleVisit, { articleId: key }, links);
    }
    if (newBody !== undefined && newBody.text !== current.body) {
      await replaceBody(tx, key, current.body, newBody);
    }
  });
  return tx.article.findUniqueOrThrow({ where: { id: key } });
}

/** Removes an imported article's verbatim source; the article's own fields stay as they are. */
export async function removeArticleSource(scope: EditScope, args: MutationRemoveArticleSourceArgs) {
  const { tx } = scope;
  const key = await updateVersioned(scope, "Article", { ...args, input: {} }, async (key) => {
    const { count } = await tx.articleSource.deleteMany({ where: { articleId: key } });
    if (count === 0) {
      throw accordError("NOT_FOUND", `The article "${args.id}" keeps no source to remove`);
    }
    // An answer kept for an Idempotency-Key replay may show the source.
    await forgetStoredAnswers(tx, "Article", key);
  });
  return tx.article.findUniqueOrThrow({ where: { id: key } });
}

export function deleteArticle(scope: EditScope, args: MutationDeleteArticleArgs) {
  const { tx } = scope;
  return deleteVersioned(scope, "Article", args, {
    dependents: async (key) =>
      (await tx.citation.findMany({ where: { articleId: key }, orderBy: { id: "asc" } })).map((c) =>
        dependent("Citation", c.id, c.quote),
      ),
  });
}
