/**
 * The facts read from the source article (`facts.json`), each citing the body verbatim. Keys
 * are stable names used only inside the file to link facts to actors.
 */
import { readFileSync } from "node:fs";
import { maxItems } from "../bounds.js";
import {
  ActorKind,
  AgreementKind,
  AgreementStatus,
  OutcomeCategory,
  OutcomeStatus,
  ParticipantRole,
  VisitKind,
} from "../generated/prisma/enums.js";
import { aliasProblem } from "../text/rules.js";

/** A verbatim passage of the article body; `occurrence` (1-based) when it occurs more than once. */
export interface Quote {
  quote: string;
  occurrence?: number;
}

export interface ActorFact {
  key: string;
  /** Canonical name; also one of the aliases. */
  name: string;
  kind: ActorKind;
  description: string | null;
  /** Every spelling the article uses for the actor. */
  aliases: string[];
}

export interface ParticipantFact {
  actor: string;
  role: ParticipantRole;
}

export interface VisitFact {
  key: string;
  title: string;
  kind: VisitKind;
  /** `YYYY-MM-DD`, or null when the article does not say. */
  startDate: string | null;
  endDate: string | null;
  location: string | null;
  documentsSignedCount: number | null;
  participants: ParticipantFact[];
  citations: Quote[];
}

export interface AgreementFact {
  key: string;
  title: string;
  kind: AgreementKind;
  status: AgreementStatus;
  signedOn: string | null;
  /** Actor keys. */
  parties: string[];
  /** Key of the visit it was signed at. */
  visit: string | null;
  citations: Quote[];
}

export interface OutcomeFact {
  /** Its number in the article's own list. */
  ordinal: number;
  statement: string;
  category: OutcomeCategory;
  status: OutcomeStatus;
  citations: Quote[];
}

export interface Facts {
  /** The article the quotes come from, and who wrote and published it (actor keys). */
  article: { slug: string; authors: string[]; publisher: string };
  actors: ActorFact[];
  visit: VisitFact;
  agreements: AgreementFact[];
  outcomes: OutcomeFact[];
}

export class FactsError extends Error {
  override name = "FactsError";
}

function oneOf<T extends string>(values: Record<string, T>, value: unknown, where: string): void {
  if (!Object.values(values).includes(value as T)) {
    throw new FactsError(
      `${where}: "${String(value)}" is not one of ${Object.values(values).join(", ")}`,
    );
  }
}

/**
 * Checks what the type system cannot see in JSON: enum values against the Prisma schema's,
 * that every actor key used is defined, and that every alias is one an edit would accept.
 * Whether the quotes anchor is the anchoring step's concern, since it needs the article body.
 */
export function validateFacts(facts: Facts): Facts {
  const keys = new Set<string>();
  for (const actor of facts.actors) {
    if (keys.has(actor.key)) throw new FactsError(`actor key "${actor.key}" is defined twice`);
    keys.add(actor.key);
    oneOf(ActorKind, actor.kind, `actor ${actor.key}`);
    if (!actor.aliases.includes(actor.name)) {
      throw new FactsError(`actor ${actor.key}: its name "${actor.name}" is not among its aliases`);
    }
    // The same rules as an edit's (src/edits/actors.ts), so the seed cannot store what an
    // editor could not.
    const max = maxItems("Actor", "aliases");
    if (actor.aliases.length > max) {
      throw new FactsError(
        `actor ${actor.key}: ${actor.aliases.length} aliases; Actor.aliases holds at most ${max}`,
      );
    }
    for (const alias of actor.aliases) {
      const problem = alias.trim() === alias ? aliasProblem(alias) : "has surrounding whitespace";
      if (problem) throw new FactsError(`actor ${actor.key}: alias "${alias}": ${problem}`);
    }
  }
  const known = (key: string, where: string) => {
    if (!keys.has(key)) throw new FactsError(`${where}: no actor has the key "${key}"`);
  };
  facts.article.authors.forEach((key) => known(key, "article author"));
  known(facts.article.publisher, "article publisher");

  const { visit } = facts;
  oneOf(VisitKind, visit.kind, `visit ${visit.key}`);
  for (const participant of visit.participants) {
    known(participant.actor, `visit ${visit.key} participant`);
    oneOf(ParticipantRole, participant.role, `visit ${visit.key} participant ${participant.actor}`);
  }
  for (const agreement of facts.agreements) {
    oneOf(AgreementKind, agreement.kind, `agreement ${agreement.key}`);
    oneOf(AgreementStatus, agreement.status, `agreement ${agreement.key}`);
    agreement.parties.forEach((key) => known(key, `agreement ${agreement.key} party`));
    if (agreement.visit !== null && agreement.visit !== visit.key) {
      throw new FactsError(`agreement ${agreement.key}: no visit has the key "${agreement.visit}"`);
    }
  }
  const ordinals = new Set<number>();
  for (const outcome of facts.outcomes) {
    if (ordinals.has(outcome.ordinal)) {
      throw new FactsError(`outcome ordinal ${outcome.ordinal} is used twice`);
    }
    ordinals.add(outcome.ordinal);
    oneOf(OutcomeCategory, outcome.category, `outcome ${outcome.ordinal}`);
    oneOf(OutcomeStatus, outcome.status, `outcome ${outcome.ordinal}`);
  }
  return facts;
}

/** Reads and validates a facts file: by default `facts.json`, which sits next to this module. */
export function readFacts(file: string | URL = new URL("./facts.json", import.meta.url)): Facts {
  const text = readFileSync(file, "utf8");
  return validateFacts(JSON.parse(text) as Facts);
}
