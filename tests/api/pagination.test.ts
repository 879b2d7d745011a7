/**
 * Connections: keyset cursors walk whole lists without skipping or repeating, forward
 * (`first`/`after`) and backward (`last`/`before`), and bad paging arguments are refused with
 * the argument named.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { toGlobalId } from "../../src/ids.js";
import {
  operation,
  startTestServer,
  type GraphQLResponse,
  type TestServer,
} from "../support/server.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Follows `endCursor` until `hasNextPage` is false; returns the ids in order. */
async function walk(name: string, field: string, first: number, variables = {}) {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const response: GraphQLResponse<any> = await server.graphql(operation(name), {
      ...variables,
      first,
      after,
    });
    expect(response.errors).toBeUndefined();
    const connection: any = response.data![field];
    expect(connection.edges.length).toBeLessThanOrEqual(first);
    ids.push(...connection.edges.map((edge: any) => edge.node.id));
    if (!connection.pageInfo.hasNextPage) return { ids, totalCount: connection.totalCount };
    after = connection.pageInfo.endCursor;
  }
  throw new Error("pagination did not end");
}

/** A page of a connection, read forward or backward, with the whole of its `pageInfo`. */
const pageQuery = (
  field: string,
) => `query ($first: Int, $after: String, $last: Int, $before: String) {
  ${field}(first: $first, after: $after, last: $last, before: $before) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
  }
}`;

/**
 * Follows `startCursor` from the end of `field` until `hasPreviousPage` is false; returns the
 * ids in the list's order. Each page says nothing follows it (the spec allows `false` there).
 */
async function walkBackward(field: string, last: number) {
  const ids: string[] = [];
  let before: string | null = null;
  for (let page = 0; page < 100; page++) {
    const response: GraphQLResponse<any> = await server.graphql(pageQuery(field), {
      last,
      before,
    });
    expect(response.errors).toBeUndefined();
    const { edges, pageInfo }: any = response.data![field];
    expect(edges.length).toBeLessThanOrEqual(last);
    expect(pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: expect.any(Boolean),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    });
    ids.unshift(...edges.map((edge: any) => edge.node.id));
    if (!pageInfo.hasPreviousPage) return ids;
    before = pageInfo.startCursor;
  }
  throw new Error("pagination did not end");
}

/** The contract operation that pages each top-level list forward. */
const LIST_OPERATIONS: Record<string, string> = {
  articles: "ArticleList",
  visits: "VisitList",
  agreements: "AgreementList",
  outcomes: "OutcomeTracker",
  actors: "ActorDirectory",
};

/** Each top-level list in its default order, as the database holds it. */
async function storedOrder() {
  const { prisma } = server.db;
  const ids = (type: Parameters<typeof toGlobalId>[0], rows: { id: number }[]) =>
    rows.map((row) => toGlobalId(type, row.id));
  return {
    articles: ids(
      "Article",
      await prisma.article.findMany({ orderBy: [{ publishedOn: "desc" }, { id: "desc" }] }),
    ),
    visits: ids(
      "Visit",
      await prisma.visit.findMany({
        orderBy: [{ startDate: { sort: "desc", nulls: "last" } }, { id: "desc" }],
      }),
    ),
    agreements: ids("Agreement", await prisma.agreement.findMany({ orderBy: { id: "asc" } })),
    outcomes: ids(
      "Outcome",
      await prisma.outcome.findMany({ orderBy: [{ ordinal: "asc" }, { id: "asc" }] }),
    ),
    actors: ids(
      "Actor",
      await prisma.actor.findMany({ orderBy: [{ name: "asc" }, { id: "asc" }] }),
    ),
  };
}

