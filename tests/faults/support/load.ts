/**
 * The load a fault test runs: a few clients, each on its own keep-alive connections to both
 * instances, creating actors and updating them (with `expectedVersion`), every mutation under
 * an `Idempotency-Key` of its own, and reading back what they changed through both instances
 * after each acknowledgement. Each client behaves as a careful client would: it retries a
 * mutation with the same key and the same body on a retryable answer (HTTP 503, a retryable
 * code, HTTP 409 "in progress"), on a reset or a refused connection, moving to the other
 * instance, a bounded number of times with backoff. Every attempt and read is logged with
 * its timings for the checker (check.ts).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AccordInstance } from "./accord.js";
import { HttpFailure, post, type HttpAnswer } from "./http.js";
import { sleep } from "./processes.js";

export const CREATE_ACTOR = `mutation FaultCreate($input: CreateActorInput!) {
  createActor(input: $input) { id name description version }
}`;
export const UPDATE_ACTOR = `mutation FaultUpdate($id: ID!, $input: UpdateActorInput!, $expectedVersion: Int) {
  updateActor(id: $id, input: $input, expectedVersion: $expectedVersion) { id name description version }
}`;
export const READ_ACTOR = `query FaultRead($id: ID!) { actor(id: $id) { id description version } }`;

/** Codes that say "not done, try again": the request did not change anything. */
export const RETRYABLE_CODES = new Set(["DATABASE_UNAVAILABLE", "SERVER_BUSY", "SHUTTING_DOWN"]);

/** A client gives up on an attempt after this long, and counts its outcome as unknown. */
export const REQUEST_TIMEOUT_MS = 10_000;
const MAX_ATTEMPTS = 8;
/** Pause between a client's iterations: keeps the load from saturating a 2-core machine. */
const THINK_MS = 10;

export interface ActorResult {
  id: string;
  name?: string;
  description: string | null;
  version: number;
}

export type AttemptKind =
  /** 200 with the result and no error. */
  | "ack"
  /** A clean refusal: retryable, and the server says (or the refused connection shows) nothing ran. */
  | "refused"
  /** The outcome cannot be known: a reset, a timeout, `committed: "unknown"`, or 409 in progress. */
  | "unknown"
  /** A final answer that is not a success. */
  | "error";

export interface Attempt {
  instance: string;
  startedAt: number;
  endedAt: number;
  /** HTTP status, or null when no answer came. */
  status: number | null;
  kind: AttemptKind;
  /** The first error's `extensions.code`, or the socket error's code. */
  code?: string;
  message?: string;
  /** `extensions.committed` of the first error. */
  committed?: unknown;
  replayed: boolean;
  retryAfter?: string;
  connection?: string;
  result?: ActorResult;
}

export interface MutationLog {
  client: number;
  op: "createActor" | "updateActor";
  key: string;
  /** The exact request body: a retry sends it again byte for byte. */
  body: string;
  /** The new actor's name (createActor), or the updated actor's id (updateActor). */
  name?: string;
  actorId?: string;
  expectedVersion?: number;
  /** The description this mutation writes: unique to it, so its revision can be found. */
  description: string;
  attempts: Attempt[];
  outcome: "acked" | "refused" | "lost" | "failed";
  result?: ActorResult;
  /** When the client received the acknowledgement. */
  ackedAt?: number;
}

export interface ReadLog {
  client: number;
  actorId: string;
  instance: string;
  startedAt: number;
  endedAt: number;
  status: number | null;
  ok: boolean;
  /** The actor as read (null: the read said there is no such actor). */
  actor?: ActorResult | null;
  code?: string;
  cache?: string;
  connection?: string;
}

export interface LoadLog {
  mutations: MutationLog[];
  reads: ReadLog[];
}

export interface LoadOptions {
  instances: AccordInstance[];
  editor: Record<string, string>;
  /** Prefix of every actor name: one per test, so the checker finds what this load wrote. */
  prefix: string;
  clients?: number;
  /** The clients stop starting new work once this resolves. */
  until: Promise<void>;
}

/** Lets a fault hold the mutations back for a while: only reads go on meanwhile. */
export interface LoadControl {
  mutating: boolean;
}

interface Parsed {
  data?: Record<string, unknown> | null;
  errors?: { message?: string; extensions?: Record<string, unknown> }[];
}

