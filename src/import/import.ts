/**
 * Bringing in an article: the one way in behind the `importArticle` mutation, `npm run import`
 * and the seed. The source is parsed and every fact checked and every quote anchored before the
 * first write; then the article and its facts are written through the same edits an editor's
 * mutations make, in the caller's transaction, so the rules and revisions are theirs. The
 * source itself is kept as submitted (`ArticleSource`), with where its front matter was read.
 */
import { GraphQLError } from "graphql";
import type { Editor } from "../auth.js";
import type { ImportArticleInput } from "../generated/graphql.js";
import { maxItems } from "../bounds.js";
import { accordError, badInput } from "../errors.js";
import { slug as slugRule } from "../edits/validate.js";
import { toGlobalId } from "../ids.js";
import { createActor, updateActor } from "../edits/actors.js";
import { createAgreement } from "../edits/agreements.js";
import type { CiteOption } from "../edits/basis.js";
import { createArticle } from "../edits/articles.js";
import { deferredChecked, recordRevision, uniqueIndexOf, type EditScope } from "../edits/edit.js";
import { createOutcome } from "../edits/outcomes.js";
import { citationSnapshot } from "../edits/snapshots.js";
import { createVisit } from "../edits/visits.js";
import { malformed } from "../text/rules.js";
import {
  AmbiguousQuoteError,
  anchorQuote,
  InvalidQuoteError,
  QuoteNotFoundError,
  type Anchor,
} from "../text/anchor.js";
import {
  factPaths,
  factProblems,
  FactsError,
  IMPORT_BOUNDS,
  outcomeVisit,
  type Facts,
  type Problem,
  type Quote,
} from "./facts.js";
import { ArticleStructureError, parseArticle, type ParsedArticle } from "./parse.js";
import { frontMatter, storedFrontMatter } from "./source.js";

/** The longest source accepted, front matter included: as long as the longest body. */
export const MAX_SOURCE_LENGTH = 1_000_000;

/** The editor that seeds and command-line imports are recorded under in `Revision.editor`. */
export const editorNamed = (name: string): Editor => ({ keyId: 0, name, role: "ADMIN" });

/** Parses a source, refusing one that is too long or lacks a part as bad input of `source`. */
export function parseSource(source: string, language?: string | null): ParsedArticle {
  if (source.length > MAX_SOURCE_LENGTH) {
    throw badInput("input.source", `is ${source.length} characters; at most ${MAX_SOURCE_LENGTH}`, {
      max: MAX_SOURCE_LENGTH,
    });
  }
  // Kept verbatim, so it must be storable as it is: Postgres text holds no U+0000, and would
  // store U+FFFD for half a character, moving every offset after it.
  const nul = source.indexOf("\u0000");
  const unstorable = nul >= 0 ? `holds U+0000 at index ${nul}` : malformed(source);
  if (unstorable) throw badInput("input.source", unstorable);
  try {
    return parseArticle(source, language == null ? {} : { language });
  } catch (error) {
    if (error instanceof ArticleStructureError) throw badInput("input.source", error.message);
    throw error;
  }
}

/** The facts of a source that comes without any: its author and publisher as printed. */
function defaultFacts(article: ParsedArticle, facts: Facts | null | undefined): Facts {
  const given = facts ?? {};
  if (given.article?.authors && given.article.publisher != null) return given;
  const actors = [...(given.actors ?? [])];
  const keyOf = (name: string, fallback: string, add: () => void) => {
    const found = actors.find((a) => a.name === name || a.aliases?.includes(name));
    if (found) return found.key;
    add();
    return fallback;
  };
  const publisher = keyOf(article.publisher.name, "publisher", () =>
    actors.push({
      key: "publisher",
      name: article.publisher.name,
      kind: "ORGANIZATION",
      description: article.publisher.description,
      aliases: article.publisher.aliases,
    }),
  );
  const author = keyOf(article.author.name, "author", () =>
    actors.push({
      key: "author",
      name: article.author.name,
      kind: "PERSON",
      description: article.author.description || null,
    }),
  );
  return {
    ...given,
    actors,
    article: {
      ...given.article,
      authors: given.article?.authors ?? [author],
      publisher: given.article?.publisher ?? publisher,
    },
  };
}

interface Cited {
  path: string;
  anchors: Anchor[];
}

