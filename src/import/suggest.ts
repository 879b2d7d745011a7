/**
 * Suggested facts: what reporting on diplomacy states in set phrases, found by rules written
 * for such reporting in general, not for one text. Each suggestion rests on one passage of the
 * body (offsets that satisfy the citation invariant) and names the rule that found it; the
 * editor accepts a suggestion by sending it back as a fact. Every rule is one pass of regular
 * expressions without nested repetition, or the linear name matcher, over the body.
 */
import { createRequire } from "node:module";
import type { Country } from "world-countries";
import type {
  ActorKind,
  AgreementKind,
  OutcomeCategory,
  OutcomeStatus,
  VisitKind,
} from "../generated/prisma/enums.js";
import type { Anchor } from "../text/anchor.js";
import {
  findMentionsOfEach,
  MAX_ALIAS_MATCHES,
  TooManyAliasMatchesError,
  type Mention,
} from "../text/mentions.js";
import { badInput } from "../errors.js";
import { paragraphIndexAt, type ParagraphSpan } from "../text/paragraphs.js";
import { MAX_QUOTE_LENGTH, quoteProblem } from "../text/rules.js";
import { occurrencesOf } from "../text/search.js";
import type { ParsedArticle } from "./parse.js";

export type SuggestionKind =
  "ACTOR" | "VISIT" | "AGREEMENT" | "DOCUMENT_COUNT" | "OUTCOME" | "DATE";

/** One suggested fact: what the rule read, where, and which rule. */
export interface Suggestion {
  kind: SuggestionKind;
  rule: string;
  /** The fact in the facts format (`ActorFactInput`, `VisitFactInput`…), or its value. */
  fact: Record<string, unknown>;
  /** The passage it rests on; null for what the front matter gave. */
  passage: Anchor | null;
}

/** At most this many suggestions of each kind: a long body cannot make the answer grow. */
export const MAX_SUGGESTIONS_PER_KIND = 200;

/** At most this many matches of each rule are read: a body of one phrase repeated costs no more. */
export const MAX_MATCHES_PER_RULE = 2000;

/** The first `MAX_MATCHES_PER_RULE` matches of `pattern` (global) in `text`. */
function* matches(pattern: RegExp, text: string) {
  let n = 0;
  for (const match of text.matchAll(pattern)) {
    if (++n > MAX_MATCHES_PER_RULE) return;
    yield match;
  }
}

const slugKey = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

// ----------------------------------------------------------------------------------------
// Passages

/**
 * The sentences of a body, found once per paragraph and looked up by offset. A sentence ends at
 * . ! ? after a lowercase letter, a digit or a closing mark, before a space, so "H.E. Emomali
 * Rahmon" and "No. 5" stay inside their sentence. A passage is at most a quote's length: a
 * longer sentence is cut around the offset.
 */
class Sentences {
  private readonly ends = new Map<number, number[]>();
  constructor(
    private readonly body: string,
    private readonly paragraphs: readonly ParagraphSpan[],
  ) {}

