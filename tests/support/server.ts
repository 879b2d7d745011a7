/**
 * Accord as a client sees it: a migrated, seeded database behind the real HTTP server on a
 * free port. `graphql()` posts an operation and returns the parsed response.
 */
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { expect } from "@jest/globals";
import { createApiKey, type Role } from "../../src/auth.js";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/seed/load.js";
import { readConfig } from "../../src/config.js";
import type { Logger } from "../../src/logging.js";
import { createServer } from "../../src/server.js";
import { openTestDatabase, type TestDatabase } from "./database.js";

export interface GraphQLResponse<Data = Record<string, unknown>> {
  status: number;
  data?: Data | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestServer extends TestDatabase {
  /** The GraphQL endpoint. */
  url: string;
  /** The test database's URL on the Postgres server, or null for the embedded database. */
  databaseUrl: string | null;
  /** A new API key of this role, as `Authorization` headers. */
  keyFor(role: Role, name?: string): Promise<Record<string, string>>;
  /**
   * Puts the record back as the seed leaves it (`db:seed --reset`: ids start again at 1, API
   * keys are kept), for a test that must start from the seeded record whatever ran before it.
   * Resolves once the server's response cache has dropped what it held from before.
   */
  reset(): Promise<void>;
  graphql<Data = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<Data>>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  seeded?: boolean;
  /** Environment variables as the server would read them (limits, NODE_ENV, ...). */
  env?: Record<string, string>;
  /** Receives the server's log lines (JSON). */
  logger?: Logger;
}

/**
 * The request-wide string, list and body-size limits (src/limits.ts) raised far above what the
 * edit-level checks allow, so that those checks are what answers.
 */
export const RAISED_REQUEST_LIMITS = {
  ACCORD_MAX_STRING_LENGTH: "5000000",
  ACCORD_MAX_LIST_LENGTH: "1000000",
  ACCORD_MAX_BODY_BYTES: "20000000",
};

const SEEDED_SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const PROBE = `query($slug: String!) { article(slug: $slug) { createdAt } }`;

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await openTestDatabase();
  await migrate(database.db);
  if (options.seeded ?? true) await seed(database.db);
  const server = await createServer(database.db, readConfig(options.env ?? {}), options.logger);
  const url = await server.listen(0);
  let keys = 0;
  const graphql: TestServer["graphql"] = async (query, variables, headers) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
  return {
    ...database,
    databaseUrl: database.url,
    url,
    async keyFor(role, name = `${role.toLowerCase()}-${++keys}`) {
      const { key } = await createApiKey(database.db, { name, role });
      return { authorization: `Bearer ${key}` };
    },
    async reset() {
      // The seed is a write from outside Accord: the cache hears of it asynchronously. A read
      // cached before, answered afresh after, shows that the cache has heard.
      const probe = async () =>
        (await graphql(PROBE, { slug: SEEDED_SLUG })).data?.article?.createdAt ?? null;
      await probe();
      await probe();
      await seed(database.db, { reset: true });
      const { createdAt } = await database.db.prisma.article.findUniqueOrThrow({
        where: { slug: SEEDED_SLUG },
        select: { createdAt: true },
      });
      for (let tries = 0; (await probe()) !== createdAt.toISOString(); tries++) {
        if (tries === 1000) throw new Error("The response cache kept its entries after a reset");
        await sleep(5);
      }
    },
    graphql,
    async stop() {
      await server.stop();
      await database.close();
    },
  };
}

/** A new EDITOR key and a new ADMIN key on `server`, as `Authorization` headers. */
export async function editorAndAdmin(server: TestServer) {
  return { editor: await server.keyFor("EDITOR"), admin: await server.keyFor("ADMIN") };
}

/** A response's errors as a refusal of input states them: message, code and the argument named. */
export function inputErrors(response: GraphQLResponse) {
  return response.errors?.map((e) => ({
    message: e.message,
    code: e.extensions?.code,
    argumentName: e.extensions?.argumentName,
  }));
}

export const CREATE_ARTICLE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`;

/** What `createArticle` needs, with `slug` for title, in English, published 1st May 2025 unless `fields` say otherwise. */
export function articleInput(fields: {
  slug: string;
  body?: string;
  title?: string;
  language?: string;
  publishedOn?: string;
  [field: string]: unknown;
}) {
  return {
    title: fields.slug,
    language: "en",
    publishedOn: "2025-05-01",
    body: "A short note.",
    ...fields,
  };
}

/** Creates an article through the API as `headers` (an EDITOR key); it must be created. Its id. */
export async function createArticle(
  server: Pick<TestServer, "graphql">,
  headers: Record<string, string>,
  fields: Parameters<typeof articleInput>[0],
): Promise<string> {
  const response = await server.graphql(CREATE_ARTICLE, { input: articleInput(fields) }, headers);
  expect(response.errors).toBeUndefined();
  return (response.data!.createArticle as { id: string }).id;
}

/** A contract operation, as the clients ship it (a copy kept in tests/contract/operations). */
export function operation(name: string): string {
  return readFileSync(new URL(`../contract/operations/${name}.graphql`, import.meta.url), "utf8");
}
