import { describe, it, expect } from "@jest/globals";
import { seedSource } from "../support/seed-article.js";
import { ArticleStructureError, parseArticle, slugify } from "../../src/import/parse.js";
import { DUPLICATE_THRESHOLD, paragraphSimilarity } from "../../src/text/repeats.js";

const source = seedSource;
const article = parseArticle(source);
const texts = article.paragraphs.map((p) => article.body.slice(p.start, p.end));

/** A small article in the same format, for the structure tests. */
const minimal = [
  "PUBLISHING HOUSE",
  "",
  "## **A title**",
  "",
  "By Dr. Jane Roe, Fellow",
  "",
  "*Published on 2<sup>nd</sup> January 2024*",
  "",
  "First paragraph.",
  "",
  "Second paragraph.",
].join("\n");

describe("parseArticle: the source article", () => {
  it("reads the title, subtitle, slug, language and date from the Markdown heading and date line", () => {
    expect(article.title).toBe("Resolution of border issues between Tajikistan and Kyrgyzstan");
    expect(article.subtitle).toBe("unique example in today's global conditions");
    expect(article.slug).toBe("resolution-of-border-issues-between-tajikistan-and-kyrgyzstan");
    expect(article.language).toBe("en");
    expect(article.publishedOn).toBe("2025-03-17");
  });

  it("reads the author without the honorific, and the affiliation as the description", () => {
    expect(article.author).toEqual({
      name: "Parviz Muhammadzoda",
      description:
        "Doctor of Political Sciences, Professor of the Department of Diplomacy and Foreign Policy of Tajikistan, International Relations Faculty Tajik National University, Dushanbe, Tajikistan",
    });
    expect(article.byline).toBe(`By Mr. Parviz Muhammadzoda, ${article.author.description}`);
  });

  it("takes the university at the head of the masthead as publisher, naming its institute in the description", () => {
    expect(article.masthead).toEqual([
      "中国传媒大学",
      "COMMUNICATION UNIVERSITY OF CHINA",
      "Institute for a Community with Shared Future",
      "人类命运共同体研究院",
    ]);
    expect(article.publisher).toEqual({
      name: "Communication University of China",
      aliases: [
        "Communication University of China",
        "COMMUNICATION UNIVERSITY OF CHINA",
        "中国传媒大学",
      ],
      description:
        "Named with its Institute for a Community with Shared Future (人类命运共同体研究院) on the article's masthead.",
    });
  });

  it("keeps the body from the first paragraph to the end, without the masthead or Markdown markup", () => {
    expect(article.body.startsWith("The state visit of the President of the Republic")).toBe(true);
    expect(article.body.endsWith("considered a pride for both neighboring countries.")).toBe(true);
    for (const markup of ["##", "**", "<sup>", "Published on", "中国", "By Mr."]) {
      expect(article.body).not.toContain(markup);
    }
  });

  it("has 40 paragraphs, each of the nine numbered results its own", () => {
    expect(article.paragraphs).toHaveLength(40);
    expect(article.paragraphs.map((p) => p.index)).toEqual([...Array(40).keys()]);
    expect(texts.slice(7, 16).map((t) => t.slice(0, 3))).toEqual(
      ["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((n) => `${n}. `),
    );
    expect(texts[7]).toBe("1. The issue of the state border was fully resolved;");
    expect(texts[15]).toBe(
      "9. Cooperation in scientific and cultural, humanitarian, political and security matters, and other areas of mutual interest are expanding.",
    );
  });

  it("gives offsets whose slices are the trimmed paragraphs, verbatim from the source", () => {
    for (const text of texts) {
      expect(text).toBe(text.trim());
      expect(text).not.toBe("");
      expect(text).not.toContain("\n");
      expect(source).toContain(text);
    }
    expect(texts[27]).toBe(
      "There is a well-known formula in international relations: “There are no permanent friends, but only permanent interests”. However, in our opinion, a fundamental turn and historical change have occurred in relations between Tajikistan and Kyrgyzstan, when the parties revised the aforementioned common formula and resolved the problems left over from history using the method of “Friends are permanent and interests are common.”",
    );
  });

  it("lays the paragraphs end to end without overlap, joined by one blank line", () => {
    const { paragraphs, body } = article;
    expect(paragraphs[0]?.start).toBe(0);
    expect(paragraphs.at(-1)?.end).toBe(body.length);
    for (let i = 1; i < paragraphs.length; i++) {
      const previous = paragraphs[i - 1]!;
      const current = paragraphs[i]!;
      expect(current.start).toBeGreaterThan(previous.end);
      expect(body.slice(previous.end, current.start)).toBe("\n\n");
    }
  });

  it("marks exactly the four repeated paragraphs as duplicates of their first occurrence", () => {
    const pairs = article.paragraphs
      .filter((p) => p.duplicateOf !== null)
      .map((p) => [p.index, p.duplicateOf]);
    expect(pairs).toEqual([
      [20, 16],
      [21, 17],
      [22, 18],
      [23, 19],
    ]);
    expect(texts[16]).toMatch(/^We can confidently say that the bilateral/);
    expect(texts[20]).toMatch(/^We can say confidently that bilateral/);
    expect(texts[21]).toBe(texts[17]);
  });

  it("separates repeats from distinct paragraphs by a margin around the threshold", () => {
    const repeats = new Set(["20:16", "21:17", "22:18", "23:19"]);
    let lowestRepeat = 1;
    let highestDistinct = 0;
    for (let i = 0; i < texts.length; i++) {
      for (let j = 0; j < i; j++) {
        const score = paragraphSimilarity(texts[j]!, texts[i]!);
        if (repeats.has(`${i}:${j}`)) lowestRepeat = Math.min(lowestRepeat, score);
        else highestDistinct = Math.max(highestDistinct, score);
      }
    }
    expect(lowestRepeat).toBeGreaterThanOrEqual(DUPLICATE_THRESHOLD + 0.1);
    expect(highestDistinct).toBeLessThan(DUPLICATE_THRESHOLD - 0.1);
  });

  it("is deterministic and reads CRLF line endings the same", () => {
    expect(parseArticle(source)).toEqual(article);
    expect(parseArticle(source.replace(/\n/g, "\r\n"))).toEqual(article);
  });
});

describe("parseArticle: other articles in the same format", () => {
  it("reads a title without subtitle, another honorific, an ordinal date and plain paragraphs", () => {
    const parsed = parseArticle(minimal);
    expect(parsed.title).toBe("A title");
    expect(parsed.subtitle).toBeNull();
    expect(parsed.author).toEqual({ name: "Jane Roe", description: "Fellow" });
    expect(parsed.publisher.name).toBe("Publishing House");
    expect(parsed.publishedOn).toBe("2024-01-02");
    expect(parsed.body).toBe("First paragraph.\n\nSecond paragraph.");
  });

  it("joins wrapped lines with a space and removes inline emphasis", () => {
    const parsed = parseArticle(`${minimal}\nstill the second, **bold** and *emphasised*.`);
    expect(parsed.body).toBe(
      "First paragraph.\n\nSecond paragraph. still the second, bold and emphasised.",
    );
  });

  it("makes a slug of lowercase ASCII words", () => {
    expect(slugify("Côte d'Ivoire – a “new” page, 2025!")).toBe("cote-d-ivoire-a-new-page-2025");
  });
});

describe("parseArticle: a source missing its structure", () => {
  const without = (line: string) => minimal.replace(line, "");

  it("throws when there is no title heading", () => {
    expect(() => parseArticle(without("## **A title**"))).toThrow(ArticleStructureError);
    expect(() => parseArticle(without("## **A title**"))).toThrow(
      "expected a Markdown heading ('## …') holding the title",
    );
  });

  it("throws when the author line is missing", () => {
    expect(() => parseArticle(without("By Dr. Jane Roe, Fellow"))).toThrow(
      /expected the author line "By <name>, <description>" after the title/,
    );
  });

  it("throws when the date line is missing or names no real day", () => {
    expect(() => parseArticle(without("*Published on 2<sup>nd</sup> January 2024*"))).toThrow(
      /expected the date line "Published on <day> <month> <year>"/,
    );
    expect(() => parseArticle(minimal.replace("2<sup>nd</sup> January", "30th February"))).toThrow(
      /names a day that does not exist/,
    );
  });

  it("throws when there is no masthead or no body", () => {
    expect(() => parseArticle(without("PUBLISHING HOUSE"))).toThrow(/publisher's masthead/);
    expect(() => parseArticle(minimal.slice(0, minimal.indexOf("First")))).toThrow(
      /expected body paragraphs after the date line/,
    );
  });
});
