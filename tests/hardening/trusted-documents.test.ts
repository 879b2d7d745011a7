/**
 * A server run with ACCORD_TRUSTED_DOCUMENTS executes the manifest's documents and nothing
 * else: each contract operation by `documentId` (both forms), by Apollo's persisted query
 * extension and by its full text, over POST and GET; every other document (introspection
 * too), an unknown id and a listed text changed by one character are refused with their own
 * codes before any statement runs, and never answered from a cache, even one another server
 * warmed. A manifest that was tampered with stops the start.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { once } from "node:events";
import { afterAll, describe, expect, it } from "@jest/globals";
import { Kind, parse, type OperationDefinitionNode } from "graphql";
import { readConfig } from "../../src/config.js";
import { toGlobalId } from "../../src/ids.js";
import { spawnAccord, freePort } from "../support/accord-process.js";
import { exchange, postJson } from "../support/http.js";
import { redisForTests } from "../support/redis.js";
import { startTestServer } from "../support/server.js";
import { forSuite } from "../support/suite.js";

const MANIFEST = path.resolve("src/generated/operations/persisted-documents.json");
const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const ACTOR = toGlobalId("Actor", 1);

/** The manifest's documents by operation name: id (`sha256:<hex>`), hex and text. */
const documents = new Map(
  Object.entries(JSON.parse(readFileSync(MANIFEST, "utf8")) as Record<string, string>).map(
    ([id, text]) => {
      const operation = parse(text).definitions.find(
        (definition): definition is OperationDefinitionNode =>
          definition.kind === Kind.OPERATION_DEFINITION,
      )!;
      return [operation.name!.value, { id, hex: id.slice("sha256:".length), text, operation }];
    },
  ),
);

/** Variables each contract query runs with against the seed. */
const QUERIES: Record<string, Record<string, unknown>> = {
  ActorDirectory: { search: "Japarov" },
  ActorProfile: { id: ACTOR, first: 2 },
  AgreementList: { first: 5 },
  ArticleList: { first: 5 },
  ArticlePage: { slug: SLUG },
  NodeLookup: { id: ACTOR },
  OutcomeTracker: { first: 5 },
  Search: { query: "border treaty", first: 5 },
  VisitList: { first: 5 },
  History: { nodeId: ACTOR, first: 5 },
};

const listed = (name: string) => {
  const document = documents.get(name);
  if (!document) throw new Error(`${name} is not in the manifest`);
  return document;
};

const body = (exchanged: { body: string }) => JSON.parse(exchanged.body) as unknown;

const UNLISTED = "{ articles(first: 1) { totalCount } }";

const notInSafelist = {
  errors: [
    {
      message:
        "This operation is not in this server's list of trusted documents: send a listed document, or its documentId",
      extensions: { code: "QUERY_NOT_IN_SAFELIST" },
    },
  ],
};

const notInList = (id: string) => ({
  errors: [
    {
      message: `Document "${id}" is not in this server's list of trusted documents`,
      extensions: { code: "PERSISTED_QUERY_NOT_IN_LIST", documentId: id },
    },
  ],
});