/** Anchors every quote of every fact, collecting a problem for each that does not fit. */
function anchorAll(article: ParsedArticle, facts: Facts, problems: Problem[]) {
  const anchor = (path: string, quotes: readonly Quote[] | null | undefined): Cited => {
    /** Where each passage this fact cites starts and ends, with the citation that cites it. */
    const cited = new Map<string, number>();
    return {
      path,
      anchors: (quotes ?? []).flatMap(({ quote, occurrence }, i) => {
        const at = `${path}.citations[${i}]`;
        try {
          const found = anchorQuote(
            article.body,
            article.paragraphs,
            quote,
            occurrence ?? undefined,
          );
          const span = `${found.start}:${found.end}`;
          const first = cited.get(span);
          if (first !== undefined) {
            problems.push({
              path: at,
              message: `cites the passage of ${path}.citations[${first}] again`,
            });
            return [];
          }
          cited.set(span, i);
          return [found];
        } catch (error) {
          if (error instanceof AmbiguousQuoteError) {
            problems.push({ path: at, message: error.message, occurrences: error.occurrences });
          } else if (
            error instanceof QuoteNotFoundError ||
            error instanceof InvalidQuoteError ||
            error instanceof RangeError
          ) {
            problems.push({ path: at, message: error.message });
          } else throw error;
          return [];
        }
      }),
    };
  };
  const paths = factPaths(facts, "input.facts");
  return {
    visits: paths.visits.map(({ fact, path }) => anchor(path, fact.citations)),
    agreements: paths.agreements.map(({ fact, path }) => anchor(path, fact.citations)),
    outcomes: paths.outcomes.map(({ fact, path }) => anchor(path, fact.citations)),
  };
}

type Plan = ReturnType<typeof readPlan>["plan"];

/**
 * Everything the import writes, computed and checked without writing, with every problem
 * found. Only a source that cannot be parsed is thrown at once.
 */
function readPlan(input: ImportArticleInput) {
  const article = parseSource(input.source, input.language);
  const facts = defaultFacts(article, input.facts);
  const problems = factProblems(facts, "input.facts");
  const slug = facts.article?.slug;
  if (slug != null && slug !== article.slug) {
    problems.push({
      path: "input.facts.article.slug",
      message: `the facts are about "${slug}", the source is "${article.slug}"`,
    });
  }
  const citations = anchorAll(article, facts, problems);
  // The source is kept as submitted, with where its front matter was read.
  const source = { text: input.source, frontMatter: frontMatter(input.source, article) };
  return { plan: { article, facts, citations, source }, problems };
}

/** Everything the import writes, checked without writing; a FactsError lists what did not fit. */
export function planImport(input: ImportArticleInput): Plan {
  const { plan, problems } = readPlan(input);
  if (problems.length > 0) throw new FactsError(problems);
  return plan;
}

/** A plan's problems as one BAD_USER_INPUT that lists them all. */
export function refusal(error: FactsError): GraphQLError {
  const { problems } = error;
  const first = problems[0]!;
  return badInput(
    first.path,
    `${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : ""}; nothing was written`,
    { problems },
  );
}

/** The import's path for a field an edit's refusal names (`.title`, `.partyIds[1]`...). */
type Rename = (field: string) => string;

/** A fact's fields are named as in the facts format: `parties` for `partyIds`, and so on. */
const inFact =
  (path: string): Rename =>
  (field) =>
    path +
    field
      .replace(/^\.partyIds\b/, ".parties")
      .replace(/\.actorId\b/, ".actor")
      .replace(/^\.visitId\b/, ".visit");

/** The article's own fields are read from the source; its author and publisher from facts. */
const inArticle: Rename = (field) =>
  field.startsWith(".authorIds")
    ? `input.facts.article.authors${field.slice(".authorIds".length)}`
    : field.startsWith(".publisherId")
      ? "input.facts.article.publisher"
      : `input.source`;

/** Renames the `input.…` field an edit's refusal names to where the import read it. */
async function asFact<T>(rename: Rename, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const name = error.extensions.argumentName;
    if (typeof name !== "string" || !name.startsWith("input")) throw error;
    const field = name.slice("input".length);
    const message = error.message.startsWith(`${name}: `)
      ? error.message.slice(name.length + 2)
      : error.message;
    const path = rename(field);
    // The source's own fields say which one was refused: `input.source: slug: …`.
    const said =
      path === "input.source" && field !== "" ? `${field.slice(1)}: ${message}` : message;
    const extensions = { ...error.extensions };
    delete extensions.argumentName;
    // Shaped as a plan's refusal: one problem, listed.
    throw badInput(path, `${said}; nothing was written`, {
      ...extensions,
      problems: [{ path, message: said }],
    });
  }
}

