/**
 * The caps and rules on what editors write: aliases per actor, noise aliases, paragraphs and
 * size of a body, and quotes. Each refusal is BAD_USER_INPUT naming the field and, for a cap,
 * the maximum, and changes nothing. The request-wide string and list limits (src/limits.ts)
 * are raised here so that these edit-level checks are the ones that answer.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import {
  inputErrors,
  operation,
  RAISED_REQUEST_LIMITS,
  startTestServer,
} from "../support/server.js";
import { forSuite } from "../support/suite.js";
import { changingNothing, databaseState } from "../support/state.js";

const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
const CREATE_ARTICLE = `mutation($input: CreateArticleInput!) {
  createArticle(input: $input) { id paragraphs { index } } }`;
const UPDATE_ARTICLE = `mutation($id: ID!, $input: UpdateArticleInput!) {
  updateArticle(id: $id, input: $input) { id version } }`;

const server = forSuite(() => startTestServer({ env: RAISED_REQUEST_LIMITS }));
let editor: Record<string, string>;
let article: { id: string; outcomeId: string };
beforeAll(async () => {
  editor = await server.keyFor("EDITOR", "Nadia (editor)");
  const page = await server.graphql(
    `query($slug: String!) { article(slug: $slug) { id visits { outcomes { id } } } }`,
    { slug: SLUG },
  );
  article = {
    id: page.data!.article.id,
    outcomeId: page.data!.article.visits[0].outcomes[0].id,
  };
});

/** Sends the mutation and expects one BAD_USER_INPUT with exactly this message and extensions, and no change. */
async function expectRefused(
  query: string,
  variables: Record<string, unknown>,
  message: string,
  extensions: Record<string, unknown> = {},
) {
  const before = await databaseState(server.db);
  const response = await server.graphql(query, variables, editor);
  // The stack trace the development server adds is no part of the answer.
  const errors = response.errors?.map(({ message, extensions }) => {
    const rest = { ...extensions };
    delete rest.stacktrace;
    return { message, extensions: rest };
  });
  expect({ data: response.data, errors }).toEqual({
    data: null,
    errors: [
      {
        message,
        extensions: {
          code: "BAD_USER_INPUT",
          argumentName: message.slice(0, message.indexOf(":")),
          ...extensions,
        },
      },
    ],
  });
  expect(await databaseState(server.db)).toEqual(before);
}

const createActor = (input: Record<string, unknown>) => ({ input: { kind: "PERSON", ...input } });

describe("Aliases per actor", () => {
  const aliases = (n: number) => Array.from({ length: n }, (_, i) => `Envoy number ${i}`);
  /** Creating an actor with `count` aliases is refused by the cap of 50, for `reason`. */
  const refusedWith = (count: number, reason: string) =>
    expectRefused(
      operation("admin/CreateActor"),
      createActor({ name: "A Busy Envoy", aliases: aliases(count) }),
      `input.aliases: ${reason}; Actor.aliases holds at most 50`,
      { max: 50 },
    );

  it("refuses more aliases than Actor.aliases holds before reading any of them", async () => {
    await refusedWith(100_000, "lists 100000 items");
  });

  it("counts the name among the 50", async () => {
    await refusedWith(50, "with the name, the actor would have 51 aliases");
    const response = await server.graphql(
      operation("admin/CreateActor"),
      createActor({ name: "A Busy Envoy", aliases: aliases(49) }),
      editor,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.createActor.aliases).toEqual(["A Busy Envoy", ...aliases(49)]);
  });

  it("refuses an update past the maximum too", async () => {
    const created = await server.graphql(
      operation("admin/CreateActor"),
      createActor({ name: "A Quiet Envoy" }),
      editor,
    );
    await expectRefused(
      operation("admin/UpdateActor"),
      { id: created.data!.createActor.id, input: { aliases: aliases(51).map((a) => `${a}!`) } },
      "input.aliases: lists 51 items; Actor.aliases holds at most 50",
      { max: 50 },
    );
  });
});

