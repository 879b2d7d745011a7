/**
 * The mention matcher: one Aho–Corasick pass over a body for every actor's aliases, with the
 * rules the seed has always applied (exact, case-sensitive, word boundaries, the longest of
 * overlapping matches of one actor, then the earliest).
 */
import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import {
  findMentions,
  findMentionsOfEach,
  MATCH_CHUNK_LENGTH,
  MAX_ALIAS_MATCHES,
  TooManyAliasMatchesError,
  type Mention,
} from "../../src/text/mentions.js";
import type { ParagraphSpan } from "../../src/text/paragraphs.js";

const whole = (text: string): ParagraphSpan[] => [{ index: 0, start: 0, end: text.length }];

/** `[start, quote]` of each mention: the fixtures below are written this way. */
const spans = (mentions: Mention[]) => mentions.map((m) => [m.start, m.quote]);

describe("findMentionsOfEach: every actor in one pass", () => {
  const text =
    "President of the Republic of Tajikistan met the Kyrgyz Republic. Tajikistan, Tajikistani and Kyrgyz.";
  //  0         1         2         3         4         5         6         7         8         9
  //  0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789
  const rahmon = ["President of the Republic of Tajikistan", "Republic of Tajikistan"];
  const tajikistan = ["Tajikistan", "Republic of Tajikistan"];
  const kyrgyzstan = ["Kyrgyz Republic", "Kyrgyz"];

  it("gives each actor its own mentions, which may overlap another actor's", async () => {
    const [a, b, c] = await findMentionsOfEach(text, whole(text), [rahmon, tajikistan, kyrgyzstan]);
    expect(spans(a!)).toEqual([[0, "President of the Republic of Tajikistan"]]);
    expect(spans(b!)).toEqual([
      [17, "Republic of Tajikistan"],
      [65, "Tajikistan"],
    ]);
    expect(spans(c!)).toEqual([
      [48, "Kyrgyz Republic"],
      [93, "Kyrgyz"],
    ]);
  });

  it("finds for one actor alone exactly what it finds for it among others", async () => {
    const together = await findMentionsOfEach(text, whole(text), [rahmon, tajikistan, kyrgyzstan]);
    expect(await findMentions(text, whole(text), tajikistan)).toEqual(together[1]);
    expect(await findMentions(text, whole(text), kyrgyzstan)).toEqual(together[2]);
  });

  it("gives each mention its paragraph, its alias and the quote at its offsets", async () => {
    const body = "Kyrgyzstan.\n\nNot here.\n\nThe Kyrgyzstan border.";
    const paragraphs = [
      { index: 0, start: 0, end: 11 },
      { index: 1, start: 13, end: 22 },
      { index: 2, start: 24, end: 46 },
    ];
    expect(await findMentions(body, paragraphs, ["Kyrgyzstan"])).toEqual([
      { start: 0, end: 10, quote: "Kyrgyzstan", alias: "Kyrgyzstan", paragraphIndex: 0 },
      { start: 28, end: 38, quote: "Kyrgyzstan", alias: "Kyrgyzstan", paragraphIndex: 2 },
    ]);
  });

  it("keeps the longest of overlapping matches, then the earliest of equally long ones", async () => {
    const body = "H.E. Emomali Rahmon; Rahmon Rahmon";
    expect(
      spans(
        await findMentions(body, whole(body), ["Emomali Rahmon", "Rahmon", "H.E. Emomali Rahmon"]),
      ),
    ).toEqual([
      [0, "H.E. Emomali Rahmon"],
      [21, "Rahmon"],
      [28, "Rahmon"],
    ]);
    // A longer match that starts later wins over the shorter one before it.
    const later = "of Republic of Tajik";
    expect(
      spans(await findMentions(later, whole(later), ["of Republic", "Republic of Tajik"])),
    ).toEqual([[3, "Republic of Tajik"]]);
    // "ab ab" twice overlaps at "ab ab ab": the first wins, the second is left out.
    const repeated = "ab ab ab";
    expect(spans(await findMentions(repeated, whole(repeated), ["ab ab"]))).toEqual([[0, "ab ab"]]);
  });

  it("matches at word boundaries only, a non-word edge of an alias needing none", async () => {
    const body =
      "Tajikistani Tajikistan, éTajikistan Tajikistan_ Tajikistan-Kyrgyz 𝐀Tajikistan 2Tajikistan";
    expect(spans(await findMentions(body, whole(body), ["Tajikistan"]))).toEqual([
      [12, "Tajikistan"],
      [48, "Tajikistan"],
    ]);
    const honorific = "xH.E. y";
    expect(spans(await findMentions(honorific, whole(honorific), ["H.E."]))).toEqual([]);
    const dotted = "The U.N.'s role";
    expect(spans(await findMentions(dotted, whole(dotted), ["U.N."]))).toEqual([[4, "U.N."]]);
  });

  it("is case-sensitive and does not fold accents", async () => {
    const body = "TAJIKISTAN, tajikistan, Žaparov and Japarov";
    expect(await findMentions(body, whole(body), ["Tajikistan", "Zaparov"])).toEqual([]);
    expect(spans(await findMentions(body, whole(body), ["Japarov", "Žaparov"]))).toEqual([
      [24, "Žaparov"],
      [36, "Japarov"],
    ]);
  });

  it("needs no word boundary in scripts written without spaces", async () => {
    const body = "中国传媒大学人类命运共同体研究院";
    expect(spans(await findMentions(body, whole(body), ["中国传媒大学"]))).toEqual([
      [0, "中国传媒大学"],
    ]);
  });

  it("never ends a mention inside a character: a combining mark or joiner stays with its letter", async () => {
    const body = "Cafe\u0301 x Tajikistan\u200d y Tajikistan";
    expect(spans(await findMentions(body, whole(body), ["Cafe", "Tajikistan"]))).toEqual([
      [22, "Tajikistan"],
    ]);
  });

  it("refuses an empty alias", async () => {
    await expect(findMentions("text", whole("text"), [" "])).rejects.toThrow(
      "an alias must not be empty",
    );
  });

  it("refuses aliases that overlap themselves everywhere, at once, by the stated cap", async () => {
    const words = (n: number) => Array(n).fill("ab").join(" ");
    const aliases = Array.from({ length: 49 }, (_, i) => words(i + 2));
    const body = words(60_000);
    // Its time, at n and 4n, is `npm run bench:text`'s.
    await expect(findMentions(body, whole(body), aliases)).rejects.toThrow(
      new TooManyAliasMatchesError(MAX_ALIAS_MATCHES),
    );
    expect(new TooManyAliasMatchesError(200_000).message).toBe(
      "the aliases occur more than 200,000 times in the body, overlapping occurrences included; at most 200,000 are searched",
    );
  });

  it("counts every occurrence against the cap, overlapping ones and those inside words", async () => {
    // "ab ab ab" holds "ab ab" twice (overlapping) and "ab" inside "xab" once more.
    const body = "ab ab ab xab";
    expect(spans(await findMentions(body, whole(body), ["ab ab", "ab"], 6))).toEqual([
      [0, "ab ab"],
      [6, "ab"],
    ]);
    await expect(findMentions(body, whole(body), ["ab ab", "ab"], 5)).rejects.toThrow(
      TooManyAliasMatchesError,
    );
  });

  it("finds 20,000 mentions in a 220 kB body of one repeated name", async () => {
    const body = "Kyrgyzstan ".repeat(20_000);
    // Its time, at n and 4n, is `npm run bench:text`'s.
    const mentions = await findMentions(body, whole(body), ["Kyrgyzstan", "Kyrgyz Republic"]);
    expect(mentions).toEqual(
      Array.from({ length: 20_000 }, (_, i) => ({
        start: 11 * i,
        end: 11 * i + 10,
        quote: "Kyrgyzstan",
        paragraphIndex: 0,
        alias: "Kyrgyzstan",
      })),
    );
  });
});

