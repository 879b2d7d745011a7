/**
 * Prisma's schema engine (the part that diffs schemas and writes migration SQL), run from its
 * WebAssembly build so that authoring migrations and the drift check need no native binary.
 *
 * The engine talks to Postgres through a driver adapter. Both its "main" and its shadow
 * database are in-memory PGlite instances with the same contrib extensions as the embedded
 * database (pg_trgm, unaccent), so the hand-written migrations replay in the shadow database.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { PrismaPGlite } from "pglite-prisma-adapter";
import {
  DriverAdapterError,
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
} from "@prisma/driver-adapter-utils";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import {
  defaultMigrationsDir,
  readMigrations,
  splitStatements,
  stripComments,
  type MigrationFile,
} from "./migrate.js";

export type { DiffTarget, MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

/** The part of the WebAssembly JS API used here (tsconfig's lib has no DOM types). */
interface WebAssemblyApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, Record<string, unknown>>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

let loaded: Promise<void> | undefined;

/**
 * The package's entry point does `import * as wasm from "./schema_engine_bg.wasm"`, which Node
 * cannot import; instantiate the module by hand and hand it to the JS bindings instead.
 */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = readFileSync(path.join(path.dirname(bindingsPath), "schema_engine_bg.wasm"));
    const imports: Record<string, unknown> = { ...bindings };
    // The engine arms timeouts (e.g. 10 s for its advisory lock) that it never clears; they
    // must not keep a finished process (or a test run) alive.
    for (const [key, value] of Object.entries(imports)) {
      if (key.startsWith("__wbg_setTimeout_") && typeof value === "function") {
        imports[key] = (...args: unknown[]) => {
          const timer = (value as (...a: unknown[]) => unknown)(...args);
          (timer as { unref?: () => void }).unref?.();
          return timer;
        };
      }
    }
    const { instance } = await wasmApi.instantiate(bytes, { "./schema_engine_bg.js": imports });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

async function newPGlite(): Promise<PGlite> {
  return PGlite.create("memory://", { extensions: { pg_trgm, unaccent } });
}

/**
 * pglite-prisma-adapter's `executeScript` does not wait for the script, so a failing script
 * would surface as an unhandled rejection instead of an engine error; run it awaited, and
 * pass Postgres's own message on so the engine can report which migration failed and why.
 */
function awaitingScripts(adapter: SqlDriverAdapter, pglite: PGlite): SqlDriverAdapter {
  adapter.executeScript = async (script: string) => {
    try {
      await pglite.exec(script);
    } catch (error) {
      const e = error as { code?: string; severity?: string; message: string; detail?: string };
      throw new DriverAdapterError({
        kind: "postgres",
        code: e.code ?? "XX000",
        severity: e.severity ?? "ERROR",
        message: e.message,
        detail: e.detail,
        column: undefined,
        hint: undefined,
      });
    }
  };
  return adapter;
}

export interface SchemaEngineSession {
  engine: SchemaEngine;
  /** Frees the engine and closes every PGlite instance it opened. */
  close: () => Promise<void>;
}

/**
 * Starts a schema engine over in-memory PGlite databases, created only when the engine asks
 * for a connection (a fresh one for every shadow database).
 */
export async function openSchemaEngine(
  options: {
    log?: (line: string) => void;
    /** The engine's main database (left open by `close`); a fresh in-memory one by default. */
    database?: PGlite;
  } = {},
): Promise<SchemaEngineSession> {
  await loadWasm();
  const opened: PGlite[] = [];
  const adapterFor = async (pglite: PGlite) =>
    awaitingScripts(await new PrismaPGlite(pglite).connect(), pglite);
  const connect = async () => {
    const pglite = await newPGlite();
    opened.push(pglite);
    return adapterFor(pglite);
  };
  const given = options.database;
  let main: Promise<SqlDriverAdapter> | undefined;
  // The engine expects the result-wrapped ("bound") form of the factory that Prisma's own
  // tooling passes it: `{ ok, value }` / `{ ok, error }` instead of throwing.
  const factory = bindMigrationAwareSqlAdapterFactory({
    provider: "postgres",
    adapterName: "pglite-prisma-adapter",
    connect: () => (main ??= given ? adapterFor(given) : connect()),
    connectToShadowDb: connect,
  });
  const log = options.log ?? (() => undefined);
  const engine = await bindings.SchemaEngine.new(
    { datamodels: undefined },
    (line: string) => log(line),
    factory,
  );
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.map((db) => db.close()));
    },
  };
}

