/**
 * The facts format: `ArticleFactsInput` of schema.graphql. A facts file, the `importArticle`
 * mutation's input and the seed folder are read by one set of rules: GraphQL's own input
 * coercion checks a file's shape, enums and dates, and `factProblems` checks what a schema
 * cannot say (keys, references, bounds, alias rules). Every problem is collected, each with its
 * path, so one failed import names all that did not fit.
 */
import { readFileSync } from "node:fs";
import { makeExecutableSchema } from "@graphql-tools/schema";
import { coerceInputValue, GraphQLError, type GraphQLInputType } from "graphql";
import { maxItems } from "../bounds.js";
import {
  dateOrder,
  editorialNote,
  precisionOf,
  uncitedProblem,
  type CitedFact,
} from "../edits/basis.js";
import { MAX_LENGTH, optionalText, text, wholeNumber } from "../edits/validate.js";
import type { ArticleFactsInput, DatePrecision, QuoteInput } from "../generated/graphql.js";
import { DateScalar } from "../resolvers/dates.js";
import { typeDefs } from "../schema.js";
import { aliasProblem } from "../text/rules.js";

export type Facts = ArticleFactsInput;
export type Quote = QuoteInput;

/** One thing that did not fit, at its path in the import's input (`facts.visits[0].title`). */
export interface Problem {
  path: string;
  message: string;
  /** Where the quote occurs, when an ambiguous quote needs `occurrence`. */
  occurrences?: number;
}

export class FactsError extends Error {
  override name = "FactsError";
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  }
}

/** Bounds on one import that no stored list states (schema.graphql `ArticleFactsInput`). */
export const IMPORT_BOUNDS = { actors: 200, agreements: 200, citations: 2000 } as const;

let factsType: GraphQLInputType | undefined;

/** `ArticleFactsInput` with the served `Date` scalar, so a file's dates are checked alike. */
function factsInputType(): GraphQLInputType {
  factsType ??= makeExecutableSchema({ typeDefs, resolvers: { Date: DateScalar } }).getType(
    "ArticleFactsInput",
  ) as GraphQLInputType;
  return factsType;
}

const pathText = (root: string, path: readonly (string | number)[]) =>
  path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : `${text}.${key}`),
    root,
  );

/** Reads facts from parsed JSON (a file's), as the mutation's input would be coerced. */
export function coerceFacts(value: unknown, root = "facts"): Facts {
  const problems: Problem[] = [];
  const facts = coerceInputValue(value, factsInputType(), (path, _invalid, error) => {
    problems.push({ path: pathText(root, path), message: error.message });
  }) as Facts;
  if (problems.length > 0) throw new FactsError(problems);
  return facts;
}

/** Reads a facts file (JSON in the `ArticleFactsInput` format). */
export function readFactsFile(file: string | URL): Facts {
  const text = readFileSync(file, "utf8");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FactsError([{ path: "facts", message: `not JSON: ${(error as Error).message}` }]);
  }
  return coerceFacts(value);
}

/** Each fact with the path it has in the input, for naming it in a problem. */
export function factPaths(facts: Facts, root = "facts") {
  const at = (list: string, i: number) => `${root}.${list}[${i}]`;
  return {
    visits: (facts.visits ?? []).map((fact, i) => ({ fact, path: at("visits", i) })),
    agreements: (facts.agreements ?? []).map((fact, i) => ({ fact, path: at("agreements", i) })),
    outcomes: (facts.outcomes ?? []).map((fact, i) => ({ fact, path: at("outcomes", i) })),
  };
}

/** The key of the visit an outcome belongs to: its own, or the only visit's. */
export function outcomeVisit(facts: Facts, visit: string | null | undefined): string | undefined {
  return visit ?? (facts.visits?.length === 1 ? facts.visits[0]!.key : undefined);
}

/**
 * What the schema cannot check: keys defined once, every key used defined, lists within
 * their bounds, each value as the edit that writes it would check it (lengths, counts, date
 * order and precision, a list naming one actor twice), ordinals unique within a visit, and
 * every visit, agreement and outcome citing a passage or carrying an editorial note. Whether the quotes
 * anchor is the import's concern, since it needs the body; what the record already holds, the
 * write's (`recordProblems` in import.ts).
 */
