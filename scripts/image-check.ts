/**
 * `npm run image:check`: the runtime image, checked where no Docker engine runs. It builds the
 * image's folder in a temporary directory with docker/assemble.sh (what the Dockerfile's build
 * stage runs), measures its node_modules, looks for packages that have no business at run
 * time, then runs the image's ENTRYPOINT and CMD, read from the Dockerfile, in that folder
 * against a fresh database on the Postgres server of DATABASE_URL (default
 * postgresql://postgres@127.0.0.1:5432/postgres): migrate, seed, serve `/healthz` and
 * `/graphql`, stop on SIGTERM. It prints what it found and exits 1 when anything failed or
 * node_modules holds {@link MAX_NODE_MODULES_MB} MB or more; `--keep` keeps the folder.
 * tests/deploy/image.test.ts runs the same steps.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { DockerfileParser, type JSONInstruction } from "dockerfile-ast";
import { projectRoot } from "../src/paths.js";
import { freePort, healthy } from "../tests/support/accord-process.js";
import { createTestDatabase } from "../tests/support/postgres.js";

const run = promisify(execFile);

/** The image's node_modules must stay below this many megabytes (`du -sm`). */
export const MAX_NODE_MODULES_MB = 150;

/**
 * Packages a PostgreSQL runtime never loads: the Prisma CLI, Studio and what they need, which
 * @prisma/client declares as optional peers, and the TypeScript runners of development.
 */
export const UNWANTED_PACKAGES = [
  "prisma",
  "@prisma/studio-core",
  "@prisma/dev",
  "react",
  "react-dom",
  "typescript",
  "tsx",
  "esbuild",
] as const;

/** The query the check asks: the seeded article, through the database. */
export const CHECK_QUERY =
  '{ article(slug: "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan") { title visits { documentsSignedCount } } }';

/** Longest wait for `/healthz` after the start (migrations and seed included). */
const START_TIMEOUT_MS = 90_000;
/** Longest wait for the exit after SIGTERM: above the default shutdown deadline of 10 s. */
const STOP_TIMEOUT_MS = 20_000;
/** Output kept of each stream of a process: the start's logs are a few kB. */
const MAX_OUTPUT_CHARS = 1_000_000;

/** What the Dockerfile's final stage runs: its ENV, ENTRYPOINT and CMD. */
export function imageCommand(): {
  env: Record<string, string>;
  entrypoint: string[];
  cmd: string[];
} {
  const instructions = DockerfileParser.parse(
    readFileSync(path.join(projectRoot, "Dockerfile"), "utf8"),
  ).getInstructions();
  const final = instructions.slice(instructions.findLastIndex((i) => i.getKeyword() === "FROM"));
  const json = (name: string) =>
    (final.findLast((i) => i.getKeyword() === name) as JSONInstruction | undefined)
      ?.getJSONStrings()
      .map((s) => s.getJSONValue()) ?? [];
  const env: Record<string, string> = {};
  for (const instruction of final.filter((i) => i.getKeyword() === "ENV")) {
    for (const pair of (instruction.getArgumentsContent() ?? "").split(/[\s\\]+/)) {
      const [name, value] = pair.split(/=(.*)/s);
      if (name && value !== undefined) env[name] = value;
    }
  }
  return { env, entrypoint: json("ENTRYPOINT"), cmd: json("CMD") };
}

