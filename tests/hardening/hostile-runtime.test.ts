/**
 * Run-time defences against hostile requests, each tried on a production server process with
 * its default settings (the memory response cache included) while normal readers keep using
 * it: the attack is refused with its code, the readers stay fast, and the process stays alive
 * and under its memory ceiling.
 */
import { beforeAll, describe, expect, it } from "@jest/globals";
import {
  ARTICLE_SLUG,
  startHostileServer,
  underAttack,
  type AttackReport,
  expectReadersUnharmed,
} from "../support/hostile.js";
import { forSuite } from "../support/suite.js";

const MAX_RESPONSE_BYTES = 4_000_000;
const MAX_ENTRY_BYTES = 512_000;

const server = forSuite(() => startHostileServer(), 90_000);
/** The actor most mentioned in the seed, and the length of the article that mentions it. */
let actorId: string;
let mentions: number;
let bodyLength: number;

beforeAll(async () => {
  const actors = await server.graphql(
    `{ actors(first: 100) { edges { node { id mentions(first: 1) { totalCount } } } } }`,
  );
  const ranked = (
    actors.body.data.actors.edges as { node: { id: string; mentions: { totalCount: number } } }[]
  ).sort((a, b) => b.node.mentions.totalCount - a.node.mentions.totalCount);
  actorId = ranked[0]!.node.id;
  mentions = ranked[0]!.node.mentions.totalCount;
  const article = await server.graphql(`query($slug: String!) { article(slug: $slug) { body } }`, {
    slug: ARTICLE_SLUG,
  });
  bodyLength = Buffer.byteLength(article.body.data.article.body as string);
}, 90_000);

/** Normal readers were served, fast, and the process stayed alive and under its ceiling. */
const expectUnharmed = (report: AttackReport<unknown>) => expectReadersUnharmed(server, report, 20);

/**
 * Every mention of the actor (`first` set to their number, so the cost estimate counts no
 * more than there are), with its article's body `copies` times over.
 */
function mentionBodies(copies: number, padding = "") {
  const bodies = Array.from({ length: copies }, (_, i) => `b${i}: body`).join(" ");
  return `query Bodies($id: ID!, $first: Int) { actor(id: $id) { mentions(first: $first) { edges { node { article { ${bodies} } } } } } }${padding}`;
}

