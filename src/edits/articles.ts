/** Creating, updating and deleting articles, keeping every citation and mention true. */
import type {
  CreateArticleInput,
  MutationDeleteArticleArgs,
  MutationUpdateArticleArgs,
} from "../generated/graphql.js";
import { badInput } from "../errors.js";
import { toGlobalId } from "../ids.js";
import { paragraphIndexAt, reanchor, splitParagraphs } from "./body.js";
import { deleteVersioned, recordCreate, updateVersioned, type EditScope } from "./edit.js";
import { refreshArticleMentions } from "./mentions.js";
import { citationSnapshot } from "./snapshots.js";
import {
  existingKey,
  existingKeys,
  keyOf,
  language,
  MAX_LENGTH,
  notNull,
  optionalText,
  slug,
  text,
  type Tx,
} from "./validate.js";

function body(value: string): string {
  if (value.trim() === "") throw badInput("input.body", "must not be empty or only whitespace");
  if (value.length > MAX_LENGTH.body) {
    throw badInput("input.body", `must be at most ${MAX_LENGTH.body} characters`, {
      max: MAX_LENGTH.body,
    });
  }
  // Kept exactly as given: citations are offsets into this very string.
  return value;
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

async function writeParagraphs(tx: Tx, articleId: number, text: string) {
  const paragraphs = splitParagraphs(text);
  await tx.articleParagraph.deleteMany({ where: { articleId } });
  await tx.articleParagraph.createMany({ data: paragraphs.map((p) => ({ articleId, ...p })) });
  return paragraphs;
}

export async function createArticle(scope: EditScope, input: CreateArticleInput) {
  const { tx } = scope;
  const text_ = body(input.body);
  const publisherId =
    input.publisherId == null
      ? null
      : await existingKey(tx, "input.publisherId", input.publisherId, "Actor");
  const authorIds = await existingKeys(tx, "input.authorIds", input.authorIds ?? [], "Actor");
  const visitIds = await existingKeys(tx, "input.visitIds", input.visitIds ?? [], "Visit");
  const article = await tx.article.create({
    data: {
      slug: await freeSlug(tx, slug("input.slug", input.slug), null),
      title: text("input.title", input.title, MAX_LENGTH.title),
      subtitle: optionalText("input.subtitle", input.subtitle, MAX_LENGTH.title) ?? null,
      language: language("input.language", input.language),
      publishedOn: input.publishedOn,
      body: text_,
      publisherId,
      authors: { create: authorIds.map((actorId, position) => ({ actorId, position })) },
      visits: { create: visitIds.map((visitId) => ({ visitId })) },
    },
  });
  const paragraphs = await writeParagraphs(tx, article.id, text_);
  await refreshArticleMentions(tx, article.id, text_, paragraphs, scope.affected);
  await recordCreate(scope, "Article", article.id);
  return article;
}

/**
 * A new body: every citation of the article must still find its quote, or the edit is refused
 * with the citations it would break. Those that survive move to their new offsets.
 */
async function replaceBody(
  tx: Tx,
  articleId: number,
  oldBody: string,
  newBody: string,
  affected: Set<string>,
) {
  const citations = await tx.citation.findMany({ where: { articleId } });
  const { moved, orphaned } = reanchor(oldBody, newBody, citations);
  if (orphaned.length > 0) {
    const broken = orphaned.map((span) =>
      citationSnapshot(citations.find((c) => c.id === span.id)!),
    );
    throw badInput(
      "input.body",
      `the new text no longer contains what ${broken.length} citation(s) quote: ` +
        broken.map((c) => `${String(c.id)} "${String(c.quote)}"`).join(", "),
      { citations: broken },
    );
  }
  const paragraphs = await writeParagraphs(tx, articleId, newBody);
  for (const span of moved) {
    await tx.citation.update({
      where: { id: span.id },
      data: {
        start: span.start,
        end: span.end,
        paragraphIndex: paragraphIndexAt(paragraphs, span.start),
      },
    });
  }
  await refreshArticleMentions(tx, articleId, newBody, paragraphs, affected);
}

export async function updateArticle(scope: EditScope, args: MutationUpdateArticleArgs) {
  const { tx } = scope;
  const key = keyOf("id", args.id, "Article");
  const { input } = args;
  await updateVersioned(scope, "Article", key, args.expectedVersion, async () => {
    const current = await tx.article.findUniqueOrThrow({ where: { id: key } });
    const newSlug = notNull("input.slug", input.slug);
    const newTitle = notNull("input.title", input.title);
    const newLanguage = notNull("input.language", input.language);
    const newBody = notNull("input.body", input.body);
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
        body: newBody === undefined ? undefined : body(newBody),
      },
    });
    const authorIds = notNull("input.authorIds", input.authorIds);
    if (authorIds !== undefined) {
      const keys = await existingKeys(tx, "input.authorIds", authorIds, "Actor");
      await tx.articleAuthor.deleteMany({ where: { articleId: key } });
      await tx.articleAuthor.createMany({
        data: keys.map((actorId, position) => ({ articleId: key, actorId, position })),
      });
    }
    const visitIds = notNull("input.visitIds", input.visitIds);
    if (visitIds !== undefined) {
      const keys = await existingKeys(tx, "input.visitIds", visitIds, "Visit");
      await tx.articleVisit.deleteMany({ where: { articleId: key } });
      await tx.articleVisit.createMany({
        data: keys.map((visitId) => ({ articleId: key, visitId })),
      });
    }
    if (newBody !== undefined && newBody !== current.body) {
      await replaceBody(tx, key, current.body, newBody, scope.affected);
    }
  });
  return tx.article.findUniqueOrThrow({ where: { id: key } });
}

export function deleteArticle(scope: EditScope, args: MutationDeleteArticleArgs) {
  const { tx } = scope;
  const key = keyOf("id", args.id, "Article");
  return deleteVersioned(
    scope,
    "Article",
    key,
    args.expectedVersion,
    async () =>
      (await tx.citation.findMany({ where: { articleId: key }, orderBy: { id: "asc" } })).map(
        (c) => ({
          id: toGlobalId("Citation", c.id),
          type: "Citation",
          label: c.quote,
        }),
      ),
    async () => {
      await tx.article.delete({ where: { id: key } });
    },
  );
}