/**
 * The matcher as it was before the one-pass rewrite (an `indexOf` loop per alias and a
 * pairwise overlap check), kept here as the reference the new one must agree with.
 */
function reference(body: string, aliases: readonly string[]): [number, string][] {
  const word = (c: string | undefined) =>
    c !== undefined &&
    /[\p{L}\p{N}\p{M}_]/u.test(c) &&
    !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(c);
  const before = (t: string, at: number) => {
    if (at <= 0) return undefined;
    const low = t.charCodeAt(at - 1);
    const start = low >= 0xdc00 && low <= 0xdfff && at >= 2 ? at - 2 : at - 1;
    return String.fromCodePoint(t.codePointAt(start)!);
  };
  const after = (t: string, at: number) => {
    const point = t.codePointAt(at);
    return point === undefined ? undefined : String.fromCodePoint(point);
  };
  const candidates: { start: number; end: number }[] = [];
  for (const alias of new Set(aliases)) {
    for (let at = body.indexOf(alias); at >= 0; at = body.indexOf(alias, at + 1)) {
      const end = at + alias.length;
      if (word(after(alias, 0)) && word(before(body, at))) continue;
      if (word(before(alias, alias.length)) && word(after(body, end))) continue;
      candidates.push({ start: at, end });
    }
  }
  candidates.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: typeof candidates = [];
  for (const c of candidates) {
    if (kept.every((k) => c.end <= k.start || k.end <= c.start)) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start).map((k) => [k.start, body.slice(k.start, k.end)]);
}

