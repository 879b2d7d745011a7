/**
 * Start-up says what is wrong. A server database whose migrations are not those of this build
 * (none applied, some applied, or some this build does not have) stops the process with a
 * message that names `npm run db:migrate`. The embedded database's lock survives pid reuse:
 * a lock naming this process's own pid with another start time is a stale lock and is taken
 * over; a lock held by a process that still runs keeps the database shut, saying by whom.
 */
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "@jest/globals";
import { openEmbedded, openPostgres, processStartTime } from "../../src/db/database.js";
import { defaultMigrationsDir, migrate } from "../../src/db/migrate.js";
import { createTestDatabase } from "../support/postgres.js";

const root = path.resolve(new URL("../..", import.meta.url).pathname);
const onPostgres = !!process.env.DATABASE_URL;
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function folder(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** Starts the server on `databaseUrl`; resolves to its exit code and output once it exits. */
function startServer(databaseUrl: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: "", PORT: "0", DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

/** The one fatal line the server logged, as its message. */
function fatal(output: string): string[] {
  return output
    .split("\n")
    .filter((line) => line.includes('"level":60'))
    .map((line) => (JSON.parse(line) as { msg: string }).msg);
}

const migrations = readdirSync(defaultMigrationsDir)
  .filter((name) => /^\d+_/.test(name))
  .sort();

(onPostgres ? describe : describe.skip)("Start-up on a Postgres server", () => {
  async function withDatabase(prepare: (url: string) => Promise<void>) {
    const database = await createTestDatabase();
    try {
      await prepare(database.url);
      return await startServer(database.url);
    } finally {
      await database.drop();
    }
  }

  /** Starts the server on a database that this build migrated and `sql` then changed. */
  const afterMigrating = (sql: string, params: unknown[] = []) =>
    withDatabase(async (url) => {
      const db = openPostgres(url);
      await migrate(db);
      await db.withSession((session) => session.query(sql, params));
      await db.close();
    });

  it("stops with a message naming npm run db:migrate when nothing is migrated", async () => {
    const { code, output } = await withDatabase(() => Promise.resolve());

    expect(code).toBe(1);
    expect(fatal(output)).toEqual([
      `The database is not at this build's schema. ${migrations.length} migration(s) not ` +
        `applied: ${migrations.join(", ")}. Run \`npm run db:migrate\` (with the same ` +
        "DATABASE_URL), then start Accord again.",
    ]);
    expect(output).not.toMatch(/Accord is serving/);
  }, 90_000);

  it("stops naming the migrations still to apply when only some are applied", async () => {
    const { code, output } = await withDatabase(async (url) => {
      const dir = folder("accord-migrations-");
      for (const name of migrations.slice(0, 2)) {
        cpSync(path.join(defaultMigrationsDir, name), path.join(dir, name), { recursive: true });
      }
      const db = openPostgres(url);
      await migrate(db, { dir });
      await db.close();
    });

    expect(code).toBe(1);
    expect(fatal(output)).toEqual([
      `The database is not at this build's schema. ${migrations.length - 2} migration(s) not ` +
        `applied: ${migrations.slice(2).join(", ")}. Run \`npm run db:migrate\` (with the same ` +
        "DATABASE_URL), then start Accord again.",
    ]);
  }, 90_000);

  it("stops naming a migration the database has and this build does not", async () => {
    const { code, output } = await afterMigrating(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ('newer', 'x', '29991231000000_from_a_newer_build', now(), 1)`,
    );

    expect(code).toBe(1);
    expect(fatal(output)).toEqual([
      "The database is not at this build's schema. Applied migration(s) this build does not " +
        "have: 29991231000000_from_a_newer_build. A newer build of Accord migrated this " +
        "database; run that build (`npm run db:migrate` cannot undo them).",
    ]);
  }, 90_000);

  it("stops naming a migration whose file changed after it was applied, without sending to db:migrate alone", async () => {
    const { code, output } = await afterMigrating(
      `UPDATE _prisma_migrations SET checksum = 'changed' WHERE migration_name = $1`,
      [migrations[0]],
    );

    expect(code).toBe(1);
    expect(fatal(output)).toEqual([
      `The database is not at this build's schema. Migration file(s) changed after they were ` +
        `applied: ${migrations[0]}. Restore them as they were and put the change in a new ` +
        "migration (`npm run db:migration:new`); `npm run db:migrate` refuses to apply over a " +
        "changed one.",
    ]);
  }, 90_000);
});

describe("The embedded database's lock", () => {
  const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();

  it("takes over a lock naming this process's pid with another start time (a restart as the same pid)", async () => {
    const dir = folder("accord-lock-");
    const stale = { pid: process.pid, startTime: "1", bootId };
    writeFileSync(path.join(dir, "accord.pid"), JSON.stringify(stale));
    const db = await openEmbedded(dir);
    const lock = JSON.parse(readFileSync(path.join(dir, "accord.pid"), "utf8")) as object;
    await db.close();

    expect(lock).toEqual({ pid: process.pid, startTime: processStartTime(process.pid), bootId });
  }, 60_000);

  it("takes over a lock of the older format naming this process's own pid", async () => {
    const dir = folder("accord-lock-");
    writeFileSync(path.join(dir, "accord.pid"), String(process.pid));
    const db = await openEmbedded(dir);
    await db.close();
  }, 60_000);

  it("refuses, naming the owner, while the process holding the lock runs", async () => {
    const dir = folder("accord-lock-");
    const owner = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], {
      stdio: "ignore",
    });
    try {
      const pid = owner.pid!;
      const held = { pid, startTime: processStartTime(pid), bootId };
      writeFileSync(path.join(dir, "accord.pid"), JSON.stringify(held));

      await expect(openEmbedded(dir)).rejects.toThrow(
        `The embedded database in ${dir} is in use by process ${pid} (a running \`npm start\`?). ` +
          "Stop it first, or run Accord on a Postgres server with DATABASE_URL.",
      );
      expect(JSON.parse(readFileSync(path.join(dir, "accord.pid"), "utf8"))).toEqual(held);
    } finally {
      owner.kill("SIGKILL");
    }
  }, 60_000);

  it("refuses a second open while this process holds it", async () => {
    const dir = folder("accord-lock-");
    const db = await openEmbedded(dir);
    try {
      await expect(openEmbedded(dir)).rejects.toThrow(`is in use by process ${process.pid}`);
    } finally {
      await db.close();
    }
  }, 60_000);
});