/** An actor as the record holds it, with its aliases. */
type HeldActor = {
  id: number;
  name: string;
  kind: string;
  version: number;
  aliases: { alias: string }[];
};

/** What the import adds to an actor the record holds: aliases, from every key that names it. */
interface Addition {
  actor: HeldActor;
  aliases: string[];
  /** The first fact that names the actor, for naming a refusal. */
  path: string;
}

/**
 * What the facts ask of the record, checked against it before the first write: each actor
 * already there (by name or alias) is of the kind the facts say, a new actor has a kind, no
 * alias given is another actor's, and the slug is free. Every clash is a problem at its path.
 * Answers the actors already held, by fact key.
 */
async function recordProblems(
  scope: EditScope,
  { article, facts }: Pick<Plan, "article" | "facts">,
): Promise<{
  problems: Problem[];
  held: Map<string, HeldActor>;
  additions: Map<number, Addition>;
}> {
  const problems: Problem[] = [];
  const additions = new Map<number, Addition>();
  const actors = facts.actors ?? [];
  const spellings = actors.flatMap((a) => [a.name, ...(a.aliases ?? [])]);
  const [rows, taken] = await Promise.all([
    scope.tx.actorAlias.findMany({
      where: { alias: { in: spellings } },
      include: { actor: { include: { aliases: { orderBy: { id: "asc" } } } } },
    }),
    scope.tx.article.findUnique({ where: { slug: article.slug }, select: { id: true } }),
  ]);
  const slugProblem = slugProblemOf(article.slug);
  if (slugProblem) problems.push(slugProblem);
  if (taken) {
    problems.push({
      path: "input.source",
      message: `slug: "${article.slug}" is already the slug of ${toGlobalId("Article", taken.id)}`,
    });
  }
  const holder = new Map(rows.map((row) => [row.alias, row.actor]));
  const held = new Map<string, HeldActor>();
  for (const [i, fact] of actors.entries()) {
    const path = `input.facts.actors[${i}]`;
    const existing = holder.get(fact.name);
    if (existing) {
      held.set(fact.key, existing);
      if (fact.kind != null && fact.kind !== existing.kind) {
        problems.push({
          path: `${path}.kind`,
          message: `"${fact.name}" is ${toGlobalId("Actor", existing.id)}, a ${existing.kind}, not a ${fact.kind}`,
        });
      }
    } else if (fact.kind == null) {
      problems.push({
        path: `${path}.kind`,
        message: `no actor is named "${fact.name}": a new actor needs a kind`,
      });
    }
    (fact.aliases ?? []).forEach((alias, j) => {
      const other = holder.get(alias);
      if (other && other.id !== existing?.id) {
        problems.push({
          path: `${path}.aliases[${j}]`,
          message: `"${alias}" already names ${other.name} (${toGlobalId("Actor", other.id)})`,
        });
      }
    });
    if (existing) {
      const addition = additions.get(existing.id) ?? { actor: existing, aliases: [], path };
      additions.set(existing.id, addition);
      const have = new Set(existing.aliases.map((a) => a.alias));
      for (const alias of fact.aliases ?? []) {
        if (!have.has(alias) && !addition.aliases.includes(alias)) addition.aliases.push(alias);
      }
    }
  }
  const max = maxItems("Actor", "aliases");
  for (const { actor, aliases, path } of additions.values()) {
    const total = actor.aliases.length + aliases.length;
    if (total > max) {
      problems.push({
        path: `${path}.aliases`,
        message: `${actor.name} holds ${actor.aliases.length} aliases and would have ${total}; Actor.aliases holds at most ${max}`,
      });
    }
  }
  problems.push(...sameActorTwice(facts, held));
  return { problems, held, additions };
}

/**
 * Two keys that name one actor of the record, in one list: the edit would refuse the list
 * by the actor's global id; the import names the keys.
 */
