/**
 * `npm run db:seed [-- --reset] [-- --facts <file>]`: loads the source article and the facts read
 * from it (src/seed/facts.json unless --facts names another file) into the database
 * that DATABASE_URL names (or the embedded one). Run `npm run db:migrate` first.
 */
import { parseArgs } from "node:util";
import { readConfig } from "../config.js";
import { describe, openDatabase } from "../db/database.js";
import { readFacts } from "../seed/facts.js";
import { seed } from "../seed/load.js";

const { values } = parseArgs({
  options: { reset: { type: "boolean", default: false }, facts: { type: "string" } },
});
const config = readConfig();
const db = await openDatabase(config);
try {
  console.log(`Seeding ${describe(db)}`);
  const facts = values.facts === undefined ? undefined : readFacts(values.facts);
  const result = await seed(db, { reset: values.reset, facts });
  console.log(
    result.status === "seeded"
      ? `Seeded "${result.slug}"${values.reset ? " (after emptying the database)" : ""}.`
      : `Already seeded with "${result.slug}": nothing changed. Use --reset to reload it.`,
  );
} catch (error) {
  console.error(`Seed failed, nothing was written: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
