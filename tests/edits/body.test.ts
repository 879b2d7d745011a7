import { afterAll, beforeAll, describe, it, expect } from "@jest/globals";
import { seedFacts, seedSource } from "../support/seed-article.js";
import { parseArticle } from "../../src/import/parse.js";
import { anchorQuote } from "../../src/text/anchor.js";
import { findMentions } from "../../src/text/mentions.js";
import { paragraphIndexAt, splitParagraphs } from "../../src/text/paragraphs.js";
import { reanchor, type Span } from "../../src/text/reanchor.js";
import { startTestServer, type TestServer } from "../support/server.js";

const source = seedSource;
const { body, paragraphs } = parseArticle(source);
const facts = seedFacts();

const REPEATED = "The resolution of the border issue between Tajikistan and Kyrgyzstan";

let nextId = 1;
/** The `occurrence`-th (1-based) place of `quote` in `text`, as a span. */
function spanOf(text: string, quote: string, occurrence = 1): Span {
  let start = -1;
  for (let n = 0; n < occurrence; n++) {
    start = text.indexOf(quote, start + 1);
    if (start < 0) throw new Error(`occurrence ${occurrence} of "${quote}" not in the text`);
  }
  return { id: nextId++, start, end: start + quote.length, quote };
}

function paragraphText(index: number): string {
  const p = paragraphs[index]!;
  return body.slice(p.start, p.end);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

function byId(spans: readonly Span[], id: number): Span | undefined {
  return spans.find((s) => s.id === id);
}

/** Every fact's quote, anchored as the seed anchors it. */
const anchors = [
  ...facts.visits[0]!.citations,
  ...facts.agreements.flatMap((a) => a.citations),
  ...facts.outcomes.flatMap((o) => o.citations),
].map(({ quote, occurrence }) => anchorQuote(body, paragraphs, quote, occurrence ?? undefined));
const citations: Span[] = anchors.map(({ start, end, quote }) => ({
  id: nextId++,
  start,
  end,
  quote,
}));

/** Every mention of Tajikistan: short quotes that occur many times. */
const mentions: Span[] = (
  await findMentions(body, paragraphs, facts.actors.find((a) => a.key === "tajikistan")!.aliases)
).map(({ start, end, quote }) => ({ id: nextId++, start, end, quote }));

/** Made-up spans of assorted lengths all over the body, some across paragraph breaks. */
const madeUp: Span[] = Array.from({ length: 60 }, (_, i) => {
  const start = (i * 181) % (body.length - 60);
  const end = start + 1 + ((i * 7) % 50);
  return { id: nextId++, start, end, quote: body.slice(start, end) };
});

const allSpans = [...citations, ...mentions];

function expectAnchored(text: string, spans: readonly Span[]): void {
  for (const span of spans) expect(text.slice(span.start, span.end)).toBe(span.quote);
}

describe("reanchor: after a body edit", () => {
  it("maps every span to itself when the body is unchanged", () => {
    const { moved, orphaned } = reanchor(body, body, [...allSpans, ...madeUp]);
    expect(orphaned).toEqual([]);
    expect(moved).toEqual([...allSpans, ...madeUp]);
  });

  it("shifts a span by the length of text inserted before it", () => {
    const note = "Editor's note: this article was first published in English.\n\n";
    const newBody = note + body;
    const { moved, orphaned } = reanchor(body, newBody, allSpans);
    expect(orphaned).toEqual([]);
    expect(moved).toEqual(
      allSpans.map((s) => ({ ...s, start: s.start + note.length, end: s.end + note.length })),
    );
  });

  it("leaves spans before an insertion where they were and shifts those after it", () => {
    const at = paragraphs[10]!.start;
    const inserted = "A new paragraph about Tajikistan, written by the editor.\n\n";
    const newBody = splice(body, at, at, inserted);
    const { moved, orphaned } = reanchor(body, newBody, allSpans);
    expect(orphaned).toEqual([]);
    for (const span of allSpans) {
      const shift = span.start >= at ? inserted.length : 0;
      expect(byId(moved, span.id)).toEqual({
        ...span,
        start: span.start + shift,
        end: span.end + shift,
      });
    }
  });

  it("leaves spans intact when a typo is fixed in another paragraph", () => {
    const typo = spanOf(body, "It is precisely technology of conducting negotiations");
    const newBody = splice(
      body,
      typo.start,
      typo.end,
      "It is precisely the technology of conducting negotiations",
    );
    const shift = "the ".length;
    const { moved, orphaned } = reanchor(body, newBody, allSpans);
    expect(orphaned).toEqual([]);
    for (const span of allSpans) {
      const by = span.start >= typo.end ? shift : 0;
      expect(byId(moved, span.id)).toEqual({ ...span, start: span.start + by, end: span.end + by });
    }
  });

  it("leaves spans intact when the same paragraph is edited outside them", () => {
    const cited = citations[0]!; // the opening sentence of paragraph 0
    const end = paragraphs[0]!.end;
    const closing = { id: nextId++, start: end - 40, end, quote: body.slice(end - 40, end) };
    const at = cited.end + 1; // between the two, inside paragraph 0
    expect(at).toBeLessThan(closing.start);
    const newBody = splice(body, at, at, " [sic]");
    const { moved, orphaned } = reanchor(body, newBody, [cited, closing]);
    expect(orphaned).toEqual([]);
    expect(moved).toEqual([cited, { ...closing, start: closing.start + 6, end: closing.end + 6 }]);
  });

  it("orphans a span whose text was edited, but not an overlapping span the edit missed", () => {
    const longer = citations.find((c) =>
      c.quote.endsWith("between the two neighboring countries"),
    )!;
    const shorter = citations.find((c) => c.quote.endsWith("to resolve interstate issues"))!;
    // The shorter quote is the longer one's beginning.
    expect(longer.start).toBe(shorter.start);
    const word = spanOf(body, "historic treaty");
    expect(word.start).toBeGreaterThan(longer.start);
    const newBody = splice(body, word.start, word.end, "landmark treaty");
    const { moved, orphaned } = reanchor(body, newBody, [longer, shorter]);
    expect(orphaned).toEqual([longer]);
    expect(moved).toEqual([shorter]);
  });

  it("orphans a made-up span when a single character inside it is deleted", () => {
    const span = spanOf(body, "Peaceful and comprehensive resolution");
    const comma = span.start + "Peaceful".length;
    const newBody = splice(body, comma, comma + 1, ""); // "Peacefuland …"
    expect(reanchor(body, newBody, [span])).toEqual({ moved: [], orphaned: [span] });
  });

  it("orphans a span when text is inserted inside it", () => {
    const span = spanOf(body, "Direct flights between the countries were restored");
    const inside = span.start + "Direct flights".length;
    const newBody = splice(body, inside, inside, " and trains");
    expect(reanchor(body, newBody, [span])).toEqual({ moved: [], orphaned: [span] });
  });

  it("orphans the spans of a deleted paragraph only", () => {
    const gone = paragraphs[2]!;
    const newBody = splice(body, gone.start, paragraphs[3]!.start, "");
    const removed = paragraphs[3]!.start - gone.start;
    const inside = (s: Span) => s.start >= gone.start && s.end <= gone.end;
    const { moved, orphaned } = reanchor(body, newBody, allSpans);
    const lost = allSpans.filter(inside);
    expect(lost.map((s) => s.quote)).toContain(
      "during this visit, a Joint Statement of the Presidents of the two countries on further strengthening the ties of friendship and good-neighborliness between the Republic of Tajikistan and the Republic of Kyrgyzstan was signed",
    );
    expect(orphaned).toEqual(lost);
    expect(moved).toEqual(
      allSpans
        .filter((s) => !inside(s))
        .map((s) =>
          s.start < gone.start ? s : { ...s, start: s.start - removed, end: s.end - removed },
        ),
    );
  });

  it("moves the spans of a paragraph moved whole when their quote is unique", () => {
    const first = paragraphText(0);
    const newBody = `${body.slice(paragraphs[1]!.start)}\n\n${first}`;
    const cited = citations[0]!;
    const named = mentions.find((m) => m.start < paragraphs[0]!.end)!; // "Tajikistan" occurs elsewhere too
    const stays = citations.find((c) => c.start >= paragraphs[1]!.start)!;
    const { moved, orphaned } = reanchor(body, newBody, [cited, named, stays]);
    const base = newBody.length - first.length;
    expect(moved).toEqual([
      { ...cited, start: base, end: base + cited.quote.length },
      {
        ...stays,
        start: stays.start - paragraphs[1]!.start,
        end: stays.end - paragraphs[1]!.start,
      },
    ]);
    expect(orphaned).toEqual([named]);
  });

  it("keeps a repeated quote on its own occurrence as text before it changes", () => {
    const first = spanOf(body, REPEATED, 1);
    const second = spanOf(body, REPEATED, 2);
    expect(body.split(REPEATED)).toHaveLength(3);
    // Delete the paragraph between the two occurrences, then insert text before both.
    const between = paragraphs[18]!;
    let newBody = splice(body, between.start, paragraphs[19]!.start, "");
    newBody = splice(newBody, 0, 0, "Foreword.\n\n");
    const removed = paragraphs[19]!.start - between.start;
    const { moved, orphaned } = reanchor(body, newBody, [first, second]);
    expect(orphaned).toEqual([]);
    expect(moved).toEqual([
      { ...first, start: first.start + 11, end: first.end + 11 },
      { ...second, start: second.start + 11 - removed, end: second.end + 11 - removed },
    ]);
  });

  it("never moves a repeated quote to another occurrence when the diff loses it", () => {
    const first = spanOf(body, REPEATED, 1);
    const second = spanOf(body, REPEATED, 2);
    // Paragraph 21 repeats paragraph 17 word for word; move it to the end.
    expect(paragraphText(21)).toBe(paragraphText(17));
    const repeat = paragraphs[21]!;
    const newBody = `${splice(body, repeat.start, paragraphs[22]!.start, "")}\n\n${paragraphText(21)}`;
    expect(newBody.split(REPEATED)).toHaveLength(3);
    const { moved, orphaned } = reanchor(body, newBody, [first, second]);
    expect(moved).toEqual([first]);
    expect(orphaned).toEqual([second]);
  });

  it("moves a span whose text was edited to the one remaining occurrence of its quote", () => {
    const first = spanOf(body, REPEATED, 1);
    const second = spanOf(body, REPEATED, 2);
    const word = first.start + "The resolution of the border ".length;
    const newBody = splice(body, word, word + "issue".length, "dispute");
    const { moved, orphaned } = reanchor(body, newBody, [first, second]);
    expect(orphaned).toEqual([]);
    const at = newBody.indexOf(REPEATED);
    expect(moved).toEqual([
      { ...first, start: at, end: at + REPEATED.length },
      { ...second, start: at, end: at + REPEATED.length },
    ]);
  });

  it("shifts spans correctly when only the whitespace between paragraphs changes", () => {
    // Even-numbered breaks grow by two characters, odd-numbered ones by one.
    let gap = 0;
    const newBody = body.replace(/\n\n/g, () => (gap++ % 2 === 0 ? "\n \n\n" : "\n\t\n"));
    const shiftOf = (paragraph: number) => paragraph + Math.ceil(paragraph / 2);
    const { moved, orphaned } = reanchor(body, newBody, allSpans);
    expect(orphaned).toEqual([]);
    const newParagraphs = splitParagraphs(newBody);
    expect(newParagraphs).toHaveLength(paragraphs.length);
    for (const span of allSpans) {
      const was = paragraphIndexAt(paragraphs, span.start);
      const now = byId(moved, span.id)!;
      expect(now.start - span.start).toBe(shiftOf(was));
      expect(paragraphIndexAt(newParagraphs, now.start)).toBe(was);
    }
    expectAnchored(newBody, moved);
  });

  it("keeps the other fields of a span", () => {
    const span = { ...citations[0]!, kind: "citation" as const };
    const { moved } = reanchor(body, `Preface.\n\n${body}`, [span]);
    expect(moved[0]).toMatchObject({ kind: "citation", id: span.id });
  });

  it("refuses a span that is not a passage of the old body", () => {
    const wrong = { id: 1, start: 0, end: 3, quote: "Thx" };
    expect(() => reanchor(body, body, [wrong])).toThrow(RangeError);
    expect(() => reanchor(body, body, [{ id: 2, start: 5, end: 5, quote: "" }])).toThrow(
      RangeError,
    );
  });

  it("holds up under random edits: spans before the edit stay, untouched paragraphs shift", () => {
    const random = generator(20240611);
    const pick = (n: number) => Math.floor(random() * n);
    const words = ["Kyrgyzstan", "the", "border", "Tajikistan", " ", ",", "treaty", "of"];
    for (let round = 0; round < 150; round++) {
      const a = pick(body.length);
      const b = Math.min(body.length, a + (random() < 0.3 ? 0 : pick(random() < 0.2 ? 800 : 40)));
      const insert = Array.from({ length: pick(6) }, () => words[pick(words.length)]).join(" ");
      const newBody = splice(body, a, b, insert);
      const delta = insert.length - (b - a);
      const spans = [...allSpans, ...madeUp];
      const { moved, orphaned } = reanchor(body, newBody, spans);
      expect(moved.length + orphaned.length).toBe(spans.length);
      expectAnchored(newBody, moved);
      for (const span of spans) {
        if (span.end <= a) expect(byId(moved, span.id)).toEqual(span);
        // Within the paragraphs around a span, a diff may place an edit otherwise than made.
        const from = paragraphs.findLast((p) => p.start <= span.start)?.start ?? 0;
        const to = paragraphs.find((p) => p.end >= span.end)?.end ?? body.length;
        if (a <= to && b >= from) continue;
        const shift = span.start >= b ? delta : 0;
        expect(byId(moved, span.id)).toEqual({
          ...span,
          start: span.start + shift,
          end: span.end + shift,
        });
      }
    }
  });

  // Their time, at n and 4n, is `npm run bench:text`'s.
  it("re-anchors every span after a word added to the seed body and a paragraph inserted into a 1 MB body", () => {
    const at = paragraphs[20]!.start + 10;
    const edited = splice(body, at, at, "very ");
    expect(reanchor(body, edited, allSpans)).toEqual({
      moved: allSpans.map((s) =>
        s.start >= at ? { ...s, start: s.start + 5, end: s.end + 5 } : s,
      ),
      orphaned: [],
    });

    const copies = Array.from({ length: 95 }, (_, i) =>
      body.replaceAll("Kyrgyzstan", `Kyrgyzstan-${i}`),
    );
    const big = copies.join("\n\n");
    expect(big.length).toBeGreaterThan(1_000_000);
    const spans = Array.from({ length: 400 }, (_, i) => {
      const start = Math.floor((i * big.length) / 400);
      return { id: i, start, end: start + 30, quote: big.slice(start, start + 30) };
    });
    const middle = Math.floor(big.length / 2);
    const inserted = "\n\nAn inserted paragraph.\n\n";
    const newBig = splice(big, middle, middle, inserted);
    // The first 200 spans end before the middle; the 201st starts at it.
    expect(reanchor(big, newBig, spans)).toEqual({
      moved: spans.map((s) =>
        s.id < 200 ? s : { ...s, start: s.start + inserted.length, end: s.end + inserted.length },
      ),
      orphaned: [],
    });
  });
});

describe("splitParagraphs: paragraphs of an edited body", () => {
  it("agrees with the seed parser on the seeded body", () => {
    expect(splitParagraphs(body)).toEqual(paragraphs);
  });

  it("reads \\r\\n line ends as the seed reads \\n", () => {
    const crlf = body.replace(/\n/g, "\r\n");
    const split = splitParagraphs(crlf);
    expect(split.map((p) => crlf.slice(p.start, p.end))).toEqual(
      paragraphs.map((p) => body.slice(p.start, p.end)),
    );
    expect(split.map((p) => p.duplicateOf)).toEqual(paragraphs.map((p) => p.duplicateOf));
  });

  it("skips leading and trailing blank lines and trims each paragraph", () => {
    const text = "\n \n\t\n  First paragraph.  \n\nSecond paragraph.\n \n\t\n";
    expect(splitParagraphs(text)).toEqual([
      { index: 0, start: 7, end: 23, duplicateOf: null },
      { index: 1, start: 27, end: 44, duplicateOf: null },
    ]);
    expect(text.slice(7, 23)).toBe("First paragraph.");
    expect(text.slice(27, 44)).toBe("Second paragraph.");
  });

  it("treats three or more newlines as one paragraph break", () => {
    const text = "Alpha beta.\n\n\n\n\nGamma delta.";
    expect(splitParagraphs(text)).toEqual([
      { index: 0, start: 0, end: 11, duplicateOf: null },
      { index: 1, start: 16, end: 28, duplicateOf: null },
    ]);
  });

  it("keeps a single line break inside a paragraph", () => {
    const text = "One paragraph, with a line\r\nwrapped inside it.";
    expect(splitParagraphs(text)).toEqual([
      { index: 0, start: 0, end: text.length, duplicateOf: null },
    ]);
  });

  it("finds no paragraph in a blank body", () => {
    expect(splitParagraphs("")).toEqual([]);
    expect(splitParagraphs(" \n\r\n\t")).toEqual([]);
  });

  it("marks a pasted repeat as a duplicate of the original", () => {
    const pasted = `${body}\n\n${paragraphText(3).replace("Peaceful and", "A peaceful and")}`;
    const split = splitParagraphs(pasted);
    expect(split).toHaveLength(paragraphs.length + 1);
    expect(split.at(-1)).toMatchObject({ index: paragraphs.length, duplicateOf: 3 });
  });

  it("points a repeat of a repeat to the original, as the seed does", () => {
    expect(paragraphs[20]!.duplicateOf).toBe(16);
    const split = splitParagraphs(`${body}\n\n${paragraphText(20)}`);
    expect(split.at(-1)!.duplicateOf).toBe(16);
  });

  it("marks one-word and wordless repeats too", () => {
    const split = splitParagraphs("Contents\n\n***\n\nBody text here.\n\n***\n\ncontents");
    expect(split.map((p) => p.duplicateOf)).toEqual([null, null, null, 1, 0]);
  });
});

describe("paragraphIndexAt", () => {
  it("gives the paragraph the seed anchors each quote in", () => {
    for (const anchor of anchors) {
      expect(paragraphIndexAt(paragraphs, anchor.start)).toBe(anchor.paragraphIndex);
    }
  });

  it("finds the first and last offset of every paragraph", () => {
    for (const p of paragraphs) {
      expect(paragraphIndexAt(paragraphs, p.start)).toBe(p.index);
      expect(paragraphIndexAt(paragraphs, p.end - 1)).toBe(p.index);
    }
  });

  it("refuses an offset between paragraphs or past the body", () => {
    expect(() => paragraphIndexAt(paragraphs, paragraphs[0]!.end)).toThrow(RangeError);
    expect(() => paragraphIndexAt(paragraphs, body.length)).toThrow(RangeError);
    expect(() => paragraphIndexAt(paragraphs, -1)).toThrow(RangeError);
  });
});

/** A seeded linear congruential generator, so the random edits are the same on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** The source's body as an editor pastes it: everything after the date line, as printed. */
function pastedSourceBody(): string {
  return source.slice(source.indexOf("\n", source.indexOf("*Published on")) + 1);
}

/** The source's paragraphs as it prints them: one to a line, blank lines between most. */
function printedParagraphs(): string[] {
  return pastedSourceBody()
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
}

/** The seed's four repeats, `[repeat, original]`. */
const SEED_REPEATS = [
  [20, 16],
  [21, 17],
  [22, 18],
  [23, 19],
];

describe("splitParagraphs: the source's body as an editor pastes it", () => {
  it("gives the seed's 40 paragraphs, each of the nine numbered results its own", () => {
    const pasted = pastedSourceBody();
    const split = splitParagraphs(pasted);
    const texts = split.map((p) => pasted.slice(p.start, p.end));
    expect(texts).toHaveLength(40);
    expect(texts).toEqual(printedParagraphs());
    expect(texts.slice(7, 16).map((t) => t.slice(0, 3))).toEqual(
      ["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((n) => `${n}. `),
    );
    expect(
      split.filter((p) => p.duplicateOf !== null).map((p) => [p.index, p.duplicateOf]),
    ).toEqual(SEED_REPEATS);
  });

  it("starts a paragraph at each numbered item of a list written without blank lines", () => {
    const text = "Results:\n1. The border;\n2) The crossings;\n  3. Flights.\n2025 was a year.";
    expect(splitParagraphs(text).map((p) => text.slice(p.start, p.end))).toEqual([
      "Results:",
      "1. The border;",
      "2) The crossings;",
      "3. Flights.\n2025 was a year.",
    ]);
  });
});

describe("Edits: a new body through the API", () => {
  const SLUG = "resolution-of-border-issues-between-tajikistan-and-kyrgyzstan";
  const CREATE = `mutation($input: CreateArticleInput!) {
    createArticle(input: $input) { id paragraphs { index start end text duplicateOf } } }`;
  const UPDATE = `mutation($id: ID!, $input: UpdateArticleInput!, $v: Int) {
    updateArticle(id: $id, input: $input, expectedVersion: $v) { version } }`;

  let server: TestServer;
  let editor: Record<string, string>;
  /** Every statement Prisma sends, as text. */
  const sent: string[] = [];
  beforeAll(async () => {
    server = await startTestServer({ env: { ACCORD_RESPONSE_CACHE: "off" } });
    editor = await server.keyFor("EDITOR");
    // The client is created with query events on (src/db/database.ts), which its type omits.
    const events = server.db.prisma as unknown as {
      $on(event: "query", listener: (event: { query: string }) => void): void;
    };
    events.$on("query", (event) => void sent.push(event.query));
  });
  afterAll(() => server.stop());

  async function createArticle(slug: string, text: string) {
    const input = { slug, title: `Article ${slug}`, language: "en", publishedOn: "2025-03-17" };
    const response = await server.graphql(CREATE, { input: { ...input, body: text } }, editor);
    expect(response.errors).toBeUndefined();
    return response.data!.createArticle as {
      id: string;
      paragraphs: {
        index: number;
        start: number;
        end: number;
        text: string;
        duplicateOf: number | null;
      }[];
    };
  }

  it("gives the seed's paragraphs to the seed's stored body and to the source's body as pasted", async () => {
    const seeded = await server.db.prisma.article.findUniqueOrThrow({
      where: { slug: SLUG },
      include: { paragraphs: { orderBy: { index: "asc" } } },
    });
    const stored = await createArticle("stored-body", seeded.body);
    expect(
      stored.paragraphs.map(({ index, start, end, duplicateOf }) => ({
        index,
        start,
        end,
        duplicateOf,
      })),
    ).toEqual(
      seeded.paragraphs.map(({ index, start, end, duplicateOf }) => ({
        index,
        start,
        end,
        duplicateOf,
      })),
    );
    const pasted = await createArticle("pasted-body", pastedSourceBody());
    for (const { paragraphs } of [stored, pasted]) {
      expect(paragraphs.map((p) => p.text)).toEqual(printedParagraphs());
      expect(paragraphs).toHaveLength(40);
      expect(
        paragraphs.filter((p) => p.duplicateOf !== null).map((p) => [p.index, p.duplicateOf]),
      ).toEqual(SEED_REPEATS);
    }
  });

  it("moves every citation of an edited body in one statement, however many there are", async () => {
    const visit = await server.db.prisma.visit.findFirstOrThrow();
    const printed = printedParagraphs();
    const text = printed.join("\n\n");
    // Each printed paragraph, cited whole: where it stands in `text`.
    let offset = 0;
    const wholeParagraphs = printed.map((quote, index) => {
      const start = offset;
      offset += quote.length + 2;
      return { start, end: start + quote.length, quote, paragraphIndex: index };
    });
    const note = "Editor's note: first published in March 2025.\n\n";

    /** Edits an article citing its first `cited` paragraphs; what the edit sent and stored. */
    async function editCiting(slug: string, cited: number) {
      const article = await createArticle(slug, text);
      const key = Number(Buffer.from(article.id, "base64url").toString().split(":")[1]);
      const citing = wholeParagraphs.slice(0, cited);
      await server.db.prisma.citation.createMany({
        data: citing.map((c) => ({ ...c, articleId: key, visitId: visit.id })),
      });
      const before = server.db.statementCount;
      sent.length = 0;
      const response = await server.graphql(
        UPDATE,
        { id: article.id, input: { body: note + text }, v: 1 },
        editor,
      );
      expect(response.errors).toBeUndefined();
      const statements = server.db.statementCount - before;
      const citationWrites = sent.filter((sql) =>
        /^\s*UPDATE\s+"(public"\.")?Citation"/i.test(sql),
      );
      const citations = await server.db.prisma.citation.findMany({
        where: { articleId: key },
        orderBy: { start: "asc" },
      });
      expect(citations.map((c) => [c.start, c.end, c.paragraphIndex])).toEqual(
        citing.map((c) => [c.start + note.length, c.end + note.length, c.paragraphIndex + 1]),
      );
      return { statements, citationWrites: citationWrites.length };
    }

    const one = await editCiting("one-citation", 1);
    const thirty = await editCiting("thirty-citations", 30);
    expect(one.citationWrites).toBe(1);
    expect(thirty).toEqual(one);
  });
});