/** The migrations folder as the engine reads it. */
export function migrationList(dir: string = defaultMigrationsDir): MigrationList {
  const lockfile = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockfile) ? readFileSync(lockfile, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: readMigrations(dir).map((migration) => ({
      path: migration.name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: migration.script } },
    })),
  };
}

export const defaultSchemaPath = fileURLToPath(
  new URL("../../prisma/schema.prisma", import.meta.url),
);

export interface DiffOptions {
  migrationsDir?: string;
  schemaPath?: string;
  log?: (line: string) => void;
}

/**
 * The SQL that takes a database built by replaying every migration (in an in-memory shadow
 * database) to what the Prisma schema describes: what `prisma migrate dev` would write into
 * the next migration. Empty when they agree.
 */
export async function diffMigrationsToSchema(options: DiffOptions = {}): Promise<string> {
  const schemaPath = path.resolve(options.schemaPath ?? defaultSchemaPath);
  const session = await openSchemaEngine({ log: options.log });
  try {
    const result = await session.engine.diff({
      from: { tag: "migrations", ...migrationList(options.migrationsDir ?? defaultMigrationsDir) },
      to: {
        tag: "schemaDatamodel",
        files: [{ path: schemaPath, content: readFileSync(schemaPath, "utf8") }],
      },
      script: true,
      // Makes exitCode 2 when there is a difference, rather than parsing "empty" scripts.
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.exitCode === 2 ? (result.stdout ?? "") : "";
  } finally {
    await session.close();
  }
}

/**
 * Objects created by the migrations that a Prisma schema cannot describe: extensions,
 * functions, CHECK constraints and indexes over expressions.
 */
export interface HandWrittenObjects {
  extensions: Set<string>;
  functions: Set<string>;
  checks: Set<string>;
  expressionIndexes: Set<string>;
}

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const QUALIFIED = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;

/** The object's own name: unquoted, without its schema. */
function objectName(qualified: string): string {
  const parts = qualified.match(new RegExp(IDENT, "g")) ?? [qualified];
  const last = parts[parts.length - 1] ?? qualified;
  return last.startsWith('"') ? last.slice(1, -1).replace(/""/g, '"') : last.toLowerCase();
}

/** Splits `a, b(c, d), 'e,f'` at the commas outside parentheses and quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      const quote = ch;
      i++;
      while (i < text.length && !(text[i] === quote && text[i + 1] !== quote)) {
        i += text[i] === quote ? 2 : 1;
      }
    } else if (ch === "(") depth++;
    else if (ch === ")") depth--;
    else if (ch === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

/** The text between the parenthesis at `open` and its match. */
function parenthesized(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

function code(sql: string): string {
  return stripComments(sql).replace(/\s+/g, " ").trim().replace(/;$/, "");
}

export function handWrittenObjects(migrations: MigrationFile[]): HandWrittenObjects {
  const found: HandWrittenObjects = {
    extensions: new Set(),
    functions: new Set(),
    checks: new Set(),
    expressionIndexes: new Set(),
  };
  const extension = new RegExp(String.raw`^CREATE EXTENSION (?:IF NOT EXISTS )?(${IDENT})`, "i");
  const fn = new RegExp(String.raw`^CREATE (?:OR REPLACE )?FUNCTION (${QUALIFIED})`, "i");
  const check = new RegExp(String.raw`CONSTRAINT (${IDENT}) CHECK\b`, "gi");
  const index = new RegExp(
    String.raw`^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?:IF NOT EXISTS )?(${IDENT}) ON (?:ONLY )?${QUALIFIED}(?: USING ${IDENT})? ?\(`,
    "i",
  );
  for (const migration of migrations) {
    for (const statement of splitStatements(migration.script)) {
      const sql = code(statement.sql);
      let m = extension.exec(sql);
      if (m?.[1]) found.extensions.add(objectName(m[1]));
      m = fn.exec(sql);
      if (m?.[1]) found.functions.add(objectName(m[1]));
      for (const c of sql.matchAll(check)) if (c[1]) found.checks.add(objectName(c[1]));
      m = index.exec(sql);
      if (m?.[1]) {
        const columns = splitTopLevel(parenthesized(sql, m[0].length - 1));
        if (columns.some((column) => column.includes("("))) {
          found.expressionIndexes.add(objectName(m[1]));
        }
      }
    }
  }
  return found;
}

/**
 * Removes from a diff script the statements (and ALTER TABLE clauses) that would only drop
 * one of the hand-written objects; everything else is real drift and stays.
 */
export function withoutHandWrittenObjects(
  script: string,
  known: HandWrittenObjects,
): { script: string; ignored: string[] } {
  const ignored: string[] = [];
  const kept: string[] = [];
  const drop = (kind: string) =>
    new RegExp(
      String.raw`^DROP ${kind} (?:IF EXISTS )?(${QUALIFIED})(?: ?\(.*\))?(?: CASCADE| RESTRICT)?$`,
      "i",
    );
  const rules: [RegExp, Set<string>][] = [
    [drop("INDEX(?: CONCURRENTLY)?"), known.expressionIndexes],
    [drop("EXTENSION"), known.extensions],
    [drop("FUNCTION"), known.functions],
  ];
  const alterTable = new RegExp(String.raw`^(ALTER TABLE (?:ONLY )?${QUALIFIED}) (.*)$`, "i");
  const dropCheck = new RegExp(String.raw`^DROP CONSTRAINT (?:IF EXISTS )?(${IDENT})$`, "i");
  for (const statement of splitStatements(script)) {
    const sql = code(statement.sql);
    const dropsKnown = rules.some(([re, set]) => {
      const name = re.exec(sql)?.[1];
      return name !== undefined && set.has(objectName(name));
    });
    if (dropsKnown) {
      ignored.push(sql);
      continue;
    }
    const alter = alterTable.exec(sql);
    if (alter?.[1] && alter[2]) {
      const clauses = splitTopLevel(alter[2]);
      const isKnownCheck = (clause: string) => {
        const name = dropCheck.exec(clause)?.[1];
        return name !== undefined && known.checks.has(objectName(name));
      };
      const dropped = clauses.filter(isKnownCheck);
      if (dropped.length > 0) {
        const rest = clauses.filter((clause) => !isKnownCheck(clause));
        ignored.push(`${alter[1]} ${dropped.join(", ")}`);
        if (rest.length > 0) kept.push(`${alter[1]} ${rest.join(", ")};`);
        continue;
      }
    }
    kept.push(statement.sql.trim().replace(/;?$/, ";"));
  }
  return { script: kept.join("\n\n"), ignored };
}

/**
 * Compares the migrations with the Prisma schema. `drift` is the SQL a new migration would
 * need (empty when none); `ignored` lists what the diff said about hand-written objects.
 */
export async function checkDrift(
  options: DiffOptions = {},
): Promise<{ drift: string; ignored: string[] }> {
  const raw = await diffMigrationsToSchema(options);
  const known = handWrittenObjects(readMigrations(options.migrationsDir ?? defaultMigrationsDir));
  const { script, ignored } = withoutHandWrittenObjects(raw, known);
  return { drift: script, ignored };
}
