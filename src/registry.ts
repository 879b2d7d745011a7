/**
 * Accord's types, declared once: one entry per `Node` type of schema.graphql, one line per
 * model of prisma/schema.prisma. Global ids, lookups by id, edit locking, existence checks,
 * cache tags, search, the seed's reset and the tests' snapshots of the database all read these
 * lists, so none of them keeps its own. The compiler holds both lists to their schemas: a
 * `Node` type or a Prisma model without its entry here does not type-check (docs/adding-a-type.md).
 */
import type { NodeResolvers } from "./generated/graphql.js";
import type { Prisma } from "./generated/prisma/client.js";

/** The types that implement `Node` in schema.graphql, as codegen reads them. */
type SchemaNodeType = NonNullable<Awaited<ReturnType<NodeResolvers["__resolveType"]>>>;

export interface NodeEntry {
  /** The Prisma model (and table) that stores the type, one row per object. */
  model: Prisma.ModelName;
  /**
   * Root fields of `Query` that answer objects of this type: a change to any of them may
   * change those answers, so cached responses of these fields follow the type's changes.
   */
  roots: readonly string[];
  /**
   * Whether editors change it with `expectedVersion` (a `version` column, locked on write)
   * and the audit trail keeps a revision of each change (src/edits/snapshots.ts).
   */
  versioned: boolean;
  /**
   * The text a search matches for this type, as SQL over its row; absent when search does not
   * return the type.
   */
  searchDocument?: string;
  /** Columns that lookups by id and lists leave out of the row (read apart when asked for). */
  omit?: readonly string[];
}

export const NODES = {
  Article: {
    model: "Article",
    roots: ["article", "articles"],
    versioned: true,
    // The body (about 10 kB) only the article's own page needs: see ArticleRow.
    omit: ["body"],
    // A stored column (generated from title, subtitle and body): ranking reads it instead of
    // recomputing it from 10 kB of text for every match.
    searchDocument: `"searchVector"`,
  },
  Visit: {
    model: "Visit",
    roots: ["visit", "visits"],
    versioned: true,
    searchDocument: `to_tsvector('english', "title")`,
  },
  Agreement: {
    model: "Agreement",
    roots: ["agreement", "agreements"],
    versioned: true,
    searchDocument: `to_tsvector('english', "title")`,
  },
  Outcome: {
    model: "Outcome",
    roots: ["outcome", "outcomes"],
    versioned: true,
    searchDocument: `to_tsvector('english', "statement")`,
  },
  Actor: {
    model: "Actor",
    roots: ["actor", "actors"],
    versioned: true,
    searchDocument: `to_tsvector('english', "name" || ' ' || coalesce("description", ''))`,
  },
  Place: { model: "Place", roots: [], versioned: false },
  Citation: { model: "Citation", roots: [], versioned: false },
  Mention: { model: "Mention", roots: [], versioned: false },
  Revision: { model: "Revision", roots: [], versioned: false },
} as const satisfies { [T in SchemaNodeType]: NodeEntry };

export type NodeType = keyof typeof NODES;

/** Every `Node` type, in the order of `NODES`. */
export const NODE_TYPES = Object.keys(NODES) as NodeType[];

/** The types editors change with `expectedVersion`, each with its audit snapshot. */
export type VersionedType = {
  [T in NodeType]: (typeof NODES)[T]["versioned"] extends true ? T : never;
}[NodeType];

/** The types a search returns. */
export type SearchableType = {
  [T in NodeType]: (typeof NODES)[T] extends { searchDocument: string } ? T : never;
}[NodeType];

/**
 * Every Prisma model, and what it holds: `record` (the record of diplomacy: seeded, reset by
 * `db:seed --reset`, compared by the tests that prove a refused edit changed nothing) or
 * `service` (keys, idempotency records, counters and cache bookkeeping, which a reset keeps).
 */
export const MODELS = {
  Actor: "record",
  ActorAlias: "record",
  Article: "record",
  ArticleSource: "record",
  ArticleAuthor: "record",
  ArticleParagraph: "record",
  ArticleVisit: "record",
  Visit: "record",
  VisitParticipant: "record",
  Agreement: "record",
  AgreementParty: "record",
  Place: "record",
  Outcome: "record",
  Citation: "record",
  Mention: "record",
  Revision: "record",
  ApiKey: "service",
  IdempotencyKey: "service",
  ListCount: "service",
  CacheGeneration: "service",
} as const satisfies Record<Prisma.ModelName, "record" | "service">;

/** The tables of the record, in the order of `MODELS`. */
export const RECORD_TABLES = (Object.keys(MODELS) as Prisma.ModelName[]).filter(
  (model) => MODELS[model] === "record",
);

/** The Prisma client's property for a model: `ActorAlias` → `actorAlias`. */
export const delegateName = (model: Prisma.ModelName) =>
  `${model[0]!.toLowerCase()}${model.slice(1)}` as Uncapitalize<Prisma.ModelName>;
