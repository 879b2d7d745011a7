/**
 * The runtime image's folder, built outside Docker by docker/assemble.sh as the Dockerfile's
 * build stage builds it (scripts/image-check.ts): its size, what it leaves out, and its
 * entrypoint and command run from it for real. Assembling installs the production
 * dependencies from the npm registry (about half a minute), so these run with a Postgres
 * server (DATABASE_URL), as in CI.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  assembleImage,
  MAX_NODE_MODULES_MB,
  nodeModulesMegabytes,
  runEntrypoint,
  serveFromImage,
  unwantedPackages,
} from "../../scripts/image-check.js";
import { createTestDatabase } from "../support/postgres.js";
import { SEEDED_VISIT } from "../support/seeded.js";

/**
 * Opt-in (`ACCORD_TEST_IMAGE=1`, with `DATABASE_URL`): assembling the image's folder installs
 * from the registry and compiles, over a minute that CI's time budget does not hold.
 */
const withServer =
  process.env.DATABASE_URL && process.env.ACCORD_TEST_IMAGE === "1" ? describe : describe.skip;

/** What the check's query (CHECK_QUERY) answers on a seeded database. */
const SEEDED_ANSWER = {
  status: 200,
  body: {
    data: {
      article: {
        title: "Resolution of border issues between Tajikistan and Kyrgyzstan",
        visits: [{ documentsSignedCount: SEEDED_VISIT.documentsSignedCount }],
      },
    },
  },
};

withServer("the runtime image's folder", () => {
  let image: Awaited<ReturnType<typeof assembleImage>>;
  beforeAll(async () => {
    image = await assembleImage();
  }, 300_000);
  afterAll(() => image?.remove());

  // The command prints its own pid: the same as the entrypoint's when the entrypoint exec'd it.
  const command = ["node", "-e", "console.log(`command pid ${process.pid}`)"];

  it(`has a node_modules under ${MAX_NODE_MODULES_MB} MB`, async () => {
    expect(await nodeModulesMegabytes(image.folder)).toBeLessThan(MAX_NODE_MODULES_MB);
  });

  it("holds no Prisma CLI, Studio, React, TypeScript or TypeScript runner", async () => {
    expect(await unwantedPackages(image.folder)).toEqual([]);
  });

  it("answers /healthz and the seeded article from a Postgres server, and exits 0 on SIGTERM", async () => {
    const database = await createTestDatabase();
    try {
      const served = await serveFromImage(image.folder, { DATABASE_URL: database.url });
      expect(served).toMatchObject({
        healthz: { status: 200, body: { status: "ok" } },
        graphql: SEEDED_ANSWER,
        code: 0,
      });
      expect(served.stdout).toMatch(/Applied \d+ migrations?[\s\S]*Seeded "/);
    } finally {
      await database.drop();
    }
  }, 120_000);

  it("answers the seeded article from the embedded database without DATABASE_URL", async () => {
    const served = await serveFromImage(image.folder, {});
    expect(served).toMatchObject({
      healthz: { status: 200, body: { status: "ok" } },
      graphql: SEEDED_ANSWER,
      code: 0,
    });
    expect(served.stdout).toContain("Using the embedded database");
  }, 120_000);

  it("has an entrypoint that, without DATABASE_URL, execs the command and nothing else", async () => {
    const result = await runEntrypoint(image.folder, {}, command);
    expect(result).toMatchObject({ code: 0, stdout: `command pid ${result.pid}\n`, stderr: "" });
  });

  it("has an entrypoint that stops before the command when the database cannot be migrated", async () => {
    const result = await runEntrypoint(
      image.folder,
      { DATABASE_URL: "postgresql://accord@127.0.0.1:1/accord" },
      command,
    );
    expect(result.code).not.toBe(0);
    expect(result.stdout).not.toContain("command pid");
    expect(result.stderr).toContain("Migration failed");
  });

  it("has an entrypoint that migrates and seeds, then execs the command; again, changes nothing", async () => {
    const database = await createTestDatabase();
    try {
      const first = await runEntrypoint(image.folder, { DATABASE_URL: database.url }, command);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/Applied \d+ migrations?[\s\S]*Seeded "/);
      expect(first.stdout.trimEnd().split("\n").at(-1)).toBe(`command pid ${first.pid}`);

      const again = await runEntrypoint(image.folder, { DATABASE_URL: database.url }, command);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain("Database is up to date");
      expect(again.stdout).toContain("Already there, kept as they are");
      expect(again.stdout.trimEnd().split("\n").at(-1)).toBe(`command pid ${again.pid}`);
    } finally {
      await database.drop();
    }
  }, 120_000);
});
