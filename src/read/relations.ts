/**
 * The lists below an object that come whole with it (an article's paragraphs, a visit's
 * outcomes), declared once: each is the rows of a model whose `parent` column holds the
 * object's id. The request's loaders (src/read/loaders.ts) and the planner that reads them
 * with their parents (src/read/plan.ts) both work from this list, so a new relation is one
 * entry here and a resolver that reads its loader.
 */
import type { Prisma } from "../generated/prisma/client.js";
import type { NodeType } from "../registry.js";

/** A model's row as its client returns it. */
export type RowOf<M extends Prisma.ModelName> = Prisma.TypeMap["model"][M]["payload"]["scalars"];

type Column<M extends Prisma.ModelName> = keyof RowOf<M> & string;

/**
 * Field `field` of GraphQL type `type`: the rows of `model` whose column `parent` holds the
 * object's id, in the order of `order` (then `id`, where the model has one). With `target`,
 * each row names an object of that type in `target.column`, which is read with it.
 * `needs` lists the parent's columns the field's resolver reads besides its id.
 */
export type Relation = {
  [M in Prisma.ModelName]: {
    type: NodeType;
    field: string;
    model: M;
    parent: Column<M>;
    order: Column<M>;
    target?: { type: NodeType; column: Column<M> };
    needs?: readonly string[];
  };
}[Prisma.ModelName];

/** Each relation under the name of its loader, `<field>Of<Type>`. */
export const RELATIONS = {
  authorsOfArticle: {
    type: "Article",
    field: "authors",
    model: "ArticleAuthor",
    parent: "articleId",
    order: "position",
    target: { type: "Actor", column: "actorId" },
  },
  visitsOfArticle: {
    type: "Article",
    field: "visits",
    model: "ArticleVisit",
    parent: "articleId",
    order: "visitId",
    target: { type: "Visit", column: "visitId" },
  },
  // Each paragraph's text is cut from the body.
  paragraphsOfArticle: {
    type: "Article",
    field: "paragraphs",
    model: "ArticleParagraph",
    parent: "articleId",
    order: "index",
    needs: ["body"],
  },
  aliasesOfActor: {
    type: "Actor",
    field: "aliases",
    model: "ActorAlias",
    parent: "actorId",
    order: "id",
  },
  participantsOfVisit: {
    type: "Visit",
    field: "participants",
    model: "VisitParticipant",
    parent: "visitId",
    order: "id",
  },
  agreementsOfVisit: {
    type: "Visit",
    field: "agreements",
    model: "Agreement",
    parent: "visitId",
    order: "id",
  },
  outcomesOfVisit: {
    type: "Visit",
    field: "outcomes",
    model: "Outcome",
    parent: "visitId",
    order: "ordinal",
  },
  citationsOfVisit: {
    type: "Visit",
    field: "citations",
    model: "Citation",
    parent: "visitId",
    order: "start",
  },
  partiesOfAgreement: {
    type: "Agreement",
    field: "parties",
    model: "AgreementParty",
    parent: "agreementId",
    order: "actorId",
    target: { type: "Actor", column: "actorId" },
  },
  citationsOfAgreement: {
    type: "Agreement",
    field: "citations",
    model: "Citation",
    parent: "agreementId",
    order: "start",
  },
  citationsOfOutcome: {
    type: "Outcome",
    field: "citations",
    model: "Citation",
    parent: "outcomeId",
    order: "start",
  },
} as const satisfies Record<string, Relation>;

export type RelationName = keyof typeof RELATIONS;

/** The rows each relation's loader gives per parent. */
export type RelationRows<L extends RelationName> = RowOf<(typeof RELATIONS)[L]["model"]>[];

/** The relation behind field `field` of type `type`, if it is one. */
export const relationOf = (type: string, field: string): RelationName | undefined =>
  BY_FIELD.get(`${type}.${field}`);

const BY_FIELD = new Map(
  (Object.entries(RELATIONS) as [RelationName, Relation][]).map(([name, relation]) => [
    `${relation.type}.${relation.field}`,
    name,
  ]),
);