describe("Pagination: walking every page", () => {
  it.each([1, 2, 3, 100])("finds each actor exactly once, %i per page", async (first) => {
    const all = await walk("ActorDirectory", "actors", 100);
    const paged = await walk("ActorDirectory", "actors", first);
    expect(paged.ids).toEqual(all.ids);
    expect(new Set(paged.ids).size).toBe(paged.totalCount);
    expect(paged.totalCount).toBeGreaterThanOrEqual(7);
  });

  it.each([1, 4, 9])("finds each outcome exactly once in order, %i per page", async (first) => {
    const { ids, totalCount } = await walk("OutcomeTracker", "outcomes", first);
    expect(totalCount).toBe(9);
    expect(new Set(ids).size).toBe(9);
    const ordinals = await Promise.all(
      ids.map(
        async (id) => (await server.graphql(operation("NodeLookup"), { id })).data!.node.statement,
      ),
    );
    const all = await server.graphql(operation("OutcomeTracker"), { first: 9 });
    expect(ordinals).toEqual(all.data!.outcomes.edges.map((e: any) => e.node.statement));
  });

  it("walks a name search page by page in both directions, ties broken by id", async () => {
    // Same names twice (ties), names that match only by an alias, and accents.
    const names = ["Ödön Pager", "Odon Pager", "Ödön Pager", "Bea Pager", "Cy Pager", "Dee"];
    const { prisma } = server.db;
    for (const [i, name] of names.entries()) {
      await prisma.actor.create({
        data: {
          name,
          kind: i % 2 ? "PERSON" : "ORGANIZATION",
          aliases: { create: name === "Dee" ? [{ alias: "Dee Pagér" }] : [] },
        },
      });
    }
    const query = `query ($first: Int, $after: String, $direction: OrderDirection!, $kind: ActorKind) {
      actors(first: $first, after: $after, filter: { search: "pager", kind: $kind },
             orderBy: { field: NAME, direction: $direction }) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id name } }
      }
    }`;
    const walkSearch = async (first: number, direction: string, kind: string | null = null) => {
      const seen: { id: string; name: string }[] = [];
      let after: string | null = null;
      let totalCount = 0;
      for (let page = 0; page < 50; page++) {
        const response: GraphQLResponse<any> = await server.graphql(query, {
          first,
          after,
          direction,
          kind,
        });
        expect(response.errors).toBeUndefined();
        const connection = response.data!.actors;
        totalCount = connection.totalCount;
        seen.push(...connection.edges.map((edge: any) => edge.node));
        if (!connection.pageInfo.hasNextPage) return { seen, totalCount };
        after = connection.pageInfo.endCursor;
      }
      throw new Error("pagination did not end");
    };
    const all = await walkSearch(100, "ASC");
    expect(all.totalCount).toBe(6);
    expect(all.seen.map((a) => a.name)).toEqual([
      "Bea Pager",
      "Cy Pager",
      "Dee",
      "Odon Pager",
      "Ödön Pager",
      "Ödön Pager",
    ]);
    const ties = all.seen.filter((a) => a.name === "Ödön Pager").map((a) => a.id);
    const keyOf = (id: string) => Number(Buffer.from(id, "base64url").toString().split(":")[1]);
    expect(keyOf(ties[0]!)).toBeLessThan(keyOf(ties[1]!));
    for (const first of [1, 2, 4]) {
      expect((await walkSearch(first, "ASC")).seen).toEqual(all.seen);
      expect((await walkSearch(first, "DESC")).seen).toEqual([...all.seen].reverse());
    }
    const people = await walkSearch(1, "ASC", "PERSON");
    expect(people.seen.map((a) => a.name)).toEqual(["Bea Pager", "Dee", "Odon Pager"]);
    expect(people.totalCount).toBe(3);
  });

  it("pages a filtered list within its filter", async () => {
    const { ids, totalCount } = await walk("OutcomeTracker", "outcomes", 2, {
      status: "IN_PROGRESS",
    });
    expect(totalCount).toBe(5);
    expect(ids).toHaveLength(5);
  });

  it("walks visits newest first, with the undated ones last, each exactly once", async () => {
    const dates = ["2024-05-01", null, "2025-01-10", "2024-05-01", null, "2023-12-31"];
    for (const [i, startDate] of dates.entries()) {
      await server.db.prisma.visit.create({
        data: {
          title: `Visit ${i}`,
          kind: "WORKING_VISIT",
          startDate: startDate ? new Date(`${startDate}T00:00:00Z`) : null,
          startDatePrecision: startDate ? "DAY" : null,
          editorialNote: "Made by a pagination test.",
        },
      });
    }
    const all = await walk("VisitList", "visits", 100);
    for (const first of [1, 2, 3])
      expect((await walk("VisitList", "visits", first)).ids).toEqual(all.ids);
    const rows = await server.db.prisma.visit.findMany();
    const key = (id: string) => Number(Buffer.from(id, "base64url").toString().split(":")[1]);
    const ordered = all.ids.map((id) => rows.find((r) => r.id === key(id))!);
    const dated = ordered.filter((v) => v.startDate !== null);
    const undated = ordered.filter((v) => v.startDate === null);
    expect(ordered).toEqual([...dated, ...undated]);
    expect(dated.map((v) => v.startDate!.toISOString().slice(0, 10))).toEqual([
      "2025-01-10",
      "2024-05-01",
      "2024-05-01",
      "2023-12-31",
    ]);
    expect(dated[1]!.id).toBeGreaterThan(dated[2]!.id);
    expect(undated.map((v) => v.id)).toEqual([...undated.map((v) => v.id)].sort((a, b) => b - a));
    // Backward from the end: through the undated visits, then across into the dated ones.
    const stored = (await storedOrder()).visits;
    expect(all.ids).toEqual(stored);
    for (const last of [1, 2, 3, 100]) expect(await walkBackward("visits", last)).toEqual(stored);
  });

  it("walks every top-level list backward from its end in exactly its forward order", async () => {
    const { prisma } = server.db;
    // Articles published the same day (ties broken by id) and a visit without a start date.
    for (const [i, publishedOn] of ["2025-03-17", "2025-03-17", "2019-01-01"].entries()) {
      await prisma.article.create({
        data: {
          slug: `backward-${i}`,
          title: `Backward ${i}`,
          language: "en",
          publishedOn: new Date(`${publishedOn}T00:00:00Z`),
          body: "A paragraph.",
        },
      });
    }
    await prisma.visit.create({
      data: { title: "Undated", kind: "WORKING_VISIT", editorialNote: "Made by a test." },
    });
    const stored = await storedOrder();
    for (const [field, ids] of Object.entries(stored)) {
      expect(ids.length).toBeGreaterThanOrEqual(2);
      expect((await walk(LIST_OPERATIONS[field]!, field, 3)).ids).toEqual(ids);
      for (const last of [1, 2, 3, 100]) expect(await walkBackward(field, last)).toEqual(ids);
    }
  });

  it("takes a cursor of a forward page as before, and one of a backward page as after", async () => {
    const forward = await server.graphql(
      `{ outcomes(first: 4) { edges { cursor node { id } } pageInfo { endCursor } } }`,
    );
    const ids = (await storedOrder()).outcomes;
    expect(forward.data!.outcomes.edges.map((e: any) => e.node.id)).toEqual(ids.slice(0, 4));
    const before = await server.graphql(pageQuery("outcomes"), {
      last: 2,
      before: forward.data!.outcomes.pageInfo.endCursor,
    });
    expect(before.data!.outcomes.edges.map((e: any) => e.node.id)).toEqual(ids.slice(1, 3));
    const after = await server.graphql(
      `query ($after: String) { outcomes(first: 2, after: $after) { edges { node { id } } } }`,
      { after: before.data!.outcomes.pageInfo.startCursor },
    );
    expect(after.data!.outcomes.edges.map((e: any) => e.node.id)).toEqual(ids.slice(2, 4));
  });

  it("gives an empty last page's endCursor as null", async () => {
    const response = await server.graphql(operation("OutcomeTracker"), { status: "PLANNED" });
    expect(response.data!.outcomes).toEqual({
      totalCount: 0,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: [],
    });
  });
});