describe("Hostile requests at run time", () => {
  it("serves normal readers fast and within the memory ceiling when nothing attacks", async () => {
    const report = await underAttack(server, () => Promise.resolve("quiet"));

    expect(report.attack).toBe("quiet");
    expect(report.peakRssBytes).toBeGreaterThan(0);
    expectUnharmed(report);
  }, 60_000);

  it("refuses a response bomb that passes the cost limit with RESPONSE_TOO_LARGE, without building it", async () => {
    // Every mention of the actor with its article's body 19 times (the alias limit is 20):
    // cheap by the cost estimate, megabytes by the bytes the rows hold.
    const query = mentionBodies(19);
    expect(mentions * 19 * bodyLength).toBeGreaterThan(MAX_RESPONSE_BYTES);

    const report = await underAttack(server, () =>
      Promise.all(
        Array.from({ length: 3 }, async () => {
          const started = performance.now();
          const response = await server.graphql(query, { id: actorId, first: mentions });
          return { ...response, ms: performance.now() - started };
        }),
      ),
    );

    for (const response of report.attack) {
      expect({ status: response.status, body: response.body }).toEqual({
        status: 400,
        body: {
          data: null,
          errors: [
            {
              message: `The response would exceed ${MAX_RESPONSE_BYTES} bytes: ask for fewer fields, smaller pages (first or last) or fewer aliases`,
              extensions: { code: "RESPONSE_TOO_LARGE", limit: MAX_RESPONSE_BYTES },
            },
          ],
        },
      });
      expect(response.ms).toBeLessThan(5_000);
    }
    expectUnharmed(report);
  }, 90_000);

  it("stays up after refusing a response that overruns its budget inside non-null lists of pending items", async () => {
    // Edges are non-null list items, each resolving asynchronously: the field that overruns
    // the budget fails beside siblings still pending, which must not reject unhandled.
    const mention = (inner: string, first = 100) =>
      `mentions(first: ${first}) { edges { cursor node { id quote start end paragraphIndex ${inner} } } }`;
    const query = `query Nested($id: ID!) { actor(id: $id) { ${mention(
      `actor { id name aliases description ${mention(
        `actor { id name aliases description ${mention("article { id title slug subtitle }", 30)} }`,
      )} }`,
    )} } }`;

    const report = await underAttack(server, async () => {
      const answers = [];
      for (let i = 0; i < 5; i++) answers.push(await server.graphql(query, { id: actorId }));
      // Unhandled rejections end a process a tick after the answer is sent: give it time.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return answers;
    });

    for (const response of report.attack) {
      expect(response.status).toBe(400);
      expect(
        response.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code),
      ).toEqual(["RESPONSE_TOO_LARGE"]);
    }
    expectUnharmed(report);
  }, 60_000);

  it("serves five ~3 MB responses told apart by trailing spaces without caching them, and stays under its ceiling", async () => {
    // The reproduction: five big responses at once, each a new cache entry by a few spaces.
    const copies = Math.floor(3_000_000 / (mentions * bodyLength));
    const variant = (spaces: number) => mentionBodies(copies, " ".repeat(spaces));

    const report = await underAttack(server, async () => {
      const answers = await Promise.all(
        [1, 2, 3, 4, 5].map((spaces) =>
          server.graphql(variant(spaces), { id: actorId, first: mentions }),
        ),
      );
      // The first again: still a miss, as nothing that size was stored.
      answers.push(await server.graphql(variant(1), { id: actorId, first: mentions }));
      return answers;
    });

    expect(report.attack).toHaveLength(6);
    for (const response of report.attack) {
      expect(response.status).toBe(200);
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data.actor.mentions.edges).toHaveLength(mentions);
      expect(response.bytes).toBeGreaterThan(MAX_ENTRY_BYTES);
      expect(response.bytes).toBeLessThan(MAX_RESPONSE_BYTES);
      expect(response.headers.get("x-cache")).toBe("miss");
    }
    expectUnharmed(report);
  }, 120_000);

  it('refuses a 600 kB "Did you mean" variable at once, echoing only a bounded prefix', async () => {
    const flood = "Did you mean ".repeat(46_154);
    const query = `query Page($first: Int) { actors(first: $first) { totalCount } }`;

    const report = await underAttack(server, async () => {
      const answers = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        const response = await server.graphql(query, { first: `${flood}${i}?` });
        answers.push({ ...response, ms: performance.now() - started });
      }
      return answers;
    });

    for (const response of report.attack) {
      expect(response.status).toBe(400);
      expect(response.body.errors).toHaveLength(1);
      const [error] = response.body.errors as { message: string; extensions: object }[];
      expect(error!.extensions).toEqual({ code: "BAD_USER_INPUT" });
      expect(error!.message.length).toBeLessThanOrEqual(500);
      expect(error!.message).toMatch(/^Variable "\$first" got invalid value "Did you mean .*…$/);
      expect(response.bytes).toBeLessThan(1_000);
      expect(response.ms).toBeLessThan(1_000);
    }
    expectUnharmed(report);
  }, 60_000);

  it("refuses a 1.9 MB operationName with BAD_REQUEST, without echoing it", async () => {
    const operationName = "A".repeat(1_900_000);

    const report = await underAttack(server, () =>
      server.post(JSON.stringify({ query: "query A { __typename }", operationName })),
    );

    expect({ status: report.attack.status, body: report.attack.body }).toEqual({
      status: 400,
      body: {
        errors: [
          {
            message: "operationName may be at most 256 characters long; this one has 1900000",
            extensions: { code: "BAD_REQUEST", limit: 256 },
          },
        ],
      },
    });
    expect(report.attack.bytes).toBeLessThan(500);
    expectUnharmed(report);
  }, 60_000);
});

describe("A response budget that runs out among pending list items", () => {
  const small = forSuite(
    () => startHostileServer({ env: { ACCORD_MAX_RESPONSE_BYTES: "1000" } }),
    90_000,
  );

  it("refuses the response and the process lives on", async () => {
    // Non-null edges whose aliases load asynchronously: the budget runs out at a name counted
    // synchronously beside edges still pending, which must not reject with no handler.
    const query = `{ actors(first: 100) { edges { node { id name aliases description } } } }`;
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await small.graphql(query));
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    for (const answer of answers) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions.code).toBe("RESPONSE_TOO_LARGE");
    }
    expect(small.alive()).toBe(true);
  }, 60_000);
});
