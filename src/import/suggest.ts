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
import { findMentionsOfEach } from "../text/mentions.js";
import { paragraphIndexAt, type ParagraphSpan } from "../text/paragraphs.js";
import { quoteProblem } from "../text/rules.js";
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

const slugKey = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

// ----------------------------------------------------------------------------------------
// Passages

/** The sentence of `body` around `offset`, inside its paragraph, as a citable anchor. */
function sentenceAt(body: string, paragraphs: readonly ParagraphSpan[], offset: number): Anchor {
  const index = paragraphIndexAt(paragraphs, offset);
  const paragraph = paragraphs[index]!;
  const text = body.slice(paragraph.start, paragraph.end);
  // A sentence ends at . ! ? after a lowercase letter, a digit or a closing mark, before a
  // space: "H.E. Emomali Rahmon" and "No. 5" stay inside their sentence.
  const ends = /(?<=[\p{Ll}\d)”"'%])[.!?](?=\s)/gu;
  let start = 0;
  let end = text.length;
  for (const match of text.matchAll(ends)) {
    const stop = match.index + 1;
    if (paragraph.start + stop <= offset) start = stop;
    else {
      end = stop;
      break;
    }
  }
  while (start < end && /\s/.test(text[start]!)) start++;
  const quote = text.slice(start, end);
  return {
    start: paragraph.start + start,
    end: paragraph.start + end,
    quote,
    paragraphIndex: index,
  };
}

/** A citation of the passage in the facts format: with `occurrence` when it recurs. */
export function citationOf(body: string, passage: Anchor): { quote: string; occurrence?: number } {
  const at = occurrencesOf(body, passage.quote);
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
 * for a name in -stan the stem the region's reporting uses: Tajik, Kyrgyz, Uzbek).
 */
function states(): State[] {
  stateList ??= countries().map((country) => {
    const name = country.name.common;
    const latin = (s: string) => /^[\p{Script=Latin}\s'.’-]+$/u.test(s) && s.length >= 4;
    const names = [
      ...new Set([
        name,
        country.name.official,
        `Republic of ${name}`,
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
    return { name, names, adjectives };
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
const NAME_WORD = "\\p{Lu}\\p{Ll}+(?:-\\p{Lu}\\p{Ll}+)?";
const PERSON = new RegExp(`\\b(${TITLE})\\s+(${NAME_WORD}(?:\\s${NAME_WORD}){1,2})\\b`, "gu");

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
    `\\b(?:signing of|signed|sign)\\s+${COUNT}\\s+(?:\\w+\\s+){0,2}?${DOCUMENTS}\\b`,
    "giu",
  ),
  new RegExp(
    `\\b${COUNT}\\s+(?:\\w+\\s+){0,2}?${DOCUMENTS}\\s+(?:were|have been|had been)\\s+signed\\b`,
    "giu",
  ),
];

const LEAD_IN =
  /\b(?:results?|outcomes?|achievements?|achieved|agreed|following|including)\b[^.]*:$/iu;
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
    new RegExp(`\\b${DAY}\\s+${MONTH},?\\s+(\\d{4})\\b`, "gu"),
    "DAY",
    "a day",
    (m) => ymd(m[3]!, m[2]!, m[1]!),
  ],
  [
    new RegExp(`\\b${MONTH}\\s+${DAY},?\\s+(\\d{4})\\b`, "gu"),
    "DAY",
    "a day",
    (m) => ymd(m[3]!, m[1]!, m[2]!),
  ],
  [
    new RegExp(`\\b${MONTH}\\s+(\\d{4})\\b`, "gu"),
    "MONTH",
    "a month",
    (m) => ymd(m[2]!, m[1]!, null),
  ],
  [
    /\b(?:in|since|by|until|of|from)\s+(\d{4})\b/gu,
    "YEAR",
    "a year",
    (m) => ymd(m[1]!, null, null),
  ],
  [
    new RegExp(`\\b(?:${DAY}\\s+${MONTH}|${MONTH}\\s+${DAY})\\b`, "gu"),
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

/** Where the first of `names` occurs in `text`; Infinity when none does. */
function firstIn(text: string, names: Iterable<string>): number {
  let first = Infinity;
  for (const name of names) {
    const at = text.indexOf(name);
    if (at >= 0 && at < first) first = at;
  }
  return first;
}

interface Found {
  name: string;
  kind: ActorKind;
  aliases: Set<string>;
  passage: Anchor;
  rule: string;
}

/**
 * The suggestions for a parsed source. `known(name)` tells a name of an actor already in the
 * record: those are not suggested again (the preview lists their mentions instead).
 */
export function suggestFacts(
  article: ParsedArticle,
  known: (name: string) => boolean = () => false,
): Suggestion[] {
  const { body, paragraphs } = article;
  const capped = <T>(list: T[]) => list.slice(0, MAX_SUGGESTIONS_PER_KIND);
  const sentence = (offset: number) => sentenceAt(body, paragraphs, offset);

  // States by their names, then by their adjectives ("the Tajik side").
  const actors = new Map<string, Found>();
  const all = states();
  const named = findMentionsOfEach(
    body,
    paragraphs,
    all.map((s) => s.names),
  );
  const adjectival = findMentionsOfEach(
    body,
    paragraphs,
    all.map((s) => s.adjectives),
  );
  const insideName = (start: number) =>
    new RegExp(`(?:${ORGANIZATION_WORDS}) of (?:the )?$`, "u").test(
      body.slice(Math.max(0, start - 40), start),
    );
  all.forEach((state, i) => {
    const mentions = named[i]!.filter((m) => !insideName(m.start));
    const first = mentions[0] ?? adjectival[i]![0];
    if (!first) return;
    actors.set(state.name, {
      name: state.name,
      kind: "STATE",
      aliases: new Set([state.name, ...mentions.map((m) => m.quote)]),
      passage: sentence(first.start),
      rule: mentions[0]
        ? "state: a name from the country list"
        : "state: an adjective from the country list",
    });
  });

  // People by the title or form of address before their name.
  for (const match of body.matchAll(PERSON)) {
    const name = match[2]!;
    if (all.some((s) => s.names.includes(name) || s.adjectives.some((a) => name.startsWith(a))))
      continue;
    const found = actors.get(name);
    if (found) found.aliases.add(match[0]);
    else {
      actors.set(name, {
        name,
        kind: "PERSON",
        aliases: new Set([name, match[0]]),
        passage: sentence(match.index),
        rule: "person: a name after a title or a form of address",
      });
    }
  }

  // Organisations by the words their names are made of.
  const organization = new RegExp(
    `\\b((?:\\p{Lu}[\\p{L}'’-]*\\s+){0,4}(?:${ORGANIZATION_WORDS})(?:\\s+(?:of|for|on)\\s+(?:the\\s+)?\\p{Lu}[\\p{L}'’-]*(?:\\s+\\p{Lu}[\\p{L}'’-]*){0,3})?)`,
    "gu",
  );
  for (const match of body.matchAll(organization)) {
    const name = match[1]!;
    if (!/\s/.test(name) || actors.has(name)) continue;
    actors.set(name, {
      name,
      kind: "ORGANIZATION",
      aliases: new Set([name]),
      passage: sentence(match.index),
      rule: "organisation: a capitalised name with an organisation's word",
    });
  }

  // An actor already in the record is named by a reference ({key, name}) that the import
  // resolves to it; a new one is suggested whole.
  const suggestions: Suggestion[] = capped([...actors.values()]).map((a) => ({
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

  /** The actors named in a passage, in order: people first, then states. */
  const within = (passage: Anchor, kind: ActorKind) =>
    [...actors.values()]
      .filter((a) => a.kind === kind)
      .map((a) => ({ a, at: firstIn(passage.quote, a.aliases) }))
      .filter((x) => x.at < Infinity)
      .sort((x, y) => x.at - y.at)
      .map((x) => x.a);

  // Visits: "state visit", "official visit"…, with the guest named in the sentence and the
  // state it went to ("to the Republic of Kyrgyzstan").
  const visits = new Map<string, Suggestion>();
  for (const match of body.matchAll(VISIT)) {
    const kind = VISIT_KINDS[match[1]!.toLowerCase()]!;
    const passage = sentence(match.index);
    const after = passage.quote.slice(match.index - passage.start);
    const destination = within(
      { ...passage, quote: after.replace(/^[\s\S]*?\bto\s+/u, "") },
      "STATE",
    )[0];
    const guest = within(passage, "PERSON")[0];
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
        citations: [citationOf(body, passage)],
      },
      passage,
    });
  }
  const visitList = capped([...visits.values()]).slice(0, 20);
  suggestions.push(...visitList);
  const onlyVisit = visitList.length === 1 ? (visitList[0]!.fact.key as string) : null;

  // Agreements: a document's name in a sentence that says it was signed or adopted.
  const agreements = new Map<string, Suggestion>();
  for (const match of body.matchAll(DOCUMENT)) {
    const passage = sentence(match.index);
    if (!SIGNED.test(passage.quote)) continue;
    const kind = AGREEMENT_KINDS.find(([pattern]) => pattern.test(match[1]!))?.[1] ?? "OTHER";
    const title = documentTitle(body, match.index, match[1]!);
    if (title === null) continue;
    const id = `${kind}|${title.toLowerCase()}`;
    if (agreements.has(id)) continue;
    const parties = within(passage, "STATE").map((a) => slugKey(a.name));
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
        citations: [citationOf(body, passage)],
      },
      passage,
    });
  }
  suggestions.push(...capped([...agreements.values()]));

  // Counts of documents signed.
  for (const pattern of COUNTS) {
    for (const match of body.matchAll(pattern)) {
      const word = match[1]!.toLowerCase();
      const count = /^\d/.test(word) ? Number(word) : NUMBER_WORDS.indexOf(word);
      const passage = sentence(match.index);
      suggestions.push({
        kind: "DOCUMENT_COUNT",
        rule: "count: the number of documents signed",
        fact: { documentsSignedCount: count, ...(onlyVisit ? { visit: onlyVisit } : {}) },
        passage,
      });
    }
  }

  // Outcomes: the numbered list after a lead-in that announces results.
  const outcomes: Suggestion[] = [];
  paragraphs.forEach((paragraph, i) => {
    if (!LEAD_IN.test(body.slice(paragraph.start, paragraph.end))) return;
    for (let j = i + 1; j < paragraphs.length; j++) {
      const item = paragraphs[j]!;
      const text = body.slice(item.start, item.end);
      const match = LIST_ITEM.exec(text);
      if (!match) break;
      const statement = match[2]!.trim();
      const passage: Anchor = { start: item.start, end: item.end, quote: text, paragraphIndex: j };
      if (quoteProblem(text)) continue;
      outcomes.push({
        kind: "OUTCOME",
        rule: 'outcome: an item of a numbered list after a lead-in such as "achieved … results, including:"',
        fact: {
          ...(onlyVisit ? { visit: onlyVisit } : {}),
          ordinal: Number(match[1]),
          statement,
          category: CATEGORIES.find(([pattern]) => pattern.test(statement))?.[1] ?? "OTHER",
          status: STATUSES.find(([pattern]) => pattern.test(statement))?.[1] ?? "ACHIEVED",
          citations: [citationOf(body, passage)],
        },
        passage,
      });
    }
  });
  suggestions.push(...capped(outcomes));

  // Dates, with their precision: a day, a month, or a year.
  const dates: Suggestion[] = [];
  const taken: [number, number][] = [];
  const year = article.publishedOn.slice(0, 4);
  for (const [pattern, precision, what, value] of DATES) {
    for (const match of body.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some(([s, e]) => start < e && s < end)) continue;
      const date = value(match, year);
      if (date === null) continue;
      taken.push([start, end]);
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
