/** Citing a passage of an article for a fact, and removing a citation. */
import type {
  MutationCreateCitationArgs,
  MutationDeleteCitationArgs,
} from "../generated/graphql.js";
import { badInput, accordError } from "../errors.js";
import { fromGlobalId, toGlobalId } from "../ids.js";
import {
  AmbiguousQuoteError,
  anchorQuote,
  InvalidQuoteError,
  QuoteNotFoundError,
} from "../text/anchor.js";
import { MAX_QUOTE_LENGTH, quoteProblem } from "../text/rules.js";
import { roomForOne } from "./bounded.js";
import { recordRevision, type EditScope } from "./edit.js";
import { snapshots } from "./snapshots.js";
import { existingKey, keyOf, wholeNumber } from "./validate.js";

const FACT_COLUMN = { Visit: "visitId", Agreement: "agreementId", Outcome: "outcomeId" } as const;

export async function createCitation(scope: EditScope, { input }: MutationCreateCitationArgs) {
  const { tx } = scope;
  const ref = fromGlobalId(input.factId);
  if (!ref || !(ref.type in FACT_COLUMN)) {
    throw badInput("input.factId", `"${input.factId}" is not a Visit, Agreement or Outcome id`);
  }
  const type = ref.type as keyof typeof FACT_COLUMN;
  const factKey = await existingKey(tx, "input.factId", input.factId, type);
  await roomForOne(tx, "input.factId", `${type}.citations`, factKey);
  const articleId = await existingKey(tx, "input.articleId", input.articleId, "Article");
  // Checked before the article is locked and read; anchoring checks the same again.
  const problem = quoteProblem(input.quote);
  if (problem) {
    const cap = input.quote.length > MAX_QUOTE_LENGTH ? { max: MAX_QUOTE_LENGTH } : {};
    throw badInput("input.quote", problem, cap);
  }
  const occurrence =
    input.occurrence == null ? undefined : wholeNumber("input.occurrence", input.occurrence, 1);
  // Lock the article: its body must not change between finding the quote and storing it.
  await tx.$queryRawUnsafe(`SELECT 1 FROM "Article" WHERE "id" = $1 FOR UPDATE`, articleId);
  const article = await tx.article.findUniqueOrThrow({
    where: { id: articleId },
    include: { paragraphs: { orderBy: { index: "asc" } } },
  });
  let anchor;
  try {
    anchor = anchorQuote(article.body, article.paragraphs, input.quote, occurrence);
  } catch (error) {
    if (error instanceof AmbiguousQuoteError) {
      throw badInput("input.quote", error.message, { occurrences: error.occurrences });
    }
    if (error instanceof QuoteNotFoundError) throw badInput("input.quote", error.message);
    if (error instanceof InvalidQuoteError) throw badInput("input.quote", error.message);
    throw error;
  }
  const citation = await tx.citation.create({
    data: { articleId, ...anchor, [FACT_COLUMN[type]]: factKey },
  });
  await recordRevision(scope, {
    nodeId: toGlobalId("Citation", citation.id),
    action: "CREATE",
    version: 1,
    before: null,
    after: await snapshots.Citation(tx, citation.id),
  });
  return citation;
}

export async function deleteCitation(scope: EditScope, { id }: MutationDeleteCitationArgs) {
  const { tx } = scope;
  const key = keyOf("id", id, "Citation");
  const rows = await tx.$queryRawUnsafe<{ id: number }[]>(
    `SELECT "id" FROM "Citation" WHERE "id" = $1 FOR UPDATE`,
    key,
  );
  if (rows.length === 0) throw accordError("NOT_FOUND", `No Citation has the id "${id}"`);
  const before = await snapshots.Citation(tx, key);
  await tx.citation.delete({ where: { id: key } });
  await recordRevision(scope, { nodeId: id, action: "DELETE", version: 1, before, after: null });
  return id;
}
