/**
 * Bringing in an article: the `importArticle` mutation, `npm run import` and the seed are one
 * way in, and give one record. A refused import names every fact and quote that did not fit
 * and writes nothing.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import pg from "pg";
import { migrate } from "../../src/db/migrate.js";
import { projectRoot } from "../../src/paths.js";
import { seed } from "../../src/seed/load.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";
import {
  NO_TITLE_REFUSAL,
  SEED_FACTS_FILE,
  SEED_SOURCE_FILE,
  seedSource,
} from "../support/seed-article.js";
import { startTestServer, type TestServer } from "../support/server.js";
import { databaseState } from "../support/state.js";
import { forSuite, suiteWithEditor } from "../support/suite.js";
import { runCli } from "../support/cli.js";

const IMPORT = `mutation ($input: ImportArticleInput!) {
  importArticle(input: $input) { id slug title authors { name } publisher { name } } }`;

/** The seed's facts file as a client sends it: the JSON itself, as variables. */
const seedFactsJson = () => JSON.parse(readFileSync(SEED_FACTS_FILE, "utf8"));

const EXAMPLE = path.join(projectRoot, "docs/examples/khujand-border-junction-summit");
const example = {
  source: readFileSync(`${EXAMPLE}.md`, "utf8"),
  facts: JSON.parse(readFileSync(`${EXAMPLE}.facts.json`, "utf8")),
};

