/**
 * The response cache never serves a read that a committed mutation made stale: what each
 * commit's rows touch is evicted on every instance before the mutation answers, in one
 * instance (memory), across instances that each keep their own (memory), and across
 * instances sharing Redis.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { readConfig } from "../../src/config.js";
import { createServer, type AccordServer } from "../../src/server.js";
import {
  articleInput,
  editorAndAdmin,
  operation,
  startTestServer,
  type TestServer,
} from "../support/server.js";
import { forSuite } from "../support/suite.js";
import { redisForTests } from "../support/redis.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
/** Facts these tests create cite nothing: they say so. */
const NOTE = "Made by a cache test.";

interface Instance {
  post(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ cache: string | null; body: any }>;
}

function instanceAt(url: string): Instance {
  return {
    async post(query, variables = {}, headers = {}) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { cache: response.headers.get("x-cache"), body: await response.json() };
    },
  };
}

/** Checks a read, a mutation that must make it stale, and what the change must show. */
type Fresh = ((
  headers: Record<string, string>,
  read: { query: string; variables?: Record<string, unknown> },
  mutate: { query: string; variables: Record<string, unknown> },
  changed: (before: any, after: any) => void,
) => Promise<any>) & { reader: Instance };

/**
 * Reads through `reader` twice (the second must be a cache hit), runs a mutation through
 * `writer`, then reads again: the answer must be fresh and show the change.
 */
function freshThrough(reader: Instance, writer: Instance): Fresh {
  const fresh = async (...[headers, read, mutate, changed]: Parameters<Fresh>) => {
    const first = await reader.post(read.query, read.variables);
    const second = await reader.post(read.query, read.variables);
    expect(second).toEqual({ cache: "hit", body: first.body });
    const mutation = await writer.post(mutate.query, mutate.variables, headers);
    expect(mutation.body.errors).toBeUndefined();
    const after = await reader.post(read.query, read.variables);
    expect(after.cache).toBe("miss");
    changed(first.body.data, after.body.data);
    return mutation.body.data;
  };
  return Object.assign(fresh, { reader });
}

/** `field` (deleteOutcome, deleteArticle, ...) of the object `id`. */
const deletion = (field: string, id: string) => ({
  query: `mutation($id: ID!) { ${field}(id: $id) }`,
  variables: { id },
});

/** `field` (updateVisit, updateArticle, ...) of the object `id`, with this input literal. */
const update = (field: string, id: string, input: string) => ({
  query: `mutation($id: ID!) { ${field}(id: $id, input: ${input}) { id } }`,
  variables: { id },
});

/** `field` (createVisit, createOutcome, ...) with this input, answering the new object's id. */
const creation = (field: string, input: Record<string, unknown>) => ({
  query: `mutation($i: ${field[0]!.toUpperCase()}${field.slice(1)}Input!) { ${field}(input: $i) { id } }`,
  variables: { i: input },
});