describe("findMentionsOfEach agrees with the pairwise matcher it replaced", () => {
  // Few pieces, spaces among them often: names run into and overlap each other.
  const pieces = [
    "Tajik",
    "istan",
    "of",
    "Republic",
    "ab",
    "ik",
    " ",
    " ",
    " ",
    "-",
    ".",
    "H.E.",
    "é",
    "𝐀",
    "_",
    "中国",
    "Kyrgyz",
  ];
  const aliasPool = [
    "Tajik",
    "Tajikistan",
    "istan",
    "Kyrgyz",
    "H.E. Tajik",
    "Republic of Tajik",
    "of Republic",
    "ab ab",
    "中国",
    "Tajik-Kyrgyz",
    "𝐀Tajik",
    "ik ik",
    "Republic of",
    "of",
  ];

  it("on random texts of overlapping names, spaces, marks and surrogate pairs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...pieces), { maxLength: 60 }),
        fc.array(fc.subarray(aliasPool, { minLength: 1 }), { minLength: 1, maxLength: 4 }),
        async (parts, actors) => {
          const body = parts.join("");
          const found = await findMentionsOfEach(body, whole(body), actors);
          expect(found.map(spans)).toEqual(actors.map((aliases) => reference(body, aliases)));
        },
      ),
      { numRuns: 1_000, seed: 11 },
    );
  });
});

describe("findMentionsOfEach: a long body read a chunk at a time", () => {
  it("finds in a body many chunks long, with names across every chunk's end, what one read finds", async () => {
    const names = ["Republic of Tajikistan", "Tajikistan", "Kyrgyz Republic", "Kyrgyz", "Rahmon"];
    // Sentences of uneven length, so that chunk ends fall inside names, between them and
    // far from any space (the long unbroken word).
    const sentences = [
      "The Republic of Tajikistan and the Kyrgyz Republic signed.",
      "Rahmon met Kyrgyz officials",
      `${"x".repeat(300)} Tajikistan`,
      "Tajikistan,Kyrgyz Republic;Rahmon.",
    ];
    let body = "";
    for (let i = 0; body.length < 12 * MATCH_CHUNK_LENGTH; i++) body += `${sentences[i % 4]} `;
    const actors = [names.slice(0, 2), names.slice(2, 4), names.slice(4)];

    const chunked = await findMentionsOfEach(body, whole(body), actors);
    const unchunked = await findMentionsOfEach(body, whole(body), actors, {
      chunkLength: Infinity,
    });

    expect(chunked.map(spans)).toEqual(unchunked.map(spans));
    // Every sentence names each actor at least once.
    for (const mentions of chunked) expect(mentions.length).toBeGreaterThan(100);
  });
});
