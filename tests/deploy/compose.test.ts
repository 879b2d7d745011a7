/**
 * Running Accord in containers, checked as far as a machine without a Docker engine allows:
 * docker-compose.yml and the Dockerfile parsed and held to what `docker compose up` needs,
 * and the image's health check command run for real, and .env.example compared with the
 * variables src/config.ts actually reads. The image's folder itself, its entrypoint and its
 * command are run in tests/deploy/image.test.ts.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { DockerfileParser, type Instruction, type JSONInstruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { parse as parseYaml } from "yaml";
import { readConfig } from "../../src/config.js";
import { projectRoot } from "../../src/paths.js";
import { variablesRead } from "../support/variables.js";

const run = promisify(execFile);
const read = (file: string) => readFileSync(path.join(projectRoot, file), "utf8");

/** `NAME=value` lines of an env file, with the comment lines directly above each. */
function parseEnvFile(text: string): Map<string, { value: string; comment: string }> {
  const variables = new Map<string, { value: string; comment: string }>();
  let comment: string[] = [];
  for (const line of text.split("\n")) {
    const assignment = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (assignment) {
      variables.set(assignment[1]!, { value: assignment[2]!, comment: comment.join(" ") });
      comment = [];
    } else if (line.startsWith("#")) {
      comment.push(line.replace(/^#\s*/, ""));
    } else {
      comment = [];
    }
  }
  return variables;
}

/** The Dockerfile's instructions grouped by stage (each starts at its FROM). */
function stagesOf(dockerfile: string) {
  const stages: { from: Instruction; name: string | null; instructions: Instruction[] }[] = [];
  for (const instruction of DockerfileParser.parse(dockerfile).getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const name = /\sAS\s+(\S+)/i.exec(instruction.getArgumentsContent() ?? "")?.[1] ?? null;
      stages.push({ from: instruction, name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const keyword = (instructions: Instruction[], name: string) =>
  instructions.filter((i) => i.getKeyword() === name);
const jsonArgs = (instruction: Instruction) =>
  (instruction as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
const flag = (instruction: Instruction, name: string) =>
  (instruction as JSONInstruction)
    .getFlags()
    .find((f) => f.getName() === name)
    ?.getValue();

interface ComposeService {
  image?: string;
  build?: string | { context: string };
  environment?: Record<string, string | number> | string[];
  ports?: (string | { target: number; published: string | number })[];
  volumes?: (string | { source: string; target: string })[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }> | string[];
}

function environmentOf(service: ComposeService): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((line) => line.split(/=(.*)/s).slice(0, 2)));
  }
  return Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)]));
}

const compose = parseYaml(read("docker-compose.yml")) as {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
};
const dockerfile = read("Dockerfile");
const stages = stagesOf(dockerfile);
const final = stages.at(-1)!;

