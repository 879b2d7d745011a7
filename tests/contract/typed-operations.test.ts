/**
 * The typed documents generated from the contract operations (src/generated/operations, by
 * `npm run codegen`), sent to a real server. `tsc` checks that the code below reads the
 * responses through the generated result types; the server checks that those types describe
 * what it actually answers: scalars as strings, enums as their names, nulls where declared.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { buildSchema, Kind, parse, print, validate, type DocumentNode } from "graphql";
import * as generated from "../../src/generated/operations/graphql.js";
import {
  ActorDirectoryDocument,
  ActorProfileDocument,
  ArticlePageDocument,
  CreateActorDocument,
  HistoryDocument,
  SearchDocument,
  type ActorKind,
  type ArticlePageQuery,
  type ArticlePageQueryVariables,
  type CreateActorMutationVariables,
  type OutcomeCategory,
  type OutcomeStatus,
} from "../../src/generated/operations/graphql.js";
import { typeDefs } from "../../src/server.js";
import { startTestServer, type GraphQLResponse, type TestServer } from "../support/server.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const operationsDir = new URL("./operations/", import.meta.url);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Sends a typed document; the response's `data` has the document's result type. */
function execute<Result, Variables extends Record<string, unknown>>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  headers?: Record<string, string>,
): Promise<GraphQLResponse<Result>> {
  return server.graphql<Result>(print(document), variables, headers);
}

/** `data` of a response that must have succeeded. */
function dataOf<Result>(response: GraphQLResponse<Result>): Result {
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  if (response.data == null) throw new Error("the response has no data");
  return response.data;
}

// Every value of the generated enum types, spelled out: `satisfies` fails `tsc` when the
// schema adds or removes a value, and the tests below fail when the server answers another.
const actorKinds = { PERSON: true, STATE: true, ORGANIZATION: true } satisfies Record<
  ActorKind,
  true
>;
const outcomeStatuses = { ACHIEVED: true, IN_PROGRESS: true, PLANNED: true } satisfies Record<
  OutcomeStatus,
  true
>;

// The variables types reject what the schema rejects. Never executed: `tsc` is the judge.
export function variablesThatDoNotCompile(): unknown[] {
  return [
    // @ts-expect-error: `slug` is required
    {} satisfies ArticlePageQueryVariables,
    // @ts-expect-error: `slug` is a String
    { slug: 17 } satisfies ArticlePageQueryVariables,
    // @ts-expect-error: `kind` is an ActorKind
    { input: { name: "x", kind: "PLANET" } } satisfies CreateActorMutationVariables,
  ];
}

/** The contract operation files, as paths relative to tests/contract/operations. */
function operationFiles(dir = ""): string[] {
  return readdirSync(new URL(dir, operationsDir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? operationFiles(`${dir}${entry.name}/`)
      : entry.name.endsWith(".graphql")
        ? [`${dir}${entry.name}`]
        : [],
  );
}

describe("the generated documents", () => {
  const documents = new Map(
    Object.entries(generated).filter(
      (entry): entry is [string, DocumentNode] =>
        entry[0].endsWith("Document") && (entry[1] as DocumentNode).kind === Kind.DOCUMENT,
    ),
  );

  it("exist for every contract operation, and are that operation as written", () => {
    const files = operationFiles();
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const file of files) {
      const source = parse(readFileSync(new URL(file, operationsDir), "utf8"), {
        noLocation: true,
      });
      const name = path.basename(file, ".graphql");
      const document = documents.get(`${name}Document`);
      expect({ file, document: document && print(document) }).toEqual({
        file,
        document: print(source),
      });
    }
    expect(documents.size).toBe(files.length);
  });

  it("are valid against the schema the server serves", () => {
    const schema = buildSchema(typeDefs);
    for (const [name, document] of documents) {
      expect({ name, errors: validate(schema, document).map((e) => e.message) }).toEqual({
        name,
        errors: [],
      });
    }
  });
});

