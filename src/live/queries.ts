/**
 * Live queries: what a subscription shows, read again after each commit that touches it.
 *
 * Subscribers to the same document with the same variables share one *group*: one read per
 * change however many subscribers, each of whom then gets the answer. A read notes what it
 * showed as tags, as the response cache does (every object's global id, the type of each
 * list, the type of a lookup that found nothing), and the change feed's tags say which groups
 * to read again. A group's answer goes out only when it differs from the one before.
 *
 * Bounds: `maxSubscriptions` subscribers in all; at most `concurrency` reads at once, the
 * others queued, each group at most once (changes that arrive meanwhile are read together);
 * each subscriber holds at most one answer not yet sent (a slow one skips to the latest).
 * A read that fails for a reason that passes (the database busy or gone) is tried again
 * after a growing pause, at most `MAX_RETRY_MS`, while its subscribers see the error.
 */
import type { ApolloServerPlugin } from "@apollo/server";
import { getNamedType, type FormattedExecutionResult, type GraphQLFormattedError } from "graphql";
import { RETRYABLE } from "../busy.js";
import { rootTag } from "../cache/responses.js";
import type { Context } from "../context.js";
import { fromGlobalId, toGlobalId } from "../ids.js";
import { NODE_TYPES, NODES, type NodeType } from "../registry.js";
import type { ChangeListener } from "./changes.js";

/** A subscription's document as a query, and its variables. */
export interface LiveRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
  /** Identical requests share a group: the query, operation name and variables, stably written. */
  key: string;
}

/** One read of a group: its answer as sent to clients, and what it showed. */
export interface LiveRead {
  result: FormattedExecutionResult;
  tags: Set<string>;
}

export interface LiveBounds {
  maxSubscriptions: number;
  concurrency: number;
  /** Memory the groups may hold in all: their requests and last answers. */
  maxBytes: number;
}

/** A request (document and variables) larger than this is refused: each group keeps its own. */
export const MAX_LIVE_REQUEST_BYTES = 64_000;

/** What a string costs in memory at most: V8 keeps some strings at 2 bytes a character. */
const bytesOf = (text: string) => 2 * text.length;

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;
/** Tags heard while a group is read, beyond which it is simply read again. */
const MAX_HEARD = 10_000;

/** A refusal of the request itself (no `data`): validation, limits, cost. The subscription ends. */
export const isRefusal = (result: FormattedExecutionResult): boolean =>
  result.data === undefined && (result.errors?.length ?? 0) > 0;

/**
 * One subscriber's stream of answers, as graphql-ws iterates it. It keeps only the newest
 * answer not yet taken, so a client that reads slowly costs one answer of memory.
 */
export class Subscriber implements AsyncGenerator<FormattedExecutionResult> {
  private pending: FormattedExecutionResult | undefined;
  private waiting: ((result: IteratorResult<FormattedExecutionResult>) => void) | undefined;
  private done = false;

  constructor(private readonly onEnd: () => void) {}

  push(result: FormattedExecutionResult): void {
    if (this.done) return;
    if (this.waiting) {
      this.waiting({ value: result, done: false });
      this.waiting = undefined;
    } else {
      this.pending = result;
    }
  }

