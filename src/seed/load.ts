/**
 * Loads the source article and the facts read from it. Everything is parsed and every quote
 * anchored before the first write, and all writes are one transaction: a bad quote stops the
 * seed with the fact and the quote named, and the database is left as it was.
 */
import { readFileSync } from "node:fs";
import type { Database } from "../db/database.js";
import type { Prisma } from "../generated/prisma/client.js";
import { RECORD_TABLES } from "../registry.js";
import { anchorQuote, type Anchor } from "../text/anchor.js";
import { findMentionsOfEach } from "../text/mentions.js";
import { readFacts, type Facts, type Quote } from "./facts.js";
import { parseArticle, type ParsedArticle } from "./parse.js";

export class SeedError extends Error {
  override name = "SeedError";
}

function readSource(): string {
  return readFileSync(new URL("./source.md", import.meta.url), "utf8");
}

/** Anchors each quote of a fact, naming the fact when one is not in the body. */
function anchorAll(article: ParsedArticle, fact: string, quotes: Quote[]): Anchor[] {
  return quotes.map(({ quote, occurrence }) => {
    try {
      return anchorQuote(article.body, article.paragraphs, quote, occurrence);
    } catch (error) {
      throw new SeedError(`${fact}: ${(error as Error).message}`);
    }
  });
}

const date = (value: string | null) => (value === null ? null : new Date(`${value}T00:00:00Z`));

/** Everything the seed writes, computed without touching the database. */
function planSeed(source: string, facts: Facts) {
  const article = parseArticle(source);
  if (article.slug !== facts.article.slug) {
    throw new SeedError(`facts are about "${facts.article.slug}", the source is "${article.slug}"`);
  }
  return {
    article,
    facts,
    visitCitations: anchorAll(article, `visit "${facts.visit.title}"`, facts.visit.citations),
    agreementCitations: facts.agreements.map((a) =>
      anchorAll(article, `agreement "${a.title}"`, a.citations),
    ),
    outcomeCitations: facts.outcomes.map((o) =>
      anchorAll(article, `outcome ${o.ordinal}`, o.citations),
    ),
    mentions: findMentionsOfEach(
      article.body,
      article.paragraphs,
      facts.actors.map((actor) => actor.aliases),
    ),
  };
}

type SeedPlan = ReturnType<typeof planSeed>;
export type SeedResult = { status: "seeded" | "unchanged"; slug: string };

async function write(tx: Prisma.TransactionClient, plan: SeedPlan) {
  const { article, facts } = plan;
  const actorIds = new Map<string, number>();
  for (const actor of facts.actors) {
    const row = await tx.actor.create({
      data: {
        name: actor.name,
        kind: actor.kind,
        description: actor.description,
        aliases: { create: actor.aliases.map((alias) => ({ alias })) },
      },
    });
    actorIds.set(actor.key, row.id);
  }
  const actorId = (key: string) => actorIds.get(key)!;

  const { id: articleId } = await tx.article.create({
    data: {
      slug: article.slug,
      title: article.title,
      subtitle: article.subtitle,
      language: article.language,
      publishedOn: date(article.publishedOn)!,
      body: article.body,
      publisherId: actorId(facts.article.publisher),
      authors: {
        create: facts.article.authors.map((key, position) => ({ actorId: actorId(key), position })),
      },
      paragraphs: {
        create: article.paragraphs.map(({ index, start, end, duplicateOf }) => ({
          index,
          start,
          end,
          duplicateOf,
        })),
      },
    },
  });
  const cite = (anchors: Anchor[]) => ({
    create: anchors.map((anchor) => ({ articleId, ...anchor })),
  });

  const { visit } = facts;
  const { id: visitId } = await tx.visit.create({
    data: {
      title: visit.title,
      kind: visit.kind,
      startDate: date(visit.startDate),
      endDate: date(visit.endDate),
      location: visit.location,
      documentsSignedCount: visit.documentsSignedCount,
      participants: {
        create: visit.participants.map((p) => ({ actorId: actorId(p.actor), role: p.role })),
      },
      articles: { create: [{ articleId }] },
      citations: cite(plan.visitCitations),
    },
  });

  for (const [i, agreement] of facts.agreements.entries()) {
    await tx.agreement.create({
      data: {
        title: agreement.title,
        kind: agreement.kind,
        status: agreement.status,
        signedOn: date(agreement.signedOn),
        visitId: agreement.visit === null ? null : visitId,
        parties: { create: agreement.parties.map((key) => ({ actorId: actorId(key) })) },
        citations: cite(plan.agreementCitations[i]!),
      },
    });
  }
  for (const [i, outcome] of facts.outcomes.entries()) {
    await tx.outcome.create({
      data: {
        visitId,
        ordinal: outcome.ordinal,
        statement: outcome.statement,
        category: outcome.category,
        status: outcome.status,
        citations: cite(plan.outcomeCitations[i]!),
      },
    });
  }
  await tx.mention.createMany({
    data: facts.actors.flatMap((actor, i) =>
      plan.mentions[i]!.map(({ start, end, quote, paragraphIndex }) => ({
        actorId: actorId(actor.key),
        articleId,
        start,
        end,
        quote,
        paragraphIndex,
      })),
    ),
  });
}

/**
 * Seeds the database. A database that already holds the source article is left alone
 * (`unchanged`) unless `reset` is set, which first empties every domain table.
 */
export async function seed(
  db: Database,
  options: { reset?: boolean; facts?: Facts } = {},
): Promise<SeedResult> {
  const plan = planSeed(readSource(), options.facts ?? readFacts());
  const slug = plan.article.slug;
  return db.prisma.$transaction(
    async (tx) => {
      // Two seeds at once would both find the database empty: the second waits here.
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext('accord:seed'))");
      const existing = await tx.article.findUnique({ where: { slug } });
      if (existing && !options.reset) return { status: "unchanged", slug } as const;
      if (options.reset) {
        await tx.$executeRawUnsafe(
          // The record's tables, in one statement (so their order does not matter); API keys and
          // the other service tables are kept.
          `TRUNCATE ${RECORD_TABLES.map((t) => `"${t}"`).join(", ")} RESTART IDENTITY`,
        );
      }
      await write(tx, plan);
      return { status: "seeded", slug } as const;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
