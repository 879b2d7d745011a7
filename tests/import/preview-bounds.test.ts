/**
 * A preview's work is bounded by the source's length, whatever the source holds: each rule
 * reads a bounded number of matches, each kind of suggestion is capped, and the source's
 * markup is removed in one pass. (The costs themselves are measured in `npm run bench:text`.)
 */
import { describe, expect, it } from "@jest/globals";
import { MAX_SUGGESTIONS_PER_KIND } from "../../src/import/suggest.js";
import { RAISED_REQUEST_LIMITS, startTestServer } from "../support/server.js";
import { wireSource } from "../support/seed-article.js";
import { forSuite } from "../support/suite.js";

const PREVIEW = `query ($input: PreviewArticleInput!) {
  previewArticle(input: $input) {
    slug frontMatter { title { text } }
    paragraphs { index } mentionCount
    suggestions { kind fact passage { start end quote } }
  } }`;

/** A wire report's front matter, its body to follow. */
const front = (title: string) => wireSource(title, "");

describe("previewArticle: bounded work", () => {
  const server = forSuite(() => startTestServer({ env: RAISED_REQUEST_LIMITS }));

  it("caps each kind of suggestion for a source of a million characters of the same sentence", async () => {
    const editor = await server.keyFor("EDITOR");
    const sentence =
      "President Xi Jinping signed the Treaty on Trade with Kyrgyzstan in 2025 at the Astana Council. ";
    const body = sentence.repeat(Math.floor((1_000_000 - 200) / sentence.length)).trim();
    const response = await server.graphql(
      PREVIEW,
      { input: { source: front("Trade talks") + body } },
      editor,
    );
    expect(response.errors).toBeUndefined();
    const { suggestions, paragraphs } = response.data!.previewArticle;
    expect(paragraphs).toHaveLength(1);
    const byKind: Record<string, number> = {};
    for (const s of suggestions) byKind[s.kind] = (byKind[s.kind] ?? 0) + 1;
    for (const count of Object.values(byKind))
      expect(count).toBeLessThanOrEqual(MAX_SUGGESTIONS_PER_KIND);
    expect(byKind).toMatchObject({
      ACTOR: expect.any(Number),
      AGREEMENT: 1,
      DATE: MAX_SUGGESTIONS_PER_KIND,
    });
    // Every passage is one the citation rules accept: at most 5,000 characters, verbatim.
    for (const s of suggestions.filter((x: any) => x.passage)) {
      expect(s.passage.end - s.passage.start).toBeLessThanOrEqual(5000);
    }
  });

  it("reads a heading of bold marks that never close", async () => {
    const editor = await server.keyFor("EDITOR");
    const title = `Border talks${" **a".repeat(60_000)}`;
    const response = await server.graphql(
      PREVIEW,
      { input: { source: front(title) + "The talks went on." } },
      editor,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data!.previewArticle.frontMatter.title.text.slice(0, 16)).toBe(
      "Border talks **a",
    );
  });

  it("reads a body that is one word of a million capitals", async () => {
    const editor = await server.keyFor("EDITOR");
    const response = await server.graphql(
      PREVIEW,
      { input: { source: front("Capitals") + `President ${"A".repeat(990_000)} University` } },
      editor,
    );
    expect(response.errors).toBeUndefined();
    expect(
      response.data!.previewArticle.suggestions.filter((s: any) => s.kind !== "ACTOR"),
    ).toEqual([]);
  });
});
