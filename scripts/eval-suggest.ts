/**
 * `npm run eval:suggest`: how well `previewArticle`'s rules (src/import/suggest.ts) find the
 * facts that editors checked by hand. For every article with a facts file, in the seed folder
 * and in docs/examples, it prints per kind of fact: suggested, matching a hand-checked fact,
 * hand-checked, precision (matching ÷ suggested) and recall (found ÷ hand-checked). Each
 * article is read as if it were the first in the record.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { readFactsFile, type Facts } from "../src/import/facts.js";
import { parseArticle, type ParsedArticle } from "../src/import/parse.js";
import { suggestFacts, type Suggestion, type SuggestionKind } from "../src/import/suggest.js";
import { projectRoot } from "../src/paths.js";
import { SEED_FOLDER } from "../src/seed/load.js";
import { anchorQuote } from "../src/text/anchor.js";

interface Score {
  suggested: number;
  matching: number;
  checked: number;
  found: number;
}

type Matcher = (article: ParsedArticle, facts: Facts, suggestions: Suggestion[]) => Score;

const norm = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** Scores suggestions against facts with `same`: each fact matches at most one suggestion. */
function score<F>(
  suggestions: Suggestion[],
  facts: F[],
  same: (s: Suggestion, f: F) => boolean,
): Score {
  const used = new Set<number>();
  let matching = 0;
  for (const suggestion of suggestions) {
    const i = facts.findIndex((fact, j) => !used.has(j) && same(suggestion, fact));
    if (i >= 0) {
      used.add(i);
      matching++;
    } else if (facts.some((fact) => same(suggestion, fact))) matching++;
  }
  return { suggested: suggestions.length, matching, checked: facts.length, found: used.size };
}

/** Where the fact's quotes lie in the body. */
const spans = (article: ParsedArticle, quotes: { quote: string; occurrence?: number | null }[]) =>
  quotes.map((q) =>
    anchorQuote(article.body, article.paragraphs, q.quote, q.occurrence ?? undefined),
  );
const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) =>
  a.start < b.end && b.start < a.end;

const of = (suggestions: Suggestion[], kind: SuggestionKind) =>
  suggestions.filter((s) => s.kind === kind);

const MATCHERS: Record<string, Matcher> = {
  actors: (_, facts, suggestions) =>
    score(of(suggestions, "ACTOR"), facts.actors ?? [], (s, actor) => {
      const names = [actor.name, ...(actor.aliases ?? [])];
      return names.includes(s.fact.name as string);
    }),
  visits: (_, facts, suggestions) => {
    const actorName = (key: string) => facts.actors?.find((a) => a.key === key)?.name;
    return score(of(suggestions, "VISIT"), facts.visits ?? [], (s, visit) => {
      if (s.fact.kind !== visit.kind) return false;
      const guests = (visit.participants ?? [])
        .filter((p) => p.role === "GUEST")
        .map((p) => actorName(p.actor));
      const suggested = (s.fact.participants as { actor: string; role: string }[])
        .filter((p) => p.role === "GUEST")
        .map(
          (p) => of(suggestions, "ACTOR").find((a) => a.fact.key === p.actor)?.fact.name as string,
        );
      return suggested.some((name) => guests.includes(name));
    });
  },
  agreements: (article, facts, suggestions) =>
    score(of(suggestions, "AGREEMENT"), facts.agreements ?? [], (s, agreement) => {
      if (s.fact.kind !== agreement.kind) return false;
      const cited = spans(article, agreement.citations ?? []);
      if (s.passage && cited.some((span) => overlaps(span, s.passage!))) return true;
      const a = new Set(norm(agreement.title).split(" "));
      const b = norm(s.fact.title as string).split(" ");
      return b.filter((w) => a.has(w)).length / Math.max(a.size, b.length) >= 0.5;
    }),
  "document counts": (_, facts, suggestions) =>
    score(
      of(suggestions, "DOCUMENT_COUNT"),
      (facts.visits ?? []).flatMap((v) =>
        v.documentsSignedCount == null ? [] : [v.documentsSignedCount],
      ),
      (s, count) => s.fact.documentsSignedCount === count,
    ),
  outcomes: (_, facts, suggestions) =>
    score(
      of(suggestions, "OUTCOME"),
      facts.outcomes ?? [],
      (s, outcome) =>
        s.fact.ordinal === outcome.ordinal &&
        norm(s.fact.statement as string) === norm(outcome.statement),
    ),
  "dates (days)": (article, facts, suggestions) => {
    const day = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : null);
    const checked = [
      ...new Set(
        [
          ...(facts.visits ?? []).flatMap((v) => [day(v.startDate), day(v.endDate)]),
          ...(facts.agreements ?? []).map((a) => day(a.signedOn)),
        ].filter((d): d is string => d !== null),
      ),
    ];
    const days = of(suggestions, "DATE").filter((s) => s.fact.precision === "DAY");
    return score(days, checked, (s, date) => s.fact.date === date);
  },
};

function articles(): { name: string; article: ParsedArticle; facts: Facts }[] {
  return [SEED_FOLDER, path.join(projectRoot, "docs/examples")].flatMap((folder) =>
    readdirSync(folder)
      .filter(
        (f) =>
          f.endsWith(".md") && existsSync(path.join(folder, f.replace(/\.md$/, ".facts.json"))),
      )
      .sort()
      .map((f) => ({
        name: f.replace(/\.md$/, ""),
        article: parseArticle(readFileSync(path.join(folder, f), "utf8")),
        facts: readFactsFile(path.join(folder, f.replace(/\.md$/, ".facts.json"))),
      })),
  );
}

/** Every article's score per kind of fact, then the totals over all articles (`article: "all"`). */
export async function evaluate(): Promise<{ article: string; kind: string; score: Score }[]> {
  const rows: { article: string; kind: string; score: Score }[] = [];
  const totals = new Map<string, Score>();
  for (const { name, article, facts } of articles()) {
    const suggestions = await suggestFacts(article);
    for (const [kind, matcher] of Object.entries(MATCHERS)) {
      const s = matcher(article, facts, suggestions);
      const t = totals.get(kind) ?? { suggested: 0, matching: 0, checked: 0, found: 0 };
      totals.set(kind, {
        suggested: t.suggested + s.suggested,
        matching: t.matching + s.matching,
        checked: t.checked + s.checked,
        found: t.found + s.found,
      });
      rows.push({ article: name, kind, score: s });
    }
  }
  for (const [kind, score] of totals) rows.push({ article: "all", kind, score });
  return rows;
}

const ratio = (a: number, b: number) => (b === 0 ? "  -  " : (a / b).toFixed(2).padStart(5));
const row = (cells: (string | number)[]) =>
  console.log(
    cells
      .map((c, i) => (i < 2 ? String(c).padEnd(i === 0 ? 38 : 16) : String(c).padStart(9)))
      .join(" "),
  );

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  row(["article", "facts", "suggested", "matching", "checked", "found", "precision", "recall"]);
  for (const { article, kind, score: s } of await evaluate()) {
    const { suggested, matching, checked, found } = s;
    row([
      article,
      kind,
      suggested,
      matching,
      checked,
      found,
      ratio(matching, suggested),
      ratio(found, checked),
    ]);
  }
}
