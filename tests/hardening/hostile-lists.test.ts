/**
 * Hostile requests against the lists, on a production server process while normal readers
 * keep using it: nested mentions of mentions (once 331 MB from a 162-byte query, and a crash
 * five levels deep) and 15,000 federated representations (once 338 MB). Each is now bounded
 * or refused with its code, while the readers stay fast and the process stays under its
 * memory ceiling.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { toGlobalId } from "../../src/ids.js";
import {
  startHostileServer,
  underAttack,
  type HostileServer,
  expectReadersUnharmed,
} from "../support/hostile.js";
import { forSuite } from "../support/suite.js";

/** `levels` of `mentions { edges { node { actor { ... } } } }`, ending with article bodies. */
function nestedMentions(id: string, levels: number): string {
  const open = "mentions { edges { node { actor { ".repeat(levels - 1);
  const close = " } } } }".repeat(levels - 1);
  return `{ actor(id: "${id}") { ${open}mentions { edges { node { article { body } } } }${close} } }`;
}

describe("Hostile lists on the standalone server", () => {
  let server: HostileServer;
  let tajikistan: string;
  beforeAll(async () => {
    server = await startHostileServer();
    const found = await server.graphql(
      `{ actors(filter: { search: "Tajikistan" }) { edges { node { id name } } } }`,
    );
    tajikistan = found.body.data.actors.edges.find((e: any) => e.node.name === "Tajikistan").node
      .id;
  }, 90_000);
  afterAll(() => server?.stop());

  it("refuses the 162-byte nested mentions query by its cost, three at once", async () => {
    const query = nestedMentions(tajikistan, 3);
    expect(query.length).toBeLessThan(200);
    const report = await underAttack(server, () =>
      Promise.all(Array.from({ length: 3 }, () => server.graphql(query))),
    );
    for (const response of report.attack) {
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        errors: [
          {
            // 8,000 article bodies: 20 mentions of 20 mentions of 20 mentions.
            message:
              "Query cost 8025682 exceeds the limit of 1000000: ask for smaller pages (first or last) or fewer nested lists",
            extensions: { code: "MAX_COST_EXCEEDED", limit: 1_000_000 },
          },
        ],
      });
    }
    expectReadersUnharmed(server, report);
  }, 120_000);

  it("refuses the query five levels deep with MAX_COST_EXCEEDED, naming the cost and the limit", async () => {
    const query = nestedMentions(tajikistan, 5);
    const report = await underAttack(server, () =>
      Promise.all(Array.from({ length: 5 }, () => server.graphql(query))),
    );
    for (const response of report.attack) {
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toEqual([
        {
          message:
            "Query cost 3210273682 exceeds the limit of 1000000: ask for smaller pages (first or last) or fewer nested lists",
          extensions: { code: "MAX_COST_EXCEEDED", limit: 1_000_000 },
        },
      ]);
    }
    expectReadersUnharmed(server, report);
  }, 120_000);
});

describe("Hostile lists on a federated subgraph", () => {
  const server = forSuite(() => startHostileServer({ env: { ACCORD_FEDERATION: "true" } }), 90_000);

  it("refuses 15,000 representations with BAD_USER_INPUT naming representations and the limit", async () => {
    const representations = Array.from({ length: 15_000 }, (_, i) => ({
      __typename: "Actor",
      id: toGlobalId("Actor", (i % 9) + 1),
    }));
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Actor { id name aliases description } } }`;
    const report = await underAttack(server, () =>
      Promise.all(Array.from({ length: 3 }, () => server.graphql(query, { r: representations }))),
    );
    for (const response of report.attack) {
      expect(response.status).toBe(400);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toEqual([
        {
          message: "representations: at most 100 per request, got 15000",
          extensions: { code: "BAD_USER_INPUT", argumentName: "representations", max: 100 },
        },
      ]);
      expect(response.bytes).toBeLessThan(1024);
    }
    expectReadersUnharmed(server, report);
  }, 120_000);
});