export function factProblems(facts: Facts, root = "facts"): Problem[] {
  const problems: Problem[] = [];
  const problem = (path: string, message: string) => problems.push({ path, message });
  /** Runs an edit's own check of one value, its refusal becoming a problem at `path`. */
  const check = (path: string, validate: () => unknown) => {
    try {
      validate();
    } catch (error) {
      if (!(error instanceof GraphQLError) || error.extensions.code !== "BAD_USER_INPUT")
        throw error;
      const field = String(error.extensions.argumentName);
      problem(
        path,
        error.message.startsWith(`${field}: `)
          ? error.message.slice(field.length + 2)
          : error.message,
      );
    }
  };
  /** A list of actor keys naming each actor once, as the edits' own id lists must. */
  const once = (path: string, list: readonly string[] | null | undefined) => {
    const seen = new Set<string>();
    list?.forEach((key, i) => {
      if (seen.has(key)) problem(`${path}[${i}]`, `"${key}" is listed twice`);
      seen.add(key);
    });
  };
  const atMost = (path: string, list: readonly unknown[] | null | undefined, max: number) => {
    if (list && list.length > max) problem(path, `${list.length} items; at most ${max}`);
  };
  const actors = facts.actors ?? [];
  const visits = facts.visits ?? [];
  atMost(`${root}.actors`, actors, IMPORT_BOUNDS.actors);
  atMost(`${root}.visits`, visits, maxItems("Article", "visits"));
  atMost(`${root}.agreements`, facts.agreements, IMPORT_BOUNDS.agreements);

  const actorKeys = new Set<string>();
  const spelledBy = new Map<string, number>();
  actors.forEach((actor, i) => {
    const path = `${root}.actors[${i}]`;
    if (actorKeys.has(actor.key)) problem(`${path}.key`, `"${actor.key}" is defined twice`);
    actorKeys.add(actor.key);
    const aliases = actor.aliases ?? [actor.name];
    if (!aliases.includes(actor.name)) {
      problem(`${path}.aliases`, `the name "${actor.name}" is not among the aliases`);
    }
    check(`${path}.name`, () => text("name", actor.name, MAX_LENGTH.name));
    check(`${path}.description`, () =>
      optionalText("description", actor.description, MAX_LENGTH.description),
    );
    check(`${path}.editorialNote`, () => editorialNote("note", actor.editorialNote));
    atMost(`${path}.aliases`, aliases, maxItems("Actor", "aliases"));
    // Without aliases, the name is the only one: its problems are the name's.
    const at = (j: number) => (actor.aliases ? `${path}.aliases[${j}]` : `${path}.name`);
    const listed = new Set<string>();
    aliases.forEach((alias, j) => {
      const why = alias.trim() === alias ? aliasProblem(alias) : "has surrounding whitespace";
      // A blank name is the name check's to refuse, once.
      if (why && (actor.aliases || alias.trim() !== "")) problem(at(j), why);
      if (listed.has(alias)) problem(at(j), `"${alias}" is listed twice`);
      listed.add(alias);
      // A spelling names one actor only (Actor.aliases).
      const other = spelledBy.get(alias);
      if (other !== undefined && other !== i) {
        problem(at(j), `"${alias}" is also a spelling of ${root}.actors[${other}]`);
      }
      spelledBy.set(alias, other ?? i);
    });
  });
  const knownActor = (path: string, key: string) => {
    if (!actorKeys.has(key)) problem(path, `no actor has the key "${key}"`);
  };
  facts.article?.authors?.forEach((key, i) => knownActor(`${root}.article.authors[${i}]`, key));
  atMost(`${root}.article.authors`, facts.article?.authors, maxItems("Article", "authors"));
  once(`${root}.article.authors`, facts.article?.authors);
  if (facts.article?.publisher != null) {
    knownActor(`${root}.article.publisher`, facts.article.publisher);
  }

  const visitKeys = new Set<string>();
  const paths = factPaths(facts, root);
  let citations = 0;
  /** A fact's citations within their bound; without any, its note says what it rests on. */
  const cited = (
    path: string,
    type: CitedFact,
    fact: { citations?: readonly Quote[] | null; editorialNote?: string | null },
  ) => {
    const list = fact.citations;
    atMost(`${path}.citations`, list, maxItems(type, "citations"));
    citations += list?.length ?? 0;
    check(`${path}.editorialNote`, () => editorialNote("note", fact.editorialNote));
    if ((list?.length ?? 0) === 0 && fact.editorialNote == null) {
      problem(`${path}.citations`, uncitedProblem(type));
    }
  };
  /** A date and its precision, as the edit would store them; null when either is refused. */
  const dated = (
    path: string,
    field: string,
    date: Date | null | undefined,
    precision: DatePrecision | null | undefined,
  ) => {
    const stored: { dated: { date: Date | null; precision: DatePrecision | null } | null } = {
      dated: null,
    };
    // A precision without its date is the precision's problem, named so.
    const named = date == null && precision != null ? `${field}Precision` : field;
    check(`${path}.${named}`, () => {
      const value = date ?? null;
      stored.dated = { date: value, precision: precisionOf(field, value, precision) };
    });
    return stored.dated;
  };
  for (const { fact, path } of paths.visits) {
    if (visitKeys.has(fact.key)) problem(`${path}.key`, `"${fact.key}" is defined twice`);
    visitKeys.add(fact.key);
    check(`${path}.title`, () => text("title", fact.title, MAX_LENGTH.title));
    check(`${path}.location`, () => optionalText("location", fact.location, MAX_LENGTH.location));
    if (fact.documentsSignedCount != null) {
      const count = fact.documentsSignedCount;
      check(`${path}.documentsSignedCount`, () => wholeNumber("count", count, 0));
    }
    const start = dated(path, "startDate", fact.startDate, fact.startDatePrecision);
    const end = dated(path, "endDate", fact.endDate, fact.endDatePrecision);
    if (start && end) check(`${path}.endDate`, () => dateOrder("endDate", start, end));
    atMost(`${path}.participants`, fact.participants, maxItems("Visit", "participants"));
    fact.participants?.forEach((p, i) => knownActor(`${path}.participants[${i}].actor`, p.actor));
    const roles = new Set<string>();
    fact.participants?.forEach((p, i) => {
      const pair = `${p.actor}\u0000${p.role}`;
      if (roles.has(pair))
        problem(`${path}.participants[${i}]`, "is listed twice with the same role");
      roles.add(pair);
      check(`${path}.participants[${i}].editorialNote`, () =>
        editorialNote("note", p.editorialNote),
      );
    });
    cited(path, "Visit", fact);
  }
  const knownVisit = (path: string, key: string) => {
    if (!visitKeys.has(key)) problem(path, `no visit has the key "${key}"`);
  };
  const agreementKeys = new Set<string>();
  for (const { fact, path } of paths.agreements) {
    if (fact.key != null) {
      if (agreementKeys.has(fact.key)) problem(`${path}.key`, `"${fact.key}" is defined twice`);
      agreementKeys.add(fact.key);
    }
    check(`${path}.title`, () => text("title", fact.title, MAX_LENGTH.title));
    atMost(`${path}.parties`, fact.parties, maxItems("Agreement", "parties"));
    fact.parties?.forEach((key, i) => knownActor(`${path}.parties[${i}]`, key));
    once(`${path}.parties`, fact.parties);
    if (fact.visit != null) knownVisit(`${path}.visit`, fact.visit);
    dated(path, "signedOn", fact.signedOn, fact.signedOnPrecision);
    cited(path, "Agreement", fact);
  }
  const agreementsPerVisit = new Map<string, number>();
  for (const { fact } of paths.agreements) {
    if (fact.visit != null)
      agreementsPerVisit.set(fact.visit, (agreementsPerVisit.get(fact.visit) ?? 0) + 1);
  }
  for (const [visit, count] of agreementsPerVisit) {
    const max = maxItems("Visit", "agreements");
    if (count > max)
      problem(`${root}.agreements`, `visit "${visit}" has ${count} agreements; at most ${max}`);
  }
  const perVisit = new Map<string, Set<number>>();
  for (const { fact, path } of paths.outcomes) {
    check(`${path}.statement`, () => text("statement", fact.statement, MAX_LENGTH.statement));
    check(`${path}.ordinal`, () => wholeNumber("ordinal", fact.ordinal, 1));
    const visit = outcomeVisit(facts, fact.visit);
    if (visit === undefined) {
      problem(`${path}.visit`, `name the outcome's visit: the facts hold ${visits.length} visits`);
    } else {
      knownVisit(`${path}.visit`, visit);
      const ordinals = perVisit.get(visit) ?? new Set<number>();
      perVisit.set(visit, ordinals);
      if (ordinals.has(fact.ordinal)) {
        problem(`${path}.ordinal`, `${fact.ordinal} is used twice in visit "${visit}"`);
      }
      ordinals.add(fact.ordinal);
    }
    cited(path, "Outcome", fact);
  }
  for (const [visit, ordinals] of perVisit) {
    if (ordinals.size > maxItems("Visit", "outcomes")) {
      problem(
        `${root}.outcomes`,
        `visit "${visit}" has ${ordinals.size} outcomes; at most ${maxItems("Visit", "outcomes")}`,
      );
    }
  }
  if (citations > IMPORT_BOUNDS.citations) {
    problem(root, `${citations} citations in all; at most ${IMPORT_BOUNDS.citations}`);
  }
  return problems;
}
