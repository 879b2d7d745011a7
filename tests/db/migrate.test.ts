import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { openEmbedded, openPostgres, type Database } from "../../src/db/database.js";
import {
  MigrationError,
  defaultMigrationsDir,
  migrate,
  readMigrations,
  splitStatements,
} from "../../src/db/migrate.js";
import { migrationList, openSchemaEngine } from "../../src/db/schema-engine.js";
import { createTestDatabase } from "../support/postgres.js";

const onPostgres = Boolean(process.env.DATABASE_URL);
const projectMigrations = readMigrations().map((m) => m.name);
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** An empty database: a new one on DATABASE_URL's server, else an in-memory PGlite. */
async function freshDatabase(): Promise<{ db: Database; url?: string }> {
  if (!onPostgres) {
    const db = await openEmbedded("memory://");
    cleanups.push(() => db.close());
    return { db };
  }
  const database = await createTestDatabase();
  const db = openPostgres(database.url, { poolSize: 4 });
  cleanups.push(async () => {
    await db.close();
    await database.drop();
  });
  return { db, url: database.url };
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "accord-migrations-"));
  cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  return dir;
}

function writeMigration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

const query = <R = Record<string, unknown>>(db: Database, sql: string, params?: unknown[]) =>
  db.withSession((session) => session.query<R>(sql, params));

