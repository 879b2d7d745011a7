/**
 * Applies the SQL migrations in prisma/migrations without Prisma's native schema engine, on a
 * Postgres server or the embedded database alike.
 *
 * Applied migrations are recorded in `_prisma_migrations` the way `prisma migrate deploy`
 * records them (same table, uuid ids, sha256 checksums), so either tool sees the other's work.
 * Unlike Prisma, each migration runs in a transaction of its own: a failing migration leaves
 * no trace, not even a "failed" record.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { postgreSplitterOptions, splitQuery } from "dbgate-query-splitter";
import type { Database, SqlSession } from "./database.js";

/** prisma/migrations of this project, wherever the process was started from. */
export const defaultMigrationsDir = fileURLToPath(
  new URL("../../prisma/migrations", import.meta.url),
);

/**
 * Prisma Migrate's own advisory lock key, so that this runner and `prisma migrate deploy`
 * also exclude each other.
 */
const ADVISORY_LOCK_KEY = 72707369;

/** The table exactly as Prisma's schema engine creates it on Postgres. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrationFile {
  /** The folder's name, e.g. `20261127201218_init`: what `_prisma_migrations` records. */
  name: string;
  /** `<name>/migration.sql`, for messages. */
  file: string;
  script: string;
  checksum: string;
}

export interface MigrateOptions {
  dir?: string;
  log?: (line: string) => void;
}

/** A migration that could not be applied, or a history that must not be built upon. */
export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
    readonly statement?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export function checksumOf(script: string | Buffer): string {
  return createHash("sha256").update(script).digest("hex");
}

/** Every `<dir>/<name>/migration.sql`, in name order (the order Prisma applies them in). */
export function readMigrations(dir: string = defaultMigrationsDir): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`Migrations folder ${dir} does not exist`);
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort()
    .map((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!existsSync(file)) {
        throw new MigrationError(`Migration folder ${name} has no migration.sql`, name);
      }
      const bytes = readFileSync(file);
      return {
        name,
        file: `${name}/migration.sql`,
        script: bytes.toString("utf8"),
        checksum: checksumOf(bytes),
      };
    });
}

/**
 * Whether a recorded checksum still matches the file. Like Prisma, line endings do not count:
 * a migration applied from a Windows checkout (CRLF) matches the same file with LF, and back.
 */
function checksumMatches(recorded: string, migration: MigrationFile): boolean {
  const lf = migration.script.replace(/\r\n/g, "\n");
  return [migration.checksum, checksumOf(lf), checksumOf(lf.replace(/\n/g, "\r\n"))].includes(
    recorded,
  );
}

export interface Statement {
  /** The statement as sent to Postgres (comments before it included). */
  sql: string;
  /** 1-based line of the statement's first significant character in its file. */
  line: number;
}

/**
 * Splits a script into statements. Quotes, comments and dollar-quoted bodies are respected;
 * the split only serves to run statements one by one and name the one that fails.
 */
export function splitStatements(script: string): Statement[] {
  const items = splitQuery(script, {
    ...postgreSplitterOptions,
    returnRichInfo: true,
  });
  const statements: Statement[] = [];
  for (const item of items) {
    if (typeof item === "string") {
      statements.push({ sql: item, line: 1 });
      continue;
    }
    const offset = firstCodeOffset(item.text);
    if (offset === item.text.length) continue;
    const line = (item.trimStart ?? item.start).line + 1;
    statements.push({ sql: item.text, line: line + countLines(item.text.slice(0, offset)) });
  }
  return statements;
}

function countLines(text: string): number {
  return text.split("\n").length - 1;
}

