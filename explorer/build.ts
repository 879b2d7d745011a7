/**
 * Builds the explorer into explorer/dist: index.html, one script and one stylesheet holding
 * GraphiQL, React, the fonts and the contract operations, so that the page loads nothing from
 * other origins.
 * `npm run build:explorer`; `postinstall` runs it too.
 */
import { copyFile, mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { readContract } from "./operations.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const outdir = path.join(here, "dist");

// The contract's operations, each with where its variables' examples come from (operations.ts).
const contract = await readContract(
  path.join(here, "..", "tests", "contract", "operations"),
  path.join(here, "..", "schema.graphql"),
);
for (const operation of contract.operations) {
  for (const [name, source] of Object.entries(operation.variables)) {
    if (source.kind === "unknown") console.warn(`${operation.name} $${name}: ${source.why}`);
  }
}

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
await build({
  entryPoints: { explorer: path.join(here, "main.tsx") },
  outdir,
  bundle: true,
  minify: true,
  format: "iife",
  platform: "browser",
  target: "es2022",
  jsx: "automatic",
  define: {
    "process.env.NODE_ENV": JSON.stringify("production"),
    ACCORD_CONTRACT: JSON.stringify(contract),
  },
  // A file referenced by URL (a font, an image) would need a loader and fail the build here,
  // rather than being left for the browser to fetch from somewhere: GraphiQL inlines its own.
  logLevel: "warning",
});
await copyFile(path.join(here, "index.html"), path.join(outdir, "index.html"));

for (const name of ["index.html", "explorer.js", "explorer.css"]) {
  const { size } = await stat(path.join(outdir, name));
  console.log(`explorer/dist/${name}  ${(size / 1024).toFixed(0)} KiB`);
}
