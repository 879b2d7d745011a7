/**
 * An article's search snippet comes from the paragraph that matches, wherever it lies in the
 * body, and follows the body through edits. Bodies here hold characters outside the BMP
 * (emoji), which JavaScript counts as two and Postgres as one.
 */
import { describe, expect, it } from "@jest/globals";
import { SNIPPET_WINDOW } from "../../src/read/search.js";
import { createArticle, operation } from "../support/server.js";
import { suiteWithEditor } from "../support/suite.js";

const { server, keys } = suiteWithEditor({ env: { ACCORD_RESPONSE_CACHE: "off" } });

/** Filler paragraph `i`: no word of it is searched for below, except "hornwort". */
const filler = (i: number) =>
  `Filler paragraph ${i} 😀 talks of hornwort, rivers and mountains near the valley 🏔️ at length.`;

/** A body of `count` filler paragraphs with `special` in place of the ones they key. */
function body(count: number, special: Record<number, string>): string {
  return Array.from({ length: count }, (_, i) => special[i] ?? filler(i)).join("\n\n");
}

/** Creates the article `slug` with `title` and `text` as its body. Its id. */
const newArticle = (slug: string, title: string, text: string) =>
  createArticle(server, keys.editor, { slug, title, body: text });

interface Hit {
  snippet: string;
  node: { __typename: string; slug?: string };
}

/** The snippets of `slug`'s hits for `query` (none when the article is not found). */
async function snippetsOf(query: string, slug: string): Promise<string[]> {
  const response = await server.graphql(operation("Search"), { query, first: 100 });
  expect(response.errors).toBeUndefined();
  return (response.data!.search as Hit[])
    .filter((hit) => hit.node.__typename === "Article" && hit.node.slug === slug)
    .map((hit) => hit.snippet);
}

/**
 * `snippets` is one snippet holding `fragment` and nothing of the paragraphs around it
 * (`ts_headline` drops stop words and punctuation at a snippet's ends).
 */
function expectOneFrom(snippets: string[], fragment: string) {
  expect(snippets).toEqual([expect.stringContaining(fragment)]);
  expect(snippets[0]).not.toMatch(/Filler|hornwort/);
}

/** `expectOneFrom` for the snippets of `slug`'s hits for each query, with its fragment. */
async function expectSnippets(slug: string, cases: [query: string, fragment: string][]) {
  for (const [query, fragment] of cases) expectOneFrom(await snippetsOf(query, slug), fragment);
}

describe("Search: article snippets", () => {
  it("cuts the snippet from the matching paragraph, far beyond the opening window of a long body", async () => {
    const text = body(250, {
      230: "The quillwort treaty 🌄 was signed at dawn by both delegations in the hall.",
    });
    const target = text.indexOf("The quillwort");
    expect(target).toBeGreaterThan(SNIPPET_WINDOW);
    await newArticle("deep-quillwort", "A long record", text);
    await expectSnippets("deep-quillwort", [
      ["quillwort", "**quillwort** treaty 🌄 was signed at dawn by both delegations in the hall"],
    ]);
  });

  it("keeps phrase, `or` and `-word` queries working on paragraph snippets", async () => {
    const text = body(40, {
      3: "Talks on the bladderwort accord 🤝 began in the spring of that year.",
      31: "A moonwort garden 🌙 was planted beside the embassy after the talks.",
    });
    await newArticle("phrase-bladderwort", "Spring talks", text);
    await expectSnippets("phrase-bladderwort", [
      [
        `"bladderwort accord"`,
        "Talks on the **bladderwort** **accord** 🤝 began in the spring of that year",
      ],
    ]);
    expect(await snippetsOf(`"accord bladderwort"`, "phrase-bladderwort")).toEqual([]);
    await expectSnippets("phrase-bladderwort", [
      [
        "xenowort or moonwort",
        "**moonwort** garden 🌙 was planted beside the embassy after the talks",
      ],
    ]);
    expect(await snippetsOf("moonwort -bladderwort", "phrase-bladderwort")).toEqual([]);
    await expectSnippets("phrase-bladderwort", [
      [
        "moonwort -xenowort",
        "**moonwort** garden 🌙 was planted beside the embassy after the talks",
      ],
    ]);
  });

  it("marks one of the words when no single paragraph holds them all", async () => {
    const text = body(60, {
      7: "The sneezewort clause 🌼 covers the shared pastures of the upper valley.",
      52: "The spleenwort annex 🌿 lists the wells that both sides may use freely.",
    });
    await newArticle("split-sneezewort", "Pastures and wells", text);
    const sneezewort = "**sneezewort** clause 🌼 covers the shared pastures of the upper valley";
    await expectSnippets("split-sneezewort", [
      ["sneezewort spleenwort", sneezewort],
      ["spleenwort sneezewort -xenowort", sneezewort],
    ]);
  });

  it("gives a hit through the title alone the opening words of its first paragraph", async () => {
    await newArticle("title-pipewort", "The pipewort summit", body(20, {}));
    const [snippet] = await snippetsOf("pipewort", "title-pipewort");
    expect(snippet).toMatch(/^Filler paragraph 0 😀 talks of hornwort/);
    expect(snippet).not.toContain("**");
  });

  it("follows an edit of the body: the old words are gone, the new ones are found in their paragraph", async () => {
    const id = await newArticle(
      "edited-liverwort",
      "An edited record",
      body(80, { 70: "The liverwort protocol 📜 was read aloud to the assembly." }),
    );
    await expectSnippets("edited-liverwort", [
      ["liverwort", "**liverwort** protocol 📜 was read aloud to the assembly"],
    ]);
    const edited = await server.graphql(
      `mutation($id: ID!, $body: String!) { updateArticle(id: $id, input: { body: $body }) { id } }`,
      {
        id,
        body: body(90, {
          2: "Inserted earlier 🧭, this paragraph moves every later one along.",
          84: "The butterwort protocol 📜 replaced the older text entirely.",
        }),
      },
      keys.editor,
    );
    expect(edited.errors).toBeUndefined();
    expect(await snippetsOf("liverwort", "edited-liverwort")).toEqual([]);
    await expectSnippets("edited-liverwort", [
      ["butterwort", "**butterwort** protocol 📜 replaced the older text entirely"],
    ]);
  });
});
