/**
 * The run-time bounds, one by one, with their exact errors: the response size, the response
 * cache's bytes, the length of strings, lists and operation names in a request, and the length
 * of error messages. The hostile suite (hostile-runtime.test.ts) tries the same bounds under
 * attack on a production process.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { Redis } from "ioredis";
import { randomBytes } from "node:crypto";
import { memoryStore, redisStore } from "../../src/cache/store.js";
import { MAX_ERROR_MESSAGE_LENGTH, truncate, withoutSuggestion } from "../../src/errors.js";
import { captureLogs } from "../support/logs.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { redisForTests } from "../support/redis.js";
import { forSuite } from "../support/suite.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";

async function post(server: TestServer, body: unknown) {
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    cache: response.headers.get("x-cache"),
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** A memory store of at most `maxEntries` entries and `maxBytes` bytes, entries living 60 s. */
const memoryStoreOf = (maxEntries: number, maxBytes: number, maxEntryBytes: number) =>
  memoryStore({ maxEntries, maxBytes, maxEntryBytes, ttlSeconds: 60 });

/** The one error of a response over its byte (or field) limit. */
const tooLarge = (limit: number, what: "bytes" | "fields" = "bytes") => ({
  data: null,
  errors: [
    {
      message: `The response would exceed ${limit} ${what}: ask for fewer fields, smaller pages (first or last) or fewer aliases`,
      extensions: { code: "RESPONSE_TOO_LARGE", limit },
    },
  ],
});

describe("Response size: ACCORD_MAX_RESPONSE_BYTES", () => {
  // The article page is about 22 kB; its body alone about 11 kB.
  const LIMIT = 30_000;
  const server = forSuite(() =>
    startTestServer({
      env: { ACCORD_MAX_RESPONSE_BYTES: String(LIMIT), ACCORD_RESPONSE_CACHE: "off" },
    }),
  );

  it("serves a response under the limit whole", async () => {
    const response = await server.graphql(operation("ArticlePage"), { slug: SLUG });

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(JSON.stringify(response.data).length).toBeLessThan(LIMIT);
    expect(response.data).toMatchObject({ article: { slug: SLUG } });
  });

  it("refuses a response over the limit with one RESPONSE_TOO_LARGE error, HTTP 400 and no data", async () => {
    const response = await post(server, {
      query: `query($slug: String!) { article(slug: $slug) { a: body b: body c: body } }`,
      variables: { slug: SLUG },
    });

    expect(response).toEqual({ status: 400, cache: null, body: tooLarge(LIMIT) });
  });

  it("refuses it before building the rest: fields after the overrun are not resolved", async () => {
    const statements = server.db.statementCount;
    const response = await post(server, {
      query: `query($slug: String!) { article(slug: $slug) { a: body b: body c: body visits { title outcomes { statement } } } }`,
      variables: { slug: SLUG },
    });

    expect(response.body).toEqual(tooLarge(LIMIT));
    // The article's own statement, and none for its visits or their outcomes.
    expect(server.db.statementCount - statements).toBeLessThanOrEqual(1);
  });

  it("answers a committed mutation whole, however large: the change stands, so the client must hear it", async () => {
    const editor = await server.keyFor("EDITOR");
    const body = "The ministers met again in Dushanbe. ".repeat(1000);
    const response = await server.graphql<{ createArticle: { slug: string; body: string } }>(
      `mutation($input: CreateArticleInput!) { createArticle(input: $input) { slug a: body b: body } }`,
      {
        input: {
          slug: "a-long-follow-up",
          title: "A long follow-up",
          language: "en",
          publishedOn: "2025-04-01",
          body,
        },
      },
      editor,
    );

    expect(response.status).toBe(200);
    expect(response.errors).toBeUndefined();
    expect(response.data?.createArticle).toEqual({ slug: "a-long-follow-up", a: body, b: body });
  });
});