describe("Pagination: an empty page", () => {
  it.each([
    [
      "last",
      "come before",
      (count: number) => ({ hasNextPage: false, hasPreviousPage: count > 0 }),
    ],
    ["first", "follow", (count: number) => ({ hasNextPage: count > 0, hasPreviousPage: false })],
  ])("answers %s: 0 with no edges, the count, and whether items %s", async (size, _, more) => {
    const response = await server.graphql(pageQuery("actors"), { [size]: 0 });
    const count = await server.db.prisma.actor.count();
    expect(response).toEqual({
      status: 200,
      data: {
        actors: {
          totalCount: count,
          edges: [],
          pageInfo: { ...more(count), startCursor: null, endCursor: null },
        },
      },
    });
  });
});

describe("Pagination: pageInfo at both ends", () => {
  /**
   * Reads the outcomes' page that `variables` ask for, and expects it to hold the outcomes
   * `ids`, to begin and end at its first and last edges, and to say `more` of what lies around.
   */
  const expectPage = async (
    variables: Record<string, unknown>,
    ids: string[],
    more: { hasNextPage: boolean; hasPreviousPage: boolean },
  ) => {
    const response = await server.graphql(pageQuery("outcomes"), variables);
    expect(response.errors).toBeUndefined();
    const { edges, pageInfo } = response.data!.outcomes;
    expect(edges.map((e: any) => e.node.id)).toEqual(ids);
    expect(pageInfo).toEqual({
      ...more,
      startCursor: edges[0].cursor,
      endCursor: edges.at(-1).cursor,
    });
  };

  it("says of the last page read backward that more come before it, and nothing after", async () => {
    const ids = (await storedOrder()).outcomes;
    await expectPage({ last: 2 }, ids.slice(-2), { hasNextPage: false, hasPreviousPage: true });
  });

  it("says of the first page read backward that nothing comes before it", async () => {
    const ids = (await storedOrder()).outcomes;
    const third = (await server.graphql(pageQuery("outcomes"), { first: 3 })).data!.outcomes
      .edges[2].cursor;
    for (const last of [2, 5]) {
      await expectPage({ last, before: third }, ids.slice(0, 2), {
        hasNextPage: false,
        hasPreviousPage: false,
      });
    }
  });

  it("reads 20 items before the cursor when before comes without last", async () => {
    const ids = (await storedOrder()).actors;
    const end = await server.graphql(`{ actors(first: 100) { pageInfo { endCursor } } }`);
    const response = await server.graphql(
      `query ($before: String) { actors(before: $before) { edges { node { id } } pageInfo { hasPreviousPage } } }`,
      { before: end.data!.actors.pageInfo.endCursor },
    );
    const expected = ids.slice(0, -1).slice(-20);
    expect(response.data!.actors).toEqual({
      edges: expected.map((id) => ({ node: { id } })),
      pageInfo: { hasPreviousPage: ids.length - 1 > 20 },
    });
  });
});

