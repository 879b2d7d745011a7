/**
 * Seeds the database from a folder of articles (by default ./articles): each `<name>.md` source,
 * with the facts read from it in `<name>.facts.json` next to it. Articles are brought in in file
 * name order, each through the import (src/import), so a later article may name actors an
 * earlier one brought in. Every article is parsed and every quote anchored before its first
 * write, and all writes are one transaction: a bad quote stops the seed with the file, the fact
 * and the quote named, and the database is left as it was. Each source is kept as its file
 * holds it (see ArticleSource).
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "../db/database.js";
import { RECORD_TABLES } from "../registry.js";
import { editorNamed, planImport, writeImport } from "../import/import.js";
import { FactsError, readFactsFile, type Facts } from "../import/facts.js";
import { readSourceFile } from "../import/source.js";

export class SeedError extends Error {
  override name = "SeedError";
}

/** One article of a seed folder: its source, and the facts read from it. */
export interface SeedArticle {
  file: string;
  source: string;
  facts: Facts | null;
}

export const SEED_FOLDER = fileURLToPath(new URL("./articles", import.meta.url));

/** The articles of a seed folder, in file name order; a source may come without facts. */
export function readSeedFolder(folder = SEED_FOLDER): SeedArticle[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => {
      const file = path.join(folder, name);
      const factsFile = file.replace(/\.md$/, ".facts.json");
      // A source that is not UTF-8 is named by its own path.
      const source = readSourceFile(file);
      try {
        return {
          file,
          source,
          facts: existsSync(factsFile) ? readFactsFile(factsFile) : null,
        };
      } catch (error) {
        throw new SeedError(`${path.basename(factsFile)}: ${(error as Error).message}`);
      }
    });
}

export type SeedResult = { status: "seeded" | "unchanged"; seeded: string[]; kept: string[] };

/** Plans an article of the seed, naming its file in any problem. */
function plan(article: SeedArticle) {
  try {
    return planImport({ source: article.source, facts: article.facts });
  } catch (error) {
    const problems = error instanceof FactsError ? error.message : (error as Error).message;
    throw new SeedError(`${path.basename(article.file)}: ${problems}`);
  }
}

/**
 * Seeds the database. An article whose slug is already in the database is kept as it is
 * (`kept`) unless `reset` is set, which first empties every domain table.
 */
export async function seed(
  db: Database,
  options: { reset?: boolean; articles?: SeedArticle[] } = {},
): Promise<SeedResult> {
  const articles = options.articles ?? readSeedFolder();
  const plans = articles.map((article) => ({ article, plan: plan(article) }));
  const scope = { editor: editorNamed("seed") };
  return db.prisma.$transaction(
    async (tx) => {
      // Two seeds at once would both find the database empty: the second waits here.
      await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(hashtext('accord:seed'))");
      if (options.reset) {
        await tx.$executeRawUnsafe(
          // The record's tables, in one statement (so their order does not matter); API keys and
          // the other service tables are kept.
          `TRUNCATE ${RECORD_TABLES.map((t) => `"${t}"`).join(", ")} RESTART IDENTITY`,
        );
      }
      const seeded: string[] = [];
      const kept: string[] = [];
      for (const { article, plan: planned } of plans) {
        const slug = planned.article.slug;
        if (await tx.article.findUnique({ where: { slug } })) {
          kept.push(slug);
          continue;
        }
        try {
          await writeImport({ ...scope, tx }, planned);
        } catch (error) {
          throw new SeedError(`${path.basename(article.file)}: ${(error as Error).message}`);
        }
        seeded.push(slug);
      }
      return { status: seeded.length > 0 ? "seeded" : "unchanged", seeded, kept } as const;
    },
    { timeout: 60_000, maxWait: 30_000 },
  );
}
