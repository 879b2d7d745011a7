/**
 * The environment variables Accord reads, found two ways: by running readConfig with an `env`
 * that records every name asked for, and by reading the sources for names looked up in an
 * environment (which also finds a read that readConfig makes only under some condition, or
 * one outside it).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { readConfig } from "../../src/config.js";
import { projectRoot } from "../../src/paths.js";

/** The names readConfig looks up in `env`, whatever helper it goes through. */
export function variablesRead(values: Record<string, string> = {}): Set<string> {
  const names = new Set<string>();
  const env = new Proxy(values, {
    get(target, name) {
      if (typeof name === "string") names.add(name);
      return typeof name === "string" ? target[name] : undefined;
    },
    has(target, name) {
      if (typeof name === "string") names.add(name);
      return name in target;
    },
  });
  readConfig(env);
  return names;
}

/**
 * Ways code names a variable: `env.NAME` and `process.env.NAME`, `env["NAME"]`, a helper
 * called as `helper(env, "NAME", …)` (src/config.ts), and `$NAME` or `${NAME…}` in a shell
 * script.
 */
const PATTERNS: Record<"ts" | "sh", RegExp[]> = {
  ts: [
    /\benv\.([A-Z][A-Z0-9_]*)\b/g,
    /\benv\[\s*["'`]([A-Z][A-Z0-9_]*)["'`]\s*\]/g,
    /\(\s*env\s*,\s*["'`]([A-Z][A-Z0-9_]*)["'`]/g,
  ],
  sh: [/\$\{?([A-Z][A-Z0-9_]*)/g],
};

/** The variable names `text`, TypeScript or a shell script, looks up, in order of appearance. */
export function variablesNamedIn(text: string, kind: "ts" | "sh"): string[] {
  return PATTERNS[kind]
    .flatMap((pattern) => [...text.matchAll(pattern)])
    .sort((a, b) => a.index - b.index)
    .map((match) => match[1]!);
}

/** Files of `folder` and below, but generated code. */
function filesUnder(folder: string): string[] {
  return readdirSync(path.join(projectRoot, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(projectRoot, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith(path.join("src", "generated")));
}

/**
 * Every variable name that src/, docker/ and the Dockerfile (its health check reads PORT) look
 * up, each with the first file that names it.
 */
export function variablesInSources(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of [...filesUnder("src"), ...filesUnder("docker"), "Dockerfile"]) {
    const kind = file.endsWith(".sh")
      ? "sh"
      : file.endsWith(".ts") || file === "Dockerfile"
        ? "ts"
        : null;
    if (!kind) continue;
    for (const name of variablesNamedIn(readFileSync(path.join(projectRoot, file), "utf8"), kind)) {
      if (!found.has(name)) found.set(name, file);
    }
  }
  return found;
}
