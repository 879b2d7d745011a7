/**
 * Reads planned from the selection (src/read/plan.ts): an object looked up by id, through its
 * own root field or `node`, comes with everything the query selects below it in one statement,
 * whatever fragments and aliases it is selected through, and answers what the record holds.
 * A selection wider than the planner reads at once still answers whole.
 */
import { describe, expect, it } from "@jest/globals";
import { buildASTSchema, Kind, parse, type OperationDefinitionNode } from "graphql";
import { toGlobalId } from "../../src/ids.js";
import { MAX_PLANNED_SETS, planBelow } from "../../src/read/plan.js";
import { schemaDocument } from "../../src/schema.js";
import { startTestServer } from "../support/server.js";
import { forSuite } from "../support/suite.js";

// Without the response cache: every request must reach the database to be counted.
const server = forSuite(() =>
  startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off", ACCORD_MAX_COST: "100000000" } }),
);

async function read(query: string, variables: Record<string, unknown>) {
  const before = server.db.statementCount;
  const response = await server.graphql(query, variables);
  return { ...response, statements: server.db.statementCount - before };
}

const VISIT_FIELDS = `
  title
  participants { role actor { name } }
  agreements { title parties { name } citations { quote article { slug } } }
  outcomes { statement citations { quote } }
  citations { quote }`;

/** How many sets of rows the plan of `query`'s root field (a visit) reads below it. */
function plannedSets(query: string): number {
  const schema = buildASTSchema(schemaDocument());
  const document = parse(query);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = Object.fromEntries(
    document.definitions.flatMap((d) =>
      d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d]] : [],
    ),
  );
  const root = operation.selectionSet.selections[0]!;
  if (root.kind !== Kind.FIELD) throw new Error("the query's root is not a field");
  const plan = planBelow(
    { schema, fragments, variableValues: {} },
    { type: schema.getType("Visit") as never, nodes: [root] },
    { name: "root", model: "Visit", columns: ["id"] },
  );
  return plan.with.split(" AS MATERIALIZED ").length - 1;
}

/** The seeded visit as the record holds it, in the order the schema documents. */
async function seededVisit() {
  const { prisma } = server.db;
  const visit = await prisma.visit.findFirstOrThrow({
    include: {
      participants: { include: { actor: true }, orderBy: { id: "asc" } },
      agreements: {
        orderBy: { id: "asc" },
        include: {
          parties: { include: { actor: true }, orderBy: { actorId: "asc" } },
          citations: { include: { article: true }, orderBy: [{ start: "asc" }, { id: "asc" }] },
        },
      },
      outcomes: {
        orderBy: { ordinal: "asc" },
        include: { citations: { orderBy: [{ start: "asc" }, { id: "asc" }] } },
      },
      citations: { orderBy: [{ start: "asc" }, { id: "asc" }] },
    },
  });
  const quotes = (citations: { quote: string }[]) => citations.map(({ quote }) => ({ quote }));
  return {
    id: toGlobalId("Visit", visit.id),
    answer: {
      title: visit.title,
      participants: visit.participants.map((p) => ({
        role: p.role,
        actor: { name: p.actor.name },
      })),
      agreements: visit.agreements.map((a) => ({
        title: a.title,
        parties: a.parties.map((p) => ({ name: p.actor.name })),
        citations: a.citations.map((c) => ({ quote: c.quote, article: { slug: c.article.slug } })),
      })),
      outcomes: visit.outcomes.map((o) => ({
        statement: o.statement,
        citations: quotes(o.citations),
      })),
      citations: quotes(visit.citations),
    },
  };
}

describe("Planned reads", () => {
  it("read a visit by id with everything below it in one statement", async () => {
    const { id, answer } = await seededVisit();
    expect(answer.agreements.length).toBeGreaterThan(0);
    expect(answer.participants.length).toBeGreaterThan(0);
    const response = await read(`query ($id: ID!) { visit(id: $id) { ${VISIT_FIELDS} } }`, { id });
    expect(response).toEqual({ status: 200, data: { visit: answer }, statements: 1 });
  });

  it("read the same through node, inside aliases and a fragment on the type, in one statement", async () => {
    const { id, answer } = await seededVisit();
    const query = `
      query ($id: ID!) {
        node(id: $id) { ...Shown ... on Actor { aliases } }
      }
      fragment Shown on Visit { ${VISIT_FIELDS} crowd: participants { actor { name } } }`;
    const response = await read(query, { id });
    const crowd = answer.participants.map(({ actor }) => ({ actor }));
    expect(response).toEqual({
      status: 200,
      data: { node: { ...answer, crowd } },
      statements: 1,
    });
  });

  it("answer a selection wider than one statement reads whole, the rest batched", async () => {
    const { id, answer } = await seededVisit();
    // The visit again below each of its lists: more sets of rows than one statement reads
    // (MAX_PLANNED_SETS), within the query's depth and cost limits.
    const query = `
      query ($id: ID!) {
        visit(id: $id) {
          ...Level
          agreements { visit { ...Level } }
          outcomes { visit { ...Level } }
          participants { visit { ...Level } }
          citations { article { visits { ...Level } } }
        }
      }
      fragment Level on Visit {
        participants { role actor { name } }
        agreements { title parties { name } }
        outcomes { statement citations { quote } }
        citations { quote }
      }`;
    const level = {
      participants: answer.participants,
      agreements: answer.agreements.map(({ title, parties }) => ({ title, parties })),
      outcomes: answer.outcomes,
      citations: answer.citations,
    };
    const response = await read(query, { id });
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      visit: {
        participants: level.participants.map((p) => ({ ...p, visit: level })),
        agreements: level.agreements.map((a) => ({ ...a, visit: level })),
        outcomes: level.outcomes.map((o) => ({ ...o, visit: level })),
        citations: level.citations.map((c) => ({ ...c, article: { visits: [level] } })),
      },
    });
    // The statement read as many sets as it may; the loaders, primed by it, held the rest.
    expect(plannedSets(query)).toBe(MAX_PLANNED_SETS);
    expect(response.statements).toBeLessThan(10);
  });
});
