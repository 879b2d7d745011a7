/**
 * Turns actor names into mentions: every passage of a body that names an actor under one of
 * its aliases, as offsets into the body (`body.slice(start, end) === quote`).
 */
import AhoCorasick from "modern-ahocorasick";
import type { Anchor } from "./anchor.js";
import { paragraphIndexAt, type ParagraphSpan } from "./paragraphs.js";

export interface Mention extends Anchor {
  /** The alias that matched; equal to `quote`. */
  alias: string;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}_]/u;
/** Scripts written without spaces between words: there, a name has no word boundary to test. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** Whether a code point (undefined: past either end) is a word character of a spaced script. */
function isWordPoint(point: number | undefined): boolean {
  if (point === undefined) return false;
  // ASCII, the common case, without a string or a regular expression: [0-9A-Za-z_].
  if (point < 0x80) {
    return (
      (point >= 0x30 && point <= 0x39) ||
      (point >= 0x41 && point <= 0x5a) ||
      (point >= 0x61 && point <= 0x7a) ||
      point === 0x5f
    );
  }
  const char = String.fromCodePoint(point);
  return WORD_CHAR.test(char) && !UNSPACED.test(char);
}

/** The whole code point ending just before `offset`, surrogate pairs included. */
function pointBefore(text: string, offset: number): number | undefined {
  if (offset <= 0) return undefined;
  const low = text.charCodeAt(offset - 1);
  const start = low >= 0xdc00 && low <= 0xdfff && offset >= 2 ? offset - 2 : offset - 1;
  return text.codePointAt(start);
}

/** How an alias's edges meet the text: a word-character edge needs a word boundary there. */
interface AliasEdges {
  /** The actors (indexes of `aliasLists`) the alias names. */
  lists: number[];
  wordFirst: boolean;
  wordLast: boolean;
}

/**
 * True when the match neither continues a word before it nor runs on into one after it:
 * "Tajikistan" does not match inside "Tajikistani". An alias edge that is itself no word
 * character ("H.E.") needs no boundary there.
 */
function atWordBoundaries(body: string, start: number, end: number, edges: AliasEdges): boolean {
  if (edges.wordFirst && isWordPoint(pointBefore(body, start))) return false;
  if (edges.wordLast && isWordPoint(body.codePointAt(end))) return false;
  return true;
}

/**
 * Every place in `body` that names one actor under any of its `aliases`: exact, case-sensitive,
 * at word boundaries. Where matches overlap the longest wins (then the earliest), so
 * "H.E. Emomali Rahmon" is one mention, not also "Emomali Rahmon" inside it. Sorted by start.
 */
export async function findMentions(
  body: string,
  paragraphs: readonly ParagraphSpan[],
  aliases: readonly string[],
  maxMatches = MAX_ALIAS_MATCHES,
): Promise<Mention[]> {
  return (await findMentionsOfEach(body, paragraphs, [aliases], { maxMatches }))[0]!;
}

/**
 * How many alias occurrences, overlapping ones included, one body may hold. Aliases that
 * overlap themselves ("ab ab", "ab ab ab", ... in a body of "ab ab ab ...") occur about once
 * per alias at every word, so their count grows as the product of the body and the alias list:
 * 60,000 words made 3 million occurrences and 20 s of work. Real text names an actor a few
 * times per paragraph; a 1,000,000-character body of nothing but one name holds 90,000.
 */
export const MAX_ALIAS_MATCHES = 200_000;

/** The aliases occur more often in the body than MAX_ALIAS_MATCHES allows. */
export class TooManyAliasMatchesError extends Error {
  override name = "TooManyAliasMatchesError";
  constructor(readonly max: number) {
    super(
      `the aliases occur more than ${max.toLocaleString("en-US")} times in the body, overlapping occurrences included; at most ${max.toLocaleString("en-US")} are searched`,
    );
  }
}

/** UTF-16 units of the body the matcher reads at a time; see `matchesByChunk`. */
export const MATCH_CHUNK_LENGTH = 4096;

/** How far past a chunk's nominal end to look for a space to end it at. */
const CHUNK_SLACK = 256;

/** The first index at or after `at` (at most CHUNK_SLACK further) that is a space, or `at`. */
function boundaryFrom(body: string, at: number): number {
  if (at >= body.length) return body.length;
  const limit = Math.min(body.length, at + CHUNK_SLACK);
  for (let i = at; i < limit; i++) if (/\s/.test(body[i]!)) return i;
  // No space near: at least never split a surrogate pair.
  const unit = body.charCodeAt(at);
  return unit >= 0xdc00 && unit <= 0xdfff ? at + 1 : at;
}

/**
 * Every occurrence of the matcher's patterns in `body`, read a chunk at a time, with `null`
 * after each chunk but the last. The library's listing slows with the matches times the length
 * of the text that follows them, so the text it is given is bounded: each chunk ends at a
 * space, and is read with the longest alias's length beyond it so that an occurrence crossing
 * its end is still found, by the chunk it starts in.
 */
