/**
 * An article's snippet, when no single paragraph matches the whole query, comes from the
 * first paragraph holding one of the query's words that are not negated (src/read/search.ts,
 * "anyWord"). The words of a negated phrase (`-"two words"`) are negated too: a paragraph
 * that holds only one of them shows none of what was searched for.
 */
import { describe, expect, it } from "@jest/globals";
import { createArticle } from "../support/server.js";
import { suiteWithEditor } from "../support/suite.js";

const { server, keys } = suiteWithEditor({ env: { ACCORD_RESPONSE_CACHE: "off" } });

const SEARCH = `query($query: String!) { search(query: $query, first: 100) { snippet node { __typename ... on Article { slug } } } }`;

async function snippetsOf(query: string, slug: string): Promise<string[]> {
  const response = await server.graphql(SEARCH, { query });
  expect(response.errors).toBeUndefined();
  return (response.data!.search as { snippet: string; node: { slug?: string } }[])
    .filter((hit) => hit.node.slug === slug)
    .map((hit) => hit.snippet);
}

describe("Search: snippets for a query with a negated phrase", () => {
  it("are cut from a paragraph holding a searched word, not one holding only a negated one", async () => {
    const body = [
      "A treaty on fishing quotas was discussed by the ministers over a long lunch.",
      "The weather stayed mild through the week of the meetings in the capital.",
      "Divers reported that the kelp beds off the northern coast had recovered well.",
      "Marine biologists counted each urchin along the reef on the following day.",
    ].join("\n\n");
    await createArticle(server, keys.editor, {
      slug: "kelp-and-urchins",
      title: "A coastal survey",
      body,
    });

    // No paragraph holds both "kelp" and "urchin": the snippet comes from one holding either.
    const snippets = await snippetsOf('kelp urchin -"seahorse treaty"', "kelp-and-urchins");
    expect(snippets).toEqual([expect.stringMatching(/\*\*(kelp|urchin)\*\*/)]);
    expect(snippets[0]).not.toMatch(/fishing quotas/);
  });
});
