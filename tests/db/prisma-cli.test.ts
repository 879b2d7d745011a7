/**
 * Prisma's CLI serves `prisma generate` only: its native schema engine cannot be downloaded
 * here. A newcomer who types `npx prisma migrate …` learns which command Accord uses instead,
 * rather than reading a network error.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { projectRoot } from "../../src/paths.js";

async function prisma(args: string[]) {
  try {
    await promisify(execFile)("npx", ["prisma", ...args], {
      cwd: projectRoot,
      // An address nothing answers at: the command must fail before it would connect.
      env: { ...process.env, DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" },
    });
    return { code: 0, output: "" };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

describe("npx prisma", () => {
  it.each([
    ["migrate", "status"],
    ["migrate", "dev"],
    ["db", "push"],
  ])(
    "`%s %s` fails, naming npm run db:migrate and db:migration:new",
    async (...args) => {
      const { code, output } = await prisma(args);
      expect(code).not.toBe(0);
      expect(output).toContain(
        "Prisma's native schema engine is not installed here: apply migrations with 'npm run db:migrate', create one with 'npm run db:migration:new'.",
      );
      expect(output).not.toMatch(/binaries\.prisma\.sh|ENOTFOUND/);
    },
    60_000,
  );
});
