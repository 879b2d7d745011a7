/**
 * `npm run db:migration:new -- <name>`: writes the next migration,
 * prisma/migrations/<UTC YYYYMMDDHHMMSS>_<name>/migration.sql, with the SQL that takes the
 * database the existing migrations build to what prisma/schema.prisma describes.
 *
 * Options (for tests and experiments): --schema <file>, --migrations <folder>.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { defaultMigrationsDir, readMigrations } from "../db/migrate.js";
import { checkDrift } from "../db/schema-engine.js";

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, "").slice(0, 14);
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { schema: { type: "string" }, migrations: { type: "string" } },
  });
  const name = positionals
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (name === "") {
    console.error("Usage: npm run db:migration:new -- <name>   (e.g. add_visit_notes)");
    return 2;
  }
  const migrationsDir = path.resolve(values.migrations ?? defaultMigrationsDir);
  const folder = `${timestamp(new Date())}_${name}`;
  const last = readMigrations(migrationsDir).at(-1)?.name;
  if (last && folder <= last) {
    console.error(
      `${folder} would not sort after the last migration, ${last}: is the clock right?`,
    );
    return 1;
  }
  const { drift, ignored } = await checkDrift({ schemaPath: values.schema, migrationsDir });
  for (const statement of ignored) console.log(`Left out (hand-written object): ${statement}`);
  if (drift === "") {
    console.log(
      "Nothing to migrate: the migrations already build what the Prisma schema describes.",
    );
    return 0;
  }
  const file = path.join(migrationsDir, folder, "migration.sql");
  mkdirSync(path.dirname(file));
  writeFileSync(file, `${drift.trimEnd()}\n`);
  console.log(`Wrote ${path.relative(process.cwd(), file)}:\n\n${drift}\n`);
  console.log("Review it, then apply it with `npm run db:migrate`.");
  return 0;
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  return 1;
});
