/**
 * Subscriptions over graphql-ws: live reads of an object, an article's page and a list's first
 * page, fed by the commit-time change feed, so that an edit through one instance reaches the
 * subscribers of another. Each test opens its own clients and closes them.
 */
import { afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { ApolloClient, InMemoryCache, gql } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import type { FormattedExecutionResult as ExecutionResult } from "graphql";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { createApiKey } from "../../src/auth.js";
import { toGlobalId } from "../../src/ids.js";
import { SEEDED_VISIT } from "../support/seeded.js";
import { ownedStack } from "../support/stack.js";
import { startTcpProxy } from "../support/tcp-proxy.js";

const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const TITLE = "Resolution of border issues between Tajikistan and Kyrgyzstan";

const opened: Client[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map(async (client) => client.dispose()));
});

function client(url: string): Client {
  const ws = createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
  });
  opened.push(ws);
  return ws;
}

/** A subscription's answers as they come, and its end (with the errors it ended on, if any). */
function subscribe(ws: Client, query: string, variables: Record<string, unknown> = {}) {
  const answers: ExecutionResult[] = [];
  const waiters: (() => void)[] = [];
  let ended: { errors?: unknown } | undefined;
  const wake = () => waiters.splice(0).forEach((resolve) => resolve());
  ws.subscribe<Record<string, unknown>, Record<string, unknown>>(
    { query, variables },
    {
      next: (answer) => {
        answers.push(answer);
        wake();
      },
      error: (errors) => {
        ended = { errors };
        wake();
      },
      complete: () => {
        ended ??= {};
        wake();
      },
    },
  );
  return {
    answers,
    get ended() {
      return ended;
    },
    /** Resolves once `count` answers have come (or the subscription ended). */
    async nth(count: number): Promise<ExecutionResult> {
      while (answers.length < count && !ended) await new Promise<void>((r) => waiters.push(r));
      if (answers.length < count)
        throw new Error(`ended after ${answers.length}: ${JSON.stringify(ended)}`);
      return answers[count - 1]!;
    },
    /** Resolves to the first answer that `accept`s, waiting for it. */
    async until(accept: (answer: ExecutionResult) => boolean): Promise<ExecutionResult> {
      for (let seen = 0; ; seen++) {
        const answer = await this.nth(seen + 1);
        if (accept(answer)) return answer;
      }
    },
    async end(): Promise<{ errors?: unknown }> {
      while (!ended) await new Promise<void>((r) => waiters.push(r));
      return ended;
    },
  };
}

async function post(url: string, query: string, variables: object, headers: object = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
}

const VISITS = [
  { kind: SEEDED_VISIT.kind, documentsSignedCount: SEEDED_VISIT.documentsSignedCount },
];

const ARTICLE_PAGE = `subscription Page($slug: String!) {
  article(slug: $slug) { title visits { kind documentsSignedCount } }
}`;

