/**
 * README.md's configuration table, held to the code: every environment variable that src/
 * or docker/ reads has a row, and every row names a variable something reads. A variable
 * added without its row fails here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { projectRoot } from "../../src/paths.js";
import { variablesInSources, variablesNamedIn, variablesRead } from "../support/variables.js";

/** The variables of the first column of the table under "## Configuration", in order. */
function configurationTable(readme: string): string[] {
  const section = /^## Configuration\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? "";
  return section
    .split("\n")
    .map((line) => /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|/.exec(line)?.[1])
    .filter((name) => name !== undefined);
}

const table = configurationTable(readFileSync(path.join(projectRoot, "README.md"), "utf8"));
const read = new Map([
  ...[...variablesRead()].map((name) => [name, "src/config.ts"] as const),
  ...variablesInSources(),
]);

describe("README.md's configuration table", () => {
  it("has a row for every environment variable the code reads", () => {
    const missing = [...read].filter(([name]) => !table.includes(name));
    expect(missing.map(([name, file]) => `${name} (read in ${file})`)).toEqual([]);
  });

  it("names no variable that nothing reads", () => {
    expect(table.filter((name) => !read.has(name))).toEqual([]);
  });

  it("names each variable once", () => {
    expect(table.filter((name, i) => table.indexOf(name) !== i)).toEqual([]);
  });

  it("is held to what the code reads, however it reads a variable", () => {
    const ts = `const a = env.DATABASE_URL; process.env.PORT; env["REDIS_URL"];
      integer(env, "ACCORD_MAX_DEPTH", 24, 1, 100); boolean(env, 'ACCORD_FEDERATION', false);
      env.lowercase; "NOT_A_READ";`;
    expect(variablesNamedIn(ts, "ts")).toEqual([
      "DATABASE_URL",
      "PORT",
      "REDIS_URL",
      "ACCORD_MAX_DEPTH",
      "ACCORD_FEDERATION",
    ]);
    const sh = 'if [ -n "${DATABASE_URL:-}" ]; then echo "$PORT" "$@"; fi';
    expect(variablesNamedIn(sh, "sh")).toEqual(["DATABASE_URL", "PORT"]);
    // readConfig's own reads, conditional ones aside, are among those the sources show.
    expect([...variablesRead()].filter((name) => !variablesInSources().has(name))).toEqual([]);
  });
});
