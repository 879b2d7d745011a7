/**
 * Races between a write and what runs beside it, each run for many rounds:
 * - reads racing a mutation, with the response cache on: once the mutation is acknowledged,
 *   no read answers with what was true before it, whatever the racing reads stored;
 * - `createCitation` racing a new body for the same article: whichever commits first, every
 *   stored citation quotes the body it points into, in the paragraph it names, or the call that
 *   lost is refused with a code and changes nothing.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "@jest/globals";
import { suiteWithEditor } from "../support/suite.js";

const ROUNDS = 20;

const { server, keys } = suiteWithEditor({ env: { ACCORD_RESPONSE_CACHE: "memory" } });

/** Posts a read as a client would and returns the answer with its `x-cache` header. */
async function read(query: string, variables: Record<string, unknown>) {
  const response = await fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { cache: response.headers.get("x-cache"), body: (await response.json()) as any };
}

async function ok(query: string, variables: Record<string, unknown>) {
  const response = await server.graphql(query, variables, keys.editor);
  expect(response.errors).toBeUndefined();
  return Object.values(response.data)[0] as any;
}

describe("Races: reads beside a mutation, response cache on", () => {
  const OUTCOME = `query($id: ID!) { outcome(id: $id) { id statement version } }`;
  const TRACKER = `query($visitId: ID!) {
    outcomes(filter: { visitId: $visitId }) { totalCount edges { node { id statement version } } } }`;
  const UPDATE = `mutation($id: ID!, $statement: String!) {
    updateOutcome(id: $id, input: { statement: $statement }) { id statement version } }`;

  it(`never serves the answer from before an acknowledged update (${ROUNDS} rounds)`, async () => {
    const visit = await ok(
      `mutation { createVisit(input: { title: "Raced visit", kind: WORKING_VISIT, editorialNote: "A test's." }) { id } }`,
      {},
    );
    const outcome = await ok(
      `mutation($visitId: ID!) { createOutcome(input: { visitId: $visitId, ordinal: 1,
         statement: "Round 0", category: TRADE, status: PLANNED, editorialNote: "A test's." }) { id } }`,
      { visitId: visit.id },
    );
    const reads: [string, Record<string, unknown>][] = [
      [OUTCOME, { id: outcome.id }],
      [TRACKER, { visitId: visit.id }],
    ];
    /** Both reads as they must answer once round `round` is acknowledged. */
    const answers = (round: number) => [
      { data: { outcome: { id: outcome.id, statement: `Round ${round}`, version: round + 1 } } },
      {
        data: {
          outcomes: {
            totalCount: 1,
            edges: [{ node: { id: outcome.id, statement: `Round ${round}`, version: round + 1 } }],
          },
        },
      },
    ];
    for (let round = 1; round <= ROUNDS; round++) {
      // Readers keep both reads in flight, and the cache filling, until the update answers.
      let acknowledged = false;
      const seen: unknown[] = [];
      const reader = async (which: number) => {
        while (!acknowledged) {
          const [query, variables] = reads[which % reads.length]!;
          seen.push((await read(query, variables)).body);
        }
      };
      const readers = Array.from({ length: 6 }, (_, i) => reader(i));
      const update = server
        .graphql(UPDATE, { id: outcome.id, statement: `Round ${round}` }, keys.editor)
        .finally(() => (acknowledged = true));
      expect(await update).toEqual({
        status: 200,
        data: {
          updateOutcome: { id: outcome.id, statement: `Round ${round}`, version: round + 1 },
        },
      });
      await Promise.all(readers);
      // What the racing reads saw: the state before the update or after it, nothing else.
      const possible = [...answers(round - 1), ...answers(round)].map((a) => JSON.stringify(a));
      for (const body of seen) expect(possible).toContain(JSON.stringify(body));
      // After the acknowledgement: the new state only, whether computed or from the cache.
      for (const [i, [query, variables]] of reads.entries()) {
        const first = await read(query, variables);
        const second = await read(query, variables);
        expect([first.body, second]).toEqual([
          answers(round)[i],
          { cache: "hit", body: first.body },
        ]);
      }
    }
  });
});