describe("ArticlePageDocument", () => {
  let article: NonNullable<ArticlePageQuery["article"]>;
  beforeAll(async () => {
    const data = dataOf(await execute(ArticlePageDocument, { slug: SLUG }));
    if (!data.article) throw new Error(`no article ${SLUG}`);
    article = data.article;
  });

  it("returns the article with Date scalars as YYYY-MM-DD strings", () => {
    expect(article.slug).toBe(SLUG);
    expect(article.publishedOn).toBe("2025-03-17");
    // The source gives no date for the visit: a nullable Date comes as null, not "".
    const visit = article.visits[0]!;
    expect(visit.startDate).toBeNull();
    expect(visit.documentsSignedCount).toBeGreaterThan(0);
  });

  it("returns enum values the generated types name", () => {
    const visit = article.visits[0]!;
    const kinds = [
      article.publisher?.kind,
      ...article.authors.map((a) => a.kind),
      ...visit.participants.map((p) => p.actor.kind),
    ];
    for (const kind of kinds) expect(Object.keys(actorKinds)).toContain(kind);
    const statuses = visit.outcomes.map((o) => o.status);
    expect(statuses.length).toBeGreaterThan(0);
    for (const status of statuses) expect(Object.keys(outcomeStatuses)).toContain(status);
    const categories: OutcomeCategory[] = visit.outcomes.map((o) => o.category);
    expect(categories).toContain("BORDER");
  });

  it("gives citations (through the Passage fragment) that quote their paragraph exactly", () => {
    const visit = article.visits[0]!;
    const passages = [
      ...visit.citations,
      ...visit.agreements.flatMap((a) => a.citations),
      ...visit.outcomes.flatMap((o) => o.citations),
    ];
    expect(passages.length).toBeGreaterThan(10);
    for (const passage of passages) {
      const paragraph = article.paragraphs[passage.paragraphIndex]!;
      expect(passage.article.slug).toBe(SLUG);
      expect(
        paragraph.text.slice(passage.start - paragraph.start, passage.end - paragraph.start),
      ).toBe(passage.quote);
    }
  });

  it("gives null for a slug no article has, as the result type allows", async () => {
    const data = dataOf(await execute(ArticlePageDocument, { slug: "no-such-article" }));
    expect(data.article).toBeNull();
  });
});

describe("ActorDirectoryDocument and ActorProfileDocument", () => {
  it("find an actor by name, then load the profile by the id found", async () => {
    const directory = dataOf(await execute(ActorDirectoryDocument, { search: "japarov" }));
    const edge = directory.actors.edges.find((e) => e.node.name === "Sadir Japarov");
    if (!edge) throw new Error("Sadir Japarov is not in the directory");

    const profile = dataOf(await execute(ActorProfileDocument, { id: edge.node.id }));
    expect(profile.actor?.kind).toBe("PERSON");
    expect(profile.actor?.participations.edges.map((e) => e.node.role)).toContain("HOST");
    expect(profile.actor?.mentions.totalCount).toBeGreaterThan(0);
    expect(profile.actor?.mentions.edges.length).toBe(
      Math.min(20, profile.actor?.mentions.totalCount ?? 0),
    );
  });
});

describe("SearchDocument", () => {
  it("returns results whose __typename narrows the union to the fields asked for", async () => {
    const data = dataOf(await execute(SearchDocument, { query: "Japarov", first: 5 }));
    const node = data.search[0]?.node;
    if (node?.__typename !== "Actor") throw new Error(`expected an actor, got ${node?.__typename}`);
    expect(node.name).toBe("Sadir Japarov");
    expect(node.actorKind).toBe("PERSON");
  });
});

describe("CreateActorDocument and HistoryDocument", () => {
  it("create an actor with a key and list its revision, DateTime as an ISO string", async () => {
    const headers = await server.keyFor("EDITOR", "typed-editor");
    const created = dataOf(
      await execute(
        CreateActorDocument,
        { input: { name: "Kassym-Jomart Tokayev", kind: "PERSON", aliases: ["Tokayev"] } },
        headers,
      ),
    );
    expect(created.createActor).toMatchObject({ name: "Kassym-Jomart Tokayev", version: 1 });

    const history = dataOf(await execute(HistoryDocument, { nodeId: created.createActor.id }));
    expect(history.revisions).toHaveLength(1);
    const revision = history.revisions[0]!;
    expect(revision).toMatchObject({ action: "CREATE", editor: "typed-editor", version: 1 });
    expect(new Date(revision.at).toISOString()).toBe(revision.at);
    expect(revision.before).toBeNull();
    expect(revision.after).toMatchObject({ name: "Kassym-Jomart Tokayev" });
  });
});