function sameActorTwice(facts: Facts, held: Map<string, HeldActor>): Problem[] {
  const problems: Problem[] = [];
  const check = (path: string, keys: readonly string[], suffix = (_i: number) => "") => {
    const first = new Map<string, string>();
    keys.forEach((key, i) => {
      const actor = held.get(key);
      const id = (actor ? `#${actor.id}` : `key:${key}`) + suffix(i);
      const other = first.get(id);
      if (other !== undefined && other !== key && actor) {
        problems.push({
          path: `${path}[${i}]`,
          message: `"${key}" and "${other}" both name ${actor.name} (${toGlobalId("Actor", actor.id)})`,
        });
      }
      if (other === undefined) first.set(id, key);
    });
  };
  check("input.facts.article.authors", facts.article?.authors ?? []);
  const paths = factPaths(facts, "input.facts");
  for (const { fact, path } of paths.visits) {
    const participants = fact.participants ?? [];
    check(
      `${path}.participants`,
      participants.map((p) => p.actor),
      (i) => ` as ${participants[i]!.role}`,
    );
  }
  for (const { fact, path } of paths.agreements) check(`${path}.parties`, fact.parties ?? []);
  return problems;
}

/** The slug the source's title gives, checked as createArticle checks it. */
function slugProblemOf(value: string): Problem | null {
  try {
    slugRule("slug", value);
    return null;
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { path: "input.source", message: error.message };
  }
}

/**
 * A write that another change, running at the same moment, made first: a new actor's spelling
 * (sent again, the import names that actor, or what clashes with it), or the article's slug.
 */
async function racing<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const index = uniqueIndexOf(error);
    if (index === "ActorAlias_alias_key") {
      throw accordError(
        "CONFLICT",
        "another change wrote one of these actors' names or aliases at the same moment; nothing was written: send the import again, and it names that actor or what clashes with it",
      );
    }
    if (index === "Article_slug_key") {
      throw refusal(
        new FactsError([
          {
            path: "input.source",
            message: "slug: another article with this slug was created at the same moment",
          },
        ]),
      );
    }
    throw error;
  }
}

/**
 * Writes the actors the facts name: adds to each held one the aliases it lacks, in one update
 * at the version read (a change made since is a CONFLICT, never a lost alias), and creates the
 * new ones.
 */
async function writeActors(
  scope: EditScope,
  facts: Facts,
  held: Map<string, HeldActor>,
  additions: Map<number, Addition>,
): Promise<Map<string, number>> {
  for (const { actor, aliases, path } of additions.values()) {
    if (aliases.length === 0) continue;
    try {
      await racing(() =>
        asFact(inFact(path), () =>
          updateActor(scope, {
            id: toGlobalId("Actor", actor.id),
            input: { aliases: [...actor.aliases.map((a) => a.alias), ...aliases] },
            expectedVersion: actor.version,
          }),
        ),
      );
    } catch (error) {
      // The version check's CONFLICT, said of the import rather than of a client's read.
      if (!(error instanceof GraphQLError) || error.extensions.currentVersion === undefined) {
        throw error;
      }
      throw accordError(
        "CONFLICT",
        `${actor.name} (${toGlobalId("Actor", actor.id)}) changed while the import added its aliases; nothing was written: send the import again`,
      );
    }
  }
  const ids = new Map<string, number>();
  for (const [i, fact] of (facts.actors ?? []).entries()) {
    const existing = held.get(fact.key);
    if (existing) {
      ids.set(fact.key, existing.id);
      continue;
    }
    const actor = await racing(() =>
      asFact(inFact(`input.facts.actors[${i}]`), () =>
        createActor(scope, {
          input: {
            name: fact.name,
            kind: fact.kind!,
            description: fact.description ?? null,
            editorialNote: fact.editorialNote ?? null,
            aliases: fact.aliases ?? [],
          },
        }),
      ),
    );
    ids.set(fact.key, actor.id);
  }
  return ids;
}

/** Stores a fact's anchored quotes, each with its revision, as `createCitation` would. */
async function cite(
  scope: EditScope,
  articleId: number,
  fact: { visitId?: number; agreementId?: number; outcomeId?: number },
  anchors: readonly Anchor[],
) {
  for (const anchor of anchors) {
    const citation = await scope.tx.citation.create({
      data: { articleId, ...anchor, ...fact },
    });
    await recordRevision(scope, {
      nodeId: toGlobalId("Citation", citation.id),
      action: "CREATE",
      version: 1,
      before: null,
      after: citationSnapshot(citation),
    });
  }
}