describe("Races: createCitation beside a new body for the same article", () => {
  const QUOTE = "The border treaty was signed on 13 March.";
  const BODY = `A state visit to Bishkek.\n\n${QUOTE}\n\nTalks continue.`;
  /** Where the quote is in `BODY`: paragraph 1, after the first paragraph and its break. */
  const AT = "A state visit to Bishkek.\n\n".length;
  const CITE = `mutation($input: CreateCitationInput!) {
    createCitation(input: $input) { id start end quote paragraphIndex } }`;
  const UPDATE = `mutation($id: ID!, $body: String!) {
    updateArticle(id: $id, input: { body: $body }) { id version } }`;

  /** Round i's order and lag: the citation sent first, by 0 to 9 ms, then the edit first. */
  const schedule = (i: number): ["cite" | "update", number] => [
    i < ROUNDS / 2 ? "cite" : "update",
    i % (ROUNDS / 2),
  ];

  let round = 0;
  /** A new article with `BODY` and a new visit to cite it for. */
  async function fixture() {
    round++;
    const slug = `raced-article-${round}`;
    const article = await ok(
      `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
      {
        input: {
          slug,
          title: `Raced ${round}`,
          language: "en",
          publishedOn: "2025-03-13",
          body: BODY,
        },
      },
    );
    const visit = await ok(
      `mutation($title: String!) { createVisit(input: { title: $title, kind: STATE_VISIT, editorialNote: "A test's." }) { id } }`,
      { title: `Raced visit ${round}` },
    );
    const { id: key } = await server.db.prisma.article.findUniqueOrThrow({ where: { slug } });
    return { slug, key, articleId: article.id as string, visitId: visit.id as string };
  }

  /**
   * Both calls at once: the `first` one sent, the other `lagMs` later. A citation does more
   * work before it locks the article than an edit does, so the lags vary the commit order.
   */
  async function race(
    articleId: string,
    visitId: string,
    body: string,
    first: "cite" | "update",
    lagMs: number,
  ) {
    const cite = () =>
      server.graphql(CITE, { input: { articleId, factId: visitId, quote: QUOTE } }, keys.editor);
    const update = () => server.graphql(UPDATE, { id: articleId, body }, keys.editor);
    const later = <T>(send: () => Promise<T>) => sleep(lagMs).then(send);
    const [cited, updated] =
      first === "cite"
        ? await Promise.all([cite(), later(update)])
        : await Promise.all([later(cite), update()]);
    return { cited, updated };
  }

  /**
   * What is stored for the article: its body, and every citation and mention of it, each of
   * which must quote the body and lie inside the paragraph it names.
   */
  async function stored(key: number) {
    const { prisma } = server.db;
    const { body } = await prisma.article.findUniqueOrThrow({ where: { id: key } });
    const paragraphs = await prisma.articleParagraph.findMany({
      where: { articleId: key },
      orderBy: { index: "asc" },
    });
    const citations = await prisma.citation.findMany({
      where: { articleId: key },
      select: { start: true, end: true, quote: true, paragraphIndex: true },
    });
    const mentions = await prisma.mention.findMany({ where: { articleId: key } });
    for (const passage of [...citations, ...mentions]) {
      expect(body.slice(passage.start, passage.end)).toBe(passage.quote);
      const paragraph = paragraphs[passage.paragraphIndex]!;
      expect(passage.start).toBeGreaterThanOrEqual(paragraph.start);
      expect(passage.end).toBeLessThanOrEqual(paragraph.end);
    }
    return { body, citations };
  }

  it(`moves a citation created beside a body edit that keeps its quote, in either order (${ROUNDS} rounds)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const { key, articleId, visitId } = await fixture();
      const note = `Editor's note ${i}.\n\n`;
      const { cited, updated } = await race(articleId, visitId, note + BODY, ...schedule(i));
      expect([cited.errors, updated.errors]).toEqual([undefined, undefined]);
      expect(updated.data).toEqual({ updateArticle: { id: articleId, version: 2 } });
      // Anchored in the old body (cited first) or the new one (edited first).
      expect([
        { start: AT, paragraphIndex: 1 },
        { start: note.length + AT, paragraphIndex: 2 },
      ]).toContainEqual({
        start: cited.data!.createCitation.start,
        paragraphIndex: cited.data!.createCitation.paragraphIndex,
      });
      // Either way it is stored where the quote is in the new body.
      expect(await stored(key)).toEqual({
        body: note + BODY,
        citations: [
          {
            start: note.length + AT,
            end: note.length + AT + QUOTE.length,
            quote: QUOTE,
            paragraphIndex: 2,
          },
        ],
      });
    }
  });

  it(`refuses whichever of a citation and a body edit that removes its quote commits second (${ROUNDS} rounds)`, async () => {
    const edited = BODY.replace(QUOTE, "The border treaty was signed in March.");
    for (let i = 0; i < ROUNDS; i++) {
      const { key, articleId, visitId } = await fixture();
      const { cited, updated } = await race(articleId, visitId, edited, ...schedule(i));
      if (cited.errors === undefined) {
        // The citation came first: the edit would break it, and is refused naming it.
        expect(updated).toEqual({
          status: 200,
          data: null,
          errors: [
            expect.objectContaining({
              message: expect.stringMatching(
                /^input\.body: the new text no longer contains what 1 citation\(s\) quote/,
              ),
              extensions: expect.objectContaining({
                code: "BAD_USER_INPUT",
                citations: [
                  expect.objectContaining({ id: cited.data!.createCitation.id, quote: QUOTE }),
                ],
              }),
            }),
          ],
        });
        expect(await stored(key)).toEqual({
          body: BODY,
          citations: [{ start: AT, end: AT + QUOTE.length, quote: QUOTE, paragraphIndex: 1 }],
        });
      } else {
        // The edit came first: the quote is no longer in the body.
        expect(updated.data).toEqual({ updateArticle: { id: articleId, version: 2 } });
        expect(cited).toEqual({
          status: 200,
          data: null,
          errors: [
            expect.objectContaining({
              message: expect.stringMatching(/^input\.quote: /),
              extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }),
            }),
          ],
        });
        expect(await stored(key)).toEqual({ body: edited, citations: [] });
      }
    }
  });
});
