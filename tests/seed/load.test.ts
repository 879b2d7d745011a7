/**
 * The seed against a real database: an empty database is migrated and seeded, and what it
 * holds is checked against the source: every fact, and every citation's and mention's offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { migrate } from "../../src/db/migrate.js";
import { seedArticle, seedFacts } from "../support/seed-article.js";
import path from "node:path";
import { projectRoot } from "../../src/paths.js";
import { readSeedFolder, seed } from "../../src/seed/load.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";
import { SEEDED_VISIT } from "../support/seeded.js";

/** Articles with their facts, in the seed folder's format, that the seed does not load. */
const EXAMPLES = path.join(projectRoot, "docs/examples");

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db);
});
afterAll(() => database.close());

const counts = async () => {
  const { prisma } = database.db;
  return {
    articles: await prisma.article.count(),
    actors: await prisma.actor.count(),
    visits: await prisma.visit.count(),
    agreements: await prisma.agreement.count(),
    outcomes: await prisma.outcome.count(),
    citations: await prisma.citation.count(),
    mentions: await prisma.mention.count(),
  };
};
const empty = {
  articles: 0,
  actors: 0,
  visits: 0,
  agreements: 0,
  outcomes: 0,
  citations: 0,
  mentions: 0,
};

describe("Seed: a broken quote", () => {
  it("stops the seed naming the fact and the quote, and writes nothing", async () => {
    const facts = seedFacts();
    facts.outcomes[2]!.citations = [
      { quote: "Direct flights between the countries were cancelled" },
    ];
    await expect(seed(database.db, { articles: [seedArticle(facts)] })).rejects.toThrow(
      'tajikistan-kyrgyzstan-border.md: input.facts.outcomes[2].citations[0]: quote not found in the article body: "Direct flights between the countries were cancelled"',
    );
    expect(await counts()).toEqual(empty);
  });

  it("that fails in the database leaves it empty too", async () => {
    const facts = seedFacts();
    // Outcome 0 anchors fine but is refused after most rows are written.
    facts.outcomes[8] = { ...facts.outcomes[8]!, ordinal: 0 };
    await expect(seed(database.db, { articles: [seedArticle(facts)] })).rejects.toThrow(
      "tajikistan-kyrgyzstan-border.md: input.facts.outcomes[8].ordinal: must be a whole number from 1 to 2147483647, got 0",
    );
    expect(await counts()).toEqual(empty);
  });
});

describe("Seed: the source article", () => {
  beforeAll(async () => {
    expect(await seed(database.db)).toEqual({
      status: "seeded",
      seeded: ["resolution-of-border-issues-between-tajikistan-and-kyrgyzstan"],
      kept: [],
    });
  });

  it("loads the article, its author and publisher", async () => {
    const article = await database.db.prisma.article.findFirstOrThrow({
      include: { publisher: true, authors: { include: { actor: true } }, paragraphs: true },
    });
    expect(article).toMatchObject({
      title: "Resolution of border issues between Tajikistan and Kyrgyzstan",
      subtitle: "unique example in today's global conditions",
      publishedOn: new Date("2025-03-17T00:00:00Z"),
      publisher: { name: "Communication University of China", kind: "ORGANIZATION" },
      authors: [{ actor: { name: "Parviz Muhammadzoda", kind: "PERSON" } }],
    });
    for (const paragraph of article.paragraphs) {
      expect(paragraph.end).toBeGreaterThanOrEqual(paragraph.start);
      expect(article.body.slice(paragraph.start, paragraph.end).trim()).toBe(
        article.body.slice(paragraph.start, paragraph.end),
      );
    }
  });

  it("loads the visit, both named agreements, all nine results and every actor", async () => {
    const { prisma } = database.db;
    const visit = await prisma.visit.findFirstOrThrow({
      include: { participants: { include: { actor: true } }, agreements: true, outcomes: true },
    });
    expect(visit).toMatchObject(SEEDED_VISIT);
    expect(visit.participants.map((p) => `${p.role} ${p.actor.name}`).sort()).toEqual([
      "GUEST Emomali Rahmon",
      "HOST Sadir Japarov",
    ]);
    expect(visit.agreements.map((a) => a.kind).sort()).toEqual(["JOINT_STATEMENT", "TREATY"]);
    expect(visit.outcomes.map((o) => o.ordinal).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const actors = await prisma.actor.findMany({ include: { aliases: true } });
    expect(actors.map((a) => a.name).sort()).toEqual(
      seedFacts()
        .actors.map((a) => a.name)
        .sort(),
    );
    for (const actor of actors) {
      expect(actor.aliases.map((a) => a.alias)).toContain(actor.name);
    }
  });

  it("cites every fact, and each citation and mention is the body's text at its offsets", async () => {
    const { prisma } = database.db;
    const article = await prisma.article.findFirstOrThrow();
    const citations = await prisma.citation.findMany();
    const mentions = await prisma.mention.findMany({
      include: { actor: { include: { aliases: true } } },
    });
    expect(citations.length).toBeGreaterThanOrEqual(1 + 2 + 9);
    for (const passage of [...citations, ...mentions]) {
      expect(article.body.slice(passage.start, passage.end)).toBe(passage.quote);
    }
    for (const mention of mentions) {
      expect(mention.actor.aliases.map((a) => a.alias)).toContain(mention.quote);
    }
    const outcomes = await prisma.outcome.findMany({ include: { citations: true } });
    for (const outcome of outcomes) expect(outcome.citations.length).toBeGreaterThan(0);
    const rahmon = mentions.filter((m) => m.actor.name === "Emomali Rahmon");
    expect(rahmon.length).toBeGreaterThanOrEqual(8);
  });

  it("changes nothing when run again, and says so", async () => {
    const before = await counts();
    const maxId = (await database.db.prisma.citation.aggregate({ _max: { id: true } }))._max.id;
    expect(await seed(database.db)).toMatchObject({ status: "unchanged" });
    expect(await counts()).toEqual(before);
    expect((await database.db.prisma.citation.aggregate({ _max: { id: true } }))._max.id).toBe(
      maxId,
    );
  });

  it("reloads from scratch with reset", async () => {
    const before = await counts();
    await database.db.prisma.actor.create({ data: { name: "Someone Else", kind: "PERSON" } });
    expect(await seed(database.db, { reset: true })).toMatchObject({ status: "seeded" });
    expect(await counts()).toEqual(before);
    expect(
      await database.db.prisma.actor.findFirst({ where: { name: "Someone Else" } }),
    ).toBeNull();
  });
});

describe("Seed: a folder of several articles", () => {
  it("loads them all in one transaction, each fact with its citations", async () => {
    const own = await openTestDatabase();
    try {
      await migrate(own.db);
      const articles = [...readSeedFolder(), ...readSeedFolder(EXAMPLES)];
      expect(await seed(own.db, { articles })).toEqual({
        status: "seeded",
        seeded: [
          "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan",
          "xi-jinping-pays-state-visit-to-kazakhstan-joins-central-asian-leaders-in-astana",
          "three-presidents-sign-border-junction-treaty-in-khujand",
        ],
        kept: [],
      });
      expect(await own.db.prisma.article.count()).toBe(3);
    } finally {
      await own.close();
    }
  });
});
