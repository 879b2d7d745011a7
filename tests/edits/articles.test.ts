/**
 * Editing articles: a new body keeps every citation and mention true, or is refused with the
 * citations it would break; new articles get their paragraphs and mentions at once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "@jest/globals";
import { articleInput, operation, startTestServer, type TestServer } from "../support/server.js";
import { changingNothing, databaseState } from "../support/state.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const UPDATE = `mutation($id: ID!, $input: UpdateArticleInput!, $v: Int) {
  updateArticle(id: $id, input: $input, expectedVersion: $v) { id slug version body } }`;
const CREATE = `mutation($input: CreateArticleInput!) {
  createArticle(input: $input) { id slug title version publisher { name } authors { name }
    paragraphs { index start end text duplicateOf } visits { id } } }`;

let server: TestServer;
let editor: Record<string, string>;
let admin: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer();
  editor = await server.keyFor("EDITOR");
  admin = await server.keyFor("ADMIN");
});
afterAll(() => server.stop());
// Each test edits the seeded article: it starts from the seeded record.
beforeEach(() => server.reset());

const readPage = async (slug = SLUG) =>
  (await server.graphql(operation("ArticlePage"), { slug })).data!.article;

/** Every passage the article page shows, plus every mention stored for the article. */
async function passagesHold(slug = SLUG) {
  const article = await readPage(slug);
  const body = (await server.db.prisma.article.findUniqueOrThrow({ where: { slug } })).body;
  const visit = article.visits[0];
  const passages = [
    ...visit.citations,
    ...visit.agreements.flatMap((a: any) => a.citations),
    ...visit.outcomes.flatMap((o: any) => o.citations),
  ];
  const mentions = await server.db.prisma.mention.findMany({
    where: { articleId: Number(Buffer.from(article.id, "base64url").toString().split(":")[1]) },
  });
  for (const p of [...passages, ...mentions]) expect(body.slice(p.start, p.end)).toBe(p.quote);
  for (const p of passages) {
    const paragraph = article.paragraphs[p.paragraphIndex];
    expect(p.start).toBeGreaterThanOrEqual(paragraph.start);
    expect(p.end).toBeLessThanOrEqual(paragraph.end);
  }
  return { article, body, passages, mentions };
}

describe("Edits: updateArticle with a new body", () => {
  it("re-anchors every citation and mention when text is added before them", async () => {
    const before = await passagesHold();
    const intro = "Editor's note: this analysis was first published in March 2025.\n\n";
    const response = await server.graphql(
      UPDATE,
      { id: before.article.id, input: { body: intro + before.body }, v: 1 },
      editor,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.updateArticle).toMatchObject({ version: 2 });
    const after = await passagesHold();
    expect(after.passages.map((p: any) => p.start)).toEqual(
      before.passages.map((p: any) => p.start + intro.length),
    );
    expect(after.passages.map((p: any) => p.paragraphIndex)).toEqual(
      before.passages.map((p: any) => p.paragraphIndex + 1),
    );
    expect(after.mentions.length).toBe(before.mentions.length);
    expect(after.article.paragraphs[0].text).toBe(intro.trim());
  });

  it("refuses an edit that changes a cited passage, listing the citations, and changes nothing", async () => {
    const { article, body } = await passagesHold();
    const edited = body.replace(
      "Direct flights between the countries were restored",
      "Direct flights resumed",
    );
    const before = await databaseState(server.db);
    const response = await server.graphql(
      UPDATE,
      { id: article.id, input: { body: edited } },
      editor,
    );
    expect(response.data).toBeNull();
    expect(response.errors).toMatchObject([
      {
        message: expect.stringMatching(
          /^input\.body: the new text no longer contains what 1 citation\(s\) quote/,
        ),
        extensions: {
          code: "BAD_USER_INPUT",
          citations: [
            {
              id: expect.any(String),
              quote: expect.stringContaining("Direct flights between the countries were restored"),
              factId: expect.any(String),
            },
          ],
        },
      },
    ]);
    expect(await databaseState(server.db)).toEqual(before);
  });

  it("accepts a typo fix outside every cited passage, and search sees it at once", async () => {
    const { article, body } = await passagesHold();
    expect(body).toContain("sincerely pleased");
    const response = await server.graphql(
      UPDATE,
      { id: article.id, input: { body: body.replace("sincerely pleased", "sincerely delighted") } },
      editor,
    );
    expect(response.errors).toBeUndefined();
    await passagesHold();
    const search = await server.graphql(operation("Search"), { query: "delighted" });
    expect(search.data!.search.map((h: any) => h.node.__typename)).toContain("Article");
  });

  it("keeps the whole body and its previous version in the revision", async () => {
    const { article, body } = await passagesHold();
    const edited = body.replace("sincerely pleased", "sincerely delighted");
    const response = await server.graphql(
      UPDATE,
      { id: article.id, input: { body: edited } },
      editor,
    );
    expect(response.errors).toBeUndefined();
    const history = await server.graphql(operation("admin/History"), { nodeId: article.id });
    const [latest] = history.data!.revisions;
    expect(latest).toMatchObject({
      action: "UPDATE",
      version: 2,
      before: { body, version: 1 },
      after: { body: edited, version: 2 },
    });
  });
});

