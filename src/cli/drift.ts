/**
 * `npm run db:drift`: fails when prisma/schema.prisma and prisma/migrations disagree, i.e.
 * when the schema was changed without a migration (`npm run db:migration:new -- <name>`).
 * Objects that only hand-written SQL can create (CHECKs, functions, expression indexes,
 * extensions) are not drift; see docs/migrations.md.
 *
 * Options (for tests and experiments): --schema <file>, --migrations <folder>.
 */
import { parseArgs } from "node:util";
import { checkDrift } from "../db/schema-engine.js";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { schema: { type: "string" }, migrations: { type: "string" } },
  });
  const { drift, ignored } = await checkDrift({
    schemaPath: values.schema,
    migrationsDir: values.migrations,
  });
  for (const statement of ignored) console.log(`Ignored (hand-written object): ${statement}`);
  if (drift === "") {
    console.log("No drift: the migrations build exactly what the Prisma schema describes.");
    return 0;
  }
  console.log(
    "Drift: the Prisma schema differs from what the migrations build. A new migration " +
      `would need:\n\n${drift}\n\nRun \`npm run db:migration:new -- <name>\` to write it.`,
  );
  return 1;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`Drift check failed: ${error instanceof Error ? error.message : String(error)}`);
  return 2;
});
