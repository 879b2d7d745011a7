/**
 * `npm run apikey -- <command>`: manages the API keys that mutations need, in the database
 * that DATABASE_URL names (or the embedded one). Run `npm run db:migrate` first.
 *
 *   create --name <who> --role <EDITOR|ADMIN>   prints the new key alone on its last line
 *   list                                        every key, without the keys themselves
 *   revoke --name <who>                         the key stops working at once
 */
import { parseArgs } from "node:util";
import {
  ROLES,
  createApiKey,
  isRole,
  listApiKeys,
  revokeApiKey,
  type ApiKeyInfo,
} from "../auth.js";
import { readConfig } from "../config.js";
import { describe, openDatabase, type Database } from "../db/database.js";
import { Prisma } from "../generated/prisma/client.js";

const USAGE = `Usage:
  npm run apikey -- create --name <who> --role <${ROLES.join("|")}>
  npm run apikey -- list
  npm run apikey -- revoke --name <who>

EDITOR keys may create and update; ADMIN keys may also delete and manage keys.
The database is the one DATABASE_URL names, else the embedded one (ACCORD_DATA_DIR).`;

/** A mistake in the command line: reported with the usage text. */
class UsageError extends Error {}

type Command =
  | { command: "create"; name: string; role: "EDITOR" | "ADMIN" }
  | { command: "list" }
  | { command: "revoke"; name: string }
  | { command: "help" };

function parseCommand(args: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        name: { type: "string" },
        role: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const [command, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}"`);
  const allowed: Record<string, string[]> = {
    create: ["name", "role"],
    list: [],
    revoke: ["name"],
  };
  if (command === undefined) throw new UsageError("Name a command: create, list or revoke");
  const options = allowed[command];
  if (!options) throw new UsageError(`Unknown command "${command}"`);
  for (const option of Object.keys(values)) {
    if (!options.includes(option)) {
      throw new UsageError(`"${command}" takes no --${option} option`);
    }
  }
  if (command === "list") return { command: "list" };
  if (values.name === undefined) throw new UsageError(`"${command}" needs --name <who>`);
  if (command === "revoke") return { command: "revoke", name: values.name };
  if (values.role === undefined) {
    throw new UsageError(`"create" needs --role <${ROLES.join("|")}>`);
  }
  const role = values.role.toUpperCase();
  if (!isRole(role)) {
    throw new UsageError(`--role must be ${ROLES.join(" or ")}, got "${values.role}"`);
  }
  return { command: "create", name: values.name, role };
}

function formatTable(keys: ApiKeyInfo[]): string {
  const rows = [
    ["NAME", "ROLE", "CREATED", "REVOKED"],
    ...keys.map((key) => [
      key.name,
      key.role,
      key.createdAt.toISOString(),
      key.revokedAt ? key.revokedAt.toISOString() : "-",
    ]),
  ];
  const widths = rows[0]!.map((_, column) =>
    Math.max(...rows.map((row) => [...row[column]!].length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell + " ".repeat(widths[column]! - [...cell].length),
        )
        .join("  "),
    )
    .join("\n");
}

async function run(db: Database, command: Exclude<Command, { command: "help" }>): Promise<void> {
  switch (command.command) {
    case "create": {
      const created = await createApiKey(db, { name: command.name, role: command.role });
      console.log(`Created the ${created.role} key "${created.name}" in ${describe(db)}.`);
      console.log("This is the only time the key is shown: only a hash of it is stored.");
      console.log("Send it with every mutation as: Authorization: Bearer <key>");
      // Alone on the last line, so scripts can take it with `tail -n 1`.
      console.log(created.key);
      return;
    }
    case "list": {
      const keys = await listApiKeys(db);
      if (keys.length === 0) {
        console.log(`No API keys in ${describe(db)}.`);
        return;
      }
      console.log(`API keys in ${describe(db)}:`);
      console.log(formatTable(keys));
      return;
    }
    case "revoke": {
      const key = await revokeApiKey(db, command.name);
      console.log(
        `Revoked the ${key.role} key "${key.name}" in ${describe(db)}; it no longer works.`,
      );
      return;
    }
  }
}

function explain(db: Database, error: unknown): string {
  // Prisma's "table does not exist": the usual cause is a database never migrated.
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2021") {
    return `${describe(db)} has no ApiKey table: run \`npm run db:migrate\` first.`;
  }
  return error instanceof Error ? error.message : String(error);
}

async function main(args: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (command.command === "help") {
    console.log(USAGE);
    return 0;
  }
  const db = await openDatabase(readConfig());
  try {
    await run(db, command);
    return 0;
  } catch (error) {
    console.error(`apikey ${command.command} failed: ${explain(db, error)}`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  return 1;
});