onPostgres("Subscriptions over graphql-ws", () => {
  const stack = ownedStack();
  let writer: string;
  let reader: string;
  let editor: Record<string, string>;
  let admin: Record<string, string>;

  beforeAll(async () => {
    const { url, direct } = await stack.database();
    const { key } = await createApiKey(direct, { name: "live-editor", role: "EDITOR" });
    editor = { authorization: `Bearer ${key}` };
    const adminKey = await createApiKey(direct, { name: "live-admin", role: "ADMIN" });
    admin = { authorization: `Bearer ${adminKey.key}` };
    writer = (await stack.serve(stack.pool(url), { NODE_ENV: "production" })).url;
    reader = (
      await stack.serve(stack.pool(url), { ACCORD_RESPONSE_CACHE: "off", NODE_ENV: "production" })
    ).url;
  }, 60_000);

  const retitle = async (title: string) => {
    const result = await post(
      writer,
      `mutation($id: ID!, $title: String!) { updateArticle(id: $id, input: { title: $title }) { title } }`,
      { id: toGlobalId("Article", 1), title },
      editor,
    );
    expect(result).toEqual({ data: { updateArticle: { title } } });
  };

  it("sends an article's page at once, then again after an edit through another instance", async () => {
    const page = subscribe(client(reader), ARTICLE_PAGE, { slug: SLUG });
    expect(await page.nth(1)).toEqual({
      data: { article: { title: TITLE, visits: VISITS } },
    });
    await retitle("A retitled article");
    expect(await page.nth(2)).toEqual({
      data: {
        article: { title: "A retitled article", visits: VISITS },
      },
    });
    await retitle(TITLE);
    expect((await page.nth(3)).data).toEqual({
      article: { title: TITLE, visits: VISITS },
    });
  });

  it("follows an object by its global id until it is deleted, then sends null", async () => {
    const created = await post(
      writer,
      `mutation { createActor(input: { name: "Live Test Actor", kind: PERSON, editorialNote: "A test actor." }) { id } }`,
      {},
      editor,
    );
    const id = created.data.createActor.id as string;
    const node = subscribe(
      client(reader),
      `subscription($id: ID!) { node(id: $id) { id ... on Actor { name } } }`,
      { id },
    );
    // Nothing of the object's own is shown, yet it is followed to its deletion.
    const typename = subscribe(
      client(reader),
      `subscription($id: ID!) { node(id: $id) { __typename } }`,
      { id },
    );
    expect(await node.nth(1)).toEqual({ data: { node: { id, name: "Live Test Actor" } } });
    expect(await typename.nth(1)).toEqual({ data: { node: { __typename: "Actor" } } });
    expect(
      await post(
        writer,
        `mutation($id: ID!) { updateActor(id: $id, input: { name: "Live Test Actor Renamed" }) { id } }`,
        { id },
        editor,
      ),
    ).toEqual({ data: { updateActor: { id } } });
    expect(await node.nth(2)).toEqual({ data: { node: { id, name: "Live Test Actor Renamed" } } });
    expect(
      await post(writer, `mutation($id: ID!) { deleteActor(id: $id) }`, { id }, admin),
    ).toEqual({
      data: { deleteActor: id },
    });
    expect(await node.nth(3)).toEqual({ data: { node: null } });
    expect(await typename.until((answer) => answer.data?.node === null)).toEqual({
      data: { node: null },
    });
  });

  it("sends a list's first page again when a new row enters it", async () => {
    const list = subscribe(
      client(reader),
      `subscription { actors(first: 1, orderBy: { field: NAME, direction: ASC }) { edges { node { name } } } }`,
    );
    const before = await list.nth(1);
    expect(before.data).toEqual({ actors: { edges: [{ node: { name: expect.any(String) } }] } });
    const created = await post(
      writer,
      `mutation { createActor(input: { name: "Aaaa First Of All", kind: ORGANIZATION, editorialNote: "A test actor." }) { id } }`,
      {},
      editor,
    );
    expect(await list.nth(2)).toEqual({
      data: { actors: { edges: [{ node: { name: "Aaaa First Of All" } }] } },
    });
    await post(
      writer,
      `mutation($id: ID!) { deleteActor(id: $id) }`,
      { id: created.data.createActor.id },
      admin,
    );
    expect(await list.nth(3)).toEqual(before);
  });

  it("reaches a subscriber of Apollo Client's GraphQLWsLink", async () => {
    const apollo = new ApolloClient({
      link: new GraphQLWsLink(client(reader)),
      cache: new InMemoryCache(),
    });
    const titles: string[] = [];
    let seen: () => void = () => undefined;
    const subscription = apollo
      .subscribe<{ article: { title: string } }>({
        query: gql`
          subscription Title($slug: String!) {
            article(slug: $slug) {
              title
            }
          }
        `,
        variables: { slug: SLUG },
      })
      .subscribe(({ data }) => {
        titles.push(data!.article.title);
        seen();
      });
    const saw = (count: number) =>
      new Promise<void>((resolve) => {
        seen = () => titles.length >= count && resolve();
        seen();
      });
    await saw(1);
    await retitle("Retitled for Apollo Client");
    await saw(2);
    subscription.unsubscribe();
    await retitle(TITLE);
    expect(titles).toEqual([TITLE, "Retitled for Apollo Client"]);
  });

  it("refuses a query or a mutation over WebSocket, and a subscription that does not validate", async () => {
    const ws = client(reader);
    expect(await subscribe(ws, `{ __typename }`).end()).toEqual({
      errors: [
        {
          message: "Only subscriptions go over WebSocket; send a query over HTTP",
          extensions: { code: "BAD_REQUEST" },
        },
      ],
    });
    expect(
      await subscribe(ws, `subscription { articles(first: 1, sort: "x") { totalCount } }`).end(),
    ).toEqual({
      errors: [
        {
          message: 'Unknown argument "sort" on field "Subscription.articles".',
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        },
      ],
    });
    expect(await subscribe(ws, `subscription {`).end()).toEqual({
      errors: [
        {
          message: "Syntax Error: Expected Name, found <EOF>.",
          extensions: { code: "GRAPHQL_PARSE_FAILED" },
        },
      ],
    });
  });

  it("refuses @include on a variable at the root for that subscription only, keeping the connection", async () => {
    const ws = client(reader);
    const page = subscribe(ws, `subscription { article(slug: "${SLUG}") { title } }`);
    await page.nth(1);
    expect(
      await subscribe(
        ws,
        `subscription($b: Boolean!) { articles(first: 1) @include(if: $b) { totalCount } }`,
        { b: true },
      ).end(),
    ).toEqual({
      errors: [
        {
          message:
            'Argument "if" of required type "Boolean!" was provided the variable "$b" which was not provided a runtime value.',
          extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
        },
      ],
    });
    await retitle("Retitled past a refusal");
    expect((await page.nth(2)).data).toEqual({ article: { title: "Retitled past a refusal" } });
    await retitle(TITLE);
  });

  it("runs the operation a document of several names by operationName", async () => {
    const ws = createClient({
      url: reader.replace(/^http/, "ws"),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    opened.push(ws);
    const answer = await new Promise((resolve, reject) => {
      ws.subscribe(
        {
          query: `subscription A { node(id: "x") { id } } subscription B { article(slug: "${SLUG}") { title } }`,
          operationName: "B",
        },
        { next: resolve, error: reject, complete: () => undefined },
      );
    });
    expect(answer).toEqual({ data: { article: { title: TITLE } } });
  });

  it("refuses a subscription whose document and variables pass 64,000 bytes", async () => {
    expect(
      await subscribe(client(reader), `subscription($s: String!) { article(slug: $s) { title } }`, {
        s: "x".repeat(40_000),
      }).end(),
    ).toEqual({
      errors: [
        {
          message: "A subscription's document and variables take at most 64000 bytes",
          extensions: { code: "PAYLOAD_TOO_LARGE", limit: 64000 },
        },
      ],
    });
  });

  it("refuses a subscription sent over HTTP rather than answer it with nulls", async () => {
    const response = await fetch(reader, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: `subscription { article(slug: "${SLUG}") { title } }` }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message:
            "Subscriptions go over WebSocket (graphql-transport-ws) at /graphql; send queries and mutations over HTTP",
          extensions: { code: "BAD_REQUEST" },
        },
      ],
    });
  });

  it("gives a subscription's bad argument the error its query gives, and keeps it open", async () => {
    const page = subscribe(client(reader), `subscription { articles(first: 101) { totalCount } }`);
    expect(await page.nth(1)).toEqual({
      data: null,
      errors: [
        {
          message: "first: must be between 0 and 100, got 101",
          path: ["articles"],
          locations: [{ line: 2, column: 3 }],
          extensions: { code: "BAD_USER_INPUT", argumentName: "first", min: 0, max: 100 },
        },
      ],
    });
  });
});

