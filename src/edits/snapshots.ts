/**
 * What the audit trail keeps of an object: its fields and everything it owns (aliases,
 * participants, parties, citations), with global ids, so a deleted object can be rebuilt from
 * its last revision alone.
 */
import { toGlobalId } from "../ids.js";
import type { NodeType, VersionedType } from "../registry.js";
import type { Tx } from "./validate.js";

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

/** An optional reference as a global id, or null. */
const optionalId = (type: NodeType, key: number | null) =>
  key === null ? null : toGlobalId(type, key);

/** Columns a snapshot keeps as they are stored. */
function pick<Row, K extends keyof Row>(row: Row, ...columns: K[]): Pick<Row, K> {
  return Object.fromEntries(columns.map((column) => [column, row[column]])) as Pick<Row, K>;
}

export type Snapshot = Record<string, unknown>;

export interface CitationRow {
  id: number;
  articleId: number;
  start: number;
  end: number;
  quote: string;
  paragraphIndex: number;
  visitId: number | null;
  agreementId: number | null;
  outcomeId: number | null;
}

export function citationSnapshot(c: CitationRow): Snapshot {
  const fact =
    c.visitId !== null
      ? toGlobalId("Visit", c.visitId)
      : c.agreementId !== null
        ? toGlobalId("Agreement", c.agreementId)
        : toGlobalId("Outcome", c.outcomeId!);
  return {
    id: toGlobalId("Citation", c.id),
    articleId: toGlobalId("Article", c.articleId),
    factId: fact,
    start: c.start,
    end: c.end,
    quote: c.quote,
    paragraphIndex: c.paragraphIndex,
  };
}

/** Owned rows in the order they were written, unless the object gives them another. */
const byId = { orderBy: { id: "asc" } } as const;

/**
 * The snapshot of a versioned type: its global id, what `fields` keeps of the row `read`
 * loads (with what the object owns), and its version.
 */
function versioned<Row extends { id: number; version: number }>(
  type: VersionedType,
  read: (tx: Tx, id: number) => Promise<Row>,
  fields: (row: Row) => Snapshot,
) {
  return async (tx: Tx, id: number): Promise<Snapshot> => {
    const row = await read(tx, id);
    return { id: toGlobalId(type, row.id), ...fields(row), version: row.version };
  };
}

export const snapshots = {
  Actor: versioned(
    "Actor",
    (tx, id) => tx.actor.findUniqueOrThrow({ where: { id }, include: { aliases: byId } }),
    (a) => ({
      ...pick(a, "name", "kind", "description", "editorialNote"),
      aliases: a.aliases.map((row) => row.alias),
    }),
  ),

  Article: versioned(
    "Article",
    (tx, id) =>
      tx.article.findUniqueOrThrow({
        where: { id },
        include: {
          authors: { orderBy: { position: "asc" } },
          visits: { orderBy: { visitId: "asc" } },
          source: { select: { articleId: true } },
        },
      }),
    (a) => ({
      ...pick(a, "slug", "title", "subtitle", "language"),
      publishedOn: day(a.publishedOn),
      publisherId: optionalId("Actor", a.publisherId),
      authorIds: a.authors.map((row) => toGlobalId("Actor", row.actorId)),
      visitIds: a.visits.map((row) => toGlobalId("Visit", row.visitId)),
      body: a.body,
      // Whether the source is kept, never the source itself: removing it must not keep it here.
      sourceKept: a.source !== null,
    }),
  ),

  Visit: versioned(
    "Visit",
    (tx, id) =>
      tx.visit.findUniqueOrThrow({
        where: { id },
        include: {
          participants: byId,
          articles: { orderBy: { articleId: "asc" } },
          citations: byId,
        },
      }),
    (v) => ({
      ...pick(v, "title", "kind"),
      startDate: day(v.startDate),
      startDatePrecision: v.startDatePrecision,
      endDate: day(v.endDate),
      endDatePrecision: v.endDatePrecision,
      ...pick(v, "location", "documentsSignedCount", "editorialNote"),
      participants: v.participants.map((p) => ({
        actorId: toGlobalId("Actor", p.actorId),
        role: p.role,
        editorialNote: p.editorialNote,
      })),
      articleIds: v.articles.map((row) => toGlobalId("Article", row.articleId)),
      citations: v.citations.map(citationSnapshot),
    }),
  ),

  Agreement: versioned(
    "Agreement",
    (tx, id) =>
      tx.agreement.findUniqueOrThrow({
        where: { id },
        include: { parties: { orderBy: { actorId: "asc" } }, citations: byId },
      }),
    (a) => ({
      ...pick(a, "title", "kind", "status"),
      signedOn: day(a.signedOn),
      signedOnPrecision: a.signedOnPrecision,
      editorialNote: a.editorialNote,
      visitId: optionalId("Visit", a.visitId),
      partyIds: a.parties.map((row) => toGlobalId("Actor", row.actorId)),
      citations: a.citations.map(citationSnapshot),
    }),
  ),

  Outcome: versioned(
    "Outcome",
    (tx, id) => tx.outcome.findUniqueOrThrow({ where: { id }, include: { citations: byId } }),
    (o) => ({
      visitId: toGlobalId("Visit", o.visitId),
      ...pick(o, "ordinal", "statement", "category", "status", "editorialNote"),
      citations: o.citations.map(citationSnapshot),
    }),
  ),

  async Citation(tx: Tx, id: number): Promise<Snapshot> {
    return citationSnapshot(await tx.citation.findUniqueOrThrow({ where: { id } }));
  },
  // Every versioned type (src/registry.ts) keeps its revisions: one without a snapshot here
  // does not type-check. A citation's revisions record its creation and deletion.
} satisfies Record<VersionedType | "Citation", (tx: Tx, id: number) => Promise<Snapshot>>;
