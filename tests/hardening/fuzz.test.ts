/**
 * Malformed requests, a few thousand of them, generated from a fixed seed (fast-check) so every
 * run sends the same ones: broken JSON and GraphQL, wrong variable types, oversized and deeply
 * nested bodies, random bytes, invalid UTF-8, wrong content types and methods, odd GET query
 * strings, batches, mutations over GET, unknown fields and operations, null bytes, and input
 * over the run-time limits (operation names, strings and lists too long, lone surrogates,
 * "Did you mean" floods, responses over the byte cap). Each must
 * be refused with a 4xx and a GraphQL error body that names a code, never a 5xx, and nothing
 * may reveal internals (stack frames, SQL, the ORM, schema suggestions). Afterwards the server
 * must still answer a real query correctly.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { buildSchema, parse, validate, type GraphQLSchema } from "graphql";
import { toGlobalId } from "../../src/ids.js";
import { typeDefs } from "../../src/server.js";
import { operation, startTestServer, type TestServer } from "../support/server.js";

const SEED = 20261127;
/** Requests still unsent at the deadline are dropped, and the count test below fails. */
const DEADLINE_MS = 40_000;
const CONCURRENCY = 8;
const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const BODY_LIMIT = 2_000_000;
const MAX_STRING_LENGTH = 1_000_000;
const MAX_LIST_LENGTH = 1_000;
const MAX_MESSAGE_LENGTH = 500;

