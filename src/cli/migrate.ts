/**
 * `npm run db:migrate`: applies the pending migrations in prisma/migrations to the database
 * that DATABASE_URL names, or to the embedded one (ACCORD_DATA_DIR) when it is unset.
 */
import { readConfig } from "../config.js";
import { describe, openDatabase } from "../db/database.js";
import { migrate } from "../db/migrate.js";

async function main(): Promise<number> {
  const config = readConfig();
  const db = await openDatabase(config);
  try {
    console.log(
      `Migrating ${describe(db)}${config.databaseUrl ? "" : " (DATABASE_URL is not set)"}`,
    );
    const { applied } = await migrate(db, { log: (line) => console.log(line) });
    console.log(
      applied.length === 0
        ? "Database is up to date"
        : `Applied ${applied.length} migration${applied.length === 1 ? "" : "s"}: ${applied.join(", ")}`,
    );
    return 0;
  } catch (error) {
    console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  return 1;
});
