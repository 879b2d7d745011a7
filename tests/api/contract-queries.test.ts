/**
 * Every read operation the frontends ship (tests/contract/operations), sent over HTTP to a
 * server on a freshly migrated and seeded database, with assertions on the seeded facts.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { SEEDED_VISIT } from "../support/seeded.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

interface Passage {
  id: string;
  start: number;
  end: number;
  quote: string;
  paragraphIndex: number;
  article: { id: string; slug: string };
}

async function actorIdByName(name: string): Promise<string> {
  const { data } = await server.graphql(operation("ActorDirectory"), { search: name });
  const edge = data.actors.edges.find((e: { node: { name: string } }) => e.node.name === name);
  if (!edge) throw new Error(`no actor named ${name}`);
  return edge.node.id as string;
}

describe("ArticlePage: the article reader", () => {
  let article: any;
  beforeAll(async () => {
    const response = await server.graphql(operation("ArticlePage"), { slug: SLUG });
    expect(response.errors).toBeUndefined();
    article = response.data!.article;
  });

  it("returns the article's own fields as the source gives them", () => {
    expect(article).toMatchObject({
      slug: SLUG,
      title: "Resolution of border issues between Tajikistan and Kyrgyzstan",
      subtitle: "unique example in today's global conditions",
      publishedOn: "2025-03-17",
      language: "en",
      publisher: { name: "Communication University of China", kind: "ORGANIZATION" },
      authors: [{ name: "Parviz Muhammadzoda", kind: "PERSON" }],
    });
    expect(article.authors[0].description).toContain("Tajik National University");
  });

  it("splits the body into paragraphs and marks the repeated ones", () => {
    const paragraphs: any[] = article.paragraphs;
    expect(paragraphs.length).toBeGreaterThan(30);
    expect(paragraphs.map((p) => p.index)).toEqual(paragraphs.map((_, i) => i));
    expect(paragraphs[0].text).toMatch(/^The state visit of the President of the Republic/);
    const repeats = paragraphs.filter((p) => p.duplicateOf !== null);
    expect(repeats.length).toBeGreaterThanOrEqual(4);
    for (const repeat of repeats) expect(repeat.duplicateOf).toBeLessThan(repeat.index);
  });

  it("returns the state visit with its participants, agreements and nine outcomes", () => {
    expect(article.visits).toHaveLength(1);
    const [visit] = article.visits;
    expect(visit).toMatchObject(SEEDED_VISIT);
    expect(visit.participants.map((p: any) => [p.role, p.actor.name, p.actor.kind]).sort()).toEqual(
      [
        ["GUEST", "Emomali Rahmon", "PERSON"],
        ["HOST", "Sadir Japarov", "PERSON"],
      ],
    );
    expect(visit.agreements.map((a: any) => a.kind).sort()).toEqual(["JOINT_STATEMENT", "TREATY"]);
    for (const agreement of visit.agreements) {
      expect(agreement.status).toBe("SIGNED");
      expect(agreement.parties.map((p: any) => p.name).sort()).toEqual([
        "Kyrgyzstan",
        "Tajikistan",
      ]);
    }
    expect(visit.outcomes.map((o: any) => o.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(visit.outcomes[0]).toMatchObject({
      statement: "The issue of the state border was fully resolved",
      category: "BORDER",
      status: "ACHIEVED",
    });
    expect(visit.outcomes[7]).toMatchObject({ category: "ENERGY", status: "IN_PROGRESS" });
  });

  it("cites every fact with a passage that is exactly the article's text at its offsets", () => {
    const [visit] = article.visits;
    const passages: Passage[] = [
      ...visit.citations,
      ...visit.agreements.flatMap((a: any) => a.citations),
      ...visit.outcomes.flatMap((o: any) => o.citations),
    ];
    const body: string = article.paragraphs.map((p: any) => p.text).join("\n\n");
    expect(visit.citations.length).toBeGreaterThan(0);
    for (const fact of [...visit.agreements, ...visit.outcomes]) {
      expect(fact.citations.length).toBeGreaterThan(0);
    }
    for (const passage of passages) {
      expect(passage.article).toEqual({ id: article.id, slug: SLUG });
      expect(body.slice(passage.start, passage.end)).toBe(passage.quote);
      const paragraph = article.paragraphs[passage.paragraphIndex];
      expect(passage.start).toBeGreaterThanOrEqual(paragraph.start);
      expect(passage.start).toBeLessThan(paragraph.end);
    }
    expect(visit.citations.map((c: Passage) => c.quote).join(" ")).toContain("16 documents");
  });

  it("returns null for a slug no article has", async () => {
    const response = await server.graphql(operation("ArticlePage"), { slug: "no-such-article" });
    expect(response).toEqual({ status: 200, data: { article: null } });
  });
});

describe("ArticleList: the front page", () => {
  it("lists the source article, newest first, with its author", async () => {
    const response = await server.graphql(operation("ArticleList"), { first: 10 });
    expect(response.errors).toBeUndefined();
    expect(response.data!.articles).toMatchObject({
      totalCount: 1,
      pageInfo: { hasNextPage: false },
      edges: [
        {
          node: {
            slug: SLUG,
            publishedOn: "2025-03-17",
            authors: [{ name: "Parviz Muhammadzoda" }],
          },
        },
      ],
    });
  });
});

describe("VisitList: the timeline", () => {
  it("lists the visit with what it produced", async () => {
    const response = await server.graphql(operation("VisitList"), {});
    const [edge] = response.data!.visits.edges;
    expect(response.data!.visits.totalCount).toBe(1);
    expect(edge.node).toMatchObject({
      kind: "STATE_VISIT",
      startDate: null,
      documentsSignedCount: 16,
    });
    expect(edge.node.agreements).toHaveLength(2);
    expect(edge.node.outcomes.map((o: any) => o.status)).toEqual([
      ...Array(4).fill("ACHIEVED"),
      ...Array(5).fill("IN_PROGRESS"),
    ]);
  });
});

describe("AgreementList: agreements by kind and party", () => {
  it("lists both agreements, and filters by kind", async () => {
    const all = await server.graphql(operation("AgreementList"), {});
    expect(all.data!.agreements.totalCount).toBe(2);
    const treaties = await server.graphql(operation("AgreementList"), { kind: "TREATY" });
    expect(treaties.data!.agreements.edges.map((e: any) => e.node.title)).toEqual([
      "Treaty on the state border between Tajikistan and Kyrgyzstan",
    ]);
    expect(treaties.data!.agreements.edges[0].node.visit.title).toMatch(/State visit/);
  });

  it("filters by party: Tajikistan is party to both, its president to none", async () => {
    const tajikistan = await server.graphql(operation("AgreementList"), {
      partyId: await actorIdByName("Tajikistan"),
    });
    expect(tajikistan.data!.agreements.totalCount).toBe(2);
    const rahmon = await server.graphql(operation("AgreementList"), {
      partyId: await actorIdByName("Emomali Rahmon"),
    });
    expect(rahmon.data!.agreements).toMatchObject({ totalCount: 0, edges: [] });
  });

  it("refuses a party id that is not an actor's", async () => {
    const response = await server.graphql(operation("AgreementList"), { partyId: "bogus" });
    expect(response.data).toBeNull();
    expect(response.errors).toMatchObject([
      {
        message: 'filter.partyId: "bogus" is not an Actor id',
        extensions: { code: "BAD_USER_INPUT" },
      },
    ]);
  });
});

describe("OutcomeTracker: outcomes by status and category", () => {
  it("lists the nine outcomes in the source's order, each cited", async () => {
    const response = await server.graphql(operation("OutcomeTracker"), { first: 20 });
    const nodes = response.data!.outcomes.edges.map((e: any) => e.node);
    expect(response.data!.outcomes.totalCount).toBe(9);
    expect(nodes.map((n: any) => n.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const node of nodes) expect(node.citations.length).toBeGreaterThan(0);
  });

  it("filters by status, category and visit", async () => {
    const achieved = await server.graphql(operation("OutcomeTracker"), { status: "ACHIEVED" });
    expect(achieved.data!.outcomes.edges.map((e: any) => e.node.ordinal)).toEqual([1, 2, 3, 4]);
    const energy = await server.graphql(operation("OutcomeTracker"), { category: "ENERGY" });
    expect(energy.data!.outcomes.edges.map((e: any) => e.node.statement)).toEqual([
      expect.stringContaining("CASA-1000"),
    ]);
    const visitId = achieved.data!.outcomes.edges[0].node.visit.id;
    const ofVisit = await server.graphql(operation("OutcomeTracker"), {
      visitId,
      status: "IN_PROGRESS",
    });
    expect(ofVisit.data!.outcomes.totalCount).toBe(5);
  });
});

describe("ActorDirectory: people, states and organisations", () => {
  it("lists every actor by name", async () => {
    const response = await server.graphql(operation("ActorDirectory"), { first: 100 });
    const names = response.data!.actors.edges.map((e: any) => e.node.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : 1)));
    expect(names).toEqual(
      expect.arrayContaining(["Emomali Rahmon", "Sadir Japarov", "Tajikistan", "Kyrgyzstan"]),
    );
    expect(response.data!.actors.totalCount).toBe(names.length);
  });

  it("filters by kind", async () => {
    const response = await server.graphql(operation("ActorDirectory"), { kind: "STATE" });
    expect(response.data!.actors.edges.map((e: any) => e.node.name)).toEqual([
      "Kyrgyzstan",
      "Tajikistan",
    ]);
  });

  it("searches names and aliases ignoring case and accents", async () => {
    for (const search of ["japarov", "JAPAROV", "Japárov", "honorable sadir"]) {
      const response = await server.graphql(operation("ActorDirectory"), { search });
      expect(response.data!.actors.edges.map((e: any) => e.node.name)).toEqual(["Sadir Japarov"]);
    }
    const byAlias = await server.graphql(operation("ActorDirectory"), {
      search: "kyrgyz republic",
    });
    expect(byAlias.data!.actors.edges[0].node).toMatchObject({
      name: "Kyrgyzstan",
      aliases: expect.arrayContaining(["Kyrgyz Republic"]),
    });
  });
});

describe("ActorProfile: one actor", () => {
  it("shows what Rahmon took part in and every passage that names him", async () => {
    const id = await actorIdByName("Emomali Rahmon");
    const response = await server.graphql(operation("ActorProfile"), { id });
    const actor = response.data!.actor;
    const empty = { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    expect(actor).toMatchObject({ id, kind: "PERSON", agreements: empty, articles: empty });
    expect(actor.aliases).toEqual(
      expect.arrayContaining(["H.E. Emomali Rahmon", "Leader of the Nation"]),
    );
    expect(actor.participations).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            role: "GUEST",
            visit: { id: expect.any(String), title: expect.any(String), startDate: null },
          },
        },
      ],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
    const page = await server.graphql(operation("ArticlePage"), { slug: SLUG });
    const body: string = page.data!.article.paragraphs.map((p: any) => p.text).join("\n\n");
    expect(actor.mentions.totalCount).toBeGreaterThanOrEqual(8);
    expect(actor.mentions.edges).toHaveLength(Math.min(20, actor.mentions.totalCount));
    for (const { node: mention } of actor.mentions.edges) {
      expect(body.slice(mention.start, mention.end)).toBe(mention.quote);
      expect(actor.aliases).toContain(mention.quote);
    }
  });

  it("lists the articles an author wrote and a state's agreements", async () => {
    const author = await server.graphql(operation("ActorProfile"), {
      id: await actorIdByName("Parviz Muhammadzoda"),
    });
    expect(author.data!.actor.articles).toEqual({
      totalCount: 1,
      edges: [
        {
          node: {
            id: expect.any(String),
            slug: SLUG,
            title: expect.any(String),
            publishedOn: "2025-03-17",
          },
        },
      ],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
    const state = await server.graphql(operation("ActorProfile"), {
      id: await actorIdByName("Kyrgyzstan"),
    });
    expect(state.data!.actor.agreements.edges.map((e: any) => e.node.kind).sort()).toEqual([
      "JOINT_STATEMENT",
      "TREATY",
    ]);
  });
});

describe("NodeLookup: any object by id", () => {
  it("resolves actors and outcomes by their global ids", async () => {
    const id = await actorIdByName("Sadir Japarov");
    expect((await server.graphql(operation("NodeLookup"), { id })).data).toEqual({
      node: { __typename: "Actor", id, name: "Sadir Japarov" },
    });
    const outcomes = await server.graphql(operation("OutcomeTracker"), { first: 1 });
    const outcome = outcomes.data!.outcomes.edges[0].node;
    expect((await server.graphql(operation("NodeLookup"), { id: outcome.id })).data).toEqual({
      node: { __typename: "Outcome", id: outcome.id, statement: outcome.statement },
    });
  });

  it("resolves every type of object on the article page", async () => {
    const page = await server.graphql(operation("ArticlePage"), { slug: SLUG });
    const article = page.data!.article;
    const visit = article.visits[0];
    const expected: [string, string][] = [
      [article.id, "Article"],
      [visit.id, "Visit"],
      [visit.agreements[0].id, "Agreement"],
      [visit.citations[0].id, "Citation"],
    ];
    for (const [id, typename] of expected) {
      const response = await server.graphql(`query($id: ID!) { node(id: $id) { __typename id } }`, {
        id,
      });
      expect(response.data).toEqual({ node: { __typename: typename, id } });
    }
  });

  it("returns null for unknown and malformed ids", async () => {
    for (const id of [
      "QWN0b3I6OTk5OTk",
      "not an id",
      "",
      Buffer.from("Actor:1x").toString("base64url"),
    ]) {
      expect((await server.graphql(operation("NodeLookup"), { id })).data).toEqual({ node: null });
    }
  });
});

describe("Search: one box for everything", () => {
  it("finds the treaty, the border outcomes and the article for 'border treaty'", async () => {
    const response = await server.graphql(operation("Search"), { query: "border treaty" });
    expect(response.errors).toBeUndefined();
    const hits: any[] = response.data!.search;
    const types = hits.map((h) => h.node.__typename);
    expect(types).toEqual(expect.arrayContaining(["Agreement", "Article"]));
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    const treaty = hits.find((h) => h.node.__typename === "Agreement");
    expect(treaty.node).toMatchObject({ agreementKind: "TREATY" });
    expect(treaty.snippet).toMatch(/\*\*[Tt]reaty\*\*/);
  });

  it("finds an actor by a misspelt or accented name first", async () => {
    for (const query of ["Japarov", "japarov", "Žaparov"]) {
      const response = await server.graphql(operation("Search"), { query });
      expect(response.data!.search[0].node).toMatchObject({
        __typename: "Actor",
        name: "Sadir Japarov",
        actorKind: "PERSON",
      });
    }
  });

  it("finds outcomes by a word of their statement", async () => {
    const response = await server.graphql(operation("Search"), { query: "flights" });
    expect(response.data!.search.map((h: any) => h.node)).toEqual(
      expect.arrayContaining([
        {
          __typename: "Outcome",
          id: expect.any(String),
          ordinal: 3,
          statement: "Direct flights between the countries were restored",
        },
      ]),
    );
  });

  it("limits results with first and refuses bad input", async () => {
    const two = await server.graphql(operation("Search"), { query: "Tajikistan", first: 2 });
    expect(two.data!.search).toHaveLength(2);
    const empty = await server.graphql(operation("Search"), { query: "   " });
    expect(empty.errors).toMatchObject([
      { message: "query: must not be empty", extensions: { code: "BAD_USER_INPUT" } },
    ]);
    const tooMany = await server.graphql(operation("Search"), { query: "border", first: 101 });
    expect(tooMany.errors).toMatchObject([
      {
        message: "first: must be between 0 and 100, got 101",
        extensions: { code: "BAD_USER_INPUT" },
      },
    ]);
  });
});