/** Offset of the first character that is neither whitespace nor inside a comment. */
function firstCodeOffset(sql: string): number {
  let i = 0;
  while (i < sql.length) {
    if (/\s/.test(sql[i] ?? "")) i++;
    else if (sql.startsWith("--", i)) {
      const end = sql.indexOf("\n", i);
      i = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith("/*", i)) {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else break;
  }
  return i;
}

/** The statement without `--` and `/* *\/` comments, for display and classification. */
export function stripComments(sql: string): string {
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === "-" && next === "-") {
      while (i < sql.length && sql[i] !== "\n") i++;
    } else if (ch === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      i = end === -1 ? sql.length : end + 2;
    } else if (ch === "'" || ch === '"') {
      const end = skipQuoted(sql, i);
      out += sql.slice(i, end);
      i = end;
    } else if (ch === "$") {
      const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        const end = close === -1 ? sql.length : close + tag.length;
        out += sql.slice(i, end);
        i = end;
      } else {
        out += ch;
        i++;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

/** Index just past the quoted string or identifier that starts at `start`. */
function skipQuoted(sql: string, start: number): number {
  const quote = sql[start];
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

/**
 * Prisma writes BEGIN/COMMIT into some migrations (enum changes). The whole file already runs
 * in one transaction here, and a COMMIT inside it would end that transaction early.
 */
function isTransactionControl(sql: string): boolean {
  return /^(BEGIN|START\s+TRANSACTION|COMMIT|END)(\s+(WORK|TRANSACTION))?\s*;?$/i.test(
    stripComments(sql).trim(),
  );
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

function describe(statement: Statement): string {
  const text = stripComments(statement.sql).replace(/\s+/g, " ").trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function postgresMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const e = error as Error & { code?: string; detail?: string; hint?: string };
  let message = e.message;
  if (e.code) message += ` (SQLSTATE ${e.code})`;
  if (e.detail) message += `. ${e.detail}`;
  if (e.hint) message += ` Hint: ${e.hint}`;
  return message;
}

async function applyOne(session: SqlSession, migration: MigrationFile): Promise<void> {
  const statements = splitStatements(migration.script).filter((s) => !isTransactionControl(s.sql));
  await session.exec("BEGIN");
  let current: Statement | undefined;
  try {
    const id = randomUUID();
    await session.query(
      `INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, 0)`,
      [id, migration.checksum, migration.name],
    );
    for (const statement of statements) {
      current = statement;
      await session.exec(statement.sql);
    }
    current = undefined;
    await session.query(
      `UPDATE _prisma_migrations
          SET finished_at = clock_timestamp(), applied_steps_count = applied_steps_count + 1
        WHERE id = $1`,
      [id],
    );
    await session.exec("COMMIT");
  } catch (error) {
    await session.exec("ROLLBACK").catch(() => undefined);
    const where = current
      ? `statement at line ${current.line}: ${describe(current)}`
      : "recording it in _prisma_migrations";
    throw new MigrationError(
      `Migration ${migration.file} failed and was rolled back; the database is as it was ` +
        `before it.\nFailed ${where}\nPostgres said: ${postgresMessage(error)}`,
      migration.name,
      current?.sql,
    );
  }
}

export interface MigrationStatus {
  /** In the migrations folder, not applied (or recorded failed): to apply. */
  pending: string[];
  /** Applied, but the file differs from what was applied: `db:migrate` refuses these. */
  changed: string[];
  /** Applied to the database but not in this folder: a newer build migrated it. */
  unknown: string[];
}

/**
 * How the database's migration history compares with the folder, read without changing
 * anything: what a server checks before it serves (`npm run db:migrate` explains and applies).
 */
export async function migrationStatus(
  db: Database,
  dir: string = defaultMigrationsDir,
): Promise<MigrationStatus> {
  const migrations = readMigrations(dir);
  return db.withSession(async (session) => {
    const [table] = await session.query<{ exists: boolean }>(
      `SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`,
    );
    const rows = table?.exists
      ? await session.query<MigrationRow>(
          `SELECT id, checksum, migration_name, finished_at, rolled_back_at FROM _prisma_migrations`,
        )
      : [];
    const done = new Map(
      rows
        .filter((row) => row.rolled_back_at === null && row.finished_at !== null)
        .map((row) => [row.migration_name, row]),
    );
    const known = new Set(migrations.map((migration) => migration.name));
    return {
      pending: migrations
        .filter((migration) => !done.has(migration.name))
        .map((migration) => migration.name),
      changed: migrations
        .filter((migration) => {
          const row = done.get(migration.name);
          return row !== undefined && !checksumMatches(row.checksum, migration);
        })
        .map((migration) => migration.name),
      unknown: [...done.keys()].filter((name) => !known.has(name)).sort(),
    };
  });
}

/** What is wrong with `status` for a server about to serve, or null when nothing is. */
export function describeStatus(status: MigrationStatus): string | null {
  const problems: string[] = [];
  if (status.pending.length > 0) {
    problems.push(
      `${status.pending.length} migration(s) not applied: ${status.pending.join(", ")}. ` +
        "Run `npm run db:migrate` (with the same DATABASE_URL), then start Accord again.",
    );
  }
  if (status.changed.length > 0) {
    problems.push(
      `Migration file(s) changed after they were applied: ${status.changed.join(", ")}. ` +
        "Restore them as they were and put the change in a new migration " +
        "(`npm run db:migration:new`); `npm run db:migrate` refuses to apply over a changed one.",
    );
  }
  if (status.unknown.length > 0) {
    problems.push(
      `Applied migration(s) this build does not have: ${status.unknown.join(", ")}. A newer ` +
        "build of Accord migrated this database; run that build (`npm run db:migrate` cannot " +
        "undo them).",
    );
  }
  return problems.length > 0
    ? `The database is not at this build's schema. ${problems.join(" ")}`
    : null;
}

/**
 * Runs on one handle wait for each other: the embedded database's single session would
 * otherwise interleave their transactions, and an advisory lock is re-entrant within a session.
 */
const running = new WeakMap<Database, Promise<unknown>>();

/**
 * Applies the pending migrations from `dir` in name order, one transaction per migration,
 * under an advisory lock (a second instance waits, then finds nothing left to do).
 */
export function migrate(
  db: Database,
  options: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const previous = running.get(db) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => migrateNow(db, options));
  running.set(db, run);
  return run;
}

async function migrateNow(db: Database, options: MigrateOptions): Promise<{ applied: string[] }> {
  const log = options.log ?? (() => undefined);
  const migrations = readMigrations(options.dir ?? defaultMigrationsDir);
  return db.withSession(async (session) => {
    await session.query(`SELECT pg_advisory_lock(${ADVISORY_LOCK_KEY})`);
    try {
      await session.exec(CREATE_MIGRATIONS_TABLE);
      const rows = await session.query<MigrationRow>(
        `SELECT id, checksum, migration_name, finished_at, rolled_back_at
           FROM _prisma_migrations ORDER BY started_at, migration_name`,
      );
      const live = rows.filter((row) => row.rolled_back_at === null);
      const failed = live.filter((row) => row.finished_at === null);
      if (failed.length > 0) {
        const names = failed.map((row) => `${row.migration_name}/migration.sql`).join(", ");
        const first = failed[0]?.migration_name ?? "";
        throw new MigrationError(
          `Migration ${names} is recorded as failed in _prisma_migrations (started but never ` +
            `finished); nothing was applied. Undo what it did by hand, then mark it rolled back ` +
            `(what \`prisma migrate resolve --rolled-back\` does) so that it runs again:\n` +
            `  UPDATE _prisma_migrations SET rolled_back_at = now() ` +
            `WHERE migration_name = '${first}' AND finished_at IS NULL;`,
          first,
        );
      }
      const applied = new Map(live.map((row) => [row.migration_name, row]));
      for (const migration of migrations) {
        const row = applied.get(migration.name);
        if (row && !checksumMatches(row.checksum, migration)) {
          throw new MigrationError(
            `Migration ${migration.file} was changed after it was applied (checksum ` +
              `${migration.checksum} in the file, ${row.checksum} in _prisma_migrations). ` +
              `Restore the file and put the change in a new migration; nothing was applied.`,
            migration.name,
          );
        }
      }
      const known = new Set(migrations.map((m) => m.name));
      for (const name of applied.keys()) {
        if (!known.has(name))
          log(`Warning: applied migration ${name} is not in the migrations folder`);
      }
      const done: string[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.name)) continue;
        log(`Applying ${migration.name}`);
        await applyOne(session, migration);
        done.push(migration.name);
      }
      return { applied: done };
    } finally {
      await session.query(`SELECT pg_advisory_unlock(${ADVISORY_LOCK_KEY})`).catch(() => undefined);
    }
  });
}
