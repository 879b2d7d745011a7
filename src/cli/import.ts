/**
 * `npm run import -- <source.md> [--facts <facts.json>] [--language <code>]`: brings in one
 * article and the facts read from it, as the `importArticle` mutation does, into the database
 * that DATABASE_URL names (or the embedded one, which must not be in use by a running server).
 * All of it is written, or nothing; a refusal lists every fact and quote that did not fit.
 * The source is kept byte for byte as the file holds it (a byte order mark, CRLF line ends).
 * Revisions name the editor `command line`.
 */
import { parseArgs } from "node:util";
import { GraphQLError } from "graphql";
import { readConfig } from "../config.js";
import { describe, openDatabase } from "../db/database.js";
import { toGlobalId } from "../ids.js";
import { FactsError, readFactsFile, type Problem } from "../import/facts.js";
import { editorNamed, importArticle } from "../import/import.js";
import { readSourceFile } from "../import/source.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { facts: { type: "string" }, language: { type: "string" } },
});
if (positionals.length !== 1) {
  console.error("Usage: npm run import -- <source.md> [--facts <facts.json>] [--language <code>]");
  process.exit(2);
}

function report(problems: readonly Problem[]) {
  for (const problem of problems) console.error(`  ${problem.path}: ${problem.message}`);
}

const config = readConfig();
const db = await openDatabase(config);
try {
  const source = readSourceFile(positionals[0]!);
  const facts = values.facts === undefined ? null : readFactsFile(values.facts);
  console.log(`Importing ${positionals[0]} into ${describe(db)}`);
  const article = await db.prisma.$transaction(
    (tx) =>
      importArticle(
        { tx, editor: editorNamed("command line") },
        { source, facts, language: values.language ?? null },
      ),
    { timeout: 60_000, maxWait: 30_000 },
  );
  console.log(`Imported "${article.slug}" as ${toGlobalId("Article", article.id)}.`);
} catch (error) {
  console.error(`Import failed, nothing was written: ${(error as Error).message}`);
  if (error instanceof FactsError) report(error.problems);
  if (error instanceof GraphQLError && Array.isArray(error.extensions.problems)) {
    report(error.extensions.problems as Problem[]);
  }
  process.exitCode = 1;
} finally {
  await db.close();
}