/** Resolves once a session of `holder`'s database waits on a lock; fails after 10 s. */
async function lockWaited(holder: pg.Client, failure: string) {
  const until = Date.now() + 10_000;
  for (;;) {
    const { rows } = await holder.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity
       WHERE "wait_event_type" = 'Lock' AND "datname" = current_database()`,
    );
    if (rows[0]!.n > 0) return;
    if (Date.now() > until) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const onPostgres = process.env.DATABASE_URL ? it : it.skip;

/**
 * Sends `input` to importArticle as `editor` while another session of `server`'s database
 * holds `write` (SQL with its `values`) done and not committed, and commits it once the import
 * waits on it: the import's answer.
 */
async function importWhileHeld(
  server: Pick<TestServer, "databaseUrl" | "graphql">,
  editor: Record<string, string>,
  input: Record<string, unknown>,
  held: { write: string; values?: unknown[]; waitsOn: string },
) {
  const holder = new pg.Client({ connectionString: server.databaseUrl! });
  await holder.connect();
  try {
    await holder.query("BEGIN");
    await holder.query(held.write, held.values);
    const answer = server.graphql(IMPORT, { input }, editor);
    await lockWaited(holder, `the import never waited on ${held.waitsOn}`);
    await holder.query("COMMIT");
    return await answer;
  } finally {
    await holder.end();
  }
}

/** A snapshot without its timestamps. */
const untimed = (snapshot: Record<string, unknown> | null) =>
  snapshot && Object.fromEntries(Object.entries(snapshot).filter(([key]) => !/At$/.test(key)));

/**
 * The record a database holds, without what differs between two writes of the same facts:
 * row timestamps, and revisions (whose editor names the door the facts came in by).
 */
async function record(db: TestDatabase["db"]) {
  const state = await databaseState(db);
  const rows = Object.fromEntries(
    Object.entries(state)
      .filter(([table]) => table !== "Revision" && table !== "ApiKey")
      .map(([table, list]) => [table, list.map(({ row }: any) => untimed(row))]),
  );
  const revisions = state.Revision!.map(({ row }: any) => [
    row.nodeId,
    row.action,
    untimed(row.after),
  ]);
  return { rows, revisions };
}

/** A database holding what `npm run db:seed` gives. */
async function seededRecord() {
  const database = await openTestDatabase();
  try {
    await migrate(database.db);
    await seed(database.db);
    return await record(database.db);
  } finally {
    await database.close();
  }
}

describe("importArticle into an empty record", () => {
  const server = forSuite(() =>
    // As clients in production see errors: without stack traces.
    startTestServer({ seeded: false, env: { NODE_ENV: "production" } }),
  );
  let editor: Record<string, string>;
  beforeAll(async () => {
    editor = await server.keyFor("EDITOR", "importer");
  });

  it("brings in the seed's source and facts as the same record as the seed", async () => {
    const expected = await seededRecord();
    const response = await server.graphql(
      IMPORT,
      { input: { source: seedSource, facts: seedFactsJson() } },
      editor,
    );
    expect(response).toEqual({
      status: 200,
      data: {
        importArticle: {
          id: expect.any(String),
          slug: "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan",
          title: "Resolution of border issues between Tajikistan and Kyrgyzstan",
          authors: [{ name: "Parviz Muhammadzoda" }],
          publisher: { name: "Communication University of China" },
        },
      },
    });
    expect(await record(server.db)).toEqual(expected);
    const editors = await server.db.prisma.revision.groupBy({ by: ["editor"], _count: true });
    expect(editors).toEqual([{ editor: "importer", _count: expected.revisions.length }]);
  });

  it("names every fact and quote that did not fit, and writes nothing", async () => {
    const before = await databaseState(server.db);
    const facts = seedFactsJson();
    facts.visits[0].participants.push({ actor: "nobody", role: "GUEST" });
    facts.agreements[0].citations.push({ quote: "signed in Bishkek on a sunny day" });
    facts.outcomes[3].citations = [{ quote: "Tajikistan and Kyrgyzstan" }];
    facts.outcomes[4].ordinal = 4;
    const response = await server.graphql(
      IMPORT,
      {
        input: {
          source: seedSource.replace("Resolution of border", "Settlement of border"),
          facts,
        },
      },
      editor,
    );
    expect(response).toEqual({
      status: 200,
      data: null,
      errors: [
        {
          message:
            'input.facts.visits[0].participants[2].actor: no actor has the key "nobody" (and 4 more problem(s)); nothing was written',
          path: ["importArticle"],
          locations: expect.any(Array),
          extensions: {
            code: "BAD_USER_INPUT",
            argumentName: "input.facts.visits[0].participants[2].actor",
            problems: [
              {
                path: "input.facts.visits[0].participants[2].actor",
                message: 'no actor has the key "nobody"',
              },
              {
                path: "input.facts.outcomes[4].ordinal",
                message: '4 is used twice in visit "rahmon-state-visit-to-kyrgyzstan"',
              },
              {
                path: "input.facts.article.slug",
                message:
                  'the facts are about "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan", the source is "settlement-of-border-issues-between-tajikistan-and-kyrgyzstan"',
              },
              {
                path: "input.facts.agreements[0].citations[2]",
                message: 'quote not found in the article body: "signed in Bishkek on a sunny day"',
              },
              {
                path: "input.facts.outcomes[3].citations[0]",
                message:
                  'quote occurs 21 times in the article body; give the occurrence (1 to 21): "Tajikistan and Kyrgyzstan"',
                occurrences: 21,
              },
            ],
          },
        },
      ],
    });
    expect(await databaseState(server.db)).toEqual(before);
  });

  it("refuses a fact with neither citations nor a note, a passage cited twice, and a year not given as its first day", async () => {
    const before = await databaseState(server.db);
    const facts = seedFactsJson();
    delete facts.article.slug;
    facts.outcomes[0].citations = [];
    delete facts.outcomes[0].editorialNote;
    Object.assign(facts.agreements[1], { signedOn: "2025-03-17", signedOnPrecision: "YEAR" });
    facts.outcomes[1].citations.push({ ...facts.outcomes[1].citations[0] });
    facts.visits[0].startDatePrecision = "YEAR";
    const source = seedSource.replace("Resolution of border", "Settlement of border");
    const response = await server.graphql(IMPORT, { input: { source, facts } }, editor);
    expect(response.errors![0]!.extensions!.problems).toEqual([
      {
        path: "input.facts.visits[0].startDatePrecision",
        message: "there is no startDate to give a precision to",
      },
      {
        path: "input.facts.agreements[1].signedOn",
        message:
          "with precision YEAR the date is the first day of its year: 2025-01-01, not 2025-03-17",
      },
      {
        path: "input.facts.outcomes[0].citations",
        message:
          "an outcome needs at least one citation, or an editorialNote saying what it rests on",
      },
      {
        path: "input.facts.outcomes[1].citations[1]",
        message: "cites the passage of input.facts.outcomes[1].citations[0] again",
      },
    ]);
    expect(await databaseState(server.db)).toEqual(before);
  });

  it("records a date known to its year, and a fact resting on its note alone", async () => {
    const facts = seedFactsJson();
    delete facts.article.slug;
    Object.assign(facts.agreements[1], { signedOn: "2025-01-01", signedOnPrecision: "YEAR" });
    facts.outcomes[0].citations = [];
    const source = seedSource.replace("Resolution of border", "Concord on border");
    const response = await server.graphql(
      `mutation ($input: ImportArticleInput!) { importArticle(input: $input) { visits {
        agreements { signedOn signedOnPrecision } outcomes { ordinal basis citations { id } } } } }`,
      { input: { source, facts } },
      editor,
    );
    const [visit] = response.data!.importArticle.visits;
    expect(visit.agreements[1]).toEqual({ signedOn: "2025-01-01", signedOnPrecision: "YEAR" });
    expect(visit.outcomes[0]).toEqual({ ordinal: 1, basis: "EDITORIAL", citations: [] });
  });

  it("refuses facts of the wrong shape before anything runs, naming the field", async () => {
    const facts = seedFactsJson();
    facts.visits[0].startDate = "2025-02-30";
    facts.visits[0].kind = "SUMMIT";
    const response = await server.graphql(IMPORT, { input: { source: "x", facts } }, editor);
    expect(response.status).toBe(400);
    expect(response.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      [
        "BAD_USER_INPUT",
        expect.stringContaining('at "input.facts.visits[0].kind"; Value "SUMMIT" does not exist'),
      ],
      ["BAD_USER_INPUT", expect.stringContaining('at "input.facts.visits[0].startDate"')],
    ]);
  });

  it("refuses a source without its front matter, saying which part is missing", async () => {
    const response = await server.graphql(
      IMPORT,
      { input: { source: "Only a paragraph." } },
      editor,
    );
    expect(response.errors?.[0]).toMatchObject(NO_TITLE_REFUSAL);
  });
});

describe("importArticle into the seeded record", () => {
  const server = forSuite(() => startTestServer({ env: { NODE_ENV: "production" } }));
  let editor: Record<string, string>;
  beforeAll(async () => {
    editor = await server.keyFor("EDITOR", "importer");
  });

  it("refuses an article whose slug is taken, naming the source, and writes nothing", async () => {
    const before = await databaseState(server.db);
    const response = await server.graphql(IMPORT, { input: { source: seedSource } }, editor);
    const message =
      /^slug: "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan" is already the slug of [\w-]+$/;
    expect(response.errors).toEqual([
      {
        message: expect.stringMatching(
          /^input\.source: slug: "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan" is already the slug of [\w-]+; nothing was written$/,
        ),
        path: ["importArticle"],
        locations: expect.any(Array),
        extensions: {
          code: "BAD_USER_INPUT",
          argumentName: "input.source",
          problems: [{ path: "input.source", message: expect.stringMatching(message) }],
        },
      },
    ]);
    expect(await databaseState(server.db)).toEqual(before);
  });

  it("names the facts' clashes with the record and the values an edit would refuse, all at once, and writes nothing", async () => {
    const before = await databaseState(server.db);
    const facts = structuredClone(example.facts);
    facts.actors[0].kind = "PERSON";
    facts.actors[7].aliases = ["Aziza Karimova", "Parviz Muhammadzoda"];
    facts.visits[0].endDate = "2025-03-30";
    facts.visits[0].documentsSignedCount = -1;
    facts.agreements[0].parties.push("tajikistan");
    facts.agreements[1].title = "T".repeat(501);
    const response = await server.graphql(IMPORT, { input: { ...example, facts } }, editor);
    expect(response.errors).toEqual([
      {
        message:
          "input.facts.visits[0].documentsSignedCount: must be a whole number from 0 to 2147483647, got -1 (and 5 more problem(s)); nothing was written",
        path: ["importArticle"],
        locations: expect.any(Array),
        extensions: {
          code: "BAD_USER_INPUT",
          argumentName: "input.facts.visits[0].documentsSignedCount",
          problems: [
            {
              path: "input.facts.visits[0].documentsSignedCount",
              message: "must be a whole number from 0 to 2147483647, got -1",
            },
            {
              path: "input.facts.visits[0].endDate",
              message: "the visit cannot end before it starts",
            },
            {
              path: "input.facts.agreements[0].parties[3]",
              message: '"tajikistan" is listed twice',
            },
            {
              path: "input.facts.agreements[1].title",
              message: "must be at most 500 characters, got 501",
            },
            {
              path: "input.facts.actors[0].kind",
              message: expect.stringMatching(/^"Tajikistan" is [\w-]+, a STATE, not a PERSON$/),
            },
            {
              path: "input.facts.actors[7].aliases[1]",
              message: expect.stringMatching(
                /^"Parviz Muhammadzoda" already names Parviz Muhammadzoda \([\w-]+\)$/,
              ),
            },
          ],
        },
      },
    ]);
    expect(await databaseState(server.db)).toEqual(before);
  });

  it("refuses two facts' actors sharing a spelling, naming the second", async () => {
    const facts = structuredClone(example.facts);
    facts.actors[7].aliases = ["Aziza Karimova", "Central Asia Wire"];
    const response = await server.graphql(IMPORT, { input: { ...example, facts } }, editor);
    expect(response.errors?.[0]?.extensions?.problems).toEqual([
      {
        path: "input.facts.actors[7].aliases[1]",
        message: '"Central Asia Wire" is also a spelling of input.facts.actors[6]',
      },
    ]);
  });

  it("names the actors already in the record and adds the aliases they lack", async () => {
    const response = await server.graphql(IMPORT, { input: example }, editor);
    expect(response.errors).toBeUndefined();
    const actors = await server.db.prisma.actor.findMany({
      where: { name: { in: ["Tajikistan", "Sadir Japarov", "Uzbekistan", "Shavkat Mirziyoyev"] } },
      include: { aliases: { orderBy: { id: "asc" } }, _count: { select: { mentions: true } } },
      orderBy: { id: "asc" },
    });
    expect(actors.map((a) => [a.name, a.kind, a.aliases.map((x) => x.alias), a.version])).toEqual([
      [
        "Sadir Japarov",
        "PERSON",
        [
          "Sadir Japarov",
          "H.E. Sadir Japarov",
          "Honorable Sadir Japarov",
          "President Sadir Japarov",
        ],
        2,
      ],
      ["Tajikistan", "STATE", ["Tajikistan", "Republic of Tajikistan"], 1],
      ["Uzbekistan", "STATE", ["Uzbekistan"], 1],
      ["Shavkat Mirziyoyev", "PERSON", ["Shavkat Mirziyoyev", "President Shavkat Mirziyoyev"], 1],
    ]);
    const visit = await server.db.prisma.visit.findFirstOrThrow({
      where: { location: "Khujand" },
      include: {
        participants: { include: { actor: true }, orderBy: { id: "asc" } },
        agreements: { include: { parties: true }, orderBy: { id: "asc" } },
        outcomes: { orderBy: { ordinal: "asc" } },
        articles: { include: { article: true } },
      },
    });
    expect(visit.participants.map((p) => [p.actor.name, p.role])).toEqual([
      ["Emomali Rahmon", "HOST"],
      ["Sadir Japarov", "GUEST"],
      ["Shavkat Mirziyoyev", "GUEST"],
    ]);
    expect(visit.startDate?.toISOString()).toBe("2025-03-31T00:00:00.000Z");
    expect(visit.agreements.map((a) => [a.kind, a.parties.length])).toEqual([
      ["TREATY", 3],
      ["DECLARATION", 3],
    ]);
    expect(visit.outcomes.map((o) => [o.ordinal, o.status])).toEqual([
      [1, "ACHIEVED"],
      [2, "IN_PROGRESS"],
      [3, "PLANNED"],
    ]);
    expect(visit.articles.map((a) => a.article.title)).toEqual([
      "Three presidents sign border junction treaty in Khujand",
    ]);
    // Every citation of the new article quotes its body at its offsets.
    const article = visit.articles[0]!.article;
    const citations = await server.db.prisma.citation.findMany({
      where: { articleId: article.id },
    });
    expect(citations).toHaveLength(7);
    for (const c of citations) expect(article.body.slice(c.start, c.end)).toBe(c.quote);
  });

  it("brings in a source without facts, with its author and publisher as printed", async () => {
    const source = [
      "EVENING GAZETTE",
      "",
      "## **Rail talks resume** **– ministers meet in Osh**",
      "",
      "By Dr. Nodira Usmonova, transport desk",
      "",
      "*Published on 3rd June 2025*",
      "",
      "Transport ministers met in Osh to resume talks on a rail link.",
    ].join("\n");
    const response = await server.graphql(IMPORT, { input: { source } }, editor);
    expect(response).toMatchObject({
      data: {
        importArticle: {
          slug: "rail-talks-resume",
          title: "Rail talks resume",
          authors: [{ name: "Nodira Usmonova" }],
          publisher: { name: "Evening Gazette" },
        },
      },
    });
  });
});

describe("importArticle racing another write", () => {
  const { server, keys } = suiteWithEditor({ env: { NODE_ENV: "production" } });

  onPostgres(
    "answers a retryable CONFLICT when another session writes a new actor's name first, and the import sent again names that actor",
    async () => {
      // Another session writes "Aziza Karimova", one of the new actors, and has not committed:
      // the import waits on the uncommitted alias, past its own checks.
      const first = await importWhileHeld(server, keys.editor, example, {
        write: `WITH actor AS (
             INSERT INTO "Actor" ("name", "kind", "updatedAt") VALUES ('Aziza Karimova', 'PERSON', now())
             RETURNING "id")
           INSERT INTO "ActorAlias" ("actorId", "alias") SELECT "id", 'Aziza Karimova' FROM actor`,
        waitsOn: "the alias",
      });
      expect(first.errors).toEqual([
        {
          message:
            "another change wrote one of these actors' names or aliases at the same moment; nothing was written: send the import again, and it names that actor or what clashes with it",
          path: ["importArticle"],
          locations: expect.any(Array),
          extensions: { code: "CONFLICT" },
        },
      ]);
      expect(
        await server.db.prisma.article.count({ where: { title: { contains: "Khujand" } } }),
      ).toBe(0);

      const again = await server.graphql(IMPORT, { input: example }, keys.editor);
      expect(again.errors).toBeUndefined();
      const aziza = await server.db.prisma.actor.findMany({ where: { name: "Aziza Karimova" } });
      expect(aziza).toHaveLength(1);
      const authors = await server.db.prisma.articleAuthor.findMany({
        where: { article: { slug: again.data!.importArticle.slug } },
      });
      expect(authors.map((a) => a.actorId)).toEqual([aziza[0]!.id]);
    },
  );
});

describe("importArticle racing another article", () => {
  const { server, keys } = suiteWithEditor({ env: { NODE_ENV: "production" } });

  onPostgres(
    "refuses the source when another article takes its slug at the same moment, listing the problem, and writes nothing",
    async () => {
      const slug = "three-presidents-sign-border-junction-treaty-in-khujand";
      const first = await importWhileHeld(server, keys.editor, example, {
        write: `INSERT INTO "Article" ("slug", "title", "language", "publishedOn", "body", "updatedAt")
           VALUES ($1, 'Taken', 'en', '2025-01-01', 'Taken.', now())`,
        values: [slug],
        waitsOn: "the slug",
      });
      const message = "slug: another article with this slug was created at the same moment";
      expect(first.errors).toEqual([
        {
          message: `input.source: ${message}; nothing was written`,
          path: ["importArticle"],
          locations: expect.any(Array),
          extensions: {
            code: "BAD_USER_INPUT",
            argumentName: "input.source",
            problems: [{ path: "input.source", message }],
          },
        },
      ]);
      expect(await server.db.prisma.article.count({ where: { slug } })).toBe(1);
      expect(await server.db.prisma.actor.count({ where: { name: "Aziza Karimova" } })).toBe(0);
    },
  );
});

describe("importArticle adding to actors the record holds", () => {
  const server = forSuite(() => startTestServer({ env: { NODE_ENV: "production" } }));
  let editor: Record<string, string>;
  beforeAll(async () => {
    editor = await server.keyFor("EDITOR", "importer");
  });
  beforeEach(() => server.reset());

  const source = [
    "EVENING GAZETTE",
    "",
    "## **Border posts reopen** **– ministers meet in Osh**",
    "",
    "By Dr. Nodira Usmonova, transport desk",
    "",
    "*Published on 3rd June 2025*",
    "",
    "Ministers of Tajikistan and Kyrgyzstan met in Osh.",
  ].join("\n");
  const aliasesOf = async (name: string) =>
    server.db.prisma.actor.findFirstOrThrow({
      where: { name },
      include: { aliases: { orderBy: { id: "asc" } } },
    });

  it("adds every alias that any of its keys gives an actor the record holds, in one update", async () => {
    const facts = {
      actors: [
        { key: "t1", name: "Tajikistan", aliases: ["Tajikistan", "Tojikiston"] },
        {
          key: "t2",
          name: "Republic of Tajikistan",
          aliases: ["Republic of Tajikistan", "Tajik Republic"],
        },
      ],
    };
    const response = await server.graphql(IMPORT, { input: { source, facts } }, editor);
    expect(response.errors).toBeUndefined();
    const actor = await aliasesOf("Tajikistan");
    expect([actor.aliases.map((a) => a.alias), actor.version]).toEqual([
      ["Tajikistan", "Republic of Tajikistan", "Tojikiston", "Tajik Republic"],
      2,
    ]);
  });

  it("names two keys for one held actor in one list, aliases listed twice, held aliases over the cap, and a slug too long", async () => {
    const more = Array.from({ length: 49 }, (_, i) => `Kyrgyz land ${i}`);
    const facts = {
      actors: [
        { key: "t1", name: "Tajikistan" },
        { key: "t2", name: "Republic of Tajikistan" },
        { key: "kg", name: "Kyrgyzstan", aliases: ["Kyrgyzstan", ...more] },
        {
          key: "new",
          name: "Osh Office",
          kind: "ORGANIZATION",
          aliases: ["Osh Office", "OO", "OO"],
        },
      ],
      article: { authors: ["t1", "t2"] },
    };
    const long = source.replace("Border posts reopen", "Border ".repeat(40).trim());
    const response = await server.graphql(IMPORT, { input: { source: long, facts } }, editor);
    const tajikistan = expect.stringMatching(/^"t2" and "t1" both name Tajikistan \([\w-]+\)$/);
    expect(response.errors?.[0]?.extensions?.problems).toEqual([
      { path: "input.facts.actors[3].aliases[2]", message: '"OO" is listed twice' },
      { path: "input.source", message: "slug: must be at most 200 characters, got 279" },
      {
        path: "input.facts.actors[2].aliases",
        message: expect.stringMatching(
          /^Kyrgyzstan holds \d+ aliases and would have \d+; Actor.aliases holds at most 50$/,
        ),
      },
      { path: "input.facts.article.authors[1]", message: tajikistan },
    ]);
  });

  onPostgres(
    "answers CONFLICT when the actor changes between the import's read and its update, and loses no alias",
    async () => {
      const facts = {
        actors: [{ key: "kg", name: "Kyrgyzstan", aliases: ["Kyrgyzstan", "Kirgizia"] }],
      };
      const first = await importWhileHeld(
        server,
        editor,
        { source, facts },
        {
          write: `UPDATE "Actor" SET "version" = "version" + 1, "description" = 'Changed' WHERE "name" = 'Kyrgyzstan'`,
          waitsOn: "the actor",
        },
      );
      expect(first.errors).toEqual([
        {
          message: expect.stringMatching(
            /^Kyrgyzstan \([\w-]+\) changed while the import added its aliases; nothing was written: send the import again$/,
          ),
          path: ["importArticle"],
          locations: expect.any(Array),
          extensions: { code: "CONFLICT" },
        },
      ]);
      const again = await server.graphql(IMPORT, { input: { source, facts } }, editor);
      expect(again.errors).toBeUndefined();
      const actor = await aliasesOf("Kyrgyzstan");
      expect(actor.description).toBe("Changed");
      expect(actor.aliases.map((a) => a.alias)).toContain("Kirgizia");
    },
  );
});

// The embedded test database lives in this process's memory, out of a child process's reach.
const cliTest = process.env.DATABASE_URL ? it : it.skip;

describe("npm run import", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await openTestDatabase();
    await migrate(database.db);
  });
  afterAll(() => database.close());

  const cli = (args: string[]) => runCli("import", database.url!, args);

  cliTest("refuses facts that do not fit, listing each, and writes nothing", async () => {
    const before = await databaseState(database.db);
    const result = await cli([`${EXAMPLE}.md`, "--facts", `${EXAMPLE}.facts.json`]);
    expect(result.code).toBe(1);
    // Its existing actors are not in this database yet.
    expect(result.stderr).toContain(
      "Import failed, nothing was written: input.facts.actors[0].kind:",
    );
    expect(await databaseState(database.db)).toEqual(before);
  });

  cliTest("brings in the seed's article as the same record as the seed", async () => {
    const expected = await seededRecord();
    const result = await cli([SEED_SOURCE_FILE, "--facts", SEED_FACTS_FILE]);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain("failed");
    expect(result.stdout).toContain(
      'Imported "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan" as ',
    );
    expect(await record(database.db)).toEqual(expected);
  });
});