/** The cases: one per mutation, each with a read it must make stale. */
function cases(server: () => TestServer) {
  const page = async () =>
    (await server().graphql(operation("ArticlePage"), { slug: SLUG })).data!.article;
  const articlePage = { query: operation("ArticlePage"), variables: { slug: SLUG } };
  return {
    async moveVisit(fresh: Fresh, key: Record<string, string>) {
      const visit = (await page()).visits[0];
      const location = `Osh ${randomUUID().slice(0, 8)}`;
      await fresh(
        key,
        {
          query: `query($id: ID!) { agreement(id: $id) { place { name } } }`,
          variables: { id: visit.agreements[0].id },
        },
        update("updateVisit", visit.id, `{ location: "${location}" }`),
        (_, after) => expect(after.agreement.place).toEqual({ name: location }),
      );
    },
    async updateOutcome(fresh: Fresh, key: Record<string, string>) {
      const outcome = (await page()).visits[0].outcomes[4];
      await fresh(
        key,
        { query: operation("OutcomeTracker"), variables: { status: "ACHIEVED" } },
        {
          query: operation("admin/UpdateOutcome"),
          variables: { id: outcome.id, input: { status: "ACHIEVED" } },
        },
        (before, after) => expect(after.outcomes.totalCount).toBe(before.outcomes.totalCount + 1),
      );
      await fresh(
        key,
        articlePage,
        {
          query: operation("admin/UpdateOutcome"),
          variables: { id: outcome.id, input: { statement: `Trade grows (${randomUUID()})` } },
        },
        (_, after) => expect(after.article.visits[0].outcomes[4].statement).toMatch(/^Trade grows/),
      );
    },
    async createAndDeleteOutcome(
      fresh: Fresh,
      key: Record<string, string>,
      admin: Record<string, string>,
    ) {
      const visitId = (await page()).visits[0].id;
      const ordinal = 100 + Math.floor(Math.random() * 1000);
      const created = await fresh(
        key,
        articlePage,
        creation("createOutcome", {
          visitId,
          ordinal,
          statement: "New",
          category: "OTHER",
          status: "PLANNED",
          editorialNote: NOTE,
        }),
        (before, after) =>
          expect(after.article.visits[0].outcomes.length).toBe(
            before.article.visits[0].outcomes.length + 1,
          ),
      );
      await fresh(
        admin,
        articlePage,
        deletion("deleteOutcome", created.createOutcome.id),
        (before, after) =>
          expect(after.article.visits[0].outcomes.length).toBe(
            before.article.visits[0].outcomes.length - 1,
          ),
      );
    },
    async actors(fresh: Fresh, key: Record<string, string>, admin: Record<string, string>) {
      const name = `Envoy ${randomUUID().slice(0, 8)}`;
      const directory = { query: operation("ActorDirectory"), variables: { first: 100 } };
      const created = await fresh(
        key,
        directory,
        { query: operation("admin/CreateActor"), variables: { input: { name, kind: "PERSON" } } },
        (before, after) => expect(after.actors.totalCount).toBe(before.actors.totalCount + 1),
      );
      const id = created.createActor.id;
      const profile = { query: operation("ActorProfile"), variables: { id } };
      await fresh(
        key,
        profile,
        {
          query: operation("admin/UpdateActor"),
          variables: { id, input: { description: "Special envoy" } },
        },
        (_, after) => expect(after.actor.description).toBe("Special envoy"),
      );
      await fresh(
        admin,
        { query: operation("NodeLookup"), variables: { id } },
        { query: operation("admin/DeleteActor"), variables: { id } },
        (before, after) => expect([before.node.name, after.node]).toEqual([name, null]),
      );
    },
    async renameActorSeenOnArticlePage(fresh: Fresh, key: Record<string, string>) {
      const host = (await page()).visits[0].participants.find((p: any) => p.role === "HOST").actor;
      const name = `Sadyr Japarov ${randomUUID().slice(0, 4)}`;
      await fresh(
        key,
        articlePage,
        { query: operation("admin/UpdateActor"), variables: { id: host.id, input: { name } } },
        (_, after) =>
          expect(after.article.visits[0].participants.map((p: any) => p.actor.name)).toContain(
            name,
          ),
      );
    },
    async visits(fresh: Fresh, key: Record<string, string>, admin: Record<string, string>) {
      const list = { query: operation("VisitList"), variables: {} };
      const created = await fresh(
        key,
        list,
        creation("createVisit", {
          title: "Working visit",
          kind: "WORKING_VISIT",
          startDate: "2025-06-01",
          editorialNote: NOTE,
        }),
        (before, after) => expect(after.visits.totalCount).toBe(before.visits.totalCount + 1),
      );
      const id = created.createVisit.id;
      await fresh(key, list, update("updateVisit", id, `{ location: "Khujand" }`), (_, after) =>
        expect(after.visits.edges.map((e: any) => e.node.location)).toContain("Khujand"),
      );
      await fresh(admin, list, deletion("deleteVisit", id), (before, after) =>
        expect(after.visits.totalCount).toBe(before.visits.totalCount - 1),
      );
    },
    async agreements(fresh: Fresh, key: Record<string, string>, admin: Record<string, string>) {
      const { visits } = await page();
      const list = { query: operation("AgreementList"), variables: {} };
      const created = await fresh(
        key,
        articlePage,
        {
          query: operation("admin/CreateAgreement"),
          variables: {
            input: {
              title: "Protocol on water use",
              kind: "PROTOCOL",
              status: "SIGNED",
              visitId: visits[0].id,
              editorialNote: NOTE,
            },
          },
        },
        (before, after) =>
          expect(after.article.visits[0].agreements.length).toBe(
            before.article.visits[0].agreements.length + 1,
          ),
      );
      const id = created.createAgreement.id;
      await fresh(key, list, update("updateAgreement", id, `{ status: RATIFIED }`), (_, after) =>
        expect(after.agreements.edges.find((e: any) => e.node.id === id).node.status).toBe(
          "RATIFIED",
        ),
      );
      await fresh(admin, list, deletion("deleteAgreement", id), (before, after) =>
        expect(after.agreements.totalCount).toBe(before.agreements.totalCount - 1),
      );
    },
    async citations(fresh: Fresh, key: Record<string, string>, admin: Record<string, string>) {
      const article = await page();
      const outcome = article.visits[0].outcomes[0];
      const created = await fresh(
        key,
        articlePage,
        {
          query: operation("admin/CreateCitation"),
          variables: {
            input: {
              articleId: article.id,
              quote: "The issue of the state border was fully resolved",
              factId: outcome.id,
            },
          },
        },
        (before, after) =>
          expect(after.article.visits[0].outcomes[0].citations.length).toBe(
            before.article.visits[0].outcomes[0].citations.length + 1,
          ),
      );
      await fresh(
        admin,
        articlePage,
        deletion("deleteCitation", created.createCitation.id),
        (before, after) =>
          expect(after.article.visits[0].outcomes[0].citations.length).toBe(
            before.article.visits[0].outcomes[0].citations.length - 1,
          ),
      );
    },
    async bodyEditMovesCitations(fresh: Fresh, key: Record<string, string>) {
      const article = await page();
      const outcome = article.visits[0].outcomes[0];
      const citations = {
        query: `query($id: ID!) { outcome(id: $id) { citations { id start end paragraphIndex quote } } }`,
        variables: { id: outcome.id },
      };
      const prefix = `Editor's note ${randomUUID().slice(0, 8)}.\n\n`;
      const body = (
        await server().graphql(`query($slug: String!) { article(slug: $slug) { body } }`, {
          slug: SLUG,
        })
      ).data!.article.body as string;
      await fresh(
        key,
        citations,
        {
          query: `mutation($id: ID!, $body: String!) { updateArticle(id: $id, input: { body: $body }) { id } }`,
          variables: { id: article.id, body: prefix + body },
        },
        (before, after) => {
          // The same passages, each moved by the note and one paragraph down.
          expect(after.outcome.citations).toEqual(
            before.outcome.citations.map((c: any) => ({
              ...c,
              start: c.start + prefix.length,
              end: c.end + prefix.length,
              paragraphIndex: c.paragraphIndex + 1,
            })),
          );
        },
      );
    },
    async articles(fresh: Fresh, key: Record<string, string>, admin: Record<string, string>) {
      const slug = `note-${randomUUID().slice(0, 8)}`;
      const list = { query: operation("ArticleList"), variables: {} };
      const byMissingSlug = { query: operation("ArticlePage"), variables: { slug } };
      const missing = await fresh.reader.post(byMissingSlug.query, byMissingSlug.variables);
      expect(missing.body.data.article).toBeNull();
      const created = await fresh(
        key,
        list,
        creation(
          "createArticle",
          articleInput({ slug, title: "A note", body: "Tajikistan and Kyrgyzstan." }),
        ),
        (before, after) => expect(after.articles.totalCount).toBe(before.articles.totalCount + 1),
      );
      expect(
        (await fresh.reader.post(byMissingSlug.query, byMissingSlug.variables)).body.data.article
          .slug,
      ).toBe(slug);
      const id = created.createArticle.id;
      await fresh(
        key,
        byMissingSlug,
        update("updateArticle", id, `{ title: "A longer note" }`),
        (_, after) => expect(after.article.title).toBe("A longer note"),
      );
      await fresh(admin, list, deletion("deleteArticle", id), (before, after) =>
        expect(after.articles.totalCount).toBe(before.articles.totalCount - 1),
      );
    },
  };
}