describe("A server with trusted documents", () => {
  const server = forSuite(() =>
    startTestServer({ env: { ACCORD_TRUSTED_DOCUMENTS: MANIFEST, NODE_ENV: "production" } }),
  );

  it("lists every contract operation", () => {
    const contract = [
      ...Object.keys(QUERIES),
      "CreateActor",
      "CreateAgreement",
      "CreateCitation",
      "DeleteActor",
      "UpdateActor",
      "UpdateOutcome",
    ];
    expect([...documents.keys()].sort()).toEqual(contract.sort());
  });

  it.each(Object.entries(QUERIES))(
    "runs %s by documentId, bare hash, Apollo's extension, full text and GET alike",
    async (name, variables) => {
      const { id, hex, text } = listed(name);
      const full = await postJson(server.url, { query: text, variables });
      expect(full.status).toBe(200);
      const answer = body(full) as { data?: unknown; errors?: unknown };
      expect(answer.errors).toBeUndefined();
      expect(answer.data).toEqual(expect.any(Object));

      const persistedQuery = { version: 1, sha256Hash: hex };
      const forms = [
        await postJson(server.url, { documentId: id, variables }),
        await postJson(server.url, { documentId: hex, variables }),
        await postJson(server.url, { extensions: { persistedQuery }, variables }),
        await postJson(server.url, { query: text, extensions: { persistedQuery }, variables }),
        await exchange(
          `${server.url}?documentId=${id}&variables=${encodeURIComponent(JSON.stringify(variables))}`,
          { method: "GET" },
        ),
      ];
      expect(forms.map((form) => [form.status, body(form)])).toEqual(
        forms.map(() => [200, answer]),
      );
    },
  );

  it("runs a listed mutation by documentId, and refuses it over GET", async () => {
    const editor = await server.keyFor("EDITOR");
    const { id } = listed("CreateActor");
    const variables = { input: { name: "Envoy Listed", kind: "PERSON" } };
    const created = await postJson(server.url, { documentId: id, variables }, editor);
    const overGet = await exchange(
      `${server.url}?documentId=${id}&variables=${encodeURIComponent(JSON.stringify(variables))}`,
      { method: "GET", headers: editor },
    );

    expect([created.status, body(created)]).toEqual([
      200,
      {
        data: {
          createActor: {
            id: expect.any(String),
            name: "Envoy Listed",
            kind: "PERSON",
            aliases: ["Envoy Listed"],
            description: null,
            version: 1,
          },
        },
      },
    ]);
    expect([overGet.status, body(overGet)]).toEqual([
      405,
      {
        errors: [
          {
            message: "GET requests only support query operations, not mutation operations",
            extensions: { code: "BAD_REQUEST" },
          },
        ],
      },
    ]);
  });

  it("refuses an unlisted query, introspection, an unknown id and a changed text, running nothing", async () => {
    const { text, hex } = listed("ArticlePage");
    const unknown = `sha256:${"0".repeat(64)}`;
    const statements = server.db.statementCount;
    const refusals = [
      await postJson(server.url, { query: UNLISTED }),
      await exchange(`${server.url}?query=${encodeURIComponent(UNLISTED)}`, { method: "GET" }),
      await postJson(server.url, { query: "{ __schema { queryType { name } } }" }),
      await postJson(server.url, {
        query: text.replace("subtitle ", ""),
        variables: { slug: SLUG },
      }),
      await postJson(server.url, { documentId: unknown }),
      await exchange(`${server.url}?documentId=${unknown}`, { method: "GET" }),
      // Apollo's registration of a new query: no client may add one.
      await postJson(server.url, {
        query: UNLISTED,
        extensions: { persistedQuery: { version: 1, sha256Hash: "1".repeat(64) } },
      }),
      // A listed id with a text that is not its document.
      await postJson(server.url, { documentId: `sha256:${hex}`, query: UNLISTED }),
    ];

    expect(refusals.map((refusal) => [refusal.status, body(refusal)])).toEqual([
      [400, notInSafelist],
      [400, notInSafelist],
      [400, notInSafelist],
      [400, notInSafelist],
      [400, notInList(unknown)],
      [400, notInList(unknown)],
      [400, notInList("1".repeat(64))],
      [
        400,
        {
          errors: [
            {
              message: `\`query\` is not the text of document "sha256:${hex}"`,
              extensions: { code: "BAD_REQUEST" },
            },
          ],
        },
      ],
    ]);
    expect(server.db.statementCount).toBe(statements);
  });

  it("refuses an unlisted query again when it is repeated, never from its cache", async () => {
    const first = await postJson(server.url, { query: UNLISTED });
    const again = await postJson(server.url, { query: UNLISTED });

    for (const refusal of [first, again]) {
      expect([refusal.status, refusal.headers["x-cache"], body(refusal)]).toEqual([
        400,
        undefined,
        notInSafelist,
      ]);
    }
  });

  it("answers a document by id from the entry its full text left in the cache", async () => {
    const { id, text } = listed("ArticleList");
    const variables = { first: 3 };
    const full = await postJson(server.url, { query: text, variables });
    const byId = await postJson(server.url, { documentId: id, variables });

    expect(full.headers["x-cache"]).toBe("miss");
    expect([byId.status, byId.headers["x-cache"], byId.body]).toEqual([200, "hit", full.body]);
  });
});