async function tables(db: Database): Promise<string[]> {
  const rows = await query<{ name: string }>(
    db,
    `SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = current_schema() ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

interface Record_ {
  id: string;
  checksum: string;
  migration_name: string;
  logs: string | null;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
}

const records = (db: Database) =>
  query<Record_>(db, "SELECT * FROM _prisma_migrations ORDER BY migration_name");

const columnsSql = `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default
  FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`;

describe("splitStatements", () => {
  it("keeps quotes, comments and dollar-quoted bodies whole and numbers lines", () => {
    const script = [
      "-- a comment; with a semicolon",
      "CREATE TABLE t (a text DEFAULT ';');",
      "",
      "/* block; comment */ CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;",
      "INSERT INTO \"we;ird\" VALUES ('it''s; fine');",
      "CREATE FUNCTION g() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;",
      "-- trailing comment only",
    ].join("\n");
    const statements = splitStatements(script);
    expect(statements.map((s) => s.line)).toEqual([2, 4, 5, 6]);
    expect(statements[1]?.sql).toContain("AS $$ SELECT 1; $$");
    expect(statements[2]?.sql).toContain("'it''s; fine'");
    expect(statements[3]?.sql).toContain("BEGIN RETURN 1; END $body$");
  });
});

describe(`migrate (${onPostgres ? "Postgres" : "embedded PGlite"})`, () => {
  /** A database migrated once, for the tests that only read what migrating left. */
  let main: Database;
  beforeAll(async () => {
    main = (await freshDatabase()).db;
    await migrate(main);
  });

  it("migrates an empty database and records every migration", async () => {
    const { db } = await freshDatabase();
    const lines: string[] = [];
    const { applied } = await migrate(db, { log: (line) => lines.push(line) });
    expect(applied).toEqual(projectMigrations);
    expect(lines).toEqual(projectMigrations.map((name) => `Applying ${name}`));
    expect(await tables(db)).toEqual(
      expect.arrayContaining(["Actor", "Article", "Citation", "_prisma_migrations"]),
    );
    // The hand-written rules are in force.
    await expect(
      query(db, `INSERT INTO "Actor" (name, kind, "updatedAt") VALUES ('  ', 'STATE', now())`),
    ).rejects.toThrow(/Actor_name_check/);
    const [row] = await query<{ u: string }>(db, "SELECT accord_unaccent('Ćevapčići') AS u");
    expect(row?.u).toBe("Cevapcici");
  });

  it("applies nothing when run again", async () => {
    const before = await records(main);
    expect(await migrate(main)).toEqual({ applied: [] });
    expect(await records(main)).toEqual(before);
  });

  it("records migrations as `prisma migrate deploy` does", async () => {
    const rows = await records(main);
    expect(rows.map((r) => r.migration_name)).toEqual(projectMigrations);
    for (const row of rows) {
      const file = path.join(defaultMigrationsDir, row.migration_name, "migration.sql");
      expect(row.checksum).toBe(createHash("sha256").update(readFileSync(file)).digest("hex"));
      expect(row.id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    // The table is the one Prisma's schema engine creates (asked of the engine itself below).
    const pglite = await PGlite.create("memory://", { extensions: { pg_trgm, unaccent } });
    const engine = await openSchemaEngine({ database: pglite });
    try {
      await engine.engine.applyMigrations({
        migrationsList: migrationList(),
        filters: { externalTables: [], externalEnums: [] },
      });
      const prismaColumns = (await pglite.query(columnsSql)).rows;
      expect(await query(main, columnsSql)).toEqual(prismaColumns);
      const prismaRows = (await pglite.query<Record_>("SELECT * FROM _prisma_migrations")).rows;
      expect(prismaRows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
        rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count]),
      );
    } finally {
      await engine.close();
      await pglite.close();
    }
  });

  it("refuses to run when an applied migration was changed", async () => {
    const { db } = await freshDatabase();
    const dir = tempDir();
    writeMigration(dir, "0001_first", "CREATE TABLE first (id int);\n");
    expect(await migrate(db, { dir })).toEqual({ applied: ["0001_first"] });
    writeFileSync(
      path.join(dir, "0001_first", "migration.sql"),
      "CREATE TABLE first (id bigint);\n",
    );
    writeMigration(dir, "0002_second", "CREATE TABLE second (id int);\n");
    const error = await migrate(db, { dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/0001_first\/migration\.sql was changed/);
    expect(await tables(db)).not.toContain("second");

    // A CRLF checkout of the same file is not a change.
    writeFileSync(
      path.join(dir, "0001_first", "migration.sql"),
      "CREATE TABLE first (id int);\r\n",
    );
    expect(await migrate(db, { dir })).toEqual({ applied: ["0002_second"] });
  });

  it("refuses to run over a migration recorded as failed", async () => {
    const { db } = await freshDatabase();
    const dir = tempDir();
    writeMigration(dir, "0001_first", "CREATE TABLE first (id int);\n");
    await migrate(db, { dir });
    // What `prisma migrate deploy` leaves behind when a migration fails.
    await query(
      db,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, applied_steps_count)
       VALUES ('00000000-0000-4000-8000-000000000000', 'x', '0002_broken', 'boom', 0)`,
    );
    writeMigration(dir, "0003_third", "CREATE TABLE third (id int);\n");
    const error = (await migrate(db, { dir }).catch((e: unknown) => e)) as MigrationError;
    expect(error.message).toMatch(/0002_broken\/migration\.sql is recorded as failed/);
    expect(await tables(db)).not.toContain("third");
    // The way out that the message gives (what `prisma migrate resolve --rolled-back` does).
    const fix = /UPDATE _prisma_migrations .*;/.exec(error.message)?.[0];
    expect(fix).toBeDefined();
    await query(db, fix!);
    expect(await migrate(db, { dir })).toEqual({ applied: ["0003_third"] });
  });

  it("rolls a failing migration back whole and names the file and the statement", async () => {
    const { db } = await freshDatabase();
    const dir = tempDir();
    writeMigration(dir, "0001_good", "CREATE TABLE good (id int);\nINSERT INTO good VALUES (1);\n");
    writeMigration(
      dir,
      "0002_bad",
      [
        "-- Creates things, then fails halfway.",
        "CREATE TABLE half (id int);",
        "CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS $$ SELECT $1 * 2; $$;",
        "INSERT INTO good VALUES (2);",
        "",
        "-- This one fails:",
        "INSERT INTO missing_table VALUES (1);",
        "CREATE TABLE never (id int);",
      ].join("\n"),
    );
    writeMigration(dir, "0003_after", "CREATE TABLE after_bad (id int);\n");
    const error = await migrate(db, { dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    const message = (error as Error).message;
    expect(message).toContain("0002_bad/migration.sql");
    expect(message).toContain("line 7: INSERT INTO missing_table VALUES (1)");
    expect(message).toMatch(/relation "missing_table" does not exist/);
    expect((error as MigrationError).migration).toBe("0002_bad");

    // 0001 stays applied; nothing of 0002 (nor anything after it) is left.
    expect((await tables(db)).filter((t) => t !== "_prisma_migrations")).toEqual(["good"]);
    expect(await query(db, "SELECT id FROM good")).toEqual([{ id: 1 }]);
    expect(await query(db, "SELECT 1 FROM pg_proc WHERE proname = 'twice'")).toEqual([]);
    expect((await records(db)).map((r) => r.migration_name)).toEqual(["0001_good"]);

    // Once fixed, the run picks up where it stopped.
    writeMigration(dir, "0002_bad", "CREATE TABLE half (id int);\n");
    expect(await migrate(db, { dir })).toEqual({ applied: ["0002_bad", "0003_after"] });
  });

  it("runs BEGIN/COMMIT written into a migration as part of its own transaction", async () => {
    const { db } = await freshDatabase();
    const dir = tempDir();
    writeMigration(
      dir,
      "0001_enum",
      "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\nSELECT 1/0;\n",
    );
    await expect(migrate(db, { dir })).rejects.toThrow(/division by zero/);
    expect((await tables(db)).filter((t) => t !== "_prisma_migrations")).toEqual([]);
  });

  it("lets two concurrent runs apply each migration once", async () => {
    const { db, url } = await freshDatabase();
    // Two handles as two instances of the app would have: separate connections on Postgres.
    const other = url ? openPostgres(url, { poolSize: 2 }) : db;
    if (url) cleanups.push(() => other.close());
    const [a, b] = await Promise.all([migrate(db), migrate(other)]);
    expect([...a.applied, ...b.applied].sort()).toEqual(projectMigrations);
    expect([a.applied.length, b.applied.length].sort()).toEqual([0, projectMigrations.length]);
    const rows = await records(db);
    expect(rows.map((r) => r.migration_name)).toEqual(projectMigrations);
  });

  it("sees what Prisma's own engine applied, and Prisma sees what it applied", async () => {
    const dir = tempDir();
    cpSync(defaultMigrationsDir, dir, { recursive: true });
    const filters = { externalTables: [], externalEnums: [] };
    const pglite = await PGlite.create("memory://", { extensions: { pg_trgm, unaccent } });
    const engine = await openSchemaEngine({ database: pglite });
    // migrate() only needs sessions; this one shares the engine's database.
    const shared = {
      withSession: <T>(fn: (s: { query: unknown; exec: unknown }) => Promise<T>) =>
        fn({
          query: async (sql: string, params?: unknown[]) => (await pglite.query(sql, params)).rows,
          exec: async (sql: string) => void (await pglite.exec(sql)),
        }),
    } as unknown as Database;
    try {
      const first = readMigrations(dir)[0]!.name;
      const rest = readMigrations(dir)
        .slice(1)
        .map((m) => m.name);
      const firstOnly = tempDir();
      cpSync(path.join(dir, "migration_lock.toml"), path.join(firstOnly, "migration_lock.toml"));
      cpSync(path.join(dir, first), path.join(firstOnly, first), { recursive: true });
      const byPrisma = await engine.engine.applyMigrations({
        migrationsList: migrationList(firstOnly),
        filters,
      });
      expect(byPrisma.appliedMigrationNames).toEqual([first]);
      expect(await migrate(shared, { dir })).toEqual({ applied: rest });
      const afterUs = await engine.engine.applyMigrations({
        migrationsList: migrationList(dir),
        filters,
      });
      expect(afterUs.appliedMigrationNames).toEqual([]);
      const diagnosis = await engine.engine.diagnoseMigrationHistory({
        migrationsList: migrationList(dir),
        optInToShadowDatabase: false,
        filters,
      });
      expect(diagnosis).toMatchObject({
        editedMigrationNames: [],
        failedMigrationNames: [],
        history: null,
      });
    } finally {
      await engine.close();
      await pglite.close();
    }
  });
});