  /** The sentence around `offset`, as a citable anchor. */
  at(offset: number): Anchor {
    const index = paragraphIndexAt(this.paragraphs, offset);
    const paragraph = this.paragraphs[index]!;
    let ends = this.ends.get(index);
    if (!ends) {
      const text = this.body.slice(paragraph.start, paragraph.end);
      ends = [...text.matchAll(/(?<=[\p{Ll}\d)”"'%])[.!?](?=\s)/gu)].map(
        (m) => paragraph.start + m.index + 1,
      );
      this.ends.set(index, ends);
    }
    // The first end after the offset, by bisection.
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    let start = lo > 0 ? ends[lo - 1]! : paragraph.start;
    let end = lo < ends.length ? ends[lo]! : paragraph.end;
    if (end - start > MAX_QUOTE_LENGTH) {
      start = Math.max(start, offset - MAX_QUOTE_LENGTH / 2);
      end = Math.min(end, start + MAX_QUOTE_LENGTH);
    }
    while (start < end && /\s/.test(this.body[start]!)) start++;
    // Never half a character at either end.
    if (/[\uDC00-\uDFFF]/.test(this.body[start] ?? "")) start++;
    if (/[\uD800-\uDBFF]/.test(this.body[end - 1] ?? "")) end--;
    return { start, end, quote: this.body.slice(start, end), paragraphIndex: index };
  }
}

/** A citation of the passage in the facts format: with `occurrence` when it recurs. */
function citationOf(
  body: string,
  passage: Anchor,
  seen: Map<string, number[]>,
): { quote: string; occurrence?: number } {
  // A repeated passage is searched for once.
  let at = seen.get(passage.quote);
  if (!at) {
    at = occurrencesOf(body, passage.quote);
    seen.set(passage.quote, at);
  }
  if (at.length <= 1) return { quote: passage.quote };
  return { quote: passage.quote, occurrence: at.indexOf(passage.start) + 1 };
}

// ----------------------------------------------------------------------------------------
// States, from the country list

interface State {
  name: string;
  names: string[];
  adjectives: string[];
}

let stateList: State[] | undefined;

/** The package's data file itself: its ES module re-exports JSON, which Node cannot import bare. */
const countries = () =>
  createRequire(import.meta.url)("world-countries/countries.json") as Country[];

/**
 * Every country of `world-countries`: its common and official English names, its Latin
 * alternative spellings, "Republic of <name>", and its adjectives (the English demonyms, and
 * for a name in -stan the stem the region's reporting uses: Tajik, Kyrgyz, Uzbek). A spelling
 * two countries share names neither ("Congolese"), unless it is one's common name; "Republic of
 * <name>" is added only where no country has it already ("Republic of China" is Taiwan's).
 */
function states(): State[] {
  if (stateList) return stateList;
  const latin = (s: string) => /^[\p{Script=Latin}\s'.’-]+$/u.test(s) && s.length >= 4;
  const listed = countries().map((country) => {
    const name = country.name.common;
    const given = [
      ...new Set([
        name,
        country.name.official,
        ...country.altSpellings.filter((s) => latin(s) && /\s/.test(s)),
      ]),
    ];
    const stem = /^(\p{Lu}\p{Ll}{3,}?)i?stan$/u.exec(name)?.[1];
    const adjectives = [
      ...new Set(
        [country.demonyms?.eng?.m, country.demonyms?.eng?.f, stem].filter(
          (a): a is string => !!a && a !== name,
        ),
      ),
    ];
    return { name, given, adjectives };
  });
  const claims = new Map<string, number>();
  for (const { given, adjectives } of listed) {
    for (const s of new Set([...given, ...adjectives])) claims.set(s, (claims.get(s) ?? 0) + 1);
  }
  const own = (s: string) => claims.get(s) === 1;
  stateList = listed.map(({ name, given, adjectives }) => {
    const republic = `Republic of ${name}`;
    const names = given.filter((s) => s === name || own(s));
    if (!claims.has(republic)) names.push(republic);
    return { name, names, adjectives: adjectives.filter(own) };
  });
  return stateList;
}

/** Words that make a capitalised phrase an organisation's name. */
const ORGANIZATION_WORDS =
  "University|Ministry|Organi[sz]ation|Council|Commission|Union|Bank|Institute|Agency|Committee|Fund|Parliament|Assembly|Forum|Secretariat|Service|Academy|Corporation|Company";

// ----------------------------------------------------------------------------------------
// The rules

/** Titles and forms of address that come before a person's name in diplomatic reporting. */
const TITLE =
  "(?:President|Vice[- ]President|Prime Minister|Deputy Prime Minister|Foreign Minister|Minister|Chancellor|King|Queen|Emir|Sultan|Crown Prince|Secretary[- ]General|Chairman|Chairwoman|Speaker|Ambassador|His Excellency|Her Excellency|H\\.E\\.|Honou?rable|Mr\\.|Mrs\\.|Ms\\.|Dr\\.)";
// Words of bounded length: a pattern that may backtrack over an unbounded run of letters takes
// quadratic time on a body of one long word.
const NAME_WORD = "\\p{Lu}\\p{Ll}{1,30}(?:-\\p{Lu}\\p{Ll}{1,30})?";
const PERSON = new RegExp(
  `\\b(${TITLE})[ \\t]{1,3}(${NAME_WORD}(?:[ \\t]${NAME_WORD}){1,2})\\b`,
  "gu",
);

const VISIT = /\b(state|official|working|private) visit\b/giu;
const VISIT_KINDS: Record<string, VisitKind> = {
  state: "STATE_VISIT",
  official: "OFFICIAL_VISIT",
  working: "WORKING_VISIT",
  private: "PRIVATE_VISIT",
};

const DOCUMENT =
  /\b(Memorand(?:um|a|ums) of Understanding|Memorand(?:um|a|ums)|memorand(?:um|a|ums)|Treaty|treaty|Agreement|agreement|Joint Statement|joint statement|Joint Declaration|Declaration|declaration|Protocol|protocol|Letters? of Cooperation|letters? of cooperation)\b/gu;
const SIGNED = /\b(?:sign(?:ed|ing|s)?|adopt(?:ed|ing)|conclu(?:ded|sion))\b/iu;
const AGREEMENT_KINDS: [RegExp, AgreementKind][] = [
  [/^memorand/i, "MEMORANDUM"],
  [/^treaty/i, "TREATY"],
  [/^joint statement/i, "JOINT_STATEMENT"],
  [/declaration$/i, "DECLARATION"],
  [/^protocol/i, "PROTOCOL"],
  [/^agreement/i, "AGREEMENT"],
];
/** Lowercase words a document's title keeps between its capitalised words. */
const TITLE_JOINERS = new Set(["of", "on", "the", "and", "between", "in", "for", "to", "with"]);

const NUMBER_WORDS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
  "twenty",
];
const COUNT = `(\\d{1,3}|${NUMBER_WORDS.join("|")})`;
const DOCUMENTS = "(?:documents|agreements|memorand(?:a|ums)|treaties|protocols)";
const COUNTS = [
  new RegExp(
    `\\b(?:signing of|signed|sign)\\s{1,3}${COUNT}\\s{1,3}(?:\\w{1,30}\\s{1,3}){0,2}?${DOCUMENTS}\\b`,
    "giu",
  ),
  new RegExp(
    `\\b${COUNT}\\s{1,3}(?:\\w{1,30}\\s{1,3}){0,2}?${DOCUMENTS}\\s{1,3}(?:were|have been|had been)\\s{1,3}signed\\b`,
    "giu",
  ),
];

/** A lead-in's words, looked for in the end of a paragraph that ends with a colon. */
const LEAD_IN =
  /\b(?:results?|outcomes?|achievements?|achieved|agreed|following|including)\b[^.]*:$/iu;
const leadsIn = (text: string) => text.endsWith(":") && LEAD_IN.test(text.slice(-300));
const LIST_ITEM = /^(\d{1,3})[.)]\s+(\S[\s\S]*?)[;.,]?$/u;
const CATEGORIES: [RegExp, OutcomeCategory][] = [
  [/\b(?:crossings?|checkpoints?|visas?|travel|movement of (?:people|citizens))\b/i, "MOBILITY"],
  [/\bborders?\b|\bdemarcat|\bdelimitat|\bterritor/i, "BORDER"],
  [/\b(?:flights?|rail|roads?|transport|corridor|transit|airlines?)\b/i, "TRANSPORT"],
  [/\b(?:trade|exports?|imports?|customs|goods)\b/i, "TRADE"],
  [/\b(?:energy|electricity|power|hydro\w*|gas|oil|renewable)\b/i, "ENERGY"],
  [/\b(?:security|defen[cs]e|military|terroris\w*)\b/i, "SECURITY"],
  [/\b(?:econom\w*|invest\w*|industr\w*|enterprises?)\b/i, "ECONOMY"],
  [/\b(?:cooperation|relations|partnership|friendship)\b/i, "COOPERATION"],
];
const STATUSES: [RegExp, OutcomeStatus][] = [
  [
    /\b(?:is|are) to\b|\bwill\b|\bplan(?:s|ned)?\b|\bto be (?:held|built|developed)\b|\bagreed to\b/i,
    "PLANNED",
  ],
  [/\b(?:continu\w*|ongoing|under way|being)\b/i, "IN_PROGRESS"],
  [/\b(?:was|were|has been|have been|had been)\b|\b\w+ed\b/i, "ACHIEVED"],
];

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const MONTH = `(${MONTHS.join("|")})`;
const DAY = "(\\d{1,2})(?:st|nd|rd|th|<sup>(?:st|nd|rd|th)</sup>)?";
/** Date patterns, the most precise first; `year` is the date line's, for a day given without one. */
const DATES: [
  RegExp,
  "DAY" | "MONTH" | "YEAR",
  string,
  (m: RegExpExecArray, year: string) => string | null,
][] = [
  [
    new RegExp(`\\b${DAY}\\s{1,3}${MONTH},?\\s{1,3}(\\d{4})\\b`, "gu"),
    "DAY",
    "a day",
    (m) => ymd(m[3]!, m[2]!, m[1]!),
  ],
  [
    new RegExp(`\\b${MONTH}\\s{1,3}${DAY},?\\s{1,3}(\\d{4})\\b`, "gu"),
    "DAY",
    "a day",
    (m) => ymd(m[3]!, m[1]!, m[2]!),
  ],
  [
    new RegExp(`\\b${MONTH}\\s{1,3}(\\d{4})\\b`, "gu"),
    "MONTH",
    "a month",
    (m) => ymd(m[2]!, m[1]!, null),
  ],
  [
    /\b(?:in|since|by|until|of|from)\s{1,3}(\d{4})\b/gu,
    "YEAR",
    "a year",
    (m) => ymd(m[1]!, null, null),
  ],
  [
    new RegExp(`\\b(?:${DAY}\\s{1,3}${MONTH}|${MONTH}\\s{1,3}${DAY})\\b`, "gu"),
    "DAY",
    "a day without its year, in the year of the date line",
    (m, year) => ymd(year, m[2] ?? m[3]!, m[1] ?? m[4]!),
  ],
];

function ymd(year: string, month: string | null, day: string | null): string | null {
  const y = Number(year);
  if (y < 1 || y > 9999) return null;
  const yyyy = year.padStart(4, "0");
  if (month === null) return yyyy;
  const m = MONTHS.indexOf(month) + 1;
  const mm = String(m).padStart(2, "0");
  if (day === null) return `${yyyy}-${mm}`;
  const d = Number(day);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCDate() !== d) return null;
  return `${yyyy}-${mm}-${String(d).padStart(2, "0")}`;
}

