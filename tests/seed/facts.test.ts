import { describe, it, expect } from "@jest/globals";
import { factProblems, type Quote } from "../../src/import/facts.js";
import { parseArticle } from "../../src/import/parse.js";
import { AmbiguousQuoteError, QuoteNotFoundError, anchorQuote } from "../../src/text/anchor.js";
import { findMentions } from "../../src/text/mentions.js";
import { seedFacts, seedSource } from "../support/seed-article.js";

const source = seedSource;
const article = parseArticle(source);
const { body, paragraphs } = article;
const facts = seedFacts();
const visit = facts.visits[0]!;

const actor = (key: string) => {
  const found = facts.actors.find((a) => a.key === key);
  if (!found) throw new Error(`no actor ${key}`);
  return found;
};

const allQuotes: [string, Quote][] = [
  ...visit.citations.map((q): [string, Quote] => [`visit ${visit.key}`, q]),
  ...facts.agreements.flatMap((a) => a.citations.map((q): [string, Quote] => [a.key!, q])),
  ...facts.outcomes.flatMap((o) => o.citations.map((q): [string, Quote] => [`${o.ordinal}`, q])),
];

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

describe("facts: citations", () => {
  it("every fact cites at least one quote", () => {
    expect(visit.citations.length).toBeGreaterThan(0);
    for (const fact of [...facts.agreements, ...facts.outcomes]) {
      expect(fact.citations.length).toBeGreaterThan(0);
    }
  });

  it.each(allQuotes)("%s: the quote anchors verbatim in the body: %j", (_fact, citation) => {
    const anchor = anchorQuote(body, paragraphs, citation.quote, citation.occurrence ?? undefined);
    expect(body.slice(anchor.start, anchor.end)).toBe(citation.quote);
    const paragraph = paragraphs[anchor.paragraphIndex]!;
    expect(anchor.start).toBeGreaterThanOrEqual(paragraph.start);
    expect(anchor.start).toBeLessThan(paragraph.end);
    if (citation.occurrence == null) expect(count(body, citation.quote)).toBe(1);
    expect(citation.quote.split(" ").length).toBeGreaterThanOrEqual(6);
  });
});

describe("facts: the visit", () => {
  it("is the state visit, with neither dates nor place, since the article gives none", () => {
    expect(visit).toMatchObject({
      kind: "STATE_VISIT",
      startDate: null,
      endDate: null,
      location: null,
      documentsSignedCount: 16,
    });
    expect(visit.citations.map((c) => c.quote).join(" ")).toContain("signing of 16 documents");
  });

  it("has Rahmon as guest and Japarov as host, both existing actors", () => {
    expect(visit.participants).toEqual([
      { actor: "emomali-rahmon", role: "GUEST" },
      {
        actor: "sadir-japarov",
        role: "HOST",
        editorialNote: expect.stringMatching(/^The article does not say who hosted/),
      },
    ]);
    const keys = new Set(facts.actors.map((a) => a.key));
    for (const participant of visit.participants) expect(keys.has(participant.actor)).toBe(true);
  });
});

describe("facts: the agreements", () => {
  it("are the border treaty and the joint statement, both signed at the visit by the two states", () => {
    expect(
      facts.agreements.map(({ kind, status, signedOn, parties, visit }) => ({
        kind,
        status,
        signedOn,
        parties,
        visit,
      })),
    ).toEqual(
      ["TREATY", "JOINT_STATEMENT"].map((kind) => ({
        kind,
        status: "SIGNED",
        signedOn: null,
        parties: ["tajikistan", "kyrgyzstan"],
        visit: visit.key,
      })),
    );
    expect(facts.agreements[1]?.citations[0]?.quote).toContain("Joint Statement of the Presidents");
  });
});