  next(): Promise<IteratorResult<FormattedExecutionResult>> {
    if (this.pending) {
      const value = this.pending;
      this.pending = undefined;
      return Promise.resolve({ value, done: false });
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<FormattedExecutionResult>> {
    this.pending = undefined;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<FormattedExecutionResult>> {
    return this.return();
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  async [Symbol.asyncDispose]() {
    await this.return();
  }

  /** Ends the stream: its consumer finishes after the answer it holds. */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.waiting?.({ value: undefined, done: true });
    this.waiting = undefined;
    this.onEnd();
  }
}

class Group {
  readonly subscribers = new Set<Subscriber>();
  /** Subscribers waiting for the first answer. */
  opening = 0;
  tags = new Set<string>();
  /** The first answer; a refusal ends the group. */
  readonly first: Promise<FormattedExecutionResult>;
  resolveFirst!: (result: FormattedExecutionResult) => void;
  last: FormattedExecutionResult | undefined;
  lastJson = "";
  reading = false;
  /** Tags heard during the current read ("all": too many, or everything changed). */
  heard: Set<string> | "all" = new Set();
  retries = 0;
  retry: NodeJS.Timeout | undefined;
  /** Counted against `maxBytes`: the key and the last answer. */
  bytes = 0;

  constructor(readonly request: LiveRequest) {
    this.first = new Promise((resolve) => (this.resolveFirst = resolve));
  }
}

export class LiveQueries implements ChangeListener {
  private readonly groups = new Map<string, Group>();
  private readonly byTag = new Map<string, Set<Group>>();
  private readonly queue = new Set<Group>();
  private reading = 0;
  private readonly beingRead = new Set<Group>();
  private subscriptions = 0;
  private bytes = 0;
  private closed = false;

  constructor(
    /** Reads a request; never throws (a failure is an answer with errors). */
    private readonly read: (request: LiveRequest) => Promise<LiveRead>,
    private readonly bounds: LiveBounds,
  ) {}

  /** Subscribers on this instance, and groups they form. */
  get size(): { subscriptions: number; groups: number } {
    return { subscriptions: this.subscriptions, groups: this.groups.size };
  }

  /**
   * A subscriber to `request`, which receives the current answer at once; or the errors
   * refusing it (too many subscriptions, or what the query itself would be refused for).
   */
  async open(request: LiveRequest): Promise<Subscriber | readonly GraphQLFormattedError[]> {
    if (this.closed || this.subscriptions >= this.bounds.maxSubscriptions) {
      return [
        {
          message: `This instance serves at most ${this.bounds.maxSubscriptions} subscriptions; try again later`,
          extensions: { code: "SERVER_BUSY", limit: this.bounds.maxSubscriptions },
        },
      ];
    }
    if (bytesOf(request.key) > MAX_LIVE_REQUEST_BYTES) {
      return [
        {
          message: `A subscription's document and variables take at most ${MAX_LIVE_REQUEST_BYTES} bytes`,
          extensions: { code: "PAYLOAD_TOO_LARGE", limit: MAX_LIVE_REQUEST_BYTES },
        },
      ];
    }
    let group = this.groups.get(request.key);
    if (!group && this.bytes + bytesOf(request.key) > this.bounds.maxBytes) return [this.full()];
    this.subscriptions++;
    if (!group) {
      group = new Group(request);
      this.account(group, bytesOf(request.key));
      this.groups.set(request.key, group);
      this.schedule(group);
    }
    group.opening++;
    const first = await group.first;
    group.opening--;
    if (isRefusal(first) || this.closed || this.groups.get(request.key) !== group) {
      this.subscriptions--;
      this.dropIfUnused(group);
      return first.errors ?? [this.full()];
    }
    const subscriber: Subscriber = new Subscriber(() => {
      this.subscriptions--;
      group.subscribers.delete(subscriber);
      this.dropIfUnused(group);
    });
    group.subscribers.add(subscriber);
    subscriber.push(group.last ?? first);
    return subscriber;
  }

  changed(tags: readonly string[]): void {
    for (const group of this.beingRead) {
      if (group.heard === "all") continue;
      for (const tag of tags) group.heard.add(tag);
      if (group.heard.size > MAX_HEARD) group.heard = "all";
    }
    for (const tag of tags) {
      for (const group of this.byTag.get(tag) ?? []) this.schedule(group);
    }
  }

  changedAll(): void {
    for (const group of this.groups.values()) {
      if (group.reading) group.heard = "all";
      this.schedule(group);
    }
  }

  /** Ends every subscription (their clients see them complete). */
  close(): void {
    this.closed = true;
    for (const group of [...this.groups.values()]) {
      clearTimeout(group.retry);
      for (const subscriber of [...group.subscribers]) subscriber.end();
    }
    this.queue.clear();
  }

  private schedule(group: Group) {
    if (this.closed || group.reading || this.groups.get(group.request.key) !== group) return;
    clearTimeout(group.retry);
    group.retry = undefined;
    this.queue.add(group);
    this.pump();
  }

  private pump() {
    while (this.reading < this.bounds.concurrency && this.queue.size > 0) {
      const group = this.queue.values().next().value!;
      this.queue.delete(group);
      void this.readGroup(group);
    }
  }

  private async readGroup(group: Group) {
    this.reading++;
    group.reading = true;
    group.heard = new Set();
    this.beingRead.add(group);
    const read = await this.read(group.request);
    this.reading--;
    this.beingRead.delete(group);
    group.reading = false;
    this.settle(group, read);
    this.pump();
  }

  private settle(group: Group, { result, tags }: LiveRead) {
    const heard = group.heard;
    group.heard = new Set();
    // Its last subscriber left while it was read: nothing is kept of it.
    if (this.groups.get(group.request.key) !== group) return;
    if (isRefusal(result) && group.last === undefined) {
      // Refused: nobody subscribes, and the group goes once its openers have heard.
      group.resolveFirst(result);
      this.dropIfUnused(group);
      return;
    }
    const json = JSON.stringify(result);
    const growth = bytesOf(json) - bytesOf(group.lastJson);
    if (this.bytes + growth > this.bounds.maxBytes) {
      // Answers kept for this instance's subscriptions would pass its memory bound.
      const refusal = { errors: [this.full()] };
      group.resolveFirst(refusal);
      for (const subscriber of [...group.subscribers]) {
        subscriber.push(refusal);
        subscriber.end();
      }
      this.dropIfUnused(group);
      return;
    }
    this.index(group, tags);
    if (json !== group.lastJson) {
      this.account(group, growth);
      group.last = result;
      group.lastJson = json;
      for (const subscriber of group.subscribers) subscriber.push(result);
    }
    group.resolveFirst(result);
    if (heard === "all" || [...heard].some((tag) => tags.has(tag))) {
      // A commit went by while it was read: the answer may predate it.
      this.schedule(group);
    } else if (passes(result)) {
      const pause = Math.min(FIRST_RETRY_MS * 2 ** group.retries++, MAX_RETRY_MS);
      group.retry = setTimeout(() => this.schedule(group), pause).unref();
    } else {
      group.retries = 0;
    }
  }

  private index(group: Group, tags: Set<string>) {
    for (const tag of group.tags) {
      if (tags.has(tag)) continue;
      const groups = this.byTag.get(tag);
      groups?.delete(group);
      if (groups?.size === 0) this.byTag.delete(tag);
    }
    for (const tag of tags) {
      let groups = this.byTag.get(tag);
      if (!groups) this.byTag.set(tag, (groups = new Set()));
      groups.add(group);
    }
    group.tags = tags;
  }

  private full(): GraphQLFormattedError {
    return {
      message: `This instance's subscriptions hold at most ${this.bounds.maxBytes} bytes of requests and answers; try again later`,
      extensions: { code: "SERVER_BUSY", limit: this.bounds.maxBytes },
    };
  }

  private account(group: Group, bytes: number) {
    group.bytes += bytes;
    this.bytes += bytes;
  }

  private dropIfUnused(group: Group) {
    if (group.subscribers.size > 0 || group.opening > 0) return;
    if (this.groups.get(group.request.key) !== group) return;
    this.account(group, -group.bytes);
    this.groups.delete(group.request.key);
    this.queue.delete(group);
    clearTimeout(group.retry);
    this.index(group, new Set());
  }
}

/** An answer whose errors pass with time (busy, database gone): worth reading again. */
function passes(result: FormattedExecutionResult): boolean {
  return (result.errors ?? []).some(
    (error) => typeof error.extensions?.code === "string" && RETRYABLE.has(error.extensions.code),
  );
}

const nodeTypes = new Set<string>(NODE_TYPES);
/** Root fields and the type whose changes they follow (`roots` in src/registry.ts). */
const rootTypes = new Map<string, NodeType>(
  NODE_TYPES.flatMap((type) => NODES[type].roots.map((root) => [root, type] as const)),
);

/**
 * Notes what a live read shows in `context.live`: each object's global id; for a list, its
 * type (a row may join it); for a lookup that found nothing, the type it looked in (the
 * object may be created). A lookup that found its object follows that object alone, so an
 * edit of one article does not read again every other article's page.
 */
export const liveTagsPlugin: ApolloServerPlugin<Context> = {
  requestDidStart: ({ contextValue }) => {
    const tags = contextValue.live;
    if (!tags) return Promise.resolve();
    return Promise.resolve({
      executionDidStart: () => {
        const tagged = new WeakSet<object>();
        return Promise.resolve({
          willResolveField({ source, info, args }) {
            const parent = info.parentType.name;
            if (parent === "Query") {
              const named = getNamedType(info.returnType).name;
              const list = named !== "Node" && !nodeTypes.has(named);
              const type =
                info.fieldName === "node"
                  ? fromGlobalId(String((args as { id?: unknown }).id))?.type
                  : rootTypes.get(info.fieldName);
              if (type && list) tags.add(rootTag(type));
              return (_error, result) => {
                if (!type || list) return;
                // The object found, by its own tag: an answer that shows none of its fields
                // (`{ __typename }`) still follows it, to its deletion.
                const id = (result as { id?: unknown } | null | undefined)?.id;
                if (typeof id === "number") tags.add(toGlobalId(type, id));
                else tags.add(rootTag(type));
              };
            }
            if (nodeTypes.has(parent) && source && !tagged.has(source as object)) {
              tagged.add(source as object);
              const id = (source as { id?: unknown }).id;
              if (typeof id === "number") tags.add(toGlobalId(parent as NodeType, id));
            }
            return undefined;
          },
        });
      },
    });
  },
};