// ----------------------------------------------------------------------------------------

interface Found {
  name: string;
  kind: ActorKind;
  aliases: Set<string>;
  passage: Anchor;
  rule: string;
  /** Where it occurs, in body order. */
  at: number[];
}

/**
 * The suggestions for a parsed source. `known(name)` tells a name of an actor already in the
 * record: those are not suggested again (the preview lists their mentions instead).
 */
export async function suggestFacts(
  article: ParsedArticle,
  known: (name: string) => boolean = () => false,
): Promise<Suggestion[]> {
  const { body, paragraphs } = article;
  const capped = <T>(list: T[]) => list.slice(0, MAX_SUGGESTIONS_PER_KIND);
  const sentences = new Sentences(body, paragraphs);
  const sentence = (offset: number) => sentences.at(offset);
  const quotes = new Map<string, number[]>();
  const cite = (passage: Anchor) => citationOf(body, passage, quotes);

  // Every actor found, with where it occurs (in body order), for the rules below to find
  // the actors a passage names by bisection rather than by searching the passage.
  const actors = new Map<string, Found>();
  const add = (name: string, kind: ActorKind, rule: string, at: number, alias: string) => {
    const found = actors.get(name);
    if (found) {
      found.aliases.add(alias);
      if (found.at.length < MAX_MATCHES_PER_RULE) found.at.push(at);
    } else if (actors.size < MAX_SUGGESTIONS_PER_KIND) {
      actors.set(name, {
        name,
        kind,
        aliases: new Set([name, alias]),
        passage: sentence(at),
        rule,
        at: [at],
      });
    }
  };

  // States by their names, then by their adjectives ("the Tajik side").
  const all = states();
  let named: Mention[][];
  let adjectival: Mention[][];
  try {
    // One pass over the body for both: list i holds state i's names, list n + i its
    // adjectives; each of the two keeps the budget of matches it would have alone.
    const found = await findMentionsOfEach(
      body,
      paragraphs,
      [...all.map((s) => s.names), ...all.map((s) => s.adjectives)],
      { maxMatches: 2 * MAX_ALIAS_MATCHES },
    );
    named = found.slice(0, all.length);
    adjectival = found.slice(all.length);
  } catch (error) {
    if (error instanceof TooManyAliasMatchesError) {
      throw badInput("input.source", `country names: ${error.message}`, { max: error.max });
    }
    throw error;
  }
  const insideName = new RegExp(`(?:${ORGANIZATION_WORDS}) of (?:the )?$`, "u");
  all.forEach((state, i) => {
    const mentions = named[i]!.filter(
      (m) => !insideName.test(body.slice(Math.max(0, m.start - 40), m.start)),
    );
    const rule =
      mentions.length > 0
        ? "state: a name from the country list"
        : "state: an adjective from the country list";
    for (const m of mentions.length > 0 ? mentions : adjectival[i]!.slice(0, 1)) {
      add(state.name, "STATE", rule, m.start, mentions.length > 0 ? m.quote : state.name);
    }
  });

  // People by the title or form of address before their name.
  const stateWords = new Set(all.flatMap((s) => [...s.names, ...s.adjectives]));
  for (const match of matches(PERSON, body)) {
    const name = match[2]!;
    if (stateWords.has(name) || stateWords.has(name.split(" ")[0]!)) continue;
    add(name, "PERSON", "person: a name after a title or a form of address", match.index, match[0]);
  }

  // Organisations by the words their names are made of.
  const word = "\\p{Lu}[\\p{L}'’-]{0,30}";
  const organization = new RegExp(
    `\\b((?:${word}[ \\t]{1,3}){0,4}(?:${ORGANIZATION_WORDS})(?:[ \\t]{1,3}(?:of|for|on)[ \\t]{1,3}(?:the[ \\t]{1,3})?${word}(?:[ \\t]{1,3}${word}){0,3})?)`,
    "gu",
  );
  for (const match of matches(organization, body)) {
    const name = match[1]!;
    if (!/\s/.test(name) || (actors.has(name) && actors.get(name)!.kind !== "ORGANIZATION"))
      continue;
    add(
      name,
      "ORGANIZATION",
      "organisation: a capitalised name with an organisation's word",
      match.index,
      name,
    );
  }

  // An actor already in the record is named by a reference ({key, name}) that the import
  // resolves to it; a new one is suggested whole.
  const suggestions: Suggestion[] = [...actors.values()].map((a) => ({
    kind: "ACTOR",
    rule: known(a.name) ? `${a.rule}, already in the record` : a.rule,
    fact: known(a.name)
      ? { key: slugKey(a.name), name: a.name }
      : { key: slugKey(a.name), name: a.name, kind: a.kind, aliases: [...a.aliases] },
    passage: a.passage,
  }));
  // The author and the publisher, from the front matter.
  const fromFrontMatter = [
    [article.author.name, "PERSON", "author: the byline", [article.author.name]],
    [article.publisher.name, "ORGANIZATION", "publisher: the masthead", article.publisher.aliases],
  ] as const;
  for (const [name, kind, rule, aliases] of fromFrontMatter) {
    if (actors.has(name)) continue;
    suggestions.push({
      kind: "ACTOR",
      rule: known(name) ? `${rule}, already in the record` : rule,
      fact: known(name)
        ? { key: slugKey(name), name }
        : { key: slugKey(name), name, kind, aliases: [...aliases] },
      passage: null,
    });
  }

  /** The actors of `kind` that occur in [start, end), by where they first occur there. */
  const within = (start: number, end: number, kind: ActorKind) =>
    [...actors.values()]
      .filter((a) => a.kind === kind)
      .map((a) => ({ a, at: firstAtOrAfter(a.at, start) }))
      .filter((x) => x.at < end)
      .sort((x, y) => x.at - y.at)
      .map((x) => x.a);

  // Visits: "state visit", "official visit"…, with the guest named in the sentence and the
  // state it went to ("to the Republic of Kyrgyzstan").
  const visits = new Map<string, Suggestion>();
  for (const match of matches(VISIT, body)) {
    const kind = VISIT_KINDS[match[1]!.toLowerCase()]!;
    const passage = sentence(match.index);
    const after = passage.quote.slice(match.index - passage.start);
    const to = /\bto\s/u.exec(after);
    const destination = to ? within(match.index + to.index, passage.end, "STATE")[0] : undefined;
    const guest = within(passage.start, passage.end, "PERSON")[0];
    if (!guest && !destination) continue;
    const id = `${kind}|${guest?.name ?? ""}|${destination?.name ?? ""}`;
    if (visits.has(id)) continue;
    const label = match[1]!.charAt(0).toUpperCase() + match[1]!.slice(1).toLowerCase();
    const title = `${label} visit${guest ? ` of ${guest.name}` : ""}${destination ? ` to ${destination.name}` : ""}`;
    visits.set(id, {
      kind: "VISIT",
      rule: "visit: a state, official, working or private visit, its guest and destination",
      fact: {
        key: slugKey(title),
        title,
        kind,
        participants: [
          ...(guest ? [{ actor: slugKey(guest.name), role: "GUEST" }] : []),
          ...(destination ? [{ actor: slugKey(destination.name), role: "HOST" }] : []),
        ],
        citations: [cite(passage)],
      },
      passage,
    });
  }
  // An article reports at most `Article.visits` visits.
  const visitList = [...visits.values()].slice(0, 20);
  suggestions.push(...visitList);
  const onlyVisit = visitList.length === 1 ? (visitList[0]!.fact.key as string) : null;

  // Agreements: a document's name in a sentence that says it was signed or adopted.
  const agreements = new Map<string, Suggestion>();
  const signedSentences = new Map<number, boolean>();
  for (const match of matches(DOCUMENT, body)) {
    if (agreements.size >= MAX_SUGGESTIONS_PER_KIND) break;
    const passage = sentence(match.index);
    let signed = signedSentences.get(passage.start);
    if (signed === undefined) {
      signed = SIGNED.test(passage.quote);
      signedSentences.set(passage.start, signed);
    }
    if (!signed) continue;
    const kind = AGREEMENT_KINDS.find(([pattern]) => pattern.test(match[1]!))?.[1] ?? "OTHER";
    const title = documentTitle(body, match.index, match[1]!);
    if (title === null) continue;
    const id = `${kind}|${title.toLowerCase()}`;
    if (agreements.has(id)) continue;
    const parties = within(passage.start, passage.end, "STATE").map((a) => slugKey(a.name));
    agreements.set(id, {
      kind: "AGREEMENT",
      rule: "agreement: a treaty, agreement, memorandum, statement, protocol or declaration said to be signed",
      fact: {
        key: slugKey(title),
        title,
        kind,
        status: "SIGNED",
        ...(parties.length >= 2 ? { parties } : {}),
        ...(onlyVisit ? { visit: onlyVisit } : {}),
        citations: [cite(passage)],
      },
      passage,
    });
  }
  suggestions.push(...agreements.values());

  // Counts of documents signed.
  const counts: Suggestion[] = [];
  for (const pattern of COUNTS) {
    for (const match of matches(pattern, body)) {
      const word = match[1]!.toLowerCase();
      const count = /^\d/.test(word) ? Number(word) : NUMBER_WORDS.indexOf(word);
      counts.push({
        kind: "DOCUMENT_COUNT",
        rule: "count: the number of documents signed",
        fact: { documentsSignedCount: count, ...(onlyVisit ? { visit: onlyVisit } : {}) },
        passage: sentence(match.index),
      });
    }
  }
  suggestions.push(...capped(counts));

  // Outcomes: the numbered list after a lead-in that announces results. Each paragraph is
  // read as a list item once, whatever the lead-ins around it.
  const outcomes: Suggestion[] = [];
  let listEnd = 0;
  for (let i = 0; i < paragraphs.length && outcomes.length < MAX_SUGGESTIONS_PER_KIND; i++) {
    const paragraph = paragraphs[i]!;
    if (i < listEnd || !leadsIn(body.slice(paragraph.start, paragraph.end))) continue;
    for (listEnd = i + 1; listEnd < paragraphs.length; listEnd++) {
      const item = paragraphs[listEnd]!;
      const text = body.slice(item.start, item.end);
      const match = LIST_ITEM.exec(text);
      if (!match || outcomes.length >= MAX_SUGGESTIONS_PER_KIND) break;
      if (quoteProblem(text)) continue;
      const statement = match[2]!.trim();
      const passage: Anchor = {
        start: item.start,
        end: item.end,
        quote: text,
        paragraphIndex: listEnd,
      };
      outcomes.push({
        kind: "OUTCOME",
        rule: 'outcome: an item of a numbered list after a lead-in such as "achieved … results, including:"',
        fact: {
          ...(onlyVisit ? { visit: onlyVisit } : {}),
          ordinal: Number(match[1]),
          statement,
          category: CATEGORIES.find(([pattern]) => pattern.test(statement))?.[1] ?? "OTHER",
          status: STATUSES.find(([pattern]) => pattern.test(statement))?.[1] ?? "ACHIEVED",
          citations: [cite(passage)],
        },
        passage,
      });
    }
  }
  suggestions.push(...outcomes);

  // Dates, with their precision: a day, a month, or a year. A place read by a more precise
  // pattern is not read again by a less precise one.
  const dates: Suggestion[] = [];
  const covered = new Uint8Array(body.length);
  const year = article.publishedOn.slice(0, 4);
  for (const [pattern, precision, what, value] of DATES) {
    for (const match of matches(pattern, body)) {
      const start = match.index;
      const end = start + match[0].length;
      if (covered.subarray(start, end).includes(1)) continue;
      const date = value(match, year);
      if (date === null) continue;
      covered.fill(1, start, end);
      dates.push({
        kind: "DATE",
        rule: `date: ${what} named in the text`,
        fact: { date, precision },
        passage: sentence(start),
      });
    }
  }
  suggestions.push(...capped(dates.sort((a, b) => a.passage!.start - b.passage!.start)));
  return suggestions;
}