function* matchesByChunk(
  matcher: AhoCorasick,
  body: string,
  longest: number,
  chunkLength: number,
): Generator<{ pattern: string; start: number; end: number } | null> {
  for (let from = 0; from < body.length;) {
    const to = boundaryFrom(body, Math.min(body.length, from + chunkLength));
    const readTo = boundaryFrom(body, Math.min(body.length, to + longest));
    for (const { pattern, start, end } of matcher.iterate(body.slice(from, readTo))) {
      if (start + from < to) yield { pattern, start: start + from, end: end + from };
    }
    from = to > from ? to : body.length;
    if (from < body.length) yield null;
  }
}

export interface MatchOptions {
  /** Occurrences read before giving up (TooManyAliasMatchesError). */
  maxMatches?: number;
  /** UTF-16 units read at a time, between two turns of the event loop. */
  chunkLength?: number;
  /** Called between two chunks: a caller inside a transaction keeps it alive there. */
  onTurn?: () => Promise<void>;
}

/** One turn of the event loop: other requests run before the next chunk is read. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * `findMentions` for many actors at once, in one pass over the body: `aliasLists[i]` are the
 * aliases of one actor, and the result's `[i]` its mentions. Matches of different actors may
 * overlap ("President of the Republic of Tajikistan" names a person, and in it "Republic of
 * Tajikistan" the state); the longest-wins rule applies within each actor's own matches.
 *
 * One Aho–Corasick automaton (`modern-ahocorasick`) over every alias finds all occurrences,
 * overlapping ones included, in about O(n + z) for a body of n code units and z occurrences. Its
 * unit is the grapheme cluster, so a match never ends on half a character: "e" does not match
 * the "e" of "e\u0301", nor a name followed by a zero-width joiner. The longest-wins choice is
 * O(z log z) plus the length of the mentions kept: kept matches are at least as long as the
 * one being tested, so it overlaps a kept one exactly when its first or last code unit is
 * already covered. Both are bounded by stopping at `maxMatches` occurrences (overlapping and
 * off-boundary ones included) with a TooManyAliasMatchesError, so that a body and aliases
 * made to overlap everywhere cost at most O(n + maxMatches · log maxMatches).
 *
 * Text beyond ASCII takes the library's grapheme scan, about 2.5 µs a character here: a
 * 1,000,000-character body of Cyrillic is seconds of work. So the event loop gets a turn after
 * every chunk (a few milliseconds of work), and a long body slows its own request only.
 */
export async function findMentionsOfEach(
  body: string,
  paragraphs: readonly ParagraphSpan[],
  aliasLists: readonly (readonly string[])[],
  { maxMatches = MAX_ALIAS_MATCHES, chunkLength = MATCH_CHUNK_LENGTH, onTurn }: MatchOptions = {},
): Promise<Mention[][]> {
  const owners = new Map<string, AliasEdges>();
  let longest = 0;
  aliasLists.forEach((aliases, list) => {
    for (const alias of new Set(aliases)) {
      if (alias.trim() === "") throw new TypeError("an alias must not be empty");
      const edges = owners.get(alias);
      if (edges) edges.lists.push(list);
      else {
        owners.set(alias, {
          lists: [list],
          wordFirst: isWordPoint(alias.codePointAt(0)),
          wordLast: isWordPoint(pointBefore(alias, alias.length)),
        });
      }
      longest = Math.max(longest, alias.length);
    }
  });
  // Each actor's matches as one number, so that a typed-array sort orders them: longest
  // first, then earliest. `key = (longest - length) · stride + start`, exact in a double.
  const stride = body.length + 1;
  const keys = aliasLists.map(() => [] as number[]);
  if (owners.size > 0) {
    const matcher = new AhoCorasick([...owners.keys()]);
    // Counted as they are read, a chunk at a time: the library's own `count` over the whole
    // body takes time in proportion to the matches times the text after them once any alias
    // is not ASCII (its general scan), as the listing does.
    let seen = 0;
    for (const match of matchesByChunk(matcher, body, longest, chunkLength)) {
      if (match === null) {
        await nextTurn();
        await onTurn?.();
        continue;
      }
      const { pattern, start, end } = match;
      if (++seen > maxMatches) throw new TooManyAliasMatchesError(maxMatches);
      const edges = owners.get(pattern)!;
      if (!atWordBoundaries(body, start, end, edges)) continue;
      const key = (longest - (end - start)) * stride + start;
      for (const list of edges.lists) keys[list]!.push(key);
    }
  }
  const covered = new Uint8Array(body.length);
  const endAt = new Int32Array(stride);
  return keys.map((list) => {
    const sorted = Float64Array.from(list).sort();
    const starts: number[] = [];
    for (const key of sorted) {
      const rank = Math.floor(key / stride);
      const start = key - rank * stride;
      const end = start + longest - rank;
      if (covered[start] || covered[end - 1]) continue;
      covered.fill(1, start, end);
      endAt[start] = end;
      starts.push(start);
    }
    // Kept matches do not overlap, so their starts alone order them.
    const ordered = Int32Array.from(starts).sort();
    const mentions: Mention[] = [];
    for (const start of ordered) {
      const end = endAt[start]!;
      covered.fill(0, start, end);
      const quote = body.slice(start, end);
      mentions.push({
        start,
        end,
        quote,
        paragraphIndex: paragraphIndexAt(paragraphs, start),
        alias: quote,
      });
    }
    return mentions;
  });
}