describe("Trusted documents beside a server without them, sharing one Redis cache", () => {
  const prefix = `trusted-${process.pid}-${Date.now()}:`;
  const shared = { REDIS_URL: "redis://127.0.0.1:6379", ACCORD_CACHE_PREFIX: prefix };
  let redis = false;
  const open = forSuite(async () => {
    redis = await redisForTests();
    return redis ? startTestServer({ env: shared }) : { url: "", stop: () => Promise.resolve() };
  });
  const trusted = forSuite(async () =>
    redis
      ? startTestServer({ env: { ...shared, ACCORD_TRUSTED_DOCUMENTS: MANIFEST } })
      : { url: "", stop: () => Promise.resolve() },
  );

  it("never answers an unlisted query with the entry the other server stored", async () => {
    if (!redis) return;
    const { text } = listed("ArticleList");
    const payload = { query: text, variables: { first: 2 } };
    await postJson(open.url, payload);
    await postJson(open.url, { query: UNLISTED });
    const warm = await postJson(open.url, { query: UNLISTED });
    // The cache is shared: a listed document the other server stored is a hit here.
    const listedHit = await postJson(trusted.url, payload);
    const refused = await postJson(trusted.url, { query: UNLISTED });

    expect([warm.status, warm.headers["x-cache"]]).toEqual([200, "hit"]);
    expect([listedHit.status, listedHit.headers["x-cache"]]).toEqual([200, "hit"]);
    expect([refused.status, refused.headers["x-cache"], body(refused)]).toEqual([
      400,
      undefined,
      notInSafelist,
    ]);
  });
});

describe("A manifest that cannot be trusted", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "accord-trusted-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const manifest = JSON.parse(readFileSync(MANIFEST, "utf8")) as Record<string, string>;
  const write = (name: string, contents: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, contents);
    return file;
  };
  const { id, text } = listed("ArticlePage");
  const tampered = write(
    "tampered.json",
    JSON.stringify({ ...manifest, [id]: text.replace("title", "title body") }),
  );

  it.each([
    ["a missing file", path.join(dir, "missing.json"), "cannot be read"],
    ["a file that is not JSON", write("broken.json", "{"), "is not JSON"],
    ["a list instead of an object", write("list.json", "[]"), "must be a JSON object"],
    ["an entry whose text does not hash to its key", tampered, "does not hash to its key"],
    ["a key that is not a sha256", write("key.json", '{"abc": "{ __typename }"}'), "is not sha256"],
  ])("stops the start on %s", (_, file, why) => {
    expect(() => readConfig({ ACCORD_TRUSTED_DOCUMENTS: file })).toThrow(
      `ACCORD_TRUSTED_DOCUMENTS: ${file}: `,
    );
    expect(() => readConfig({ ACCORD_TRUSTED_DOCUMENTS: file })).toThrow(why);
  });

  it("stops the start on a document that does not validate against the schema", async () => {
    const { createHash } = await import("node:crypto");
    const wrong = "{ nothing }";
    const hex = createHash("sha256").update(wrong).digest("hex");
    const file = write("invalid.json", JSON.stringify({ [`sha256:${hex}`]: wrong }));

    expect(() => readConfig({ ACCORD_TRUSTED_DOCUMENTS: file })).toThrow(
      `ACCORD_TRUSTED_DOCUMENTS: ${file}: the document of "sha256:${hex}" does not validate: Cannot query field "nothing" on type "Query".`,
    );
  });

  it("stops the start on more documents than the limit, before hashing any", () => {
    const many = Object.fromEntries(
      Array.from({ length: 10_001 }, (_, i) => [`sha256:${String(i).padStart(64, "0")}`, "{}"]),
    );
    const file = write("many.json", JSON.stringify(many));

    expect(() => readConfig({ ACCORD_TRUSTED_DOCUMENTS: file })).toThrow(
      `ACCORD_TRUSTED_DOCUMENTS: ${file}: lists 10001 documents, over the limit of 10000`,
    );
  });

  it("makes the server process exit with the reason, serving nothing", async () => {
    const accord = spawnAccord(await freePort(), { ACCORD_TRUSTED_DOCUMENTS: tampered });
    let stderr = "";
    accord.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(accord, "exit")) as [number | null];

    expect(code).not.toBe(0);
    expect(stderr).toContain(
      `ACCORD_TRUSTED_DOCUMENTS: ${tampered}: the document of "${id}" does not hash to its key`,
    );
  }, 30_000);
});