describe("Pagination: bad arguments", () => {
  it.each(
    [101, -1].flatMap((n) => [
      { size: "last", n, query: pageQuery("actors") },
      { size: "first", n, query: operation("ActorDirectory") },
    ]),
  )("refuses $size: $n with the allowed range, naming $size", async ({ size, n, query }) => {
    const response = await server.graphql(query, { [size]: n });
    expect(response.data).toBeNull();
    expect(response.errors).toMatchObject([
      {
        message: `${size}: must be between 0 and 100, got ${n}`,
        path: ["actors"],
        extensions: { code: "BAD_USER_INPUT", argumentName: size, min: 0, max: 100 },
      },
    ]);
  });

  it.each([
    ["first and last", "first: 2, last: 2", "last", "`first`"],
    ["after and before", "after: $cursor, before: $cursor", "before", "`after`"],
    ["first and before", "first: 2, before: $cursor", "before", "`first`"],
    ["last and after", "last: 2, after: $cursor", "after", "`last`"],
  ])("refuses %s together, naming the second, before any SQL", async (_, args, named, other) => {
    const cursor = (await server.graphql(`{ actors(first: 1) { pageInfo { endCursor } } }`)).data!
      .actors.pageInfo.endCursor;
    const statements = server.db.statementCount;
    const response = await server.graphql(
      `query ${args.includes("$cursor") ? "($cursor: String)" : ""} { actors(${args}) { edges { node { id } } } }`,
      { cursor },
    );
    expect(response).toEqual({
      status: 200,
      data: null,
      errors: [
        {
          message: `${named}: cannot be given with ${other}: page forward with \`first\`/\`after\` or backward with \`last\`/\`before\``,
          locations: expect.any(Array),
          path: ["actors"],
          extensions: expect.objectContaining({ code: "BAD_USER_INPUT", argumentName: named }),
        },
      ],
    });
    expect(server.db.statementCount).toBe(statements);
  });

  it("refuses a malformed before cursor, naming before", async () => {
    for (const before of ["garbage", Buffer.from('["Actor.name.asc",5,1]').toString("base64url")]) {
      const response = await server.graphql(pageQuery("actors"), { last: 2, before });
      expect(response.errors).toMatchObject([
        {
          message:
            "before: is not a cursor of this list; pass a `startCursor` or `cursor` it returned",
          extensions: { code: "BAD_USER_INPUT", argumentName: "before" },
        },
      ]);
    }
  });

  it("refuses a malformed cursor", async () => {
    for (const after of [
      "garbage",
      "",
      Buffer.from('["Actor.name.asc",5,1]').toString("base64url"),
    ]) {
      const response = await server.graphql(operation("ActorDirectory"), { after });
      expect(response.errors).toMatchObject([
        { extensions: { code: "BAD_USER_INPUT", argumentName: "after" } },
      ]);
    }
  });

  it.each([
    ["a date that does not exist", "ArticleList", ["Article.publishedOn.desc", "2025-13-45", 1]],
    ["February 30th", "ArticleList", ["Article.publishedOn.desc", "2025-02-30", 1]],
    ["an ordinal beyond int", "OutcomeTracker", ["Outcome.ordinal.asc", 1e10, 1]],
    ["an id beyond int", "ActorDirectory", ["Actor.name.asc", "a", 1e10]],
    ["a name with U+0000", "ActorDirectory", ["Actor.name.asc", "a\u0000", 1]],
    ["a name with a lone surrogate", "ActorDirectory", ["Actor.name.asc", "a\ud800", 1]],
    ["the year 0000", "ArticleList", ["Article.publishedOn.desc", "0000-01-01", 1]],
  ])("refuses a cursor holding %s, before any SQL", async (_, name, value) => {
    const after = Buffer.from(JSON.stringify(value)).toString("base64url");
    const statements = server.db.statementCount;
    const response = await server.graphql(operation(name), { after });
    expect(response.errors).toMatchObject([
      { extensions: { code: "BAD_USER_INPUT", argumentName: "after" } },
    ]);
    expect(server.db.statementCount).toBe(statements);
  });

  it("refuses a cursor of another list", async () => {
    const outcomes = await server.graphql(operation("OutcomeTracker"), { first: 1 });
    const response = await server.graphql(operation("ActorDirectory"), {
      after: outcomes.data!.outcomes.pageInfo.endCursor,
    });
    expect(response.errors).toMatchObject([
      { extensions: { code: "BAD_USER_INPUT", argumentName: "after" } },
    ]);
  });
});

