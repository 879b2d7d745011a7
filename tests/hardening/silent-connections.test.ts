/**
 * Database connections that go silent mid-request, as when the network drops their packets:
 * the server's own statement timeout cannot reach them, so the client gives up on its own,
 * answers DATABASE_UNAVAILABLE, and never lends such a connection to another request.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import { type Database } from "../../src/db/database.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { ownedStack } from "../support/stack.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const STATEMENT_TIMEOUT_MS = 500;
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres("Connections that go silent", () => {
  const stack = ownedStack();
  let proxy: TcpProxy;
  let db: Database;
  let url: string;
  beforeAll(async () => {
    const database = await stack.database();
    proxy = stack.own(await startTcpProxy(), (p) => p.close());
    db = stack.pool(proxy.urlFor(database.url), {
      poolSize: 2,
      statementTimeoutMs: STATEMENT_TIMEOUT_MS,
    });
    ({ url } = await stack.serve(db, { ACCORD_RESPONSE_CACHE: "off", NODE_ENV: "production" }));
  });

  const articleTitle = async () => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `query($slug: String!) { article(slug: $slug) { slug } }`,
        variables: { slug: SLUG },
      }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("answers DATABASE_UNAVAILABLE within the statement timeout and a second, then serves again on fresh connections", async () => {
    // Both pooled connections open, then silenced while idle.
    await Promise.all([articleTitle(), articleTitle()]);
    proxy.silence();

    const started = performance.now();
    const during = await articleTitle();
    const waited = performance.now() - started;

    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({
      errors: [{ extensions: { code: "DATABASE_UNAVAILABLE" } }],
    });
    expect(waited).toBeLessThan(STATEMENT_TIMEOUT_MS + 1000 + 2000);

    // Each silent connection fails the one request that finds it, and is discarded: the
    // other one of the two fails its next request; from then on fresh connections serve.
    const second = await articleTitle();
    expect(second.status).toBe(503);
    const after = [];
    for (let i = 0; i < 4; i++) after.push(await articleTitle());
    expect(after).toEqual(
      Array.from({ length: 4 }, () => ({
        status: 200,
        body: { data: { article: { slug: SLUG } } },
      })),
    );
  });

  it("rolls a mutation caught by silence back whole and lends its connection to nobody", async () => {
    await articleTitle();
    const before = await db.prisma.actor.count();
    proxy.silence();

    const failed = await db.prisma
      .$transaction(async (tx) => {
        await tx.actor.create({ data: { name: "Envoy Unheard", kind: "PERSON" } });
      })
      .then(
        () => "committed",
        () => "failed",
      );

    expect(failed).toBe("failed");
    // Whatever the transaction left behind is not on the connections that serve next.
    const after = [];
    for (let i = 0; i < 4; i++) after.push(await articleTitle());
    expect(after.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(await db.prisma.actor.count()).toBe(before);
  });
});
