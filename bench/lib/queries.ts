/**
 * The queries measured: Accord's own operations (tests/contract/operations, what its
 * frontends send) and their equivalents for PostGraphile (bench/queries/postgraphile). Each
 * answer can be reduced to a canonical form, the same for both servers when they return the
 * same data: that is how every run checks that the comparison is fair.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./servers.js";

export const QUERY_NAMES = [
  "ArticlePage",
  "ArticleList",
  "ActorDirectory",
  "OutcomeTracker",
  "Search",
] as const;
export type QueryName = (typeof QUERY_NAMES)[number];
/** The queries the floor server answers (bench/servers/floor.ts). */
export const FLOOR_QUERIES: readonly QueryName[] = ["ArticlePage", "ArticleList"];
export type ServerFlavour = "accord" | "postgraphile";

/** What the benchmark asks for, besides ArticlePage's slugs. */
export const VARIABLES: Record<Exclude<QueryName, "ArticlePage">, Record<string, unknown>> = {
  ArticleList: { first: 20 },
  ActorDirectory: { first: 20, search: "karim" },
  OutcomeTracker: { first: 20, status: "ACHIEVED" },
  Search: { query: "Samarkand", first: 10 },
};

export function documentOf(name: QueryName, flavour: ServerFlavour): string {
  const file =
    flavour === "accord"
      ? path.join(repoRoot, "tests/contract/operations", `${name}.graphql`)
      : path.join(repoRoot, "bench/queries/postgraphile", `${name}.graphql`);
  return readFileSync(file, "utf8");
}

/** The request bodies of one query: one per slug for ArticlePage, else one. */
export function requestBodies(name: QueryName, flavour: ServerFlavour, slugs: string[]): string[] {
  const query = documentOf(name, flavour);
  const variables = name === "ArticlePage" ? slugs.map((slug) => ({ slug })) : [VARIABLES[name]];
  return variables.map((v) => JSON.stringify({ operationName: name, query, variables: v }));
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The row key behind a global id of either server (`Article:12`, `["Article",12]`). */
function rowKey(id: string): Json {
  const text = Buffer.from(id, "base64").toString("utf8");
  const accord = /^[A-Za-z]+:(\d+)$/.exec(text);
  if (accord) return Number(accord[1]);
  try {
    const parsed = JSON.parse(text) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2) return parsed[1] as Json;
  } catch {
    // not one of PostGraphile's either
  }
  return id;
}

/** Link rows of PostGraphile's many-to-many relations: `{ actor: {...} }` stands for the actor. */
const LINKS = new Set(["actor", "visit", "alias"]);

/**
 * Ids become row keys; cursors (each server has its own) go; PostGraphile's `{ nodes }`
 * become lists and its link rows the rows they link to.
 */
function canonical(value: Json): Json {
  if (Array.isArray(value)) {
    return value.map((item) => {
      if (item && typeof item === "object" && !Array.isArray(item)) {
        const keys = Object.keys(item);
        if (keys.length === 1 && LINKS.has(keys[0]!)) return canonical(item[keys[0]!]!);
      }
      return canonical(item);
    });
  }
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === "nodes") return canonical(value.nodes!);
  const out: { [key: string]: Json } = {};
  for (const key of keys.sort()) {
    if (key === "cursor" || key === "endCursor") continue;
    const v = value[key]!;
    out[key] = key === "id" && typeof v === "string" ? rowKey(v) : canonical(v);
  }
  return out;
}

interface SearchHitAccord {
  score: number;
  snippet: string;
  node: { __typename: string; id: string } & Record<string, string | number | undefined>;
}
interface SearchHitPostgraphile {
  type: string;
  rowId: number;
  score: number;
  snippet: string;
  title: string | null;
  slug: string | null;
  kind: string | null;
  ordinal: number | null;
}

const round = (n: number) => Number(n.toPrecision(6));

/**
 * What of a Search snippet both servers share: whether it marks a word (`**word**`). Accord
 * cuts an article's snippet from its matching paragraph, PostGraphile from the whole body (the
 * natural SQL, left as it is): the text differs where `ts_headline` picks another fragment of
 * the body; the hits, their order and scores do not.
 */
const marksAWord = (snippet: string) => /\*\*[^*]+\*\*/.test(snippet);

/** The data of an answer in a form both servers share when they agree. */
export function canonicalAnswer(name: QueryName, flavour: ServerFlavour, data: Json): Json {
  const root = (data as { [key: string]: Json } | null) ?? {};
  if (name === "Search") {
    if (flavour === "accord") {
      return (root.search as unknown as SearchHitAccord[]).map(({ score, snippet, node }) => ({
        type: node.__typename,
        key: rowKey(node.id),
        score: round(score),
        marksAWord: marksAWord(snippet),
        title: node.title ?? node.statement ?? node.name ?? null,
        slug: node.slug ?? null,
        kind: node.agreementKind ?? node.actorKind ?? null,
        ordinal: node.ordinal ?? null,
      }));
    }
    const hits = (root.searchEverything as unknown as { nodes: SearchHitPostgraphile[] }).nodes;
    return hits.map(({ type, rowId, score, snippet, title, slug, kind, ordinal }) => ({
      type,
      key: rowId,
      score: round(score),
      marksAWord: marksAWord(snippet),
      title,
      slug,
      kind,
      ordinal,
    }));
  }
  const field = {
    accord: {
      ArticlePage: "article",
      ArticleList: "articles",
      ActorDirectory: "actors",
      OutcomeTracker: "outcomes",
    },
    postgraphile: {
      ArticlePage: "allArticles",
      ArticleList: "allArticles",
      ActorDirectory: "actorsMatching",
      OutcomeTracker: "allOutcomes",
    },
  }[flavour][name];
  const answer = canonical(root[field] ?? null);
  if (name === "ArticlePage" && flavour === "postgraphile") {
    return Array.isArray(answer) ? (answer[0] ?? null) : answer;
  }
  return answer;
}

/** A short account of where two canonical answers first differ, or null when they agree. */
export function difference(a: Json, b: Json, at = "data"): string | null {
  if (
    typeof a !== typeof b ||
    Array.isArray(a) !== Array.isArray(b) ||
    (a === null) !== (b === null)
  ) {
    return `${at}: ${JSON.stringify(a)?.slice(0, 120)} vs ${JSON.stringify(b)?.slice(0, 120)}`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${at}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = difference(a[i]!, b[i]!, `${at}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const d = difference(
        (a as Record<string, Json>)[key] ?? null,
        (b as Record<string, Json>)[key] ?? null,
        `${at}.${key}`,
      );
      if (d) return d;
    }
    return null;
  }
  return a === b
    ? null
    : `${at}: ${JSON.stringify(a).slice(0, 120)} vs ${JSON.stringify(b).slice(0, 120)}`;
}

export type { Json };
