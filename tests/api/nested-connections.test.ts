/**
 * The lists below an object that grow with the record (an actor's participations, agreements,
 * articles and mentions, a visit's articles) are connections: paged by cursor in a stable
 * order, forward (`first`/`after`) and backward (`last`/`before`), with `first` and `last`
 * bounded like the top-level lists, and batched, so that the same connection under many
 * parents costs one statement.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { toGlobalId } from "../../src/ids.js";
import { startTestServer, type TestServer } from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
});
afterAll(() => server.stop());

async function actorId(name: string): Promise<string> {
  const actor = await server.db.prisma.actor.findFirstOrThrow({ where: { name } });
  return toGlobalId("Actor", actor.id);
}

const MENTIONS = `query ($id: ID!, $first: Int, $after: String) {
  actor(id: $id) {
    mentions(first: $first, after: $after) {
      totalCount
      edges { cursor node { id start end quote article { slug } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** Every page of an actor's mentions, `first` at a time. */
async function allMentionPages(id: string, first: number) {
  const pages: any[] = [];
  let after: string | null = null;
  do {
    const response = await server.graphql(MENTIONS, { id, first, after });
    expect(response.errors).toBeUndefined();
    const page: any = response.data!.actor.mentions;
    pages.push(page);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after !== null);
  return pages;
}

describe("Actor.mentions", () => {
  it("pages through all 31 mentions of Tajikistan, by article and then position, as the record holds them", async () => {
    const id = await actorId("Tajikistan");
    const pages = await allMentionPages(id, 7);
    expect(pages.map((p) => p.edges.length)).toEqual([7, 7, 7, 7, 3]);
    expect(pages.map((p) => p.totalCount)).toEqual([31, 31, 31, 31, 31]);
    expect(pages.map((p) => p.pageInfo.hasNextPage)).toEqual([true, true, true, true, false]);
    for (const page of pages) expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);

    const stored = await server.db.prisma.mention.findMany({
      where: { actor: { name: "Tajikistan" } },
      include: { article: true },
      orderBy: [{ articleId: "asc" }, { start: "asc" }, { id: "asc" }],
    });
    expect(pages.flatMap((p) => p.edges.map((e: any) => e.node))).toEqual(
      stored.map((m) => ({
        id: toGlobalId("Mention", m.id),
        start: m.start,
        end: m.end,
        quote: m.quote,
        article: { slug: m.article.slug },
      })),
    );
  });

  it("gives 20 mentions when first is not given, the same as the first page of 20", async () => {
    const id = await actorId("Tajikistan");
    const byDefault = await server.graphql(MENTIONS, { id });
    const explicit = await server.graphql(MENTIONS, { id, first: 20 });
    expect(byDefault.data!.actor.mentions.edges).toHaveLength(20);
    expect(byDefault.data).toEqual(explicit.data);
  });

  it.each([101, -1])("refuses first: %d with BAD_USER_INPUT naming first", async (first) => {
    const response = await server.graphql(MENTIONS, { id: await actorId("Tajikistan"), first });
    expect(response.errors).toEqual([
      expect.objectContaining({
        message: `first: must be between 0 and 100, got ${first}`,
        extensions: expect.objectContaining({
          code: "BAD_USER_INPUT",
          argumentName: "first",
          min: 0,
          max: 100,
        }),
      }),
    ]);
  });

  it("refuses a cursor of another list with BAD_USER_INPUT naming after", async () => {
    const id = await actorId("Parviz Muhammadzoda");
    const articles = await server.graphql(
      `query ($id: ID!) { actor(id: $id) { articles { edges { cursor } } } }`,
      { id },
    );
    const cursor = articles.data!.actor.articles.edges[0].cursor;
    for (const after of [
      cursor,
      "garbage",
      Buffer.from('["Actor.mentions.asc","1:x",1]').toString("base64url"),
    ]) {
      const response = await server.graphql(MENTIONS, { id, after });
      expect(response.errors?.map((e) => [e.extensions?.code, e.extensions?.argumentName])).toEqual(
        [["BAD_USER_INPUT", "after"]],
      );
    }
  });
});

