/**
 * The HTTP surface in production mode: health, body and batch limits, POST and GET rules,
 * safe errors, configurable introspection, and one structured log line per request.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { openPostgres } from "../../src/db/database.js";
import { errorFormatter } from "../../src/errors.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";
import { captureLogs } from "../support/logs.js";

let server: TestServer;
const logs = captureLogs();
beforeAll(async () => {
  server = await startTestServer({
    env: { NODE_ENV: "production", ACCORD_MAX_BODY_BYTES: "5000", ACCORD_INTROSPECTION: "false" },
    logger: logs.logger,
  });
});
afterAll(() => server.stop());

const origin = () => server.url.replace("/graphql", "");

async function post(
  body: string,
  headers: Record<string, string> = { "content-type": "application/json" },
) {
  const response = await fetch(server.url, { method: "POST", headers, body });
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    body: await response.text(),
  };
}

describe("HTTP: health", () => {
  it("answers /healthz and /readyz while the database answers", async () => {
    const health = await fetch(`${origin()}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: "ok" }]);
    const ready = await fetch(`${origin()}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: "ready" }]);
  });
});

describe("HTTP: the root", () => {
  it("names every path the server serves, as JSON or, for a browser, as links", async () => {
    const json = await fetch(`${origin()}/`);
    expect([json.status, await json.json()]).toEqual([
      200,
      { graphql: "/graphql", explorer: "/explorer", health: "/healthz", ready: "/readyz" },
    ]);
    const html = await fetch(`${origin()}/`, { headers: { accept: "text/html" } });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const links = [...(await html.text()).matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(links).toEqual(["/explorer", "/graphql", "/healthz", "/readyz"]);
  });
});

describe("HTTP: what a request may be", () => {
  it("refuses a body over the limit with 413 and a GraphQL error body", async () => {
    const response = await post(
      JSON.stringify({ query: `{ __typename }`, variables: { pad: "x".repeat(6000) } }),
    );
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body)).toEqual({
      errors: [
        {
          message: "The request body exceeds 5000 bytes",
          extensions: { code: "PAYLOAD_TOO_LARGE", limit: 5000 },
        },
      ],
    });
  });

  it("refuses malformed JSON with 400 and a GraphQL error body", async () => {
    const response = await post("{ not json");
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      errors: [
        { message: "The request body is not valid JSON", extensions: { code: "BAD_REQUEST" } },
      ],
    });
  });

  it("refuses batched requests", async () => {
    const response = await post(
      JSON.stringify([{ query: "{ __typename }" }, { query: "{ __typename }" }]),
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("refuses a mutation over GET with 405", async () => {
    const query = encodeURIComponent(`mutation { deleteCitation(id: "x") }`);
    const response = await fetch(`${server.url}?query=${query}`, {
      headers: { "apollo-require-preflight": "1" },
    });
    expect(response.status).toBe(405);
  });

  it("refuses a POST whose body is not JSON, such as a form's text/plain", async () => {
    const response = await post(JSON.stringify({ query: "{ __typename }" }), {
      "content-type": "text/plain",
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      errors: [
        {
          message: "POST body missing, invalid Content-Type, or JSON object has no keys.",
          extensions: { code: "BAD_REQUEST" },
        },
      ],
    });
  });

  it("answers a GET query with no preflight header, as urql and Relay send it", async () => {
    const params = new URLSearchParams({
      query: "query Kinds($first: Int) { actors(first: $first) { totalCount } }",
      operationName: "Kinds",
      variables: JSON.stringify({ first: 1 }),
    });
    const response = await fetch(`${server.url}?${params.toString()}`, {
      headers: { accept: "application/graphql-response+json, application/json" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { actors: { totalCount: expect.any(Number) } } });
  });

  it("refuses a GET that gives a parameter twice", async () => {
    const response = await fetch(`${server.url}?query=%7B__typename%7D&query=`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: "The query string gives `query` more than once",
          extensions: { code: "BAD_REQUEST" },
        },
      ],
    });
  });
});

describe("HTTP: errors in production", () => {
  it("leave out field suggestions and stack traces", async () => {
    const response = await server.graphql(`{ articel { id } }`);
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message: 'Cannot query field "articel" on type "Query".',
        locations: [{ line: 1, column: 3 }],
        extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
      },
    ]);
  });

  it("refuse introspection when it is switched off", async () => {
    const response = await server.graphql(`{ __schema { types { name } } }`);
    expect(response.errors![0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(response.errors![0]!.message).toMatch(/introspection/i);
  });

  it("mask an unexpected error, with an id that matches the full log line", async () => {
    await server.db.prisma.$executeRawUnsafe(
      `ALTER TABLE "Outcome" RENAME COLUMN "statement" TO "statement_moved"`,
    );
    try {
      const response = await server.graphql(operation("OutcomeTracker"), {});
      expect(response.data).toBeNull();
      expect(response.errors).toEqual([
        {
          message: "Internal server error",
          path: ["outcomes"],
          extensions: { code: "INTERNAL_SERVER_ERROR", errorId: expect.any(String) },
        },
      ]);
      const { errorId } = response.errors![0]!.extensions as { errorId: string };
      const logged = logs.lines().find((line) => line.errorId === errorId);
      expect(logged).toMatchObject({ level: 50, msg: "unexpected error" });
      expect(JSON.stringify(logged)).toContain("statement");
    } finally {
      await server.db.prisma.$executeRawUnsafe(
        `ALTER TABLE "Outcome" RENAME COLUMN "statement_moved" TO "statement"`,
      );
    }
  });
});

describe("HTTP: logs", () => {
  it("write one line per request with id, operation, status, duration and error codes, never the key", async () => {
    const headers = await server.keyFor("EDITOR");
    const key = headers.authorization!.replace("Bearer ", "");
    const response = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": "req-42", ...headers },
      body: JSON.stringify({
        query: operation("admin/CreateActor"),
        variables: { input: { name: " ", kind: "PERSON" } },
      }),
    });
    expect(response.headers.get("x-request-id")).toBe("req-42");
    await response.json();
    const line = logs.lines().find((l) => l.requestId === "req-42");
    expect(line).toMatchObject({
      msg: "request",
      method: "POST",
      path: "/graphql",
      status: 200,
      operationName: "CreateActor",
      errorCodes: ["BAD_USER_INPUT"],
      durationMs: expect.any(Number),
    });
    expect(logs.text()).not.toContain(key);
    expect(logs.text().toLowerCase()).not.toContain("authorization");
  });
});

describe("Database: statement_timeout", () => {
  it("cancels a query that runs too long, reported as QUERY_TIMEOUT", async () => {
    if (!server.databaseUrl) {
      console.warn("statement_timeout on the embedded database: checked through SHOW only");
    }
    const db = server.databaseUrl
      ? openPostgres(server.databaseUrl, { statementTimeoutMs: 200 })
      : server.db;
    try {
      if (!server.databaseUrl) {
        const rows =
          await db.prisma.$queryRawUnsafe<{ statement_timeout: string }[]>(
            "SHOW statement_timeout",
          );
        expect(rows[0]!.statement_timeout).toBe("5s");
        return;
      }
      const error = await db.prisma.$queryRawUnsafe("SELECT pg_sleep(2)").catch((e: unknown) => e);
      const formatted = errorFormatter(logs.logger, true)({ message: String(error) }, error);
      expect(formatted).toEqual({
        message: "The query took too long and was cancelled",
        extensions: { code: "QUERY_TIMEOUT" },
      });
    } finally {
      if (db !== server.db) await db.close();
    }
  });
});
