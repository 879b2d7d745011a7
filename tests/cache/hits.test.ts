/**
 * A response cache hit is what the miss before it was: the same status, the same headers
 * (content type for the negotiated `Accept`, ETag, CORS, request id) and the same body, byte
 * for byte; only `Date` and `x-cache` tell them apart. A request for a federated trace is
 * answered with its own trace, never from the cache nor into it. And the GraphQL over HTTP
 * audit finds no error with the cache cold or warm.
 */
import { describe, expect, it } from "@jest/globals";
import { auditServer, type AuditResult } from "graphql-http";
import { exchange, postJson, type Exchange } from "../support/http.js";
import { operation, startTestServer } from "../support/server.js";
import { forSuite } from "../support/suite.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const LISTED = "https://app.example.org";
const REQUEST_ID = "hit-or-miss-1";

/** Everything a client can read of an answer but its date; `x-cache` shown apart. */
function seen({ status, headers, body }: Exchange) {
  const { date, "x-cache": cache, ...rest } = headers;
  expect(date).toEqual(expect.any(String));
  return { cache, answer: { status, headers: rest, body } };
}

describe("Response cache: a hit answers as the miss did", () => {
  const server = forSuite(() =>
    startTestServer({
      env: { ACCORD_RESPONSE_CACHE: "memory", ACCORD_CORS_ORIGINS: LISTED },
    }),
  );
  let n = 0;

  const accepts = [
    ["application/graphql-response+json", "application/graphql-response+json; charset=utf-8"],
    [
      "application/graphql-response+json, application/json;q=0.9",
      "application/graphql-response+json; charset=utf-8",
    ],
    ["application/json", "application/json; charset=utf-8"],
    ["*/*", "application/json; charset=utf-8"],
    [undefined, "application/json; charset=utf-8"],
  ] as const;
  const origins = [undefined, LISTED, "https://elsewhere.example.net"];

  it.each(accepts.flatMap(([accept, type]) => origins.map((origin) => [accept, origin, type])))(
    "Accept %s, Origin %s: the same headers and bytes, cold and warm",
    async (accept, origin, type) => {
      // A variable of its own: cold for this case whatever ran before.
      const request = {
        query: operation("ArticlePage"),
        variables: { slug: SLUG, unused: ++n },
      };
      const headers: Record<string, string> = { "x-request-id": REQUEST_ID };
      if (accept) headers.accept = accept;
      if (origin) headers.origin = origin;
      const cold = seen(await postJson(server.url, request, headers));
      const warm = seen(await postJson(server.url, request, headers));
      expect([cold.cache, warm.cache]).toEqual(["miss", "hit"]);
      expect(warm.answer).toEqual(cold.answer);
      expect(cold.answer.status).toBe(200);
      expect(cold.answer.headers["content-type"]).toBe(type);
      expect(cold.answer.headers.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
      expect(cold.answer.headers["x-request-id"]).toBe(REQUEST_ID);
      expect(JSON.parse(cold.answer.body).data.article.slug).toBe(SLUG);
    },
  );

  it("answers a body that is not JSON as the server without a cache does", async () => {
    const uncached = await startTestServer({
      seeded: false,
      env: { ACCORD_RESPONSE_CACHE: "off", ACCORD_CORS_ORIGINS: LISTED },
    });
    try {
      const send = (url: string, body: string) =>
        exchange(url, {
          headers: {
            "content-type": "application/json",
            origin: LISTED,
            "x-request-id": REQUEST_ID,
          },
          body,
        });
      for (const body of ["{not json", '"a string"', "42", "null"]) {
        const [withCache, without] = [
          seen(await send(server.url, body)),
          seen(await send(uncached.url, body)),
        ];
        expect(withCache).toEqual(without);
        expect(withCache.answer.status).toBe(400);
        expect(withCache.answer.headers["access-control-allow-origin"]).toBe(LISTED);
      }
    } finally {
      await uncached.stop();
    }
  });
});

describe("Response cache: federated traces", () => {
  const server = forSuite(() =>
    startTestServer({ env: { ACCORD_RESPONSE_CACHE: "memory", ACCORD_FEDERATION: "true" } }),
  );
  const TRACE = { "apollo-federation-include-trace": "ftv1" };

  const read = async (variables: Record<string, unknown>, headers = {}) => {
    const answer = await postJson(
      server.url,
      { query: `{ actors(first: 2) { totalCount edges { node { id name } } } }`, variables },
      headers,
    );
    const body = JSON.parse(answer.body) as { data: unknown; extensions?: { ftv1?: unknown } };
    return { cache: answer.headers["x-cache"], data: body.data, trace: body.extensions?.ftv1 };
  };

  it("gives a request for a trace its trace, even when the answer is cached", async () => {
    const plain = await read({ order: 1 });
    expect(await read({ order: 1 })).toEqual({ ...plain, cache: "hit" });
    const traced = [await read({ order: 1 }, TRACE), await read({ order: 1 }, TRACE)];
    for (const answer of traced) {
      expect(answer).toEqual({ cache: undefined, data: plain.data, trace: expect.any(String) });
    }
    // Each trace is of its own execution.
    expect(traced[0]!.trace).not.toBe(traced[1]!.trace);
  });

  it("stores nothing of a traced answer: the next plain request gets no trace", async () => {
    const traced = await read({ order: 2 }, TRACE);
    expect(traced.trace).toEqual(expect.any(String));
    const plain = [await read({ order: 2 }), await read({ order: 2 })];
    expect(plain).toEqual([
      { cache: "miss", data: traced.data, trace: undefined },
      { cache: "hit", data: traced.data, trace: undefined },
    ]);
  });
});

describe("Response cache: the GraphQL over HTTP audit", () => {
  const server = forSuite(() =>
    startTestServer({ seeded: false, env: { ACCORD_RESPONSE_CACHE: "memory" } }),
  );

  const outcome = (results: AuditResult[]) => ({
    errors: results
      .filter((r) => r.status === "error")
      .map((r) => `${r.name}: ${"reason" in r ? r.reason : ""}`),
    warnings: results.filter((r) => r.status === "warn").map((r) => r.name),
    notices: results.filter((r) => r.status === "notice").map((r) => r.name),
  });

  /**
   * The warnings and notices README.md explains ("GraphQL over HTTP"). Warnings (SHOULD):
   * Apollo Server answers a request that fails before execution with 400 whatever the
   * response type. No notices: GET reads need no preflight header (see csrfPrevention).
   */
  const EXPECTED_WARNINGS = [
    "SHOULD use 200 status code on document parsing failure when accepting application/json",
    "SHOULD use 200 status code on document validation failure when accepting application/json",
    "SHOULD use a status code of 200 on variable coercion failure when accepting application/json",
  ];
  const EXPECTED_NOTICES: string[] = [];

  it("finds no error cold, and the same warm, answered in part from the cache", async () => {
    const answered: (string | null)[] = [];
    const fetchFn = async (...args: Parameters<typeof fetch>) => {
      const response = await fetch(...args);
      answered.push(response.headers.get("x-cache"));
      return response;
    };
    const hits = () => answered.splice(0).filter((cache) => cache === "hit").length;
    // Cold: the cache starts empty (the audit repeats some requests, which hit).
    const cold = outcome(await auditServer({ url: server.url, fetchFn }));
    const coldHits = hits();
    // Warm: every read the first run stored is a hit.
    const warm = outcome(await auditServer({ url: server.url, fetchFn }));
    expect(hits()).toBeGreaterThan(coldHits);
    expect(cold).toEqual({ errors: [], warnings: EXPECTED_WARNINGS, notices: EXPECTED_NOTICES });
    expect(warm).toEqual(cold);
  });
});