describe("the other nested connections", () => {
  it("page an actor's participations, agreements and articles", async () => {
    const kyrgyzstan = await actorId("Kyrgyzstan");
    const query = `query ($id: ID!, $first: Int, $after: String) {
      actor(id: $id) {
        participations(first: $first) { totalCount edges { node { role visit { title } } } pageInfo { hasNextPage } }
        agreements(first: $first, after: $after) { totalCount edges { node { title } } pageInfo { hasNextPage endCursor } }
      }
    }`;
    const agreements = await server.db.prisma.agreement.findMany({
      where: { parties: { some: { actor: { name: "Kyrgyzstan" } } } },
      orderBy: { id: "asc" },
    });
    expect(agreements.length).toBe(2);
    const first = await server.graphql(query, { id: kyrgyzstan, first: 1 });
    expect(first.errors).toBeUndefined();
    expect(first.data!.actor.agreements).toEqual({
      totalCount: 2,
      edges: [{ node: { title: agreements[0]!.title } }],
      pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
    });
    const second = await server.graphql(query, {
      id: kyrgyzstan,
      first: 1,
      after: first.data!.actor.agreements.pageInfo.endCursor,
    });
    expect(second.data!.actor.agreements).toEqual({
      totalCount: 2,
      edges: [{ node: { title: agreements[1]!.title } }],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
    const participations = await server.db.prisma.visitParticipant.count({
      where: { actor: { name: "Kyrgyzstan" } },
    });
    expect(first.data!.actor.participations.totalCount).toBe(participations);
  });

  it("list the articles an actor wrote or published and a visit's articles, newest first", async () => {
    const query = `query ($author: ID!, $publisher: ID!) {
      author: actor(id: $author) { articles { totalCount edges { node { slug } } } }
      publisher: actor(id: $publisher) { articles { totalCount edges { node { slug } } } }
      visits(first: 1) { edges { node { articles { totalCount edges { node { slug } } pageInfo { hasNextPage } } } } }
    }`;
    const response = await server.graphql(query, {
      author: await actorId("Parviz Muhammadzoda"),
      publisher: await actorId("Communication University of China"),
    });
    expect(response.errors).toBeUndefined();
    const only = {
      totalCount: 1,
      edges: [{ node: { slug: "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan" } }],
    };
    expect(response.data).toEqual({
      author: { articles: only },
      publisher: { articles: only },
      visits: { edges: [{ node: { articles: { ...only, pageInfo: { hasNextPage: false } } } }] },
    });
  });
});

describe("nested connections under many parents", () => {
  const query = `query ($first: Int) {
    actors(first: $first) {
      edges { node {
        name
        participations(first: 2) { totalCount edges { node { role } } }
        agreements(first: 2) { totalCount edges { node { title } } }
        articles(first: 2) { totalCount edges { node { slug } } }
        mentions(first: 2) { totalCount edges { node { quote } } }
      } }
    }
  }`;

  it("cost one statement per connection, however many parents the page has", async () => {
    const counts: number[] = [];
    const sizes: number[] = [];
    for (const first of [1, 100]) {
      const before = server.db.statementCount;
      const response = await server.graphql(query, { first });
      expect(response.errors).toBeUndefined();
      counts.push(server.db.statementCount - before);
      sizes.push(response.data!.actors.edges.length);
    }
    expect(sizes[0]).toBe(1);
    expect(sizes[1]).toBeGreaterThanOrEqual(7);
    // The actors page, then one statement for each of the four connections.
    expect(counts).toEqual([5, 5]);
  });

  it("give each parent its own page and count", async () => {
    const response = await server.graphql(query, { first: 100 });
    const tajikistan = response.data!.actors.edges.find((e: any) => e.node.name === "Tajikistan");
    expect(tajikistan.node.mentions.totalCount).toBe(31);
    expect(tajikistan.node.mentions.edges).toHaveLength(2);
    const counts = await server.db.prisma.mention.groupBy({ by: ["actorId"], _count: true });
    const actors = await server.db.prisma.actor.findMany();
    const expected = Object.fromEntries(
      actors.map((a) => [a.name, counts.find((c) => c.actorId === a.id)?._count ?? 0]),
    );
    expect(
      Object.fromEntries(
        response.data!.actors.edges.map((e: any) => [e.node.name, e.node.mentions.totalCount]),
      ),
    ).toEqual(expected);
  });
});

describe("nested connections across several articles", () => {
  it("order mentions by article, then position, and articles newest first", async () => {
    const editor = await server.keyFor("EDITOR");
    const author = await actorId("Parviz Muhammadzoda");
    const visit = await server.db.prisma.visit.findFirstOrThrow();
    const slugs: string[] = [];
    for (const [slug, publishedOn] of [
      ["tajikistan-in-winter", "2024-01-10"],
      ["tajikistan-in-summer", "2026-07-01"],
    ] as const) {
      const response = await server.graphql(
        `mutation ($input: CreateArticleInput!) { createArticle(input: $input) { slug } }`,
        {
          input: {
            slug,
            title: slug,
            language: "en",
            publishedOn,
            body: `Tajikistan and Kyrgyzstan.\n\nIn ${publishedOn}, Tajikistan again.`,
            authorIds: [author],
            visitIds: [toGlobalId("Visit", visit.id)],
          },
        },
        editor,
      );
      expect(response.errors).toBeUndefined();
      slugs.push(slug);
    }
    const id = await actorId("Tajikistan");
    const mentions = (await allMentionPages(id, 5)).flatMap((p) => p.edges.map((e: any) => e.node));
    expect(mentions).toHaveLength(35);
    const articles = await server.db.prisma.article.findMany({ orderBy: { id: "asc" } });
    const rank = new Map(articles.map((a, i) => [a.slug, i]));
    const positions = mentions.map((m: any) => [rank.get(m.article.slug)!, m.start]);
    expect(positions).toEqual(
      [...positions].sort((a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]!),
    );
    expect(mentions.slice(-4).map((m: any) => [m.article.slug, m.quote])).toEqual([
      [slugs[0], "Tajikistan"],
      [slugs[0], "Tajikistan"],
      [slugs[1], "Tajikistan"],
      [slugs[1], "Tajikistan"],
    ]);

    const newest = `query ($id: ID!, $visit: ID!, $after: String) {
      actor(id: $id) { articles(first: 2, after: $after) { edges { node { slug } } pageInfo { hasNextPage endCursor } } }
      visit(id: $visit) { articles { totalCount edges { node { slug publishedOn } } } }
    }`;
    const visitId = toGlobalId("Visit", visit.id);
    const first = await server.graphql(newest, { id: author, visit: visitId });
    expect(first.data!.actor.articles.edges.map((e: any) => e.node.slug)).toEqual([
      "tajikistan-in-summer",
      "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan",
    ]);
    const rest = await server.graphql(newest, {
      id: author,
      visit: visitId,
      after: first.data!.actor.articles.pageInfo.endCursor,
    });
    expect(rest.data!.actor.articles).toEqual({
      edges: [{ node: { slug: "tajikistan-in-winter" } }],
      pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
    });
    expect(first.data!.visit.articles).toEqual({
      totalCount: 3,
      edges: [
        { node: { slug: "tajikistan-in-summer", publishedOn: "2026-07-01" } },
        {
          node: {
            slug: "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan",
            publishedOn: "2025-03-17",
          },
        },
        { node: { slug: "tajikistan-in-winter", publishedOn: "2024-01-10" } },
      ],
    });
  });
});

/** What identifies each node of a nested connection, and how the record orders them. */
const NESTED_LISTS = {
  participations: { parent: "actor", selection: "role visit { id }" },
  agreements: { parent: "actor", selection: "id" },
  articles: { parent: "actor", selection: "id" },
  mentions: { parent: "actor", selection: "id" },
  visitArticles: { parent: "visit", selection: "id" },
} as const;

/**
 * Every item of a nested connection of `parentId`, read `size` at a time forward (`first`/
 * `after`) or backward from the end (`last`/`before`), in the list's order.
 */
async function walkNested(
  list: keyof typeof NESTED_LISTS,
  parentId: string,
  size: number,
  backward: boolean,
) {
  const { parent, selection } = NESTED_LISTS[list];
  const field = list === "visitArticles" ? "articles" : list;
  const query = `query ($id: ID!, $size: Int, $cursor: String) {
    ${parent}(id: $id) {
      ${field}(${backward ? "last: $size, before: $cursor" : "first: $size, after: $cursor"}) {
        totalCount
        edges { cursor node { ${selection} } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }
  }`;
  const nodes: unknown[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const response: any = await server.graphql(query, { id: parentId, size, cursor });
    expect(response.errors).toBeUndefined();
    const { edges, pageInfo } = response.data[parent][field];
    expect(edges.length).toBeLessThanOrEqual(size);
    expect(pageInfo).toEqual({
      hasNextPage: backward ? false : expect.any(Boolean),
      hasPreviousPage: backward ? expect.any(Boolean) : false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    });
    const page_ = edges.map((edge: any) => edge.node);
    if (backward) nodes.unshift(...page_);
    else nodes.push(...page_);
    const more = backward ? pageInfo.hasPreviousPage : pageInfo.hasNextPage;
    if (!more) return nodes;
    cursor = backward ? pageInfo.startCursor : pageInfo.endCursor;
  }
  throw new Error("pagination did not end");
}

describe("nested connections read backward", () => {
  /** An actor who wrote four articles (two the same day), is party to three agreements and took part in three visits, all reported by one visit's articles. */
  async function fixture() {
    const { prisma } = server.db;
    const actor = await prisma.actor.create({ data: { name: "Ada Backward", kind: "PERSON" } });
    const visit = await prisma.visit.create({
      data: { title: "Reported visit", kind: "WORKING_VISIT", editorialNote: "Made by a test." },
    });
    const articles = [];
    for (const [i, day] of ["2024-02-01", "2025-06-30", "2024-02-01", "2020-10-10"].entries()) {
      articles.push(
        await prisma.article.create({
          data: {
            slug: `ada-backward-${i}-${actor.id}`,
            title: `Ada ${i}`,
            language: "en",
            publishedOn: new Date(`${day}T00:00:00Z`),
            body: "A paragraph.",
            authors: { create: { actorId: actor.id, position: 0 } },
            visits: { create: { visitId: visit.id } },
          },
        }),
      );
    }
    const visits = [];
    for (let i = 0; i < 3; i++) {
      const agreement = await prisma.agreement.create({
        data: {
          title: `Accord ${i}`,
          kind: "TREATY",
          status: "SIGNED",
          editorialNote: "Made by a test.",
          parties: { create: { actorId: actor.id } },
        },
      });
      const taken = await prisma.visit.create({
        data: {
          title: `Visit ${i}`,
          kind: "WORKING_VISIT",
          editorialNote: "Made by a test.",
          participants: { create: { actorId: actor.id, role: "GUEST" } },
        },
      });
      visits.push({ agreement, taken });
    }
    const newestFirst = [...articles].sort(
      (a, b) => b.publishedOn.getTime() - a.publishedOn.getTime() || b.id - a.id,
    );
    const tajikistan = await prisma.mention.findMany({
      where: { actor: { name: "Tajikistan" } },
      orderBy: [{ articleId: "asc" }, { start: "asc" }, { id: "asc" }],
    });
    return {
      actor: toGlobalId("Actor", actor.id),
      visit: toGlobalId("Visit", visit.id),
      tajikistan: await actorId("Tajikistan"),
      expected: {
        participations: visits.map(({ taken }) => ({
          role: "GUEST",
          visit: { id: toGlobalId("Visit", taken.id) },
        })),
        agreements: visits.map(({ agreement }) => ({ id: toGlobalId("Agreement", agreement.id) })),
        articles: newestFirst.map((a) => ({ id: toGlobalId("Article", a.id) })),
        visitArticles: newestFirst.map((a) => ({ id: toGlobalId("Article", a.id) })),
        mentions: tajikistan.map((m) => ({ id: toGlobalId("Mention", m.id) })),
      },
    };
  }

  it("walk each nested connection backward from its end in exactly its forward order", async () => {
    const { actor, visit, tajikistan, expected } = await fixture();
    for (const list of Object.keys(NESTED_LISTS) as (keyof typeof NESTED_LISTS)[]) {
      const parent = list === "visitArticles" ? visit : list === "mentions" ? tajikistan : actor;
      expect(expected[list].length).toBeGreaterThanOrEqual(3);
      for (const size of [1, 2, 7, 100]) {
        expect(await walkNested(list, parent, size, false)).toEqual(expected[list]);
        expect(await walkNested(list, parent, size, true)).toEqual(expected[list]);
      }
    }
  });

  it("give each parent its own last page, in one statement per connection", async () => {
    const query = `{
      actors(first: 100) { edges { node {
        id
        mentions(last: 2) { edges { node { id } } pageInfo { hasPreviousPage hasNextPage } }
      } } }
    }`;
    const before = server.db.statementCount;
    const response = await server.graphql(query);
    expect(response.errors).toBeUndefined();
    // The actors page, then the mentions of every actor.
    expect(server.db.statementCount - before).toBe(2);
    const mentions = await server.db.prisma.mention.findMany({
      orderBy: [{ articleId: "asc" }, { start: "asc" }, { id: "asc" }],
    });
    for (const { node } of response.data!.actors.edges) {
      const own = mentions.filter((m) => toGlobalId("Actor", m.actorId) === node.id);
      expect(node.mentions).toEqual({
        edges: own.slice(-2).map((m) => ({ node: { id: toGlobalId("Mention", m.id) } })),
        pageInfo: { hasPreviousPage: own.length > 2, hasNextPage: false },
      });
    }
  });

  it("answer last: 0 with no edges, and refuse last: 101 and first with last naming the argument", async () => {
    const id = await actorId("Tajikistan");
    const query = `query ($id: ID!, $first: Int, $last: Int) {
      actor(id: $id) { mentions(first: $first, last: $last) {
        totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      } }
    }`;
    const count = await server.db.prisma.mention.count({
      where: { actor: { name: "Tajikistan" } },
    });
    expect(await server.graphql(query, { id, last: 0 })).toEqual({
      status: 200,
      data: {
        actor: {
          mentions: {
            totalCount: count,
            edges: [],
            pageInfo: {
              hasNextPage: false,
              hasPreviousPage: true,
              startCursor: null,
              endCursor: null,
            },
          },
        },
      },
    });
    for (const [variables, named, message] of [
      [{ last: 101 }, "last", "last: must be between 0 and 100, got 101"],
      [
        { first: 1, last: 1 },
        "last",
        "last: cannot be given with `first`: page forward with `first`/`after` or backward with `last`/`before`",
      ],
    ] as const) {
      const response = await server.graphql(query, { id, ...variables });
      expect(response.data).toEqual({ actor: null });
      expect(response.errors).toMatchObject([
        {
          message,
          path: ["actor", "mentions"],
          extensions: { code: "BAD_USER_INPUT", argumentName: named },
        },
      ]);
    }
  });
});