describe("Pagination: the columns a page reads", () => {
  it("gives every field a page's nodes ask for, directly or through fragments", async () => {
    const response = await server.graphql(`{
      articles(first: 1) { edges { node { ...Dates subtitle } } }
      actors(first: 1) { edges { node { ... on Actor { description version } createdAt } } }
      outcomes(first: 1) { edges { node { ...Versioned } } }
    }
    fragment Dates on Article { language createdAt updatedAt version }
    fragment Versioned on Outcome { version updatedAt }`);
    expect(response.errors).toBeUndefined();
    const { prisma } = server.db;
    const article = await prisma.article.findFirstOrThrow({
      orderBy: [{ publishedOn: "desc" }, { id: "desc" }],
    });
    const actor = await prisma.actor.findFirstOrThrow({
      orderBy: [{ name: "asc" }, { id: "asc" }],
    });
    const outcome = await prisma.outcome.findFirstOrThrow({
      orderBy: [{ ordinal: "asc" }, { id: "asc" }],
    });
    expect(response.data).toEqual({
      articles: {
        edges: [
          {
            node: {
              language: article.language,
              createdAt: article.createdAt.toISOString(),
              updatedAt: article.updatedAt.toISOString(),
              version: article.version,
              subtitle: article.subtitle,
            },
          },
        ],
      },
      actors: {
        edges: [
          {
            node: {
              description: actor.description,
              version: actor.version,
              createdAt: actor.createdAt.toISOString(),
            },
          },
        ],
      },
      outcomes: {
        edges: [{ node: { version: outcome.version, updatedAt: outcome.updatedAt.toISOString() } }],
      },
    });
  });
});