/** Accord on a database of its own for the enclosing block, configured by `env`. */
function servedWith(env: Record<string, string>): { readonly url: string } {
  const stack = ownedStack();
  let url: string | undefined;
  beforeAll(async () => {
    const database = await stack.database();
    url = (await stack.serve(stack.pool(database.url), env)).url;
  }, 60_000);
  return {
    get url() {
      if (url === undefined) throw new Error("read the URL before the block started");
      return url;
    },
  };
}

onPostgres("Subscriptions: bounds", () => {
  const served = servedWith({
    ACCORD_WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: "2",
    ACCORD_MAX_SUBSCRIPTIONS: "3",
    ACCORD_MAX_COST: "50",
    NODE_ENV: "production",
  });

  const title = `subscription { article(slug: "${SLUG}") { title } }`;

  it("refuses a subscription over the cost limit as its query is refused", async () => {
    const ws = client(served.url);
    const ended = await subscribe(
      ws,
      `subscription { actors(first: 100) { edges { node { aliases } } } }`,
    ).end();
    const query = await post(
      served.url,
      `{ actors(first: 100) { edges { node { aliases } } } }`,
      {},
    );
    expect(ended).toEqual({ errors: query.errors });
    expect(query.errors?.[0]?.extensions?.code).toBe("MAX_COST_EXCEEDED");
  });

  it("refuses a subscription over its connection's limit, and one over the instance's", async () => {
    const first = client(served.url);
    const a = subscribe(first, title);
    const b = subscribe(first, title);
    await a.nth(1);
    await b.nth(1);
    expect(await subscribe(first, title).end()).toEqual({
      errors: [
        {
          message: "A connection holds at most 2 subscriptions",
          extensions: { code: "TOO_MANY_SUBSCRIPTIONS", limit: 2 },
        },
      ],
    });
    const second = client(served.url);
    await subscribe(second, title).nth(1);
    expect(await subscribe(second, title).end()).toEqual({
      errors: [
        {
          message: "This instance serves at most 3 subscriptions; try again later",
          extensions: { code: "SERVER_BUSY", limit: 3 },
        },
      ],
    });
  });
});