/** What a response must never contain: stack frames, SQL, the ORM, schema hints. */
const LEAKS: [string, RegExp][] = [
  ["a stack trace", /stacktrace/i],
  ["a schema suggestion", /Did you mean/],
  ["the ORM", /prisma/i],
  ["SQL", /SELECT /],
  ["a stack frame", /at \//],
];

interface FuzzRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** The raw query string, without `?`. */
  search?: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

interface FuzzClass {
  name: string;
  count: number;
  arbitrary: fc.Arbitrary<FuzzRequest>;
  /** The codes this kind of request is to be refused with, when it is one family. */
  codes?: string[];
  status?: number;
  /** LEAKS that are the request's own text echoed back (in a message cut short), not a leak. */
  echoes?: string[];
}

interface Answer {
  kind: string;
  request: FuzzRequest;
  status: number | null;
  codes: string[];
  /** Why the answer is wrong, or null. */
  problem: string | null;
}

const schema: GraphQLSchema = buildSchema(typeDefs);

/** A GraphQL document that does not parse, or does not validate against the schema. */
function isInvalidDocument(source: string): boolean {
  try {
    return validate(schema, parse(source)).length > 0;
  } catch {
    return true;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const json = (body: unknown, headers: Record<string, string> = {}): FuzzRequest => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: typeof body === "string" ? body : JSON.stringify(body),
});
const preflight = { "apollo-require-preflight": "true" };
const getWith = (
  params: [string, string][],
  headers: Record<string, string> = preflight,
): FuzzRequest => ({
  method: "GET",
  search: params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"),
  headers,
});

const queryFields = Object.keys(schema.getQueryType()!.getFields());
const typeNames = Object.keys(schema.getTypeMap()).filter((name) => !name.startsWith("__"));
const identifier = fc.stringMatching(/^[_A-Za-z][_0-9A-Za-z]{0,14}$/);
const unknownField = identifier.filter(
  (name) => !name.startsWith("__") && !queryFields.includes(name),
);
const validBodies = [
  { query: operation("ArticlePage"), variables: { slug: SLUG } },
  { query: operation("ActorDirectory"), variables: { first: 5, search: "jap" } },
  { query: "{ articles(first: 2) { totalCount edges { node { slug title } } } }" },
  { query: 'query Named { search(query: "border") { __typename } }', operationName: "Named" },
].map((b) => JSON.stringify(b));
/** Any JSON value but a string: what no String variable accepts. */
const notAString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(identifier, fc.jsonValue(), { maxKeys: 3 }),
);
const INVALID_UTF8 = [
  [0xff],
  [0xfe, 0xff],
  [0xc0, 0x80],
  [0xe2, 0x82],
  [0xed, 0xa0, 0x80],
  [0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
].map((bytes) => Buffer.from(bytes));
const nested = (depth: number, open: string, close: string, inner = "") =>
  open.repeat(depth) + inner + close.repeat(depth);
const visitsAndArticles = (depth: number) =>
  `{ article(slug: "${SLUG}") { ${nested(depth, "visits { articles { edges { node { ", " } } } }", "id")} } }`;

const CLASSES: FuzzClass[] = [
  {
    name: "broken JSON",
    count: 300,
    codes: ["BAD_REQUEST"],
    status: 400,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...validBodies),
        fc.nat(),
        fc.constantFrom("cut", "insert", "delete", "double"),
        fc.constantFrom(..."{}[]\":,\\'\n\u0001tfn0-.eE".split("")),
      )
      .map(([body, at, how, char]) => {
        const i = at % body.length;
        if (how === "cut") return body.slice(0, i);
        if (how === "insert") return body.slice(0, i) + char + body.slice(i);
        if (how === "delete") return body.slice(0, i) + body.slice(i + 1);
        return body + body;
      })
      .filter((body) => !isJson(body))
      .map((body) => json(body)),
  },
  {
    name: "broken GraphQL",
    count: 250,
    codes: ["GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "OPERATION_RESOLUTION_FAILURE"],
    status: 400,
    arbitrary: fc
      .array(
        fc.constantFrom(
          ...'{ } ( ) [ ] : ! $ @ = | & ... # , " """ query mutation subscription fragment on article slug actors edges node id 1 -1.5e9 true null ARTICLE $slug String!'.split(
            " ",
          ),
        ),
        { minLength: 1, maxLength: 40 },
      )
      .map((tokens) => tokens.join(" "))
      .filter(isInvalidDocument)
      .map((query) => json({ query })),
  },
  {
    name: "unknown fields, arguments and types",
    count: 200,
    codes: ["GRAPHQL_VALIDATION_FAILED"],
    status: 400,
    arbitrary: fc
      .oneof(
        unknownField.map((name) => `{ ${name} }`),
        unknownField.map((name) => `{ article(slug: "${SLUG}") { ${name} } }`),
        unknownField.map((name) => `{ article(${name}: "x") { id } }`),
        fc.tuple(fc.constantFrom(...queryFields), fc.nat()).map(([field, at]) => {
          const i = at % field.length;
          return `{ ${field.slice(0, i)}${field.slice(i + 1)} { id } }`;
        }),
        identifier.map((name) => `{ node(id: "x") { ... on ${name}X { id } } }`),
        fc.constantFrom(...typeNames).map((name) => `query($v: ${name}Input) { __typename }`),
        fc.constantFrom(`{ article(slug: "${SLUG}") }`, "{ actors { edges } }", "{ node { id } }"),
      )
      .filter(isInvalidDocument)
      .map((query) => json({ query })),
  },
  {
    name: "wrong variable types",
    count: 250,
    codes: ["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"],
    status: 400,
    arbitrary: fc.oneof(
      fc
        .oneof(notAString, fc.constant(null))
        .map((slug) => json({ query: operation("ArticlePage"), variables: { slug } })),
      fc
        .oneof(
          fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
          fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }),
          fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -(2 ** 31) - 1 }),
          fc.string({ maxLength: 5 }),
          fc.boolean(),
          fc.array(fc.integer(), { maxLength: 3 }),
        )
        .map((first) => json({ query: operation("ActorDirectory"), variables: { first } })),
      fc
        .oneof(
          fc
            .string({ maxLength: 12 })
            .filter((k) => !["PERSON", "STATE", "ORGANIZATION"].includes(k)),
          fc.integer(),
        )
        .map((kind) => json({ query: operation("ActorDirectory"), variables: { kind } })),
      fc
        .oneof(
          fc.constant(null),
          fc.record({ kind: fc.constant("PERSON") }),
          fc.record({ name: fc.string({ maxLength: 8 }), kind: notAString }),
          fc.record({ name: notAString, kind: fc.constant("STATE") }),
          fc.record({
            name: fc.constant("A"),
            kind: fc.constant("STATE"),
            aliases: fc.array(notAString, { minLength: 1, maxLength: 3 }),
          }),
          unknownField.map((extra) => ({ name: "A", kind: "STATE", [`${extra}X`]: 1 })),
        )
        .map((input) => json({ query: operation("admin/CreateActor"), variables: { input } })),
      fc
        .constantFrom("Int!", "Boolean", "[String!]!", "ID", "Float!")
        .map((type) =>
          json({ query: `query($s: ${type}) { article(slug: $s) { id } }`, variables: { s: 1 } }),
        ),
      fc.constantFrom(
        json({ query: operation("ArticlePage") }),
        json({ query: operation("ArticlePage"), variables: {} }),
      ),
    ),
  },
  {
    name: "bodies over the size limit",
    count: 12,
    codes: ["PAYLOAD_TOO_LARGE"],
    status: 413,
    arbitrary: fc
      .tuple(
        fc.integer({ min: BODY_LIMIT + 100_000, max: 2 * BODY_LIMIT }),
        fc.constantFrom("query", "variable", "garbage", "array"),
      )
      .map(([size, where]) => {
        const filler = "x".repeat(size);
        if (where === "query") return json({ query: `{ article(slug: "${filler}") { id } }` });
        if (where === "variable")
          return json({ query: operation("ArticlePage"), variables: { slug: filler } });
        if (where === "array") return json(`[${'"x",'.repeat(size / 4)}"x"]`);
        return json(filler);
      }),
  },
  {
    name: "huge strings under the size limit",
    count: 8,
    codes: ["GRAPHQL_PARSE_FAILED", "MAX_TOKENS_EXCEEDED", "BAD_USER_INPUT"],
    status: 400,
    arbitrary: fc
      .tuple(
        fc.integer({ min: 1_000_000, max: BODY_LIMIT - 10_000 }),
        fc.constantFrom("garbage", "name", "number"),
      )
      .map(([size, what]) => {
        if (what === "garbage") return json({ query: "}".repeat(size) });
        if (what === "name") return json({ query: `{ ${"a".repeat(size)} }x` });
        return json({ query: operation("ActorDirectory"), variables: { first: "9".repeat(size) } });
      }),
  },
  {
    name: "deep nesting",
    count: 60,
    status: 400,
    arbitrary: fc.oneof(
      fc.integer({ min: 13, max: 100 }).map((depth) => json({ query: visitsAndArticles(depth) })),
      fc
        .integer({ min: 5000, max: 10_000 })
        .map((depth) => json({ query: `{ article(slug: ${nested(depth, "[", "]")}) { id } }` })),
      fc
        .integer({ min: 5000, max: 10_000 })
        .map((depth) => json({ query: nested(depth, "{ a ", "}") })),
      fc
        .tuple(
          fc.integer({ min: 5000, max: 10_000 }),
          fc.constantFrom("variables", "operationName", "query", "body"),
        )
        .map(([depth, where]) => {
          const deep = depth % 2 ? nested(depth, "[", "]") : nested(depth, '{"a":', "}", "1");
          if (where === "body") return json(deep);
          if (where === "query") return json(`{"query":${deep}}`);
          if (where === "operationName")
            return json(`{"query":"{ __typename }","operationName":${deep}}`);
          return json(
            `{"query":"query($s: String) { article(slug: $s) { id } }","variables":{"s":${deep}}}`,
          );
        }),
    ),
  },
  {
    name: "random bytes",
    count: 300,
    status: 400,
    arbitrary: fc
      .tuple(
        fc.uint8Array({ minLength: 1, maxLength: 4096 }),
        fc.constantFrom(undefined, "gzip", "deflate", "identity"),
      )
      .filter(([bytes]) => !isJson(Buffer.from(bytes).toString("utf8")))
      .map(([bytes, encoding]) => ({
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(encoding ? { "content-encoding": encoding } : {}),
        },
        body: bytes,
      })),
  },
  {
    name: "invalid UTF-8",
    count: 200,
    status: 400,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...INVALID_UTF8),
        fc.constantFrom("query", "key", "operationName", "outside"),
        fc.boolean(),
      )
      .map(([bad, where, charset]): FuzzRequest => {
        const parts: Record<string, [string, string]> = {
          query: ['{"query":"{ article(slug: \\"x\\") ', ' { id } }"}'],
          key: ['{"que', 'ry":"{ __typename }"}'],
          operationName: ['{"query":"query A { __typename }","operationName":"A', '"}'],
          outside: ['{"query":"{ __typename }"', "}"],
        };
        const [before, after] = parts[where]!;
        return {
          method: "POST",
          headers: { "content-type": `application/json${charset ? "; charset=utf-8" : ""}` },
          body: Buffer.concat([Buffer.from(before), bad, Buffer.from(after)]),
        };
      }),
  },
  {
    name: "wrong content types",
    count: 200,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc.constantFrom(
            "text/plain",
            "text/html",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
            "application/graphql",
            "application/octet-stream",
            "application/json; charset=latin1",
            "application/json; charset=koi8-r",
            "image/png",
            "}{",
            ";",
            "application/",
          ),
          fc
            .tuple(
              fc.constantFrom("text", "image", "audio", "application", "x"),
              fc.stringMatching(/^[a-z][a-z0-9.-]{0,12}$/),
            )
            .filter(([, sub]) => sub !== "json")
            .map(([type, sub]) => `${type}/${sub}`),
        ),
        fc.constantFrom(
          validBodies[0]!,
          "query=%7B__typename%7D",
          "{ __typename }",
          "--x\r\n\r\n--x--",
        ),
      )
      .map(([type, body]) => ({ method: "POST", headers: { "content-type": type }, body })),
  },
  {
    name: "odd GET query strings",
    count: 250,
    codes: ["BAD_REQUEST", "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"],
    status: 400,
    arbitrary: fc.oneof(
      fc
        .array(
          fc.tuple(
            identifier.filter((k) => k !== "query" && k !== "extensions"),
            fc.string({ maxLength: 10 }),
          ),
          { maxLength: 4 },
        )
        .map((params) => getWith(params)),
      fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) =>
        getWith([
          ["query", `{ __typename }${a}`],
          ["query", b],
        ]),
      ),
      ...(["variables", "extensions"] as const).map((param) =>
        fc
          .string({ minLength: 1, maxLength: 20 })
          .filter((v) => !isJson(v))
          .map((value) =>
            getWith([
              ["query", "{ __typename }"],
              [param, value],
            ]),
          ),
      ),
      fc
        .oneof(
          fc.integer(),
          fc.array(fc.integer(), { maxLength: 2 }),
          fc.string({ maxLength: 5 }),
          fc.constant(true),
        )
        .map((v) =>
          getWith([
            ["query", "{ __typename }"],
            ["variables", JSON.stringify(v)],
          ]),
        ),
      fc.string({ maxLength: 30 }).map((junk) => getWith([["query", `}${junk}`]])),
      fc.string({ unit: "grapheme-ascii", maxLength: 30 }).map((raw) => ({
        method: "GET" as const,
        search: `query=%zz%E0%A4%${raw.replace(/[#\s]/g, "")}`,
        headers: preflight,
      })),
      fc
        .constantFrom(
          "",
          "query",
          "query=",
          "=",
          "&&&",
          "query=%00",
          "query[]=%7B__typename%7D",
          "?query=x",
        )
        .map((search) => ({
          method: "GET" as const,
          search,
          headers: preflight,
        })),
    ),
  },
  {
    name: "URLs over the header size limit",
    count: 4,
    status: 431,
    arbitrary: fc
      .integer({ min: 17_000, max: 40_000 })
      .map((size) => getWith([["query", `{ article(slug: "${"x".repeat(size)}") { id } }`]])),
  },
  {
    name: "batched arrays",
    count: 150,
    codes: ["BAD_REQUEST"],
    status: 400,
    arbitrary: fc
      .oneof(
        fc
          .array(fc.constantFrom(...validBodies), { maxLength: 10 })
          .map((bodies) => `[${bodies.join(",")}]`),
        fc.array(fc.jsonValue(), { maxLength: 5 }).map((values) => JSON.stringify(values)),
      )
      .map((body) => json(body)),
  },
  {
    name: "mutations over GET",
    count: 150,
    arbitrary: fc
      .tuple(
        fc.oneof(
          fc
            .string({ maxLength: 12 })
            .map(
              (name) =>
                `mutation { createActor(input: { name: ${JSON.stringify(name)}, kind: PERSON }) { id } }`,
            ),
          fc.constant('mutation { deleteActor(id: "QWN0b3I6MQ") }'),
          fc.constant(operation("admin/CreateActor")),
          fc.constant(`query Q { __typename } ${operation("admin/UpdateOutcome")}`),
        ),
        fc.boolean(),
      )
      .map(([query, withPreflight]) => {
        const params: [string, string][] = [["query", query]];
        if (query.includes("query Q")) params.push(["operationName", "UpdateOutcome"]);
        if (query.includes("$input"))
          params.push(["variables", JSON.stringify({ input: { name: "A", kind: "STATE" } })]);
        return getWith(params, withPreflight ? preflight : {});
      }),
  },
  {
    name: "operation names that do not match",
    count: 200,
    codes: ["OPERATION_RESOLUTION_FAILURE", "BAD_REQUEST"],
    status: 400,
    arbitrary: fc
      .tuple(
        fc.uniqueArray(identifier, { minLength: 1, maxLength: 3 }),
        fc.oneof(identifier, fc.constant(undefined), notAString),
      )
      .filter(([names, chosen]) => names.length > 1 || chosen !== undefined)
      .filter(([names, chosen]) => typeof chosen !== "string" || !names.includes(chosen))
      .map(([names, operationName]) =>
        json({ query: names.map((n) => `query ${n} { __typename }`).join(" "), operationName }),
      ),
  },
  {
    name: "null bytes",
    count: 200,
    status: 400,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          "queryText",
          "literal",
          "variable",
          "search",
          "operationName",
          "key",
          "raw",
        ),
        fc.string({ maxLength: 8 }),
      )
      .map(([where, text]) => {
        const nul = `${text}\u0000${text}`;
        if (where === "queryText") return json({ query: `{ __typename ${nul} }` });
        if (where === "literal")
          return json({ query: `{ article(slug: ${JSON.stringify(nul)}) { id } }` });
        if (where === "variable")
          return json({ query: operation("ArticlePage"), variables: { slug: nul } });
        if (where === "search")
          return json({ query: operation("ActorDirectory"), variables: { search: nul } });
        if (where === "operationName")
          return json({ query: "query A { __typename }", operationName: `A${nul}` });
        if (where === "key") return json({ [`query${nul}`]: "{ __typename }" });
        return json(`{"query":"{ __typename }${nul.replace(/["\\]/g, "")}"}`);
      }),
  },
  {
    name: "subscriptions (the schema has none)",
    count: 50,
    status: 400,
    arbitrary: fc
      .tuple(fc.oneof(fc.constant(""), identifier), fc.constantFrom(...queryFields, "__typename"))
      .map(([name, field]) => json({ query: `subscription ${name} { ${field} }` })),
  },
  {
    name: "malformed persisted queries",
    count: 50,
    status: 400,
    arbitrary: fc
      .oneof(
        fc.integer({ min: 2, max: 99 }).map((version) => ({ version, sha256Hash: "0".repeat(64) })),
        fc.stringMatching(/^[0-9a-f]{64}$/).map((sha256Hash) => ({ version: 1, sha256Hash })),
        // Not an object (and not falsy, which would be no extension at all).
        fc.oneof(
          fc.string({ minLength: 1, maxLength: 5 }),
          fc.integer().filter((n) => n !== 0),
          fc.array(fc.integer(), { maxLength: 2 }),
        ),
      )
      .map((persistedQuery) => json({ query: "{ __typename }", extensions: { persistedQuery } })),
  },
  {
    name: "wrong methods and accept headers",
    count: 100,
    arbitrary: fc.oneof(
      fc
        .tuple(
          fc.constantFrom<"PUT" | "PATCH" | "DELETE">("PUT", "PATCH", "DELETE"),
          fc.constantFrom(...validBodies),
        )
        .map(([method, body]) => ({
          method,
          headers: { "content-type": "application/json" },
          body,
        })),
      fc
        .constantFrom(
          "application/xml",
          "text/html",
          "image/png",
          "text/plain;q=1, application/json;q=0",
        )
        .map((accept) => json(validBodies[0]!, { accept })),
    ),
  },
  {
    name: "documents over the limits",
    count: 100,
    codes: [
      "MAX_ALIASES_EXCEEDED",
      "MAX_DIRECTIVES_EXCEEDED",
      "MAX_TOKENS_EXCEEDED",
      "MAX_COST_EXCEEDED",
      "MAX_DEPTH_EXCEEDED",
    ],
    status: 400,
    arbitrary: fc
      .oneof(
        fc
          .integer({ min: 21, max: 120 })
          .map(
            (n) =>
              `{ ${Array.from({ length: n }, (_, i) => `a${i}: article(slug: "x") { id }`).join(" ")} }`,
          ),
        fc
          .integer({ min: 21, max: 200 })
          .map(
            (n) =>
              `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename @skip(if: false)`).join(" ")} }`,
          ),
        fc.integer({ min: 2001, max: 6000 }).map((n) => `{ ${"__typename ".repeat(n)}}`),
        fc
          .integer({ min: 60, max: 100 })
          .map(
            (n) =>
              `{ actors(first: ${n}) { edges { node { participations { edges { node { visit { participants { actor { participations { edges { node { visit { id } } } } } } } } } } } } } }`,
          ),
      )
      .map((query) => json({ query })),
  },
  {
    name: "operation names over 256 characters",
    count: 12,
    codes: ["BAD_REQUEST"],
    status: 400,
    arbitrary: fc
      .tuple(fc.integer({ min: 257, max: BODY_LIMIT / 2 - 1_000 }), fc.boolean())
      .map(([length, declared]) => {
        const operationName = `Q${"q".repeat(length - 1)}`;
        return json({
          query: declared ? `query ${operationName} { __typename }` : "query A { __typename }",
          operationName,
        });
      }),
  },
  {
    name: "strings over 1,000,000 characters",
    count: 8,
    codes: ["BAD_USER_INPUT"],
    status: 400,
    arbitrary: fc
      .tuple(
        fc.integer({ min: MAX_STRING_LENGTH + 1, max: BODY_LIMIT - 10_000 }),
        fc.constantFrom("variable", "literal", "nested"),
      )
      .map(([length, where]) => {
        const long = "x".repeat(length);
        if (where === "literal") return json({ query: `{ article(slug: "${long}") { id } }` });
        if (where === "nested")
          return json({
            query: operation("admin/CreateActor"),
            variables: { input: { name: "A", kind: "STATE", aliases: [long] } },
          });
        return json({ query: operation("ArticlePage"), variables: { slug: long } });
      }),
  },
  {
    name: "lists over 1,000 items",
    count: 20,
    codes: ["BAD_USER_INPUT", "MAX_TOKENS_EXCEEDED"],
    status: 400,
    arbitrary: fc
      .tuple(fc.integer({ min: MAX_LIST_LENGTH + 1, max: 20_000 }), fc.boolean())
      .map(([length, literal]) => {
        const aliases = Array.from({ length }, (_, i) => `a${i}`);
        return literal
          ? json({
              query: `mutation { createActor(input: { name: "A", kind: STATE, aliases: ${JSON.stringify(aliases)} }) { id } }`,
            })
          : json({
              query: operation("admin/CreateActor"),
              variables: { input: { name: "A", kind: "STATE", aliases } },
            });
      }),
  },
  {
    name: "lone surrogates",
    count: 100,
    codes: ["BAD_USER_INPUT", "GRAPHQL_PARSE_FAILED"],
    status: 400,
    arbitrary: fc
      .tuple(
        fc.constantFrom("\ud800", "\udbff", "\udc00", "\udfff", "\ude00\ud83d"),
        fc.string({ maxLength: 8 }),
        fc.constantFrom("variable", "search", "nested", "name", "literal", "escaped literal"),
      )
      .map(([lone, text, where]) => {
        const bad = `${text}${lone}${text}`;
        if (where === "literal") return json({ query: `{ article(slug: "${bad}") { id } }` });
        if (where === "escaped literal")
          return json({
            query: `{ article(slug: "\\u${lone.charCodeAt(0).toString(16)}") { id } }`,
          });
        if (where === "search")
          return json({ query: operation("ActorDirectory"), variables: { search: bad } });
        if (where === "nested")
          return json({
            query: operation("admin/CreateActor"),
            variables: { input: { name: "A", kind: "STATE", aliases: ["ok", bad] } },
          });
        if (where === "name")
          return json({
            query: operation("admin/CreateActor"),
            variables: { input: { name: bad, kind: "STATE" } },
          });
        return json({ query: operation("ArticlePage"), variables: { slug: bad } });
      }),
  },
  {
    name: '"Did you mean" floods',
    count: 8,
    codes: ["BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED"],
    status: 400,
    // The message quotes the flood's first characters, which read "Did you mean".
    echoes: ["a schema suggestion"],
    arbitrary: fc
      .tuple(fc.integer({ min: 10_000, max: 140_000 }), fc.constantFrom("variable", "key", "field"))
      .map(([repeats, where]) => {
        const flood = `${"Did you mean ".repeat(repeats)}?`;
        if (where === "field")
          return json({ query: `{ article(slug: "x") { ${flood.replace(/[ ?]/g, "")} } }` });
        if (where === "key")
          return json({ query: operation("ActorDirectory"), variables: { kind: flood } });
        return json({ query: operation("ActorDirectory"), variables: { first: flood } });
      }),
  },
  {
    name: "responses over 4 MB",
    count: 6,
    codes: ["RESPONSE_TOO_LARGE"],
    status: 400,
    arbitrary: fc.integer({ min: 15, max: 19 }).map((copies) => {
      // Tajikistan: 31 mentions in the seeded article, each with the article's 11 kB body.
      const bodies = Array.from({ length: copies }, (_, i) => `b${i}: body`).join(" ");
      return json({
        query: `query($id: ID!) { actor(id: $id) { mentions(first: 40) { edges { node { article { ${bodies} } } } } } }`,
        variables: { id: toGlobalId("Actor", 3) },
      });
    }),
  },
];

function describeRequest(r: FuzzRequest): string {
  const body =
    r.body === undefined
      ? ""
      : typeof r.body === "string"
        ? r.body
        : `bytes ${Buffer.from(r.body).toString("hex")}`;
  const shown = body.length > 300 ? `${body.slice(0, 300)}… (${body.length} characters)` : body;
  const search =
    r.search === undefined
      ? ""
      : `?${r.search.length > 200 ? `${r.search.slice(0, 200)}…` : r.search}`;
  return `${r.method} /graphql${search} ${JSON.stringify(r.headers)} ${JSON.stringify(shown)}`;
}

async function send(url: string, kind: FuzzClass, request: FuzzRequest): Promise<Answer> {
  const answer = (fields: Omit<Answer, "kind" | "request">): Answer => ({
    kind: kind.name,
    request,
    ...fields,
  });
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${url}${request.search === undefined ? "" : `?${request.search}`}`, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(10_000),
    });
    text = await response.text();
  } catch (error) {
    return answer({ status: null, codes: [], problem: `no answer: ${String(error)}` });
  }
  const status = response.status;
  let body: { errors?: { message?: unknown; extensions?: { code?: unknown } }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return answer({
      status,
      codes: [],
      problem: `${status} with a body that is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
    });
  }
  const errors = Array.isArray(body.errors) ? body.errors : [];
  const codes = errors.map((e) => String(e.extensions?.code));
  const problem =
    status < 400 || status >= 500
      ? `status ${status}`
      : errors.length === 0
        ? "no errors in the body"
        : errors.some(
              (e) => typeof e.message !== "string" || typeof e.extensions?.code !== "string",
            )
          ? "an error without a message or a code"
          : errors.some(
                (e) => typeof e.message === "string" && e.message.length > MAX_MESSAGE_LENGTH,
              )
            ? `a message longer than ${MAX_MESSAGE_LENGTH} characters`
            : codes.includes("INTERNAL_SERVER_ERROR")
              ? "a refused request reported as INTERNAL_SERVER_ERROR"
              : kind.status !== undefined && status !== kind.status
                ? `status ${status}, not ${kind.status}`
                : kind.codes && !codes.every((code) => kind.codes!.includes(code))
                  ? `codes ${codes.join()}, not one of ${kind.codes.join()}`
                  : null;
  const leak = LEAKS.find(([what, pattern]) => !kind.echoes?.includes(what) && pattern.test(text));
  return answer({
    status,
    codes,
    problem: problem
      ? `${problem}: ${text.slice(0, 200)}`
      : leak
        ? `reveals ${leak[0]}: ${text.slice(0, 300)}`
        : null,
  });
}

/** The corpus, one class after another in turn so that kinds of request mix. */
function corpus(): { kind: FuzzClass; request: FuzzRequest }[] {
  const lists = CLASSES.map((kind, i) =>
    fc
      .sample(kind.arbitrary, { seed: SEED + i, numRuns: kind.count })
      .map((request) => ({ kind, request })),
  );
  const mixed: { kind: FuzzClass; request: FuzzRequest }[] = [];
  for (let i = 0; mixed.length < lists.reduce((n, l) => n + l.length, 0); i++) {
    for (const list of lists) if (i < list.length) mixed.push(list[i]!);
  }
  return mixed;
}

describe("Fuzz: malformed requests against a production server", () => {
  let server: TestServer;
  let baseline: unknown;
  const planned = CLASSES.reduce((n, c) => n + c.count, 0);
  const answers: Answer[] = [];
  let elapsedMs = 0;

  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: "production" } });
    baseline = (await server.graphql(operation("ArticlePage"), { slug: SLUG })).data;
    const requests = corpus();
    const started = performance.now();
    const deadline = started + DEADLINE_MS;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length && performance.now() < deadline) {
          const { kind, request } = requests[next++]!;
          answers.push(await send(server.url, kind, request));
        }
      }),
    );
    elapsedMs = performance.now() - started;
  }, 60_000);
  afterAll(() => server?.stop());

  afterAll(() => {
    const lines = CLASSES.map((kind) => {
      const groups = new Map<string, number>();
      for (const a of answers.filter((x) => x.kind === kind.name)) {
        const key = `${a.status ?? "no answer"} ${[...new Set(a.codes)].join("+") || "-"}`;
        groups.set(key, (groups.get(key) ?? 0) + 1);
      }
      const wrong = answers.filter((x) => x.kind === kind.name && x.problem).length;
      const summary = [...groups].map(([key, n]) => `${key} ×${n}`).join(", ");
      return `  ${kind.name}: ${summary}${wrong ? `  (${wrong} wrong)` : ""}`;
    });
    const totals = new Map<string, number>();
    for (const a of answers)
      totals.set(
        String(a.status ?? "no answer"),
        (totals.get(String(a.status ?? "no answer")) ?? 0) + 1,
      );
    console.log(
      `Fuzz: ${answers.length} of ${planned} requests in ${Math.round(elapsedMs)} ms (seed ${SEED}); ` +
        `by status ${[...totals].map(([s, n]) => `${s} ×${n}`).join(", ")}; ` +
        `${answers.filter((a) => a.problem).length} wrong\n${lines.join("\n")}`,
    );
  });

  it(`sends all ${planned} requests before the deadline`, () => {
    expect(answers.length).toBe(planned);
  }, 5_000);

  it.each(CLASSES.map((kind) => [kind.name]))(
    "refuses %s with a 4xx GraphQL error naming a code, and reveals nothing",
    (name) => {
      const wrong = answers.filter((a) => a.kind === name && a.problem);
      const examples = wrong
        .slice(0, 3)
        .map((a) => `${describeRequest(a.request)}\n  → ${a.problem}`);
      expect({ wrong: wrong.length, examples }).toEqual({ wrong: 0, examples: [] });
      expect(answers.filter((a) => a.kind === name).length).toBeGreaterThan(0);
    },
    5_000,
  );

  it("still answers a real query correctly afterwards, and is ready", async () => {
    // A comment makes it a new document, so it runs rather than coming from the response cache.
    const after = await server.graphql(`${operation("ArticlePage")}\n# after the fuzz`, {
      slug: SLUG,
    });
    expect(after.status).toBe(200);
    expect(after.errors).toBeUndefined();
    expect(after.data).toEqual(baseline);
    expect((after.data as { article: { slug: string } }).article.slug).toBe(SLUG);
    const ready = await fetch(server.url.replace(/\/graphql$/, "/readyz"));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
  }, 10_000);
});
