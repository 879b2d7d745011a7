import { afterAll, describe, expect, it } from "@jest/globals";
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { defaultMigrationsDir, readMigrations } from "../../src/db/migrate.js";
import {
  checkDrift,
  defaultSchemaPath,
  handWrittenObjects,
  migrationList,
  openSchemaEngine,
  withoutHandWrittenObjects,
} from "../../src/db/schema-engine.js";

const root = path.resolve(defaultMigrationsDir, "../..");
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "accord-drift-"));
  dirs.push(dir);
  return dir;
}

/** A copy of prisma/schema.prisma with a new optional field on Visit. */
function schemaWithNewField(): string {
  const schema = readFileSync(defaultSchemaPath, "utf8");
  const changed = schema.replace(/^model Visit \{\n/m, "model Visit {\n  notes String?\n");
  expect(changed).not.toBe(schema);
  const file = path.join(tempDir(), "schema.prisma");
  writeFileSync(file, changed);
  return file;
}

function copyOfMigrations(): string {
  const dir = path.join(tempDir(), "migrations");
  cpSync(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

async function runCli(script: string, args: string[]): Promise<{ code: number; output: string }> {
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [script, ...args], { cwd: root });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe("drift check", () => {
  it("finds no drift between prisma/schema.prisma and the migrations", async () => {
    expect(await checkDrift()).toEqual({ drift: "", ignored: [] });
  });

  it("reports a field added to the schema without a migration", async () => {
    const { drift } = await checkDrift({ schemaPath: schemaWithNewField() });
    expect(drift).toMatch(/ALTER TABLE "Visit" ADD COLUMN\s+"notes" TEXT;/);
  });

  it("reports a column that a hand-written migration adds behind Prisma's back", async () => {
    const dir = copyOfMigrations();
    const name = "29991231000000_by_hand";
    mkdirSync(path.join(dir, name));
    writeFileSync(
      path.join(dir, name, "migration.sql"),
      `ALTER TABLE "Actor" ADD COLUMN "nickname" TEXT;\n` +
        `CREATE INDEX "Actor_nickname_idx" ON "Actor" (lower("nickname"));\n`,
    );
    const { drift } = await checkDrift({ migrationsDir: dir });
    expect(drift).toMatch(/ALTER TABLE "Actor" DROP COLUMN "nickname";/);
  });

  it("cannot see the hand-written objects at all: the constraints migration diffs as empty", async () => {
    // What the engine makes of CHECKs, functions, expression indexes and extensions: nothing.
    // If an engine upgrade changes that, withoutHandWrittenObjects keeps the check honest.
    const all = migrationList();
    const withoutHandWritten = {
      ...all,
      migrationDirectories: all.migrationDirectories.filter(
        (d) => !d.path.endsWith("_constraints"),
      ),
    };
    expect(withoutHandWritten.migrationDirectories.length).toBe(
      all.migrationDirectories.length - 1,
    );
    const { engine, close } = await openSchemaEngine();
    try {
      const result = await engine.diff({
        from: { tag: "migrations", ...withoutHandWritten },
        to: { tag: "migrations", ...all },
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      });
      expect(result.exitCode).toBe(0);
    } finally {
      await close();
    }
  });

  it("knows the hand-written objects of the migrations, and no Prisma index among them", () => {
    const known = handWrittenObjects(readMigrations());
    expect([...known.extensions].sort()).toEqual(["pg_trgm", "unaccent"]);
    expect([...known.functions]).toEqual([
      "accord_unaccent",
      "accord_count_rows",
      "accord_recount_lists",
      "accord_cache_notify",
      "accord_cache_generation_notify",
      "accord_visit_place",
      "accord_utf16_advance",
      "accord_index_paragraphs",
      "accord_paragraphs_inserted",
      "accord_paragraph_moved",
      "accord_article_body_changed",
      "accord_fact_basis_check",
      "accord_fact_basis",
      "accord_citation_basis",
    ]);
    expect(known.checks).toContain("Citation_subject_check");
    expect(known.checks).toContain("Visit_dates_check");
    expect([...known.expressionIndexes].sort()).toEqual([
      "ActorAlias_alias_trgm_idx",
      "Actor_fts_idx",
      "Actor_name_trgm_idx",
      "Agreement_fts_idx",
      "Article_fts_idx",
      "Outcome_fts_idx",
      "Visit_fts_idx",
    ]);
  });

  it("ignores only statements that drop hand-written objects", () => {
    const known = handWrittenObjects(readMigrations());
    const script = [
      "-- DropIndex",
      'DROP INDEX "Actor_fts_idx";',
      "-- DropIndex",
      'DROP INDEX "Actor_name_id_idx";',
      "-- AlterTable",
      'ALTER TABLE "Visit" DROP CONSTRAINT "Visit_dates_check",',
      'ADD COLUMN "notes" TEXT;',
      'ALTER TABLE "Outcome" DROP CONSTRAINT "Outcome_ordinal_check";',
      'ALTER TABLE "Citation" DROP CONSTRAINT "Citation_articleId_fkey";',
      'DROP EXTENSION IF EXISTS "pg_trgm";',
      'DROP FUNCTION "public"."accord_unaccent"(text);',
      'DROP FUNCTION "other"(text);',
    ].join("\n");
    const { script: rest, ignored } = withoutHandWrittenObjects(script, known);
    expect(ignored).toEqual([
      'DROP INDEX "Actor_fts_idx"',
      'ALTER TABLE "Visit" DROP CONSTRAINT "Visit_dates_check"',
      'ALTER TABLE "Outcome" DROP CONSTRAINT "Outcome_ordinal_check"',
      'DROP EXTENSION IF EXISTS "pg_trgm"',
      'DROP FUNCTION "public"."accord_unaccent"(text)',
    ]);
    expect(rest.split("\n\n")).toEqual([
      '-- DropIndex\nDROP INDEX "Actor_name_id_idx";',
      'ALTER TABLE "Visit" ADD COLUMN "notes" TEXT;',
      'ALTER TABLE "Citation" DROP CONSTRAINT "Citation_articleId_fkey";',
      'DROP FUNCTION "other"(text);',
    ]);
  });

  it("fails from the command line on drift and prints the SQL", async () => {
    const { code, output } = await runCli("src/cli/drift.ts", ["--schema", schemaWithNewField()]);
    expect(code).toBe(1);
    expect(output).toMatch(/ALTER TABLE "Visit" ADD COLUMN\s+"notes" TEXT;/);
  });

  it("writes the next migration from the command line, and then there is no drift", async () => {
    const dir = copyOfMigrations();
    const schema = schemaWithNewField();
    const { code, output } = await runCli("src/cli/migration-new.ts", [
      "Visit notes",
      "--schema",
      schema,
      "--migrations",
      dir,
    ]);
    expect(code).toBe(0);
    const created = readdirSync(dir).filter((name) => name.endsWith("_visit_notes"));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^\d{14}_visit_notes$/);
    const file = path.join(dir, created[0]!, "migration.sql");
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8")).toMatch(/ADD COLUMN\s+"notes" TEXT;\n$/);
    expect(output).toContain("visit_notes/migration.sql");
    expect(await checkDrift({ schemaPath: schema, migrationsDir: dir })).toEqual({
      drift: "",
      ignored: [],
    });
  });
});