describe("Response fields: ACCORD_MAX_RESPONSE_FIELDS", () => {
  const server = forSuite(() =>
    startTestServer({
      env: { ACCORD_MAX_RESPONSE_FIELDS: "100", ACCORD_RESPONSE_CACHE: "off" },
    }),
  );

  it("refuses a nested connection whose full pages could not fit, before reading them", async () => {
    const query = `{ actors(first: 5) { edges { node { mentions(first: 50) { edges { node { id } } } } } } }`;
    const statements = server.db.statementCount;

    const response = await post(server, { query });

    expect(response).toEqual({
      status: 400,
      cache: null,
      body: tooLarge(100, "fields"),
    });
    // The actors' page, and not their mentions.
    expect(server.db.statementCount - statements).toBe(1);
  });

  it("counts numbers, enum values, dates and ids as fields too, though its objects pay for them", async () => {
    const page = `outcomes(first: 9) { edges { node { id ordinal status category version } } }`;
    const fits = await post(server, { query: `{ a: ${page} }` });
    const over = await post(server, { query: `{ a: ${page} b: ${page} c: ${page} }` });

    expect(fits.status).toBe(200);
    expect((fits.body as { data: { a: { edges: unknown[] } } }).data.a.edges).toHaveLength(9);
    expect(over).toEqual({
      status: 400,
      cache: null,
      body: tooLarge(100, "fields"),
    });
  });

  it("serves the same connection when its pages fit", async () => {
    const response = await post(server, {
      query: `{ actors(first: 5) { edges { node { mentions(first: 2) { edges { node { id } } } } } } }`,
    });

    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });
});

describe("Response size in federation mode", () => {
  const LIMIT = 30_000;
  const server = forSuite(() =>
    startTestServer({
      env: {
        ACCORD_FEDERATION: "true",
        ACCORD_MAX_RESPONSE_BYTES: String(LIMIT),
        ACCORD_RESPONSE_CACHE: "off",
      },
    }),
  );

  it("refuses an _entities response over the limit with RESPONSE_TOO_LARGE", async () => {
    const article = await server.graphql(`{ article(slug: "${SLUG}") { id } }`);
    const id = (article.data as { article: { id: string } }).article.id;
    const representations = Array.from({ length: 3 }, () => ({ __typename: "Article", id }));

    const response = await post(server, {
      query: `query($r: [_Any!]!) { _entities(representations: $r) { ... on Article { body } } }`,
      variables: { r: representations },
    });

    expect(response).toEqual({ status: 400, cache: null, body: tooLarge(LIMIT) });
  });
});

describe("Response cache: ACCORD_CACHE_MAX_ENTRY_BYTES", () => {
  const server = forSuite(() =>
    startTestServer({
      env: { ACCORD_RESPONSE_CACHE: "memory", ACCORD_CACHE_MAX_ENTRY_BYTES: "10000" },
    }),
  );

  it("serves a response bigger than an entry may be, every time, but never stores it", async () => {
    const request = { query: operation("ArticlePage"), variables: { slug: SLUG } };
    const first = await post(server, request);
    const second = await post(server, request);

    expect([first.status, first.cache, second.status, second.cache]).toEqual([
      200,
      "miss",
      200,
      "miss",
    ]);
    expect(second.body).toEqual(first.body);
  });

  it("still stores a response that fits", async () => {
    const request = { query: `{ article(slug: "${SLUG}") { title } }` };
    const first = await post(server, request);
    const second = await post(server, request);

    expect([first.cache, second.cache]).toEqual(["miss", "hit"]);
    expect(second.body).toEqual(first.body);
  });
});

describe("Memory response cache: bounded in bytes", () => {
  const value = (n: number) => "x".repeat(n);

  it("keeps its entries under ACCORD_CACHE_MAX_BYTES, evicting the least recently used", async () => {
    const store = memoryStoreOf(1000, 10_000, 5_000);
    for (let i = 0; i < 10; i++) await store.set(`k${i}`, value(2_000), [`t${i}`], 0);

    const kept = [];
    for (let i = 0; i < 10; i++) if ((await store.get(`k${i}`)) !== null) kept.push(i);
    expect(kept).toEqual([6, 7, 8, 9]);
    expect(store.stats()).toEqual({ entries: 4, bytes: 4 * (2_000 + 2 + 100 + 100), tags: 4 });
  });

  it("stores nothing bigger than ACCORD_CACHE_MAX_ENTRY_BYTES (in UTF-8 bytes)", async () => {
    const store = memoryStoreOf(1000, 100_000, 5_000);

    expect(await store.set("ascii", value(5_001), ["t"], 0)).toBe(false);
    // 2,000 characters, 6,000 bytes.
    expect(await store.set("wide", "€".repeat(2_000), ["t"], 0)).toBe(false);
    expect(await store.set("fits", value(5_000), ["t"], 0)).toBe(true);
    expect([await store.get("ascii"), await store.get("wide")]).toEqual([null, null]);
    expect(store.stats()).toMatchObject({ entries: 1, tags: 1 });
  });

  it("keeps no tag in its index once the entries that carried it are gone", async () => {
    const store = memoryStoreOf(3, 1_000_000, 10_000);
    for (let i = 0; i < 100; i++) await store.set(`k${i}`, "v", [`only-${i}`, "shared"], 0);
    expect(store.stats()).toEqual({ entries: 3, bytes: 3 * (1 + 3 + 200 + 100), tags: 4 });

    await store.invalidate(["shared"]);
    expect(store.stats()).toEqual({ entries: 0, bytes: 0, tags: 0 });
  });
});