describe("Response cache: one instance, in memory", () => {
  const server = forSuite(() => startTestServer({ env: { ACCORD_RESPONSE_CACHE: "memory" } }));
  let key: Record<string, string>;
  let admin: Record<string, string>;
  beforeAll(async () => {
    ({ editor: key, admin } = await editorAndAdmin(server));
  });

  it("answers a repeated read from the cache, byte for byte", async () => {
    const instance = instanceAt(server.url);
    const first = await instance.post(operation("ArticlePage"), { slug: SLUG });
    const statements = server.db.statementCount;
    const second = await instance.post(operation("ArticlePage"), { slug: SLUG });
    expect(first.cache).toBe("miss");
    expect(second).toEqual({ cache: "hit", body: first.body });
    expect(server.db.statementCount).toBe(statements);
  });

  it("never stores mutations or failed reads", async () => {
    const instance = instanceAt(server.url);
    const bad = await instance.post(operation("ActorDirectory"), { first: 1000 });
    expect((await instance.post(operation("ActorDirectory"), { first: 1000 })).cache).toBe("miss");
    expect(bad.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    const create = operation("admin/CreateActor");
    await instance.post(create, { input: { name: "Repeatable", kind: "PERSON" } }, key);
    const again = await instance.post(
      create,
      { input: { name: "Repeatable", kind: "PERSON" } },
      key,
    );
    expect(again.cache).toBe("miss");
    expect(again.body.errors[0].message).toContain("already names");
  });

  const all = cases(() => server);
  it.each(Object.keys(all))("shows a fresh read after %s", async (name) => {
    const instance = instanceAt(server.url);
    await all[name as keyof typeof all](freshThrough(instance, instance), key, admin);
  });
});

/**
 * Two instances over one database for the enclosing describe, configured by `env`: reads go
 * through the first, writes through the second.
 */
function twoInstances(env: Record<string, string>) {
  const pair = {} as {
    server: TestServer;
    second: AccordServer;
    reader: Instance;
    writer: Instance;
    key: Record<string, string>;
    admin: Record<string, string>;
  };
  beforeAll(async () => {
    pair.server = await startTestServer({ env });
    pair.second = await createServer(pair.server.db, readConfig(env));
    pair.reader = instanceAt(pair.server.url);
    pair.writer = instanceAt(await pair.second.listen(0));
    ({ editor: pair.key, admin: pair.admin } = await editorAndAdmin(pair.server));
  });
  afterAll(async () => {
    await pair.second.stop();
    await pair.server.stop();
  });
  const all = cases(() => pair.server);
  it.each(Object.keys(all))(
    "shows a fresh read on one instance after %s on the other",
    async (name) => {
      await all[name as keyof typeof all](
        freshThrough(pair.reader, pair.writer),
        pair.key,
        pair.admin,
      );
    },
  );
  return pair;
}

describe("Response cache: two instances, each with its own memory", () => {
  const pair = twoInstances({ ACCORD_RESPONSE_CACHE: "memory" });

  it("keeps entries apart: each instance computes its own first answer", async () => {
    const query = operation("OutcomeTracker");
    expect((await pair.reader.post(query, { first: 3 })).cache).toBe("miss");
    expect((await pair.writer.post(query, { first: 3 })).cache).toBe("miss");
    expect((await pair.writer.post(query, { first: 3 })).cache).toBe("hit");
  });
});

/** Redis is on every CI machine; elsewhere these tests need one at 127.0.0.1:6379. */
const redisUp = await redisForTests();

(redisUp ? describe : describe.skip)("Response cache: two instances sharing Redis", () => {
  const pair = twoInstances({
    REDIS_URL: "redis://127.0.0.1:6379",
    ACCORD_CACHE_PREFIX: `accord-test:${randomUUID()}:`,
  });

  it("shares entries: one instance stores, the other answers from Redis", async () => {
    const query = operation("OutcomeTracker");
    expect((await pair.reader.post(query, { first: 3 })).cache).toBe("miss");
    expect((await pair.writer.post(query, { first: 3 })).cache).toBe("hit");
  });
});