onPostgres("Subscriptions: connections", () => {
  const served = servedWith({ ACCORD_WS_MAX_CONNECTIONS: "2" });
  const title = `subscription { article(slug: "${SLUG}") { title } }`;

  it("refuses a WebSocket connection over the instance's limit with 503", async () => {
    await Promise.all(
      [client(served.url), client(served.url)].map((ws) => subscribe(ws, title).nth(1)),
    );
    const refused = await new Promise<{ status: number; body: string }>((resolve) => {
      const socket = new WebSocket(served.url.replace(/^http/, "ws"), "graphql-transport-ws");
      socket.on("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      });
    });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({
      errors: [
        {
          message: "This instance holds at most 2 WebSocket connections; try again later",
          extensions: { code: "SERVER_BUSY" },
        },
      ],
    });
  });
});

onPostgres("Subscriptions: the memory they hold", () => {
  const served = servedWith({
    ACCORD_LIVE_MAX_BYTES: "100000",
    NODE_ENV: "production",
  });

  it("refuses a new subscription once the answers held would pass ACCORD_LIVE_MAX_BYTES", async () => {
    const ws = client(served.url);
    // Each asks for the seed's body (about 11,000 characters) under an alias of its own, so
    // each is a group of its own holding its answer; the bound holds four or so.
    const held: string[] = [];
    let refused: unknown;
    for (let n = 1; n <= 10 && refused === undefined; n++) {
      const body = subscribe(ws, `subscription { article(slug: "${SLUG}") { b${n}: body } }`);
      const answer = await body.nth(1).catch(() => undefined);
      if (answer) held.push(String((answer.data as any).article[`b${n}`]));
      else refused = (await body.end()).errors;
    }
    expect(held.length).toBeGreaterThan(0);
    expect(held.reduce((sum, text) => sum + 2 * text.length, 0)).toBeLessThanOrEqual(100_000);
    expect(refused).toEqual([
      {
        message:
          "This instance's subscriptions hold at most 100000 bytes of requests and answers; try again later",
        extensions: { code: "SERVER_BUSY", limit: 100000 },
      },
    ]);
  });
});

onPostgres("Subscriptions when the database connection breaks", () => {
  const stack = ownedStack();
  /** What the article's subscriber is told while the instance cannot read. */
  const UNAVAILABLE = {
    data: { article: null },
    errors: [
      {
        message: "The database is unavailable; try again shortly",
        path: ["article"],
        locations: [{ line: 2, column: 3 }],
        extensions: { code: "DATABASE_UNAVAILABLE" },
      },
    ],
  };

  it("reads every subscription again once it listens again, so a change made meanwhile arrives", async () => {
    const { url, direct } = await stack.database();
    const proxy = await startTcpProxy();
    try {
      const { url: served } = await stack.serve(stack.pool(proxy.urlFor(url)), {
        ACCORD_RESPONSE_CACHE: "off",
        NODE_ENV: "production",
      });
      const page = subscribe(client(served), `subscription { article(slug: "${SLUG}") { title } }`);
      expect(await page.nth(1)).toEqual({ data: { article: { title: TITLE } } });
      proxy.cut();
      // The instance cannot read: its subscriber is told so, not left with the old answer.
      expect(await page.until((answer) => answer.errors !== undefined)).toEqual(UNAVAILABLE);
      // Written while the instance hears nothing.
      await direct.prisma.article.update({
        where: { slug: SLUG },
        data: { title: "Changed unheard" },
      });
      proxy.restore();
      // Between the two, only the truth of the moment: the database was unavailable.
      const last = await page.until(
        (answer) => answer.errors === undefined && answer !== page.answers[0],
      );
      expect(last).toEqual({ data: { article: { title: "Changed unheard" } } });
      for (const answer of page.answers.slice(1, -1)) expect(answer).toEqual(UNAVAILABLE);
    } finally {
      await Promise.all(opened.splice(0).map(async (ws) => ws.dispose()));
      await proxy.close();
    }
  });
});

onPostgres("Subscriptions on a server that takes trusted documents only", () => {
  const stack = ownedStack();
  let url: string;
  beforeAll(async () => {
    const database = await stack.database();
    const manifest = new URL(
      "../../src/generated/operations/persisted-documents.json",
      import.meta.url,
    );
    url = (
      await stack.serve(stack.pool(database.url), {
        ACCORD_TRUSTED_DOCUMENTS: manifest.pathname,
        NODE_ENV: "production",
      })
    ).url;
  }, 60_000);

  it("refuses a subscription the manifest does not list, as HTTP refuses a query", async () => {
    const ended = await subscribe(
      client(url),
      `subscription { article(slug: "${SLUG}") { title } }`,
    ).end();
    expect(ended).toEqual({
      errors: [
        {
          message:
            "This operation is not in this server's list of trusted documents: send a listed document, or its documentId",
          extensions: { code: "QUERY_NOT_IN_SAFELIST" },
        },
      ],
    });
  });
});