describe("Aliases that would match noise", () => {
  it.each(
    [
      [
        "the",
        'input.aliases[0]: "the" is only common English words and would match almost every article; write an acronym in capitals',
      ],
      [
        "of",
        'input.aliases[0]: "of" is only common English words and would match almost every article; write an acronym in capitals',
      ],
      [
        " Of the ",
        'input.aliases[0]: "Of the" is only common English words and would match almost every article; write an acronym in capitals',
      ],
      [".", 'input.aliases[0]: "." is too short: an alias needs at least 2 characters'],
      ["X", 'input.aliases[0]: "X" is too short: an alias needs at least 2 characters'],
      [
        "2025",
        'input.aliases[0]: "2025" has no letter: an alias of digits or punctuation only would match noise',
      ],
      ["x".repeat(201), "input.aliases[0]: must be at most 200 characters, got 201"],
    ].map(([alias, message]) => [
      alias!.length > 40 ? `of ${alias!.length} characters` : JSON.stringify(alias),
      alias!,
      message!,
    ]),
  )("refuses the alias %s", async (_, alias, message) => {
    await expectRefused(
      operation("admin/CreateActor"),
      createActor({ name: "Noise Test Envoy", aliases: [alias] }),
      message,
      alias.length > 200 ? { max: 200 } : {},
    );
  });

  it("refuses a name that would match noise, as the name is an alias", async () => {
    await expectRefused(
      operation("admin/CreateActor"),
      createActor({ name: "The" }),
      'input.name: "The" is only common English words and would match almost every article; write an acronym in capitals',
    );
  });

  it("refuses a noise alias in an update, keeping the old aliases and mentions", async () => {
    const tajikistan = await server.graphql(
      `{ actors(filter: { search: "Tajikistan" }) { edges { node { id name } } } }`,
    );
    const id = tajikistan.data!.actors.edges.find((e: any) => e.node.name === "Tajikistan").node.id;
    await expectRefused(
      operation("admin/UpdateActor"),
      { id, input: { aliases: ["Republic of Tajikistan", "of"] } },
      'input.aliases[1]: "of" is only common English words and would match almost every article; write an acronym in capitals',
    );
  });

  it("keeps a stored alias the rules now refuse when an update gives no aliases", async () => {
    const created = await server.graphql(
      operation("admin/CreateActor"),
      createActor({ name: "An Old Envoy" }),
      editor,
    );
    const { id } = created.data!.createActor;
    const key = Number(Buffer.from(id, "base64url").toString().split(":")[1]);
    // Written before aliases were checked for noise.
    await server.db.prisma.actorAlias.create({ data: { actorId: key, alias: "of" } });
    const response = await server.graphql(
      operation("admin/UpdateActor"),
      { id, input: { description: "Still here" } },
      editor,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.updateActor).toMatchObject({ description: "Still here", version: 2 });
  });

  it("accepts an acronym written in capitals, though the word is a common one", async () => {
    const response = await server.graphql(
      operation("admin/CreateActor"),
      { input: { name: "World Health Organization", kind: "ORGANIZATION", aliases: ["WHO"] } },
      editor,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.createActor.aliases).toEqual(["World Health Organization", "WHO"]);
  });
});

describe("Article bodies", () => {
  const input = (body: string, slug: string) => ({
    input: { slug, title: "A long article", language: "en", publishedOn: "2025-05-01", body },
  });
  const paragraphs = (n: number) =>
    Array.from({ length: n }, (_, i) => `Paragraph${i}`).join("\n\n");

  it("refuses a body of more paragraphs than Article.paragraphs holds", async () => {
    await expectRefused(
      CREATE_ARTICLE,
      input(paragraphs(8_000), "eight-thousand-paragraphs"),
      "input.body: the body has 8000 paragraphs; an article holds at most 2000 (Article.paragraphs)",
      { max: 2000, paragraphs: 8000 },
    );
  });

  it("accepts 2,000 paragraphs", async () => {
    const response = await server.graphql(
      CREATE_ARTICLE,
      input(paragraphs(2_000), "two-thousand-paragraphs"),
      editor,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.createArticle.paragraphs).toHaveLength(2_000);
  });

  it("refuses a body past 1,000,000 characters", async () => {
    await expectRefused(
      CREATE_ARTICLE,
      input("x".repeat(1_000_001), "a-million-and-one"),
      "input.body: must be at most 1000000 characters (UTF-16 code units), got 1000001",
      { max: 1_000_000 },
    );
  });

  it("refuses an update to too many paragraphs before re-anchoring anything", async () => {
    await expectRefused(
      UPDATE_ARTICLE,
      { id: article.id, input: { body: paragraphs(2_001) } },
      "input.body: the body has 2001 paragraphs; an article holds at most 2000 (Article.paragraphs)",
      { max: 2000, paragraphs: 2001 },
    );
  });
});