describe("Edits: createArticle and deleteArticle", () => {
  /** A short article that repeats a paragraph and names two known people and a state. */
  const FOLLOW_UP = {
    slug: "follow-up-on-the-border-treaty",
    title: "Follow-up on the border treaty",
    language: "en",
    publishedOn: "2025-05-01",
    body: "Emomali Rahmon and Sadir Japarov met again.\n\nThe border of Kyrgyzstan is calm.\n\n\nEmomali Rahmon and Sadir Japarov met again!",
  };

  it("creates an article with paragraphs, authors and the mentions of known actors", async () => {
    const page = await readPage();
    const response = await server.graphql(
      CREATE,
      {
        input: {
          ...FOLLOW_UP,
          publisherId: page.publisher.id,
          authorIds: [page.authors[0].id],
          visitIds: [page.visits[0].id],
        },
      },
      editor,
    );
    expect(response.errors).toBeUndefined();
    const article = response.data!.createArticle;
    expect(article).toMatchObject({
      slug: "follow-up-on-the-border-treaty",
      version: 1,
      publisher: { name: "Communication University of China" },
      authors: [{ name: "Parviz Muhammadzoda" }],
      visits: [{ id: page.visits[0].id }],
    });
    expect(article.paragraphs).toEqual([
      {
        index: 0,
        start: 0,
        end: 43,
        text: "Emomali Rahmon and Sadir Japarov met again.",
        duplicateOf: null,
      },
      {
        index: 1,
        start: 45,
        end: 78,
        text: "The border of Kyrgyzstan is calm.",
        duplicateOf: null,
      },
      {
        index: 2,
        start: 81,
        end: 124,
        text: "Emomali Rahmon and Sadir Japarov met again!",
        duplicateOf: 0,
      },
    ]);
    const rahmon = page.visits[0].participants.find((p: any) => p.actor.name === "Emomali Rahmon")
      .actor.id;
    const profile = await server.graphql(operation("ActorProfile"), { id: rahmon, first: 100 });
    const here = profile
      .data!.actor.mentions.edges.map((e: any) => e.node)
      .filter((m: any) => m.article.slug === "follow-up-on-the-border-treaty");
    expect(here.map((m: any) => [m.start, m.quote])).toEqual([
      [0, "Emomali Rahmon"],
      [81, "Emomali Rahmon"],
    ]);
    const list = await server.graphql(operation("ArticleList"), {});
    expect(list.data!.articles.edges.map((e: any) => e.node.slug)).toEqual([
      "follow-up-on-the-border-treaty",
      SLUG,
    ]);
  });

  it.each([
    ["a taken slug", { slug: SLUG }, /input\.slug: ".*" is already the slug of/],
    [
      "a slug with spaces",
      { slug: "Not A Slug" },
      /input\.slug: must be lowercase letters and digits/,
    ],
    ["a blank body", { body: "  \n " }, /input\.body: must not be empty/],
    [
      "a language that is not ISO 639-1",
      { language: "english" },
      /input\.language: must be an ISO 639-1 code/,
    ],
  ])("refuses %s, and changes nothing", async (_, change, message) => {
    const input = articleInput({ slug: "new-article", title: "New", body: "Text.", ...change });
    const response = await changingNothing(server.db, () =>
      server.graphql(CREATE, { input }, editor),
    );
    expect(response.errors).toMatchObject([
      { message: expect.stringMatching(message), extensions: { code: "BAD_USER_INPUT" } },
    ]);
  });

  it("refuses to delete an article that citations quote, and deletes one that none do", async () => {
    const page = await readPage();
    const follow = await server.graphql(CREATE, { input: FOLLOW_UP }, editor);
    expect(follow.errors).toBeUndefined();
    const before = await databaseState(server.db);
    const refused = await server.graphql(
      `mutation($id: ID!) { deleteArticle(id: $id) }`,
      { id: page.id },
      admin,
    );
    expect(refused.errors).toMatchObject([
      {
        extensions: {
          code: "CONFLICT",
          dependents: expect.arrayContaining([expect.objectContaining({ type: "Citation" })]),
        },
      },
    ]);
    expect(await databaseState(server.db)).toEqual(before);

    const other = await readPage("follow-up-on-the-border-treaty");
    const deleted = await server.graphql(
      `mutation($id: ID!) { deleteArticle(id: $id, expectedVersion: 1) }`,
      { id: other.id },
      admin,
    );
    expect(deleted.data).toEqual({ deleteArticle: other.id });
    expect(
      await server.db.prisma.mention.count({ where: { quote: "Emomali Rahmon", start: 81 } }),
    ).toBe(0);
    const history = await server.graphql(operation("admin/History"), { nodeId: other.id });
    expect(history.data!.revisions[0]).toMatchObject({
      action: "DELETE",
      before: { slug: "follow-up-on-the-border-treaty", body: expect.stringContaining("calm") },
    });
  });
});
