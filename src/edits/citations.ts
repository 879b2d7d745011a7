/** Citing a passage of an article for a fact, and removing a citation. */
import type {
  MutationCreateCitationArgs,
  MutationDeleteCitationArgs,
  NewCitationInput,
} from "../generated/graphql.js";
import { badInput, accordError } from "../errors.js";
import { fromGlobalId, toGlobalId } from "../ids.js";
import { NODES } from "../registry.js";
import {
  AmbiguousQuoteError,
  anchorQuote,
  InvalidQuoteError,
  QuoteNotFoundError,
} from "../text/anchor.js";
import { MAX_QUOTE_LENGTH, quoteProblem } from "../text/rules.js";
import { FACT_COLUMN, newFactNote, type CitedFact, type CiteOption } from "./basis.js";
import { atMost, roomForOne } from "./bounded.js";
import { recordCreate, recordRevision, type EditScope } from "./edit.js";
import { snapshots } from "./snapshots.js";
import { existingKey, keyOf, wholeNumber, type Tx } from "./validate.js";

/**
 * Cites `passage` for the fact `factKey` of `type`: the quote anchored in the article's body
 * as it is now, and a revision recorded. `field` prefixes the passage's fields in refusals
 * (`input`, `input.citations[2]`); `factField` names the input that adds to a full list.
 */
