/**
 * The hostile requests of the "under attack" row: the attacks of the "Bounded work" report
 * (issue 11), sent from their own connections in a closed loop while the normal ArticlePage
 * load runs. Whatever the server answers, data or a refusal, counts as an answer; answers are
 * tallied by HTTP status and `extensions.code`, so one run shows which attacks were served and
 * which refused, and with what.
 */
import http from "node:http";
import pg from "pg";
import { toGlobalId } from "../../src/ids.js";

export interface HostileRequest {
  name: string;
  /** What it attacks, in a line. */
  description: string;
  /** Request bodies (JSON), sent in turn: several where the attack is many distinct requests. */
  bodies: string[];
  /** Turns in the loop's cycle, against 1 for the others. */
  weight: number;
  /**
   * Every body is sent once before the normal window opens, then the cycle goes on: for an
   * attack whose harm is what many distinct requests leave behind.
   */
  sweep?: boolean;
}

/** What the requests point at, read from the benchmark's database. */
export interface HostileTargets {
  /** Global id of the actor with the most mentions. */
  actorId: string;
  actorName: string;
  actorMentions: number;
  /** Articles for the many-aliases page (the ArticlePage slugs). */
  slugs: string[];
}

/** The largest page a list argument accepts (`first`: 1 to 100 everywhere in the schema). */
const MAX_FIRST = 100;
/** Accord's default ACCORD_MAX_ALIASES: the large-response queries use every alias allowed. */
const ALIASES = 20;

export async function hostileTargets(
  databaseUrl: string,
  slugs: string[],
): Promise<HostileTargets> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number; name: string; mentions: string }>(
      `SELECT a.id, a.name, count(*) AS mentions FROM "Mention" m JOIN "Actor" a ON a.id = m."actorId"
        GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1`,
    );
    const top = rows[0];
    if (!top) throw new Error("the benchmark database has no mentions");
    return {
      actorId: toGlobalId("Actor", top.id),
      actorName: top.name,
      actorMentions: Number(top.mentions),
      slugs,
    };
  } finally {
    await client.end();
  }
}

const body = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  JSON.stringify({ query, ...(operationName ? { operationName } : {}), variables });

/** An actor's mentions as a connection, `inner` selected on each mention's node. */
const mentions = (inner: string) =>
  `mentions(first: ${MAX_FIRST}) { totalCount edges { cursor node { id start end quote paragraphIndex ${inner} } } pageInfo { hasNextPage endCursor } }`;

