/**
 * Every filter and order the API pages by has an index that serves it: the planner, with
 * sequential scans priced out (the test data is small enough that it would otherwise scan),
 * reads each list through the expected index and needs no sort step.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/seed/load.js";
import { openTestDatabase, type TestDatabase } from "../support/database.js";

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
  await migrate(database.db);
  await seed(database.db);
});
afterAll(() => database.close());

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

/** The plan's nodes; `ordered` also prices out bitmap scans, which lose the index order. */
async function plan(sql: string, ordered = true): Promise<PlanNode[]> {
  return database.db.withSession(async (session) => {
    await session.exec(
      `BEGIN; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = ${ordered ? "off" : "on"}`,
    );
    try {
      const rows = await session.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${sql}`);
      const raw = rows[0]!["QUERY PLAN"];
      const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
      const nodes: PlanNode[] = [];
      const walk = (node: PlanNode) => {
        nodes.push(node);
        node.Plans?.forEach(walk);
      };
      walk(parsed[0]!.Plan);
      return nodes;
    } finally {
      await session.exec("ROLLBACK");
    }
  });
}

describe("Indexes: lists and filters", () => {
  it.each([
    [
      "articles, newest first",
      `SELECT * FROM "Article" ORDER BY "publishedOn" DESC, id DESC LIMIT 21`,
      "Article_publishedOn_id_idx",
    ],
    [
      "articles after a cursor",
      `SELECT * FROM "Article" WHERE "publishedOn" < '2025-01-01' OR ("publishedOn" = '2025-01-01' AND id < 5) ORDER BY "publishedOn" DESC, id DESC LIMIT 21`,
      "Article_publishedOn_id_idx",
    ],
    [
      "articles after a cursor, as lists send it (a row comparison)",
      `SELECT * FROM "Article" WHERE TRUE AND ("publishedOn", "id") < ('2025-01-01'::date, 5) ORDER BY "publishedOn" DESC, "id" DESC LIMIT 21`,
      "Article_publishedOn_id_idx",
    ],
    [
      "outcomes of a status after a cursor, as lists send it",
      `SELECT * FROM "Outcome" WHERE ("status" = 'ACHIEVED'::"OutcomeStatus") AND ("ordinal", "id") > (3::int, 7) ORDER BY "ordinal" ASC, "id" ASC LIMIT 21`,
      "Outcome_status_ordinal_id_idx",
    ],
    ["actors by name", `SELECT * FROM "Actor" ORDER BY name, id LIMIT 21`, "Actor_name_id_idx"],
    [
      "actors of a kind by name",
      `SELECT * FROM "Actor" WHERE kind = 'STATE' ORDER BY name, id LIMIT 21`,
      "Actor_kind_name_id_idx",
    ],
    [
      "outcomes by ordinal",
      `SELECT * FROM "Outcome" ORDER BY ordinal, id LIMIT 21`,
      "Outcome_ordinal_id_idx",
    ],
    [
      "outcomes of a status",
      `SELECT * FROM "Outcome" WHERE status = 'ACHIEVED' ORDER BY ordinal, id LIMIT 21`,
      "Outcome_status_ordinal_id_idx",
    ],
    [
      "outcomes of a category",
      `SELECT * FROM "Outcome" WHERE category = 'BORDER' ORDER BY ordinal, id LIMIT 21`,
      "Outcome_category_ordinal_id_idx",
    ],
    [
      "outcomes of a visit",
      `SELECT * FROM "Outcome" WHERE "visitId" = 1 ORDER BY ordinal LIMIT 21`,
      "Outcome_visitId_ordinal_key",
    ],
    [
      "dated visits, newest first",
      `SELECT * FROM "Visit" WHERE "startDate" IS NOT NULL ORDER BY "startDate" DESC, id DESC LIMIT 21`,
      "Visit_startDate_id_idx",
    ],
    [
      "agreements of a kind",
      `SELECT * FROM "Agreement" WHERE kind = 'TREATY' ORDER BY id LIMIT 21`,
      "Agreement_kind_id_idx",
    ],
  ])("%s", async (_, sql, index) => {
    const nodes = await plan(sql);
    expect(nodes.map((n) => n["Index Name"]).filter(Boolean)).toContain(index);
    expect(nodes.map((n) => n["Node Type"])).not.toContain("Sort");
  });

  it.each([
    [
      "agreements a party signed",
      `SELECT "agreementId" FROM "AgreementParty" WHERE "actorId" = 3`,
      "AgreementParty_actorId_idx",
    ],
    [
      "an actor's participations",
      `SELECT * FROM "VisitParticipant" WHERE "actorId" = 1`,
      "VisitParticipant_actorId_idx",
    ],
    ["an article by slug", `SELECT * FROM "Article" WHERE slug = 'x'`, "Article_slug_key"],
    [
      "citations of an outcome",
      `SELECT * FROM "Citation" WHERE "outcomeId" = 1`,
      "Citation_outcomeId_idx",
    ],
    [
      "mentions of an actor",
      `SELECT * FROM "Mention" WHERE "actorId" = 1 ORDER BY "articleId", start`,
      "Mention_actorId_articleId_start_key",
    ],
    [
      "names containing a fragment",
      `SELECT "actorId" FROM "ActorAlias" WHERE accord_unaccent(lower(alias)) LIKE '%japarov%'`,
      "ActorAlias_alias_trgm_idx",
    ],
    [
      "articles matching words (the stored search vector)",
      `SELECT id FROM "Article" WHERE "searchVector" @@ websearch_to_tsquery('english', 'border treaty')`,
      "Article_searchVector_idx",
    ],
    [
      "outcomes matching words",
      `SELECT id FROM "Outcome" WHERE to_tsvector('english', "statement") @@ websearch_to_tsquery('english', 'border treaty')`,
      "Outcome_fts_idx",
    ],
  ])("%s", async (_, sql, index) => {
    const nodes = await plan(sql, false);
    expect(nodes.map((n) => n["Index Name"]).filter(Boolean)).toContain(index);
  });
});
