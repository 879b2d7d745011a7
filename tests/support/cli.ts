/** Runs one of Accord's command-line scripts (src/cli) as a user would, against a database. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { projectRoot } from "../../src/paths.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npx tsx src/cli/<script>.ts …args` with DATABASE_URL set to `databaseUrl`. */
export async function runCli(
  script: string,
  databaseUrl: string,
  args: string[],
): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      "npx",
      ["tsx", `src/cli/${script}.ts`, ...args],
      { cwd: projectRoot, env: { ...process.env, DATABASE_URL: databaseUrl } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}