const redisUp = await redisForTests();

(redisUp ? describe : describe.skip)("Redis response cache: bounded entries and tag sets", () => {
  const prefix = `accord-test-${randomBytes(4).toString("hex")}:`;
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis("redis://127.0.0.1:6379");
  });
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  /** Runs `use` on a ready Redis store of 1,000-byte entries that live `ttlSeconds`. */
  async function withStore(
    ttlSeconds: number,
    use: (store: ReturnType<typeof redisStore>) => Promise<void>,
  ) {
    const store = redisStore("redis://127.0.0.1:6379", prefix, {
      ttlSeconds,
      maxEntryBytes: 1_000,
    });
    await store.ready();
    try {
      await use(store);
    } finally {
      await store.close();
    }
  }

  it("stores no entry bigger than ACCORD_CACHE_MAX_ENTRY_BYTES", () =>
    withStore(60, async (store) => {
      expect(await store.set("big", "x".repeat(1_001), ["t"], 0)).toBe(false);
      expect(await store.set("small", "x".repeat(1_000), ["t"], 0)).toBe(true);
      expect([await store.get("big"), await store.get("small")]).toEqual([null, "x".repeat(1_000)]);
    }));

  it("drops expired entries from a tag's set when the tag is used again", () =>
    withStore(1, async (store) => {
      await store.set("old", "v", ["busy"], 0);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      await store.set("new", "v", ["busy"], 0);

      expect(await redis.zrange(`${prefix}0:tags:busy`, "0", "-1")).toEqual([
        `${prefix}0:response:new`,
      ]);
    }));
});

describe("Request input: strings, lists, operation names", () => {
  const logs = captureLogs();
  const server = forSuite(() =>
    startTestServer({
      env: {
        NODE_ENV: "production",
        ACCORD_MAX_STRING_LENGTH: "100",
        ACCORD_MAX_LIST_LENGTH: "3",
      },
      logger: logs.logger,
    }),
  );

  const refused = (argumentName: string, message: string, limit?: number) => ({
    status: 400,
    data: undefined,
    errors: [
      {
        message: `${argumentName}: ${message}`,
        extensions: {
          code: "BAD_USER_INPUT",
          argumentName,
          ...(limit === undefined ? {} : { limit }),
        },
      },
    ],
  });
  const bySlug = `query($slug: String!) { article(slug: $slug) { id } }`;
  const createActor = `mutation($input: CreateActorInput!) { createActor(input: $input) { id } }`;

  it("refuses a string variable over ACCORD_MAX_STRING_LENGTH, naming it and the limit", async () => {
    expect(await server.graphql(bySlug, { slug: "a".repeat(101) })).toEqual(
      refused("$slug", "strings may be at most 100 characters long; this one has 101", 100),
    );
    expect((await server.graphql(bySlug, { slug: "a".repeat(100) })).status).toBe(200);
  });

  it("refuses a string literal over it, naming the field and argument", async () => {
    expect(await server.graphql(`{ article(slug: "${"a".repeat(101)}") { id } }`)).toEqual(
      refused("article(slug)", "strings may be at most 100 characters long; this one has 101", 100),
    );
  });

  it("refuses a variable's default value over it", async () => {
    expect(
      await server.graphql(
        `query($slug: String = "${"a".repeat(101)}") { article(slug: $slug) { id } }`,
      ),
    ).toEqual(
      refused("$slug", "strings may be at most 100 characters long; this one has 101", 100),
    );
  });

  it("refuses a list variable over ACCORD_MAX_LIST_LENGTH, even before the key is checked", async () => {
    const input = { name: "A", kind: "STATE", aliases: ["a", "b", "c", "d"] };
    expect(await server.graphql(createActor, { input })).toEqual(
      refused("$input.aliases", "lists may hold at most 3 items; this one has 4", 3),
    );
  });

  it("refuses a list literal over it", async () => {
    expect(
      await server.graphql(
        `mutation { createActor(input: { name: "A", kind: STATE, aliases: ["a", "b", "c", "d"] }) { id } }`,
      ),
    ).toEqual(
      refused("createActor(input.aliases)", "lists may hold at most 3 items; this one has 4", 3),
    );
  });

  it("refuses a string with a lone surrogate, naming where it is", async () => {
    const input = { name: "A", kind: "STATE", aliases: ["a", "\ud83d"] };
    expect(await server.graphql(createActor, { input })).toEqual(
      refused(
        "$input.aliases[1]",
        "strings must be well-formed UTF-16; this one has a lone surrogate (half a character)",
      ),
    );
    // A whole surrogate pair is one character, and fine.
    expect((await server.graphql(bySlug, { slug: "\ud83d\ude00" })).status).toBe(200);
  });

  it("still refuses U+0000", async () => {
    expect(await server.graphql(bySlug, { slug: "a\u0000" })).toEqual(
      refused("$slug", "strings may not contain the character U+0000"),
    );
  });

  it("refuses an operationName over 256 characters with BAD_REQUEST, and logs it cut short", async () => {
    const name = `Q${"a".repeat(999)}`;
    const response = await post(server, {
      query: `query ${name} { __typename }`,
      operationName: name,
    });

    expect(response).toEqual({
      status: 400,
      cache: "miss",
      body: {
        errors: [
          {
            message: "operationName may be at most 256 characters long; this one has 1000",
            extensions: { code: "BAD_REQUEST", limit: 256 },
          },
        ],
      },
    });
    const line = logs.lines().find((l) => String(l.operationName).startsWith("Qaaa"));
    expect(line).toMatchObject({ status: 400, errorCodes: ["BAD_REQUEST"] });
    expect(String(line!.operationName)).toHaveLength(257);
    expect(String(line!.operationName).endsWith("…")).toBe(true);

    const fits = "Q".repeat(256);
    const answer = await post(server, {
      query: `query ${fits} { __typename }`,
      operationName: fits,
    });
    expect(answer).toMatchObject({ status: 200, body: { data: { __typename: "Query" } } });
  });
});