export function hostileRequests(targets: HostileTargets): HostileRequest[] {
  const { actorId, slugs } = targets;
  const pageSizes = Array.from({ length: MAX_FIRST }, (_, i) => i + 1);
  return [
    // The query that crashed the server: an actor's mentions, each mention's actor's mentions
    // with every article body. Mentions of an actor name that actor, so it fans out as
    // mentions², each with a 10 kB body.
    {
      name: "nested-mentions",
      description: `actor→mentions→actor→mentions→article{body}, first: ${MAX_FIRST}, on the actor with the most mentions`,
      bodies: [
        body(
          `query NestedMentions($id: ID!) { actor(id: $id) { id name ${mentions(
            `article { id } actor { id name ${mentions("article { id body }")} }`,
          )} } }`,
          { id: actorId },
        ),
      ],
      weight: 1,
    },
    // One level more, as in the report (five levels ran the process out of heap): mentions³.
    {
      name: "nested-mentions-deep",
      description: "the same three mentions levels deep",
      bodies: [
        body(
          `query DeepMentions($id: ID!) { actor(id: $id) { ${mentions(
            `actor { ${mentions(`actor { ${mentions("article { body }")} }`)} }`,
          )} } }`,
          { id: actorId },
        ),
      ],
      weight: 1,
    },
    // A large response: the article page's body and paragraphs under every alias allowed.
    {
      name: "aliased-article-bodies",
      description: `${ALIASES} aliases of article(slug) { body paragraphs { text } }`,
      bodies: [
        body(
          `query Aliased { ${Array.from(
            { length: ALIASES },
            (_, i) =>
              `a${i}: article(slug: ${JSON.stringify(slugs[i % slugs.length])}) { body paragraphs { index text } }`,
          ).join(" ")} }`,
        ),
      ],
      weight: 1,
    },
    // A larger one within the cost estimate: every alias a full page of article bodies.
    {
      name: "aliased-article-lists",
      description: `${ALIASES} aliases of articles(first: ${MAX_FIRST}) { edges { node { body } } }`,
      bodies: [
        body(
          `query AliasedLists { ${Array.from(
            { length: ALIASES },
            (_, i) => `a${i}: articles(first: ${MAX_FIRST}) { edges { node { id body } } }`,
          ).join(" ")} }`,
        ),
      ],
      weight: 1,
    },
    // Public full-text search at its largest page, over words most articles hold: each holds a
    // pool connection while Postgres ranks. Three turns in the cycle: this one is a flood.
    {
      name: "search-flood",
      description: `search(query, first: ${MAX_FIRST}) over common words`,
      bodies: ["Tajikistan", "Kyrgyzstan border", "agreement visit", "president"].map((query) =>
        body(
          `query Flood($query: String!) { search(query: $query, first: ${MAX_FIRST}) { score snippet node { __typename id ... on Article { slug title } } } }`,
          { query },
        ),
      ),
      weight: 3,
    },
    // Fullwidth ％ folds to a LIKE wildcard unless normalised before escaping: every actor.
    {
      name: "fullwidth-wildcard",
      description: `actors(filter: { search: "％" }, first: ${MAX_FIRST})`,
      bodies: [
        body(
          `query Wildcard { actors(first: ${MAX_FIRST}, filter: { search: "％" }) { totalCount edges { node { id name aliases } } } }`,
        ),
      ],
      weight: 1,
    },
    // A ~600 kB variable that fails coercion: the error message echoes it, and the production
    // error formatter's "Did you mean" clean-up ran in quadratic time over it.
    {
      name: "did-you-mean-variable",
      description: 'an Int variable of ~600 kB, "Did you mean " repeated',
      bodies: [
        body(`query Page($first: Int) { articles(first: $first) { totalCount } }`, {
          first: "Did you mean ".repeat(46_154),
        }),
      ],
      weight: 1,
    },
    // A 1.9 MB operationName (under the 2 MB body limit): echoed in the error and the log line.
    {
      name: "huge-operation-name",
      description: "an operationName of 1.9 MB",
      bodies: [
        body(
          `query ArticlePage($slug: String!) { article(slug: $slug) { id } }`,
          { slug: slugs[0] },
          "ArticlePage".repeat(172_728).slice(0, 1_900_000),
        ),
      ],
      weight: 1,
    },
    // 800 distinct page sizes and filters over three lists: each variant was a new prepared
    // statement on every pool connection, growing its Postgres backend.
    {
      name: "distinct-page-sizes",
      description: "800 distinct first/filter variants of articles, outcomes and actors",
      sweep: true,
      bodies: [
        ...["ASC", "DESC"].flatMap((direction) =>
          pageSizes.map((first) =>
            body(
              `query Articles { articles(first: ${first}, orderBy: { field: PUBLISHED_ON, direction: ${direction} }) { totalCount edges { node { id } } } }`,
            ),
          ),
        ),
        ...["ACHIEVED", "IN_PROGRESS", "PLANNED"].flatMap((status) =>
          pageSizes.map((first) =>
            body(
              `query Outcomes { outcomes(first: ${first}, filter: { status: ${status} }) { totalCount edges { node { id } } } }`,
            ),
          ),
        ),
        ...["PERSON", "STATE", "ORGANIZATION"].flatMap((kind) =>
          pageSizes.map((first) =>
            body(
              `query Actors { actors(first: ${first}, filter: { kind: ${kind} }) { totalCount edges { node { id } } } }`,
            ),
          ),
        ),
      ],
      weight: 1,
    },
  ];
}

/** One kind of hostile request over a window. */
export interface HostileTally {
  name: string;
  description: string;
  sent: number;
  /** Distinct bodies sent, of `variants`. */
  distinct: number;
  variants: number;
  /** Answers by `<status> <code>`: "200 data", "400 MAX_COST_EXCEEDED", "socket ECONNRESET"… */
  answers: Record<string, number>;
  /** Response bytes received. */
  bytes: number;
  /** Slowest answer, ms. */
  maxMs: number;
}

export interface HostileResult {
  connections: number;
  /** From the first request to the last answer. */
  seconds: number;
  /** Until every sweep had been answered, from the first request. */
  sweepSeconds: number;
  sent: number;
  answered: number;
  /** Answers of every kind of request together, by `<status> <code>`. */
  answers: Record<string, number>;
  requests: HostileTally[];
}

/** Responses larger than this are counted to the end but only their first bytes kept. */
const KEPT_BYTES = 64 * 1024;
/** Longer than this is a timeout, as for the normal load. */
const TIMEOUT_MS = 30_000;

/** The `<status> <code>` an answer is tallied under. */
function classify(status: number, head: string, complete: boolean): string {
  if (complete) {
    try {
      const parsed = JSON.parse(head) as {
        data?: unknown;
        errors?: { extensions?: { code?: string } }[];
      };
      const code = parsed.errors?.[0]?.extensions?.code;
      if (parsed.errors) return `${status} ${code ?? "error without code"}`;
      return `${status} ${parsed.data !== undefined ? "data" : "no data"}`;
    } catch {
      return `${status} not JSON`;
    }
  }
  // Apollo Server writes `errors` before `data`: a large answer that refused starts with them.
  if (head.startsWith('{"errors"')) {
    return `${status} ${/"code":"([A-Z0-9_]+)"/.exec(head)?.[1] ?? "error without code"}`;
  }
  return `${status} ${head.startsWith('{"data"') ? "data" : "not JSON"}`;
}