describe("docker-compose.yml", () => {
  const postgres = compose.services.postgres!;
  const accord = compose.services.accord!;

  it("has the two services: postgres and accord", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["accord", "postgres"]);
  });

  it("runs Postgres 15, pinned to that major version", () => {
    expect(postgres.image).toMatch(/^postgres:15(\.\d+)*(-[a-z0-9.]+)?$/);
  });

  it("keeps Postgres's data in a named volume", () => {
    const mounts = (postgres.volumes ?? []).map((v) =>
      typeof v === "string" ? v : `${v.source}:${v.target}`,
    );
    const data = mounts.find((m) => m.endsWith(":/var/lib/postgresql/data"));
    expect(data).toBeDefined();
    const volume = data!.split(":")[0]!;
    expect(volume).toMatch(/^[a-z][\w-]*$/); // a name, not a host path
    expect(Object.keys(compose.volumes ?? {})).toContain(volume);
  });

  it("checks Postgres's health with pg_isready on the configured database", () => {
    const test = postgres.healthcheck?.test;
    const command = Array.isArray(test) ? test.slice(1).join(" ") : String(test);
    const environment = environmentOf(postgres);
    expect(command).toContain("pg_isready");
    expect(command).toContain(`-U ${environment.POSTGRES_USER}`);
    expect(command).toContain(`-d ${environment.POSTGRES_DB}`);
  });

  it("builds Accord from this folder's Dockerfile", () => {
    const context = typeof accord.build === "string" ? accord.build : accord.build?.context;
    expect(context).toBe(".");
  });

  it("starts Accord only once Postgres is healthy", () => {
    expect(accord.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
  });

  it("publishes Accord's port, the one it listens on and the image exposes", () => {
    const environment = environmentOf(accord);
    const port = readConfig(environment).port;
    expect(accord.ports).toContain(`${port}:${port}`);
    const exposed = keyword(final.instructions, "EXPOSE").map((e) => e.getArgumentsContent());
    expect(exposed).toContain(String(port));
    expect(port).toBe(4000);
  });

  it("publishes Postgres on the host's loopback only, beside a Postgres the host may run", () => {
    expect(postgres.ports).toEqual(["127.0.0.1:55432:5432"]);
  });

  it("sets only variables that src/config.ts reads", () => {
    const read = variablesRead();
    const set = Object.keys(environmentOf(accord));
    expect(set.sort()).toEqual(expect.arrayContaining(["DATABASE_URL", "NODE_ENV", "PORT"]));
    expect(set.filter((name) => !read.has(name))).toEqual([]);
  });

  it("points Accord at the postgres service with its credentials, in production mode", () => {
    const config = readConfig(environmentOf(accord));
    const url = new URL(config.databaseUrl!);
    const db = environmentOf(postgres);
    expect(url.hostname).toBe("postgres");
    expect(url.port).toBe("5432");
    expect(decodeURIComponent(url.username)).toBe(db.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(db.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${db.POSTGRES_DB}`);
    expect(config.production).toBe(true);
  });
});

describe("Dockerfile", () => {
  it("is multi-stage, every stage on the Node 20 slim image", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      expect(stage.from.getArgumentsContent()).toMatch(/^node:20-[a-z]+-slim(\s|$)/);
    }
  });

  it("copies between stages only from stages defined before", () => {
    const names = new Set<string>();
    for (const stage of stages) {
      for (const copy of keyword(stage.instructions, "COPY")) {
        const from = flag(copy, "from");
        if (from !== undefined) expect(names).toContain(from);
      }
      if (stage.name) names.add(stage.name);
    }
  });

  it("copies from the build context only files that exist", () => {
    for (const stage of stages) {
      for (const copy of keyword(stage.instructions, "COPY")) {
        if (flag(copy, "from") !== undefined) continue;
        const sources = copy.getArguments().slice(0, -1);
        for (const source of sources) {
          expect({ source, exists: existsSync(path.join(projectRoot, source.getValue())) }).toEqual(
            { source, exists: true },
          );
        }
      }
    }
  });

  it("builds the runtime's folder with docker/assemble.sh, and the final stage is that folder", () => {
    const build = stages.find((stage) => stage.name === "build")!;
    const assembled = keyword(build.instructions, "RUN")
      .map((r) => /\bdocker\/assemble\.sh\s+(\S+)/.exec(r.getArgumentsContent() ?? "")?.[1])
      .filter((folder) => folder !== undefined);
    expect(assembled).toHaveLength(1);
    const copies = keyword(final.instructions, "COPY").map((c) => ({
      from: flag(c, "from"),
      paths: c.getArgumentsContent(),
    }));
    expect(copies).toEqual([{ from: "build", paths: `${assembled[0]} ./` }]);
    // Nothing is installed in the final stage: its node_modules is the assembled one.
    const runs = keyword(final.instructions, "RUN").map((r) => r.getArgumentsContent() ?? "");
    expect(runs.filter((r) => /\bnpm\b/.test(r))).toEqual([]);
  });

  it("installs only production dependencies, leaving out optional peers, into the runtime's folder", () => {
    const installs = read("docker/assemble.sh")
      .split("\n")
      .filter((line) => /^\s*npm (ci|install|i)\b/.test(line));
    expect(installs).toEqual([
      "npm ci --omit=dev --omit=optional --omit=peer --ignore-scripts --no-audit --no-fund",
    ]);
  });

  it("runs the final stage as a user other than root", () => {
    const user = keyword(final.instructions, "USER").at(-1)?.getArgumentsContent();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
  });

  it("starts node itself, in exec form, not npm", () => {
    const cmd = keyword(final.instructions, "CMD").at(-1)!;
    const argv = jsonArgs(cmd);
    expect(argv[0]).toBe("node");
    expect(argv).not.toContain("npm");
    expect(argv).toContain("dist/index.js");
    expect(argv).not.toContain("tsx");
  });

  it("has an entrypoint that prepares the database, then execs the command", () => {
    const entrypoint = keyword(final.instructions, "ENTRYPOINT").at(-1);
    if (!entrypoint) return;
    const [script] = jsonArgs(entrypoint);
    const file = path.join(projectRoot, script!);
    accessSync(file, constants.X_OK);
    const lines = readFileSync(file, "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    expect(lines.at(-1)).toBe('exec "$@"');
    expect(lines.join("\n")).toMatch(/dist\/cli\/migrate\.js[\s\S]*dist\/cli\/seed\.js/);
  });

  it("declares a health check on /healthz", () => {
    const healthcheck = keyword(final.instructions, "HEALTHCHECK").at(-1);
    expect(healthcheck?.getArgumentsContent()).toMatch(/^CMD \[.*\/healthz/s);
  });

  it("has no problems a Dockerfile linter (dockerfile-utils) finds", () => {
    // The linter is live: it does find problems in a broken file.
    expect(validate("FROM node:20-bookworm-slim\nEXPOSE port\nHEALTHCHECK CMD\n").length).toBe(2);
    expect(
      validate(dockerfile).map(
        (d) =>
          `${d.range.start.line + 1}: ${typeof d.message === "string" ? d.message : d.message.value}`,
      ),
    ).toEqual([]);
  });

  const hadolint = spawnSync("hadolint", ["--version"]).status === 0;
  (hadolint ? it : it.skip)(
    "passes hadolint (skipped where it is not installed: Debian does not package it)",
    async () => {
      await run("hadolint", [path.join(projectRoot, "Dockerfile")]);
    },
  );
});

describe("the image's health check command", () => {
  const healthcheck = keyword(final.instructions, "HEALTHCHECK").at(-1)!;
  const argv = JSON.parse(healthcheck.getArgumentsContent()!.replace(/^CMD\s+/, "")) as string[];

  /** Runs the command against a server on `port`; its exit code and the paths it asked for. */
  async function check(status: number | null) {
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? "");
      res.statusCode = req.url === "/healthz" ? status! : 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    if (status === null) await new Promise((resolve) => server.close(resolve));
    try {
      const child = spawn(argv[0]!, argv.slice(1), {
        env: { ...process.env, PORT: String(port) },
        stdio: "ignore",
      });
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      return { code, paths };
    } finally {
      if (status !== null) server.close();
    }
  }

  it("succeeds when /healthz on PORT answers 200", async () => {
    expect(await check(200)).toEqual({ code: 0, paths: ["/healthz"] });
  });

  it("fails when /healthz answers an error", async () => {
    expect(await check(503)).toEqual({ code: 1, paths: ["/healthz"] });
  });

  it("fails when nothing listens", async () => {
    expect(await check(null)).toEqual({ code: 1, paths: [] });
  });
});

describe(".env.example", () => {
  const example = parseEnvFile(read(".env.example"));
  const values = Object.fromEntries([...example].map(([name, { value }]) => [name, value]));

  it("lists every variable src/config.ts reads", () => {
    const read = [...variablesRead(), ...variablesRead(values)];
    expect(read.filter((name) => !example.has(name))).toEqual([]);
  });

  it("lists no variable that nothing reads", () => {
    const read = variablesRead(values);
    expect([...example.keys()].filter((name) => !read.has(name))).toEqual([]);
  });

  it("explains each variable in a comment above it", () => {
    for (const [name, { comment }] of example) {
      expect({ name, comment: comment.length > 10 }).toEqual({ name, comment: true });
    }
  });

  it("gives each variable its default: as a whole, the configuration of an empty environment", () => {
    expect(readConfig(values)).toEqual(readConfig({}));
  });

  it("documents the four variables Accord has always read", () => {
    expect(values).toMatchObject({
      DATABASE_URL: "",
      ACCORD_DATA_DIR: "data/pglite",
      PORT: "4000",
      NODE_ENV: "",
    });
  });
});