export async function cite(
  scope: EditScope,
  { field, factField }: { field: string; factField: string },
  type: CitedFact,
  factKey: number,
  passage: NewCitationInput,
  read: ArticleReads = new Map(),
) {
  const { tx } = scope;
  await roomForOne(tx, factField, `${type}.citations`, factKey);
  const articleId = await existingKey(tx, `${field}.articleId`, passage.articleId, "Article");
  // Checked before the article is locked and read; anchoring checks the same again.
  const problem = quoteProblem(passage.quote);
  if (problem) {
    const cap = passage.quote.length > MAX_QUOTE_LENGTH ? { max: MAX_QUOTE_LENGTH } : {};
    throw badInput(`${field}.quote`, problem, cap);
  }
  const occurrence =
    passage.occurrence == null
      ? undefined
      : wholeNumber(`${field}.occurrence`, passage.occurrence, 1);
  const article = await lockedArticle(tx, articleId, read);
  let anchor;
  try {
    anchor = anchorQuote(article.body, article.paragraphs, passage.quote, occurrence);
  } catch (error) {
    if (error instanceof AmbiguousQuoteError) {
      throw badInput(`${field}.quote`, error.message, { occurrences: error.occurrences });
    }
    if (error instanceof QuoteNotFoundError) throw badInput(`${field}.quote`, error.message);
    if (error instanceof InvalidQuoteError) throw badInput(`${field}.quote`, error.message);
    throw error;
  }
  const where = { articleId, start: anchor.start, end: anchor.end, [FACT_COLUMN[type]]: factKey };
  const same = await tx.citation.findFirst({ where, select: { id: true } });
  if (same) {
    throw badInput(
      `${field}.quote`,
      `the ${type.toLowerCase()} already cites this passage (${toGlobalId("Citation", same.id)})`,
    );
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

/** The articles a transaction has locked and read, with their paragraphs, by key. */
type ArticleReads = Map<number, Awaited<ReturnType<typeof readArticle>>>;

const readArticle = (tx: Tx, id: number) =>
  tx.article.findUniqueOrThrow({
    where: { id },
    include: { paragraphs: { orderBy: { index: "asc" } } },
  });

/** An article locked (its body must not change between finding a quote and storing it), read once. */
async function lockedArticle(tx: Tx, id: number, read: ArticleReads) {
  const known = read.get(id);
  if (known) return known;
  await tx.$queryRawUnsafe(`SELECT 1 FROM "Article" WHERE "id" = $1 FOR UPDATE`, id);
  const article = await readArticle(tx, id);
  read.set(id, article);
  return article;
}

/** What every new fact's input holds besides its own fields. */
interface NewFactInput {
  editorialNote?: string | null;
  citations?: readonly NewCitationInput[] | null;
}

/**
 * A mutation creating a fact: its note checked first (`newFactNote`), its row written by
 * `write`, then its citations and its CREATE revision, which shows them. The passages are
 * those of `input.citations`, or what the caller's `cite` anchors (an import, from its facts
 * file).
 */
export function citedCreate<Input extends NewFactInput, Row extends { id: number }>(
  type: CitedFact,
  write: (tx: Tx, input: Input, editorialNote: string | null) => Promise<Row>,
) {
  return async (scope: EditScope, { input }: { input: Input }, { cite }: CiteOption = {}) => {
    const note = newFactNote(type, input, { cite });
    const row = await write(scope.tx, input, note);
    await (cite ? cite(row.id) : citeEach(scope, "input.citations", type, row.id, input.citations));
    return recordCreate(scope, type, row);
  };
}

/**
 * Cites each of a new fact's passages, named `field[i]`: within the list's bound, checked
 * first; the articles locked in id order, as any other edit citing them locks them, so two
 * edits citing the same articles in different orders wait for each other, never deadlock.
 */
export async function citeEach(
  scope: EditScope,
  field: string,
  type: CitedFact,
  factKey: number,
  passages: readonly NewCitationInput[] | null | undefined,
) {
  const list = passages ?? [];
  atMost(field, list, type, "citations");
  const keys = list.map((p, i) => keyOf(`${field}[${i}].articleId`, p.articleId, "Article"));
  const distinct = [...new Set(keys)].sort((a, b) => a - b);
  if (distinct.length > 0) {
    await scope.tx.$queryRawUnsafe(
      `SELECT 1 FROM "Article" WHERE "id" = ANY($1::int[]) ORDER BY "id" FOR UPDATE`,
      distinct,
    );
  }
  const read: ArticleReads = new Map();
  for (const [i, passage] of list.entries()) {
    const names = { field: `${field}[${i}]`, factField: field };
    await cite(scope, names, type, factKey, passage, read);
  }
}

export async function createCitation(scope: EditScope, { input }: MutationCreateCitationArgs) {
  const ref = fromGlobalId(input.factId);
  if (!ref || !(ref.type in FACT_COLUMN)) {
    throw badInput("input.factId", `"${input.factId}" is not a Visit, Agreement or Outcome id`);
  }
  const type = ref.type as CitedFact;
  const factKey = await existingKey(scope.tx, "input.factId", input.factId, type);
  return cite(scope, { field: "input", factField: "input.factId" }, type, factKey, input);
}

/** The fact a citation supports: its type and key. */
function factOf(row: Record<string, unknown>) {
  for (const [type, column] of Object.entries(FACT_COLUMN) as [CitedFact, string][]) {
    const key = row[column];
    if (typeof key === "number") return { type, key };
  }
  throw new Error("a citation supports no fact");
}

export async function deleteCitation(scope: EditScope, { id }: MutationDeleteCitationArgs) {
  const { tx } = scope;
  const key = keyOf("id", id, "Citation");
  const rows = await tx.$queryRawUnsafe<Record<string, unknown>[]>(
    `SELECT "id", "visitId", "agreementId", "outcomeId" FROM "Citation" WHERE "id" = $1`,
    key,
  );
  if (rows.length === 0) throw accordError("NOT_FOUND", `No Citation has the id "${id}"`);
  // The fact first, then its citations, as every edit of the fact locks them: two deletes of
  // its last two citations cannot both see the other one still there.
  const fact = factOf(rows[0]!);
  const [state] = await tx.$queryRawUnsafe<{ note: string | null }[]>(
    `SELECT "editorialNote" AS note FROM "${NODES[fact.type].model}" WHERE "id" = $1 FOR UPDATE`,
    fact.key,
  );
  const locked = await tx.$queryRawUnsafe<{ id: number }[]>(
    `SELECT "id" FROM "Citation" WHERE "${FACT_COLUMN[fact.type]}" = $1 ORDER BY "id" FOR UPDATE`,
    fact.key,
  );
  if (!locked.some((row) => row.id === key)) {
    throw accordError("NOT_FOUND", `No Citation has the id "${id}"`);
  }
  if (state?.note == null && locked.length === 1) {
    throw badInput(
      "id",
      `is the only passage ${toGlobalId(fact.type, fact.key)} cites: cite another first, or give the ${fact.type.toLowerCase()} an editorialNote`,
    );
  }
  const before = await snapshots.Citation(tx, key);
  await tx.citation.delete({ where: { id: key } });
  await recordRevision(scope, { nodeId: id, action: "DELETE", version: 1, before, after: null });
  return id;
}
