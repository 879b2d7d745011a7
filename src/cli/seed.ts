/**
 * `npm run db:seed [-- --reset] [-- --folder <dir>]`: brings in every article of the seed folder
 * (src/seed/articles unless --folder names another), each `<name>.md` with its facts in
 * `<name>.facts.json`, into the database that DATABASE_URL names (or the embedded one). Articles
 * already there are kept. Run `npm run db:migrate` first.
 */
import { parseArgs } from "node:util";
import { readConfig } from "../config.js";
import { describe, openDatabase } from "../db/database.js";
import { readSeedFolder, seed } from "../seed/load.js";

const { values } = parseArgs({
  options: { reset: { type: "boolean", default: false }, folder: { type: "string" } },
});
const config = readConfig();
const db = await openDatabase(config);
const list = (slugs: string[]) => slugs.map((s) => `"${s}"`).join(", ");
try {
  console.log(`Seeding ${describe(db)}`);
  const result = await seed(db, { reset: values.reset, articles: readSeedFolder(values.folder) });
  if (result.seeded.length > 0) {
    console.log(
      `Seeded ${list(result.seeded)}${values.reset ? " (after emptying the database)" : ""}.`,
    );
  }
  if (result.kept.length > 0) {
    console.log(`Already there, kept as they are: ${list(result.kept)}. Use --reset to reload.`);
  }
} catch (error) {
  console.error(`Seed failed, nothing was written: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
