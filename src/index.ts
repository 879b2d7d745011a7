/**
 * Starts Accord: `npm start`. With DATABASE_URL it serves that Postgres server; without it,
 * an embedded Postgres in ACCORD_DATA_DIR (default `data/pglite`), migrated and seeded on
 * first start so the API works with no setup at all.
 */
import { readConfig } from "./config.js";
import { describe, openDatabase } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import { seed } from "./seed/load.js";
import { createServer } from "./server.js";

const config = readConfig();
const db = await openDatabase(config);
console.log(`Using ${describe(db)}`);

if (db.kind === "embedded") {
  const { applied } = await migrate(db);
  if (applied.length > 0) console.log(`Applied migrations: ${applied.join(", ")}`);
  const seeded = await seed(db);
  if (seeded.status === "seeded") console.log(`Seeded the embedded database with "${seeded.slug}"`);
}

const server = await createServer(db, config);
const url = await server.listen(config.port);
console.log(`Accord is serving GraphQL at ${url}`);

async function shutdown() {
  await server.stop();
  await db.close();
}
process.once("SIGINT", () => void shutdown());
process.once("SIGTERM", () => void shutdown());
