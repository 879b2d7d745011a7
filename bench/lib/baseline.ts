/**
 * `--baseline REF`: Accord as of an earlier commit, to run beside the current checkout in the
 * same run, over the same data (figures from two runs differ by more than most changes do).
 * The commit's files are exported into `dir/<commit>` (git archive: no second work tree to
 * keep; outside the checkout, so that its linters and tests never see them), share this
 * checkout's node_modules, and get their own Prisma client, generated from their own schema.
 */
import { execFileSync, execSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./servers.js";

export interface Baseline {
  commit: string;
  root: string;
}

export function checkoutOf(ref: string, dir: string, log: (line: string) => void): Baseline {
  const commit = execFileSync("git", ["rev-parse", "--short", `${ref}^{commit}`], {
    cwd: repoRoot,
    encoding: "utf8",
  }).trim();
  const root = path.join(dir, commit);
  if (!existsSync(path.join(root, "src/generated/prisma"))) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    execSync(`git archive ${commit} | tar -x -C "${root}"`, { cwd: repoRoot });
    symlinkSync(path.join(repoRoot, "node_modules"), path.join(root, "node_modules"));
    execFileSync("npm", ["run", "--silent", "prisma:generate"], { cwd: root, stdio: "ignore" });
  }
  log(`baseline: Accord at ${commit} (${ref}), from ${root}`);
  return { commit, root };
}