function send(agent: http.Agent, url: URL, payload: Buffer) {
  const t0 = performance.now();
  return new Promise<{ answer: string; bytes: number; ms: number }>((resolve) => {
    let settled = false;
    const done = (answer: string, bytes: number) => {
      if (settled) return;
      settled = true;
      resolve({ answer, bytes, ms: performance.now() - t0 });
    };
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": payload.length },
        timeout: TIMEOUT_MS,
      },
      (response) => {
        const kept: Buffer[] = [];
        let keptBytes = 0;
        let bytes = 0;
        response.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
          if (keptBytes < KEPT_BYTES) {
            kept.push(chunk);
            keptBytes += chunk.length;
          }
        });
        response.on("end", () => {
          const head = Buffer.concat(kept).subarray(0, KEPT_BYTES).toString("utf8");
          done(classify(response.statusCode ?? 0, head, bytes <= KEPT_BYTES), bytes);
        });
        response.on("error", (error: NodeJS.ErrnoException) =>
          done(`socket ${error.code ?? error.message}`, bytes),
        );
        // A connection cut mid-answer may end the response with neither of the above.
        response.on("close", () => done("socket closed mid-answer", bytes));
      },
    );
    request.on("timeout", () => {
      request.destroy();
      done("timeout", 0);
    });
    request.on("error", (error: NodeJS.ErrnoException) =>
      done(`socket ${error.code ?? error.message}`, 0),
    );
    request.end(payload);
  });
}

/**
 * Starts `connections` loops, each sending the next hostile request as soon as the last is
 * answered: first the sweeps, shared between the loops, then the cycle (each request
 * `weight` times), each loop from its own offset. `swept` resolves once the sweeps are
 * answered. `stop()` sends no more, waits for the answers still due (each bounded by the
 * timeout) and returns the tally.
 */
export function startHostile(
  url: string,
  requests: HostileRequest[],
  options: { connections: number },
): { swept: Promise<void>; stop(): Promise<HostileResult> } {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const payloads = requests.map((r) => r.bodies.map((b) => Buffer.from(b)));
  const cycle = requests.flatMap((r, i) => Array.from({ length: r.weight }, () => i));
  const sweeps = requests.flatMap((r, i) => (r.sweep ? r.bodies.map(() => i) : []));
  let swept = 0;
  let sweepsAnswered = 0;
  let onSwept!: () => void;
  const sweptPromise = new Promise<void>((resolve) => (onSwept = resolve));
  if (sweeps.length === 0) onSwept();
  const tallies: HostileTally[] = requests.map((r) => ({
    name: r.name,
    description: r.description,
    sent: 0,
    distinct: 0,
    variants: r.bodies.length,
    answers: {},
    bytes: 0,
    maxMs: 0,
  }));
  const turns = requests.map(() => 0);
  let running = true;
  let sweepSeconds = 0;
  const t0 = performance.now();
  const loop = async (offset: number) => {
    for (let step = offset; running;) {
      const sweeping = swept < sweeps.length;
      const index = sweeping ? sweeps[swept++]! : cycle[step++ % cycle.length]!;
      const bodies = payloads[index]!;
      const turn = turns[index] ?? 0;
      turns[index] = turn + 1;
      const payload = bodies[turn % bodies.length]!;
      const tally = tallies[index]!;
      tally.sent++;
      tally.distinct = Math.min(tally.sent, bodies.length);
      const { answer, bytes, ms } = await send(agent, target, payload);
      if (sweeping && ++sweepsAnswered === sweeps.length) {
        sweepSeconds = (performance.now() - t0) / 1000;
        onSwept();
      }
      tally.answers[answer] = (tally.answers[answer] ?? 0) + 1;
      tally.bytes += bytes;
      tally.maxMs = Math.max(tally.maxMs, ms);
    }
  };
  const loops = Array.from({ length: options.connections }, (_, i) =>
    loop(Math.floor((i * cycle.length) / options.connections)),
  );
  return {
    swept: sweptPromise,
    async stop() {
      running = false;
      await Promise.all(loops);
      const seconds = (performance.now() - t0) / 1000;
      agent.destroy();
      const answers: Record<string, number> = {};
      for (const t of tallies) {
        for (const [key, n] of Object.entries(t.answers)) answers[key] = (answers[key] ?? 0) + n;
      }
      return {
        connections: options.connections,
        seconds,
        sweepSeconds,
        sent: tallies.reduce((n, t) => n + t.sent, 0),
        answered: Object.entries(answers)
          .filter(([key]) => key !== "timeout" && !key.startsWith("socket "))
          .reduce((n, [, count]) => n + count, 0),
        answers,
        requests: tallies,
      };
    },
  };
}