/** Builds the image's folder in a new temporary directory; `remove()` deletes it. */
export async function assembleImage(): Promise<{ folder: string; remove(): void }> {
  const folder = mkdtempSync(path.join(os.tmpdir(), "accord-image-"));
  const remove = () => rmSync(folder, { recursive: true, force: true });
  try {
    // npm's output matters only when it fails, and then it is in the error.
    await run(path.join(projectRoot, "docker", "assemble.sh"), [folder], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    remove();
    throw error;
  }
  return { folder, remove };
}

/** The size of the folder's node_modules in megabytes, as `du -sm` counts it. */
export async function nodeModulesMegabytes(folder: string): Promise<number> {
  const { stdout } = await run("du", ["-sm", path.join(folder, "node_modules")]);
  return Number(stdout.split("\t")[0]);
}

/** Which of {@link UNWANTED_PACKAGES} the folder's node_modules holds, at any depth. */
export async function unwantedPackages(folder: string): Promise<string[]> {
  const { stdout } = await run(
    "find",
    [path.join(folder, "node_modules"), "-name", "package.json"],
    {
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const found = new Set(
    stdout
      .split("\n")
      .map((file) => /node_modules\/((?:@[^/]+\/)?[^/@]+)\/package\.json$/.exec(file)?.[1]),
  );
  return UNWANTED_PACKAGES.filter((name) => found.has(name));
}

/**
 * Starts the image's entrypoint in the folder with `command` (the image's CMD unless given),
 * with the image's ENV, `env` and PATH only, as a container would.
 */
export function startImage(folder: string, env: Record<string, string>, command?: string[]) {
  const image = imageCommand();
  const [entrypoint, ...args] = [...image.entrypoint, ...(command ?? image.cmd)];
  const child = spawn(path.join(folder, entrypoint!), args, {
    cwd: folder,
    env: { PATH: process.env.PATH, ...image.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  for (const stream of ["stdout", "stderr"] as const) {
    child[stream].on("data", (chunk: Buffer) => {
      if (output[stream].length < MAX_OUTPUT_CHARS) output[stream] += chunk.toString();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  return { child, output, exited };
}

/** Runs the entrypoint with `command` to its end: its exit code, output and pid. */
export async function runEntrypoint(
  folder: string,
  env: Record<string, string>,
  command: string[],
) {
  const { child, output, exited } = startImage(folder, env, command);
  const code = await exited;
  return { code, ...output, pid: child.pid! };
}

/** Resolves with what `exited` gives, or with "timeout" after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(resolve, ms, "timeout")));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts the image as a container would, with `env` (with DATABASE_URL its entrypoint migrates
 * and seeds that database; without, the server does so with the embedded one), asks `/healthz`
 * and {@link CHECK_QUERY} on `/graphql`, then sends SIGTERM: the answers, the exit code
 * (`"timeout"` when it did not exit in time, after which it is killed) and the output.
 */
export async function serveFromImage(folder: string, env: Record<string, string>) {
  const port = await freePort();
  const server = startImage(folder, { ...env, PORT: String(port) });
  const ended = server.exited.then(() => "exited" as const);
  const deadline = Date.now() + START_TIMEOUT_MS;
  let up = false;
  while (!up && Date.now() < deadline && (await within(ended, 250)) === "timeout") {
    up = await healthy(port);
  }
  const ask = async (url: string, init?: RequestInit) => {
    if (!up) return null;
    const response = await fetch(`http://127.0.0.1:${port}${url}`, {
      ...init,
      signal: AbortSignal.timeout(10_000),
    });
    const body: unknown = await response.json();
    return { status: response.status, body };
  };
  try {
    const healthz = await ask("/healthz");
    const graphql = await ask("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: CHECK_QUERY }),
    });
    server.child.kill("SIGTERM");
    const code = await within(server.exited, STOP_TIMEOUT_MS);
    return { healthz, graphql, code, ...server.output };
  } finally {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGKILL");
    }
  }
}

async function main(argv: string[]): Promise<number> {
  const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
  const started = performance.now();
  process.env.DATABASE_URL ||= "postgresql://postgres@127.0.0.1:5432/postgres";
  const image = await assembleImage();
  console.log(`Assembled the image's folder in ${seconds(started)} s: ${image.folder}`);
  let failed = false;
  try {
    const megabytes = await nodeModulesMegabytes(image.folder);
    const tooBig = megabytes >= MAX_NODE_MODULES_MB;
    console.log(
      `node_modules: ${megabytes} MB (${tooBig ? "NOT " : ""}under ${MAX_NODE_MODULES_MB} MB)`,
    );
    const unwanted = await unwantedPackages(image.folder);
    console.log(`Packages with no business at run time: ${unwanted.join(", ") || "none"}`);
    const database = await createTestDatabase();
    const serving = performance.now();
    try {
      const served = await serveFromImage(image.folder, { DATABASE_URL: database.url });
      console.log(`${served.stdout.trimEnd()}\n${served.stderr.trimEnd()}`.trim());
      console.log(`GET /healthz: ${JSON.stringify(served.healthz)}`);
      console.log(`POST /graphql: ${JSON.stringify(served.graphql)}`);
      console.log(`Exit after SIGTERM: ${served.code}`);
      console.log(`Migrated, seeded, served and stopped in ${seconds(serving)} s`);
      failed =
        tooBig ||
        unwanted.length > 0 ||
        served.healthz?.status !== 200 ||
        served.graphql?.status !== 200 ||
        JSON.stringify(served.graphql.body).includes('"errors"') ||
        served.code !== 0;
    } finally {
      await database.drop();
    }
  } finally {
    if (argv.includes("--keep")) console.log(`Kept ${image.folder}`);
    else image.remove();
  }
  console.log(`${failed ? "FAILED" : "Passed"} in ${seconds(started)} s`);
  return failed ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    return 1;
  });
}