/** The first of the sorted offsets `at` that is `from` or after; Infinity when none is. */
function firstAtOrAfter(at: readonly number[], from: number): number {
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid]! < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < at.length ? at[lo]! : Infinity;
}

/**
 * A document's title from where its name begins: a capitalised name runs on through
 * capitalised words and the small words titles keep ("Treaty on the Junction Point of the
 * State Borders"), with the capitalised words just before it ("Khujand Declaration"); a name
 * in lowercase ("the treaty on the state border between …") is taken to the end of its
 * clause. A bare word ("the relevant treaty was signed") names no document.
 */
function documentTitle(body: string, at: number, word: string): string | null {
  const capitalised = /^\p{Lu}/u.test(word);
  let start = at;
  if (capitalised) {
    const before = /((?:\p{Lu}[\p{L}'’-]*\s+)+)$/u.exec(body.slice(Math.max(0, at - 60), at));
    if (before) start = at - before[1]!.length;
  }
  const rest = body.slice(at + word.length, at + word.length + 300);
  let title: string;
  if (capitalised) {
    let taken = "";
    // Word by word from just after the keyword, within its line: a mark ends the title.
    const next = /([ \t]+)(\S+)/uy;
    for (let match = next.exec(rest); match; match = next.exec(rest)) {
      const [, space, w] = match;
      const clean = w!.replace(/[,.;:)]+$/u, "");
      if (!(/^[\p{Lu}\d]/u.test(clean) || TITLE_JOINERS.has(clean))) break;
      // A comma may part the title's words ("…, Friendship and Cooperation"); a stop ends it.
      taken += space! + (w!.endsWith(",") && clean + "," === w ? w : clean);
      if (clean !== w && !w!.endsWith(",")) break;
    }
    taken = taken.replace(/,$/u, "");
    title = (body.slice(start, at + word.length) + taken).replace(
      /(?:\s+(?:of|on|the|and|between|in|for|to|with))+$/u,
      "",
    );
  } else {
    const clause = /^[^,;.:()]*/u.exec(rest)?.[0] ?? "";
    if (!/^\s+(?:on|between|of|with|for)\s/u.test(clause)) return null;
    const text = (word + clause).trim().replace(/\s+(?:was|were|is|has|have)\b[\s\S]*$/u, "");
    title = text.charAt(0).toUpperCase() + text.slice(1);
  }
  title = title.replace(/\s+/gu, " ").trim();
  return title.split(" ").length >= 2 ? title : null;
}