describe("facts: the outcomes", () => {
  it("are the nine numbered results, in order", () => {
    expect(facts.outcomes.map((o) => o.ordinal)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("state each list item without its number and closing punctuation, and cite that item", () => {
    for (const outcome of facts.outcomes) {
      const item = paragraphs[6 + outcome.ordinal]!;
      const text = body.slice(item.start, item.end);
      expect(outcome.citations.map((c) => c.quote)).toContain(text);
      expect(`${outcome.ordinal}. ${outcome.statement}`).toBe(text.replace(/[;.]$/, ""));
    }
  });

  it("are achieved where the text says done and in progress where it says ongoing", () => {
    expect(facts.outcomes.map((o) => [o.ordinal, o.status, o.category])).toEqual([
      [1, "ACHIEVED", "BORDER"],
      [2, "ACHIEVED", "BORDER"],
      [3, "ACHIEVED", "TRANSPORT"],
      [4, "ACHIEVED", "MOBILITY"],
      [5, "IN_PROGRESS", "TRADE"],
      [6, "IN_PROGRESS", "TRANSPORT"],
      [7, "IN_PROGRESS", "ECONOMY"],
      [8, "IN_PROGRESS", "ENERGY"],
      [9, "IN_PROGRESS", "COOPERATION"],
    ]);
  });
});

describe("facts: the actors", () => {
  const printed = [body, ...article.masthead, article.byline];

  it.each(facts.actors.map((a) => [a.key, a] as const))(
    "%s: every alias occurs verbatim in the body or masthead",
    (_key, { name, aliases }) => {
      expect(aliases).toContain(name);
      for (const alias of aliases) {
        const occurs = printed.some((text) => text.includes(alias));
        // The canonical name may be the fullest form, or a capitalised masthead name set right.
        const canonical =
          alias === name &&
          printed.some((text) => text.toLowerCase().includes(alias.toLowerCase()));
        expect({ alias, found: occurs || canonical }).toEqual({ alias, found: true });
      }
    },
  );

  it("include the author and publisher under the names the parser gives them", () => {
    const author = actor(facts.article.authors[0]!);
    expect(author).toMatchObject({
      name: article.author.name,
      kind: "PERSON",
      description: article.author.description,
    });
    const publisher = actor(facts.article.publisher!);
    expect(publisher).toMatchObject({
      name: article.publisher.name,
      kind: "ORGANIZATION",
      description: article.publisher.description,
      aliases: article.publisher.aliases,
    });
    expect(facts.article.slug).toBe(article.slug);
  });

  it("name the two presidents and the two states with every spelling the article uses", () => {
    expect(actor("emomali-rahmon").aliases).toEqual([
      "Emomali Rahmon",
      "H.E. Emomali Rahmon",
      "His Excellency Emomali Rahmon",
      "President of the Republic of Tajikistan",
      "Leader of the Nation",
    ]);
    expect(actor("sadir-japarov").aliases).toEqual([
      "Sadir Japarov",
      "H.E. Sadir Japarov",
      "Honorable Sadir Japarov",
    ]);
    expect(actor("tajikistan").aliases).toEqual(["Tajikistan", "Republic of Tajikistan"]);
    expect(actor("kyrgyzstan").aliases).toEqual([
      "Kyrgyzstan",
      "Republic of Kyrgyzstan",
      "Kyrgyz Republic",
    ]);
  });

  it("are rejected when a fact points to an actor that does not exist", () => {
    const broken = structuredClone(facts);
    broken.visits[0]!.participants.push({ actor: "nobody", role: "DELEGATE" });
    expect(factProblems(facts)).toEqual([]);
    const crowded = structuredClone(facts);
    crowded.agreements = Array.from({ length: 101 }, (_, i) => ({
      ...facts.agreements[0]!,
      key: `agreement-${i}`,
    }));
    expect(factProblems(crowded)).toEqual([
      {
        path: "facts.agreements",
        message: 'visit "rahmon-state-visit-to-kyrgyzstan" has 101 agreements; at most 100',
      },
    ]);
    expect(factProblems(broken)).toEqual([
      { path: "facts.visits[0].participants[2].actor", message: 'no actor has the key "nobody"' },
    ]);
  });
});

describe("findMentions", () => {
  it("finds every mention of Rahmon, the longest spelling where spellings overlap", async () => {
    const mentions = await findMentions(body, paragraphs, actor("emomali-rahmon").aliases);
    for (const m of mentions) {
      expect(body.slice(m.start, m.end)).toBe(m.quote);
      expect(m.alias).toBe(m.quote);
      const paragraph = paragraphs[m.paragraphIndex]!;
      expect(m.start >= paragraph.start && m.end <= paragraph.end).toBe(true);
    }
    expect(mentions.map((m) => [m.paragraphIndex, m.quote])).toEqual([
      [0, "President of the Republic of Tajikistan"],
      [0, "His Excellency Emomali Rahmon"],
      [1, "President of the Republic of Tajikistan"],
      [1, "H.E. Emomali Rahmon"],
      [3, "President of the Republic of Tajikistan"],
      [3, "His Excellency Emomali Rahmon"],
      [4, "Leader of the Nation"],
      [5, "President of the Republic of Tajikistan"],
      [5, "H.E. Emomali Rahmon"],
      [5, "H.E. Emomali Rahmon"],
      [16, "H.E. Emomali Rahmon"],
      [20, "H.E. Emomali Rahmon"],
      [36, "His Excellency Emomali Rahmon"],
      [36, "President of the Republic of Tajikistan"],
    ]);
    expect(mentions.filter((m) => m.quote.includes("Emomali Rahmon"))).toHaveLength(
      count(body, "Emomali Rahmon"),
    );
    const first = mentions[1]!;
    expect(first.start).toBe(body.indexOf("His Excellency Emomali Rahmon"));
    expect(first.end).toBe(first.start + "His Excellency Emomali Rahmon".length);
  });

  it("finds Japarov's two mentions at their offsets", async () => {
    const mentions = await findMentions(body, paragraphs, actor("sadir-japarov").aliases);
    const honorable = body.indexOf("Honorable Sadir Japarov");
    const excellency = body.indexOf("H.E. Sadir Japarov");
    expect(mentions).toEqual([
      {
        start: honorable,
        end: honorable + 23,
        quote: "Honorable Sadir Japarov",
        paragraphIndex: 16,
        alias: "Honorable Sadir Japarov",
      },
      {
        start: excellency,
        end: excellency + 18,
        quote: "H.E. Sadir Japarov",
        paragraphIndex: 20,
        alias: "H.E. Sadir Japarov",
      },
    ]);
  });

  it("does not match inside a longer word", async () => {
    // "Tajik" occurs in every "Tajikistan"; only the adjective in "Tajik-Kyrgyz" is the word.
    const tajik = await findMentions(body, paragraphs, ["Tajik"]);
    expect(tajik.map((m) => body.slice(m.start, m.end + 7))).toEqual(["Tajik-Kyrgyz"]);

    const text = "Tajikistani Tajikistan, éTajikistan Tajikistanç Tajikistan-Kyrgyz 𝐀Tajikistan";
    const spans = [{ index: 0, start: 0, end: text.length }];
    expect((await findMentions(text, spans, ["Tajikistan"])).map((m) => m.start)).toEqual([
      text.indexOf("Tajikistan,"),
      text.indexOf("Tajikistan-"),
    ]);
  });

  it("is case-sensitive", async () => {
    expect(await findMentions(body, paragraphs, ["emomali rahmon", "TAJIKISTAN"])).toEqual([]);
  });
});

describe("anchorQuote", () => {
  it("returns the offsets and paragraph of a unique quote", () => {
    const quote = "Direct flights between the countries were restored";
    const anchor = anchorQuote(body, paragraphs, quote);
    expect(anchor).toEqual({
      start: body.indexOf(quote),
      end: body.indexOf(quote) + quote.length,
      quote,
      paragraphIndex: 9,
    });
  });

  it("throws QuoteNotFoundError for a quote that is not in the body", () => {
    const quote = "The visit took place in Bishkek";
    expect(() => anchorQuote(body, paragraphs, quote)).toThrow(QuoteNotFoundError);
    expect(() => anchorQuote(body, paragraphs, quote)).toThrow(
      'quote not found in the article body: "The visit took place in Bishkek"',
    );
    try {
      anchorQuote(body, paragraphs, quote);
    } catch (error) {
      expect((error as QuoteNotFoundError).quote).toBe(quote);
    }
  });

  it("throws AmbiguousQuoteError with the count for a repeated quote without an occurrence", () => {
    const quote = "Tajikistan and Kyrgyzstan";
    const times = count(body, quote);
    expect(times).toBe(21);
    let caught: unknown;
    try {
      anchorQuote(body, paragraphs, quote);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AmbiguousQuoteError);
    expect((caught as AmbiguousQuoteError).occurrences).toBe(21);
    expect((caught as AmbiguousQuoteError).quote).toBe(quote);
    expect((caught as Error).message).toBe(
      'quote occurs 21 times in the article body; give the occurrence (1 to 21): "Tajikistan and Kyrgyzstan"',
    );
  });

  it("picks the given occurrence of a repeated quote, and rejects one past the last", () => {
    const quote = "The resolution of the border issue between Tajikistan and Kyrgyzstan";
    expect(anchorQuote(body, paragraphs, quote, 1).paragraphIndex).toBe(17);
    expect(anchorQuote(body, paragraphs, quote, 2).paragraphIndex).toBe(21);
    expect(() => anchorQuote(body, paragraphs, quote, 3)).toThrow(QuoteNotFoundError);
    expect(() => anchorQuote(body, paragraphs, quote, 3)).toThrow(
      "occurrence 3 of the quote not found: it occurs 2 time(s)",
    );
  });
});