function parse(text: string): Parsed | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function header(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** What one answer to a mutation tells its client. */
export function classify(
  op: MutationLog["op"],
  answer: HttpAnswer,
): Omit<Attempt, "instance" | "startedAt" | "endedAt"> {
  const body = parse(answer.text);
  const base = {
    status: answer.status,
    replayed: header(answer, "idempotent-replayed") === "true",
    retryAfter: header(answer, "retry-after"),
    connection: header(answer, "connection"),
  };
  const first = body?.errors?.[0];
  const result = body?.data?.[op] as ActorResult | null | undefined;
  if (answer.status === 200 && result && !body?.errors?.length) {
    return { ...base, kind: "ack", result };
  }
  const code = typeof first?.extensions?.code === "string" ? first.extensions.code : undefined;
  const detail = {
    code: code ?? `HTTP ${answer.status}`,
    message: first?.message ?? answer.text.slice(0, 200),
    committed: first?.extensions?.committed,
  };
  if (detail.committed === "unknown" || answer.status === 409) {
    return { ...base, ...detail, kind: "unknown" };
  }
  if (answer.status === 503 || (code !== undefined && RETRYABLE_CODES.has(code))) {
    return { ...base, ...detail, kind: "refused" };
  }
  return { ...base, ...detail, kind: "error" };
}

/** One attempt of a mutation (or of a read: `op` undefined) on one instance. */
export async function attempt(
  instance: AccordInstance,
  agent: http.Agent,
  op: MutationLog["op"],
  body: string,
  headers: Record<string, string>,
): Promise<Attempt> {
  const startedAt = performance.now();
  try {
    const answer = await post(instance.url, agent, body, headers, REQUEST_TIMEOUT_MS);
    return {
      instance: instance.name,
      startedAt,
      endedAt: performance.now(),
      ...classify(op, answer),
    };
  } catch (error) {
    const code = error instanceof HttpFailure ? error.code : "REQUEST_ERROR";
    return {
      instance: instance.name,
      startedAt,
      endedAt: performance.now(),
      status: null,
      // Nothing was sent on a connection that was never made.
      kind: code === "ECONNREFUSED" ? "refused" : "unknown",
      code,
      message: String((error as Error).message),
      replayed: false,
    };
  }
}

/** The header as the IETF draft writes it: a Structured Field string. */
export const idempotencyHeader = (key: string) => ({ "idempotency-key": `"${key}"` });

function backoff(previous: Attempt, tries: number): number {
  const seconds = Number(previous.retryAfter);
  if (Number.isFinite(seconds) && seconds > 0) return Math.min(seconds * 1000, 2000);
  return Math.min(100 * 2 ** tries, 1000);
}

/**
 * Sends a mutation until it is acknowledged or answered finally, retrying with the same key
 * on the other instance after each retryable outcome, at most MAX_ATTEMPTS times.
 */
async function mutate(
  log: MutationLog,
  instances: AccordInstance[],
  agents: http.Agent[],
  first: number,
  headers: Record<string, string>,
): Promise<MutationLog> {
  for (let tries = 0; tries < MAX_ATTEMPTS; tries++) {
    const at = (first + tries) % instances.length;
    const result = await attempt(instances[at]!, agents[at]!, log.op, log.body, {
      ...headers,
      ...idempotencyHeader(log.key),
    });
    log.attempts.push(result);
    if (result.kind === "ack") {
      log.outcome = "acked";
      log.result = result.result;
      log.ackedAt = result.endedAt;
      return log;
    }
    if (result.kind === "error") break;
    await sleep(backoff(result, tries));
  }
  const kinds = log.attempts.map((a) => a.kind);
  log.outcome = kinds.includes("unknown")
    ? "lost"
    : kinds.at(-1) === "refused"
      ? "refused"
      : "failed";
  return log;
}

async function read(
  client: number,
  actorId: string,
  instance: AccordInstance,
  agent: http.Agent,
): Promise<ReadLog> {
  const body = JSON.stringify({ query: READ_ACTOR, variables: { id: actorId } });
  const startedAt = performance.now();
  const entry = { client, actorId, instance: instance.name, startedAt };
  try {
    const answer = await post(instance.url, agent, body, {}, REQUEST_TIMEOUT_MS);
    const parsed = parse(answer.text);
    const code = parsed?.errors?.[0]?.extensions?.code;
    const ok = answer.status === 200 && !parsed?.errors?.length && parsed?.data !== undefined;
    return {
      ...entry,
      endedAt: performance.now(),
      status: answer.status,
      ok,
      actor: ok ? ((parsed?.data?.actor ?? null) as ActorResult | null) : undefined,
      code: ok ? undefined : typeof code === "string" ? code : `HTTP ${answer.status}`,
      cache: header(answer, "x-cache"),
      connection: header(answer, "connection"),
    };
  } catch (error) {
    return {
      ...entry,
      endedAt: performance.now(),
      status: null,
      ok: false,
      code: error instanceof HttpFailure ? error.code : "REQUEST_ERROR",
    };
  }
}

/**
 * Starts the clients; `finished` resolves once `until` has and each client has finished what
 * it was doing. `log` fills as they go.
 */
export function runLoad(options: LoadOptions): {
  log: LoadLog;
  control: LoadControl;
  finished: Promise<LoadLog>;
} {
  const control: LoadControl = { mutating: true };
  const { instances, editor, prefix } = options;
  let running = true;
  void options.until.then(() => (running = false));
  const log: LoadLog = { mutations: [], reads: [] };

  const client = async (index: number) => {
    const agents = instances.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
    let turn = index;
    /**
     * Reads the actor through each instance `times` times, taking turns: the first read may
     * fill an instance's cache and the second be answered from it, so a stale entry on either
     * instance shows.
     */
    const readBack = async (actorId: string, times = 2) => {
      for (let i = 0; i < times * instances.length; i++) {
        const at = (turn + i) % instances.length;
        log.reads.push(await read(index, actorId, instances[at]!, agents[at]!));
      }
    };
    const send = (entry: Omit<MutationLog, "client" | "key" | "attempts" | "outcome">) => {
      const mutation: MutationLog = {
        ...entry,
        client: index,
        key: randomUUID(),
        attempts: [],
        outcome: "failed",
      };
      log.mutations.push(mutation);
      return mutate(mutation, instances, agents, turn++ % instances.length, editor);
    };
    try {
      /** This client's actors whose current version it knows, updated in rotation. */
      const own: { id: string; name: string; version: number; updates: number }[] = [];
      for (let n = 0; running; n++) {
        if (!control.mutating) {
          if (own.length > 0) await readBack(own[n % own.length]!.id, 1);
          await sleep(THINK_MS);
          continue;
        }
        if (own.length < 3 || n % 2 === 0) {
          const name = `${prefix} c${index} n${n}`;
          const description = `${name} created`;
          const created = await send({
            op: "createActor",
            name,
            description,
            body: JSON.stringify({
              query: CREATE_ACTOR,
              variables: { input: { name, kind: "ORGANIZATION", description } },
            }),
          });
          if (created.outcome === "acked") {
            own.push({
              id: created.result!.id,
              name,
              version: created.result!.version,
              updates: 0,
            });
            await readBack(created.result!.id);
          }
        } else {
          const actor = own[n % own.length]!;
          const description = `${actor.name} u${actor.updates++}`;
          const updated = await send({
            op: "updateActor",
            actorId: actor.id,
            expectedVersion: actor.version,
            description,
            body: JSON.stringify({
              query: UPDATE_ACTOR,
              variables: {
                id: actor.id,
                input: { description },
                expectedVersion: actor.version,
              },
            }),
          });
          if (updated.outcome === "acked") {
            actor.version = updated.result!.version;
            await readBack(actor.id);
          } else if (updated.outcome !== "refused") {
            // Its version is unknown now: the checker settles it, and this client leaves it.
            own.splice(own.indexOf(actor), 1);
          }
        }
        // An older actor too: its cached entries may predate a fault that a later update met.
        if (own.length > 1) await readBack(own[(n * 7) % own.length]!.id, 1);
        await sleep(THINK_MS);
      }
    } finally {
      for (const agent of agents) agent.destroy();
    }
  };
  const clients = Array.from({ length: options.clients ?? 6 }, (_, i) => client(i));
  return { log, control, finished: Promise.all(clients).then(() => log) };
}