describe("Quotes", () => {
  const cite = (quote: string) => ({
    input: { articleId: article.id, quote, occurrence: 1, factId: article.outcomeId },
  });

  it.each([
    ["a single space", " ", "input.quote: must not be empty or only whitespace"],
    ["a paragraph break", "\n\n", "input.quote: must not be empty or only whitespace"],
    ["an empty string", "", "input.quote: must not be empty or only whitespace"],
    [
      "a quote starting between paragraphs",
      "\n\nThe state visit",
      "input.quote: must begin with the quoted text, not with whitespace",
    ],
  ])("refuses %s", async (_, quote, message) => {
    await expectRefused(operation("admin/CreateCitation"), cite(quote), message);
  });

  it("refuses a quote past 5,000 characters", async () => {
    await expectRefused(
      operation("admin/CreateCitation"),
      cite("x".repeat(5_001)),
      "input.quote: must be at most 5000 characters, got 5001",
      { max: 5_000 },
    );
  });

  it("refuses half of an emoji, which the request checks already catch", async () => {
    const before = await databaseState(server.db);
    const response = await server.graphql(
      operation("admin/CreateCitation"),
      cite("\uD83D"),
      editor,
    );
    expect(response.errors).toMatchObject([
      {
        message: expect.stringMatching(/quote.*lone surrogate/),
        extensions: { code: "BAD_USER_INPUT" },
      },
    ]);
    expect(await databaseState(server.db)).toEqual(before);
  });
});

describe("Page sizes in a mutation's answer", () => {
  /** A visit that may be created: only the page its answer asks for is out of range. */
  const BAD_PAGE_VISIT = {
    title: "A visit answered with a bad page",
    kind: "WORKING_VISIT",
    editorialNote: "Cites nothing.",
  };

  /**
   * Creates BAD_PAGE_VISIT with `query` (given `variables` too), and expects the request refused
   * with HTTP 400 and `error` alone, before the mutation runs: nothing is written.
   */
  async function expectPageRefused(
    query: string,
    variables: Record<string, unknown>,
    error: { message: string; argumentName: string },
  ) {
    const response = await changingNothing(server.db, () =>
      server.graphql(query, { input: BAD_PAGE_VISIT, ...variables }, editor),
    );
    expect({
      status: response.status,
      data: response.data,
      errors: inputErrors(response),
    }).toEqual({
      status: 400,
      data: undefined,
      errors: [{ ...error, code: "BAD_USER_INPUT" }],
    });
  }

  it.each([
    ["a literal", `{ id articles(first: -5) { totalCount } }`, {}],
    ["a variable", `{ id articles(first: $first) { totalCount } }`, { first: 101 }],
    [
      "a fragment",
      `{ ...shown } fragment shown on Visit { articles(first: -1) { totalCount } }`,
      {},
    ],
  ])(
    "refuses one out of range in %s before the mutation runs, writing nothing",
    async (_, selection, extra) => {
      const [fields, fragment = ""] = selection.split(" fragment ");
      const variables = "first" in extra ? ", $first: Int" : "";
      const query =
        `mutation($input: CreateVisitInput!${variables}) { createVisit(input: $input) ${fields} }` +
        (fragment ? ` fragment ${fragment}` : "");
      const size = "first" in extra ? extra.first : /first: (-?\d+)/.exec(selection)![1];
      await expectPageRefused(query, extra, {
        message: `first: must be between 0 and 100, got ${size}`,
        argumentName: "first",
      });
    },
  );

  it("refuses a page size out of range given as a variable's default, writing nothing", async () => {
    await expectPageRefused(
      `mutation($input: CreateVisitInput!, $size: Int = 101) { createVisit(input: $input) { id articles(first: $size) { totalCount } } }`,
      {},
      { message: "first: must be between 0 and 100, got 101", argumentName: "first" },
    );
  });

  it.each([
    [
      "last out of range",
      `articles(last: 101)`,
      "last",
      "last: must be between 0 and 100, got 101",
    ],
    [
      "first with last",
      `articles(first: 1, last: 1)`,
      "last",
      "last: cannot be given with `first`: page forward with `first`/`after` or backward with `last`/`before`",
    ],
    [
      "after with before",
      `articles(after: "x", before: "x")`,
      "before",
      "before: cannot be given with `after`: page forward with `first`/`after` or backward with `last`/`before`",
    ],
  ])(
    "refuses %s before the mutation runs, writing nothing",
    async (_, connection, argumentName, message) => {
      await expectPageRefused(
        `mutation($input: CreateVisitInput!) { createVisit(input: $input) { id ${connection} { totalCount } } }`,
        {},
        { message, argumentName },
      );
    },
  );
});
