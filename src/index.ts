/**
 * Starts Accord: `npm start`. With DATABASE_URL it serves that Postgres server; without it,
 * an embedded Postgres in ACCORD_DATA_DIR (default `data/pglite`), migrated and seeded on
 * first start so the API works with no setup at all. SIGTERM and SIGINT stop it gracefully
 * (src/drain.ts): no new connections, every request read is answered, the database closes,
 * exit code 0.
 */
import { readConfig } from "./config.js";
import { describe, openDatabase } from "./db/database.js";
import { describeStatus, migrate, migrationStatus } from "./db/migrate.js";
import { isDatabaseUnavailable } from "./errors.js";
import { createLogger } from "./logging.js";
import { seed } from "./seed/load.js";
import { createServer } from "./server.js";

const config = readConfig();
const logger = createLogger(config.logLevel);
const db = await openDatabase(config);
logger.info(`Using ${describe(db)}`);

if (db.kind === "embedded") {
  const { applied } = await migrate(db);
  if (applied.length > 0) logger.info(`Applied migrations: ${applied.join(", ")}`);
  const seeded = await seed(db);
  if (seeded.status === "seeded") {
    logger.info(
      `Seeded the embedded database with ${seeded.seeded.map((s) => `"${s}"`).join(", ")}`,
    );
  }
} else {
  // A server database is migrated by `npm run db:migrate`, never by starting: one that is
  // behind (or ahead of) this build stops the process here, loudly, rather than serving
  // errors behind a ready /readyz. A database not reachable yet is waited for.
  const problem = await migrationProblem();
  if (problem) {
    logger.fatal(problem);
    await db.close();
    process.exit(1);
  }
}

async function migrationProblem(): Promise<string | null> {
  for (;;) {
    try {
      return describeStatus(await migrationStatus(db));
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      logger.warn(
        { err: error },
        "the database is unavailable; checking its migrations again in 1 s",
      );
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

// graphql-js 16 can leave a promise of an abandoned list item rejected with no handler after
// the response it belonged to was sent; Node would end the process for it. Log it instead.
process.on("unhandledRejection", (reason) => {
  logger.error({ err: reason }, "a promise was rejected with no handler");
});

const server = await createServer(db, config, logger);
const url = await server.listen(config.port);
logger.info(
  `Accord is serving GraphQL at ${url}, the offline explorer at ${new URL("/explorer", url).href}`,
);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: finishing requests in flight");
  const deadline = setTimeout(() => {
    logger.error(`requests still running after ${config.shutdownTimeoutMs} ms; exiting anyway`);
    process.exit(1);
  }, config.shutdownTimeoutMs);
  deadline.unref();
  try {
    // Bounded by the deadline above: a request still running then is cut off, and logged.
    const clean = await server.stop({ graceMs: config.shutdownTimeoutMs });
    await db.close();
    if (!clean)
      logger.error(`requests still running after ${config.shutdownTimeoutMs} ms were cut off`);
    logger.info("stopped");
    process.exit(clean ? 0 : 1);
  } catch (error) {
    logger.error({ err: error }, "shutdown failed");
    process.exit(1);
  }
}
process.once("SIGINT", () => void shutdown("SIGINT"));
process.once("SIGTERM", () => void shutdown("SIGTERM"));