describe("Error messages: bounded and linear", () => {
  const server = forSuite(() => startTestServer({ env: { NODE_ENV: "production" } }));

  it("cuts an argumentName built from a variable's long keys as it cuts messages", async () => {
    const key = "k".repeat(100_000);
    const response = await server.graphql(
      `query($f: ActorFilter) { actors(filter: $f) { totalCount } }`,
      { f: { [key]: "a\u0000" } },
    );

    expect(response.status).toBe(400);
    const [error] = response.errors!;
    expect(error!.message).toBe(`$f.${key}`.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1) + "…");
    expect(error!.extensions).toEqual({
      code: "BAD_USER_INPUT",
      argumentName: `$f.${key}`.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1) + "…",
    });
  });

  it(`cuts a message quoting a long input to ${MAX_ERROR_MESSAGE_LENGTH} characters, ending in an ellipsis`, async () => {
    const response = await server.graphql(operation("ActorDirectory"), {
      first: "9".repeat(10_000),
    });

    expect(response.status).toBe(400);
    expect(response.errors).toHaveLength(1);
    const message = response.errors![0]!.message;
    expect(message).toHaveLength(MAX_ERROR_MESSAGE_LENGTH);
    expect(message).toBe(
      `${`Variable "$first" got invalid value "${"9".repeat(10_000)}`.slice(0, MAX_ERROR_MESSAGE_LENGTH - 1)}…`,
    );
  });

  it("never cuts a surrogate pair in half", () => {
    expect(truncate(`${"a".repeat(8)}\ud83d\ude00bc`, 10)).toBe(`${"a".repeat(8)}…`);
    expect(truncate("short", 10)).toBe("short");
  });

  it('removes the "Did you mean" hint of the last line as the regular expression did', () => {
    expect(
      withoutSuggestion('Cannot query field "titel" on type "Article". Did you mean "title"?'),
    ).toBe('Cannot query field "titel" on type "Article".');
    expect(withoutSuggestion("Did you mean x?")).toBe("");
    expect(withoutSuggestion("line one Did you mean a?\nline two")).toBe(
      "line one Did you mean a?\nline two",
    );
    expect(withoutSuggestion("Did you mean x? no question")).toBe("Did you mean x? no question");
  });

  it('takes linear time over "Did you mean " repeated: 2 MB in well under a second', () => {
    const flood = `${"Did you mean ".repeat(160_000)}x`;
    const started = performance.now();
    withoutSuggestion(flood);
    withoutSuggestion(`${flood}?`);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("does not suggest field names in production", async () => {
    const query = `{ article(slug: "${SLUG}") { titel } }`;
    const response = await server.graphql(query);

    expect(response.errors).toEqual([
      {
        message: 'Cannot query field "titel" on type "Article".',
        locations: [{ line: 1, column: query.indexOf("titel") + 1 }],
        extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
      },
    ]);
  });
});
