/**
 * What the audit trail keeps of an object: its fields and everything it owns (aliases,
 * participants, parties, citations), with global ids, so a deleted object can be rebuilt from
 * its last revision alone.
 */
import { toGlobalId } from "../ids.js";
import type { VersionedType } from "../registry.js";
import type { Tx } from "./validate.js";

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

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

const citations = { orderBy: { id: "asc" } } as const;

export const snapshots = {
  async Actor(tx: Tx, id: number): Promise<Snapshot> {
    const a = await tx.actor.findUniqueOrThrow({
      where: { id },
      include: { aliases: { orderBy: { id: "asc" } } },
    });
    return {
      id: toGlobalId("Actor", a.id),
      name: a.name,
      kind: a.kind,
      description: a.description,
      aliases: a.aliases.map((row) => row.alias),
      version: a.version,
    };
  },

  async Article(tx: Tx, id: number): Promise<Snapshot> {
    const a = await tx.article.findUniqueOrThrow({
      where: { id },
      include: {
        authors: { orderBy: { position: "asc" } },
        visits: { orderBy: { visitId: "asc" } },
      },
    });
    return {
      id: toGlobalId("Article", a.id),
      slug: a.slug,
      title: a.title,
      subtitle: a.subtitle,
      language: a.language,
      publishedOn: day(a.publishedOn),
      publisherId: a.publisherId === null ? null : toGlobalId("Actor", a.publisherId),
      authorIds: a.authors.map((row) => toGlobalId("Actor", row.actorId)),
      visitIds: a.visits.map((row) => toGlobalId("Visit", row.visitId)),
      body: a.body,
      version: a.version,
    };
  },

  async Visit(tx: Tx, id: number): Promise<Snapshot> {
    const v = await tx.visit.findUniqueOrThrow({
      where: { id },
      include: {
        participants: { orderBy: { id: "asc" } },
        articles: { orderBy: { articleId: "asc" } },
        citations,
      },
    });
    return {
      id: toGlobalId("Visit", v.id),
      title: v.title,
      kind: v.kind,
      startDate: day(v.startDate),
      endDate: day(v.endDate),
      location: v.location,
      documentsSignedCount: v.documentsSignedCount,
      participants: v.participants.map((p) => ({
        actorId: toGlobalId("Actor", p.actorId),
        role: p.role,
      })),
      articleIds: v.articles.map((row) => toGlobalId("Article", row.articleId)),
      citations: v.citations.map(citationSnapshot),
      version: v.version,
    };
  },

  async Agreement(tx: Tx, id: number): Promise<Snapshot> {
    const a = await tx.agreement.findUniqueOrThrow({
      where: { id },
      include: { parties: { orderBy: { actorId: "asc" } }, citations },
    });
    return {
      id: toGlobalId("Agreement", a.id),
      title: a.title,
      kind: a.kind,
      status: a.status,
      signedOn: day(a.signedOn),
      visitId: a.visitId === null ? null : toGlobalId("Visit", a.visitId),
      partyIds: a.parties.map((row) => toGlobalId("Actor", row.actorId)),
      citations: a.citations.map(citationSnapshot),
      version: a.version,
    };
  },

  async Outcome(tx: Tx, id: number): Promise<Snapshot> {
    const o = await tx.outcome.findUniqueOrThrow({ where: { id }, include: { citations } });
    return {
      id: toGlobalId("Outcome", o.id),
      visitId: toGlobalId("Visit", o.visitId),
      ordinal: o.ordinal,
      statement: o.statement,
      category: o.category,
      status: o.status,
      citations: o.citations.map(citationSnapshot),
      version: o.version,
    };
  },

  async Citation(tx: Tx, id: number): Promise<Snapshot> {
    return citationSnapshot(await tx.citation.findUniqueOrThrow({ where: { id } }));
  },
  // Every versioned type (src/registry.ts) keeps its revisions: one without a snapshot here
  // does not type-check. A citation's revisions record its creation and deletion.
} satisfies Record<VersionedType | "Citation", (tx: Tx, id: number) => Promise<Snapshot>>;