/** Writes a plan in the scope's transaction; answers the new article. */
export async function writeImport(scope: EditScope, plan: Plan) {
  const { article, facts, citations, source } = plan;
  const { problems, held, additions } = await recordProblems(scope, plan);
  if (problems.length > 0) throw refusal(new FactsError(problems));
  const actorIds = await writeActors(scope, facts, held, additions);
  const actor = (key: string) => toGlobalId("Actor", actorIds.get(key)!);
  const created = await racing(() =>
    asFact(inArticle, () =>
      createArticle(
        scope,
        {
          input: {
            slug: article.slug,
            title: article.title,
            subtitle: article.subtitle,
            language: article.language,
            publishedOn: new Date(`${article.publishedOn}T00:00:00Z`),
            body: article.body,
            publisherId: facts.article?.publisher == null ? null : actor(facts.article.publisher),
            authorIds: (facts.article?.authors ?? []).map(actor),
          },
        },
        {
          withArticle: (articleId) =>
            scope.tx.articleSource.create({
              data: {
                articleId,
                text: source.text,
                frontMatter: storedFrontMatter(source.frontMatter),
              },
            }),
        },
      ),
    ),
  );
  const paths = factPaths(facts, "input.facts");
  /** Writes one kind of fact through its edit, which cites its quotes as anchored here. */
  const writeCited = async <F>(
    list: readonly { fact: F; path: string }[],
    cited: readonly Cited[],
    link: "visitId" | "agreementId" | "outcomeId",
    create: (fact: F, option: CiteOption) => Promise<{ id: number }>,
  ) => {
    const ids: number[] = [];
    for (const [i, { fact, path }] of list.entries()) {
      const option = {
        cite: (key: number) => cite(scope, created.id, { [link]: key }, cited[i]!.anchors),
      };
      const row = await asFact(inFact(path), () => create(fact, option));
      ids.push(row.id);
    }
    return ids;
  };
  const visitIds = await writeCited(paths.visits, citations.visits, "visitId", (fact, option) =>
    createVisit(
      scope,
      {
        input: {
          title: fact.title,
          kind: fact.kind,
          startDate: fact.startDate ?? null,
          startDatePrecision: fact.startDatePrecision ?? null,
          endDate: fact.endDate ?? null,
          endDatePrecision: fact.endDatePrecision ?? null,
          location: fact.location ?? null,
          documentsSignedCount: fact.documentsSignedCount ?? null,
          participants: (fact.participants ?? []).map((p) => ({
            actorId: actor(p.actor),
            role: p.role,
            editorialNote: p.editorialNote ?? null,
          })),
          articleIds: [toGlobalId("Article", created.id)],
          editorialNote: fact.editorialNote ?? null,
        },
      },
      option,
    ),
  );
  const visitByKey = new Map(paths.visits.map(({ fact }, i) => [fact.key, visitIds[i]!]));
  const visit = (key: string) => toGlobalId("Visit", visitByKey.get(key)!);
  await writeCited(paths.agreements, citations.agreements, "agreementId", (fact, option) =>
    createAgreement(
      scope,
      {
        input: {
          title: fact.title,
          kind: fact.kind,
          status: fact.status,
          signedOn: fact.signedOn ?? null,
          signedOnPrecision: fact.signedOnPrecision ?? null,
          partyIds: (fact.parties ?? []).map(actor),
          visitId: fact.visit == null ? null : visit(fact.visit),
          editorialNote: fact.editorialNote ?? null,
        },
      },
      option,
    ),
  );
  await writeCited(paths.outcomes, citations.outcomes, "outcomeId", (fact, option) =>
    createOutcome(
      scope,
      {
        input: {
          visitId: visit(outcomeVisit(facts, fact.visit)!),
          ordinal: fact.ordinal,
          statement: fact.statement,
          category: fact.category,
          status: fact.status,
          editorialNote: fact.editorialNote ?? null,
        },
      },
      option,
    ),
  );
  // Each fact now has its citations: the database checks that here, not at commit.
  await deferredChecked(scope.tx);
  return created;
}

/** Whether the facts' actors and their aliases are within the bounds of one import. */
function withinBounds(facts: Facts): boolean {
  const actors = facts.actors ?? [];
  return (
    actors.length <= IMPORT_BOUNDS.actors &&
    actors.every((a) => (a.aliases?.length ?? 0) <= maxItems("Actor", "aliases"))
  );
}

/**
 * The `importArticle` mutation: plan, refuse with every problem (the facts' own and their
 * clashes with the record, in one answer), or write.
 */
export async function importArticle(scope: EditScope, input: ImportArticleInput) {
  const { plan, problems } = readPlan(input);
  if (problems.length > 0) {
    // Facts over their bounds are not read against the record: that read would be as large.
    const clashes = withinBounds(plan.facts) ? (await recordProblems(scope, plan)).problems : [];
    throw refusal(new FactsError([...problems, ...clashes]));
  }
  return writeImport(scope, plan);
}
