/**
 * `npx tsx bench/import.ts`: the time of `previewArticle` and of `importArticle` for sources of
 * about 250 kB and 1 MB (the seed's body repeated, with its facts), on a fresh database of the
 * Postgres server that DATABASE_URL names, through the HTTP server; and the ratio, which
 * near-linear work keeps near 4. Prints figures only.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { startTestServer } from "../tests/support/server.js";
import { SEED_FACTS_FILE, seedSource } from "../tests/support/seed-article.js";

const server = await startTestServer({ seeded: false });
try {
  const editor = await server.keyFor("EDITOR");
  const facts = JSON.parse(readFileSync(SEED_FACTS_FILE, "utf8")) as Record<string, unknown> & {
    article: Record<string, unknown>;
  };
  const bodyStart = seedSource.indexOf("The state visit");
  const front = seedSource.slice(0, bodyStart);
  const body = seedSource.slice(bodyStart);
  const sourceOf = (bytes: number, n: number) => {
    // The other copies spell every "e" as "ë", so that no quote of the facts repeats, and are
    // one paragraph each, so that a megabyte stays within `Article.paragraphs`.
    const copies = Math.floor(bytes / body.length);
    const rest = Array.from({ length: copies - 1 }, () =>
      body.replaceAll("e", "ë").replaceAll("\n\n", " "),
    );
    return (
      front.replace("Resolution of border issues", `Resolution ${n} of border issues`) +
      [body, ...rest].join("\n\n")
    );
  };
  const time = async (query: string, variables: Record<string, unknown>) => {
    const started = performance.now();
    const response = await server.graphql(query, variables, editor);
    if (response.errors) throw new Error(JSON.stringify(response.errors).slice(0, 500));
    return performance.now() - started;
  };
  const rows: string[] = [];
  for (const [label, bytes] of [
    ["250 kB", 250_000],
    ["1 MB", 980_000],
  ] as const) {
    const n = rows.length;
    const source = sourceOf(bytes, n);
    const f = { ...facts, article: { ...facts.article, slug: undefined } };
    const preview = await time(
      `query ($input: PreviewArticleInput!) { previewArticle(input: $input) { slug mentionCount suggestions { kind } } }`,
      { input: { source } },
    );
    const imported = await time(
      `mutation ($input: ImportArticleInput!) { importArticle(input: $input) { id } }`,
      { input: { source, facts: f } },
    );
    rows.push(
      `${label.padEnd(7)} ${String(source.length).padStart(9)} chars  preview ${preview.toFixed(0).padStart(6)} ms  import ${imported.toFixed(0).padStart(6)} ms`,
    );
  }
  for (const row of rows) console.log(row);
} finally {
  await server.stop();
}
