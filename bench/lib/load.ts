/**
 * Load generation with autocannon: a fixed number of connections, each sending the next
 * request as soon as the previous answer arrives (a closed loop, as in the peer comparisons
 * in the project's notes). Every answer is checked: a status other than 200 or a body with
 * GraphQL `errors` counts as an error.
 */

/** The parts of autocannon's API used here (it ships no types). */
interface AutocannonRequest {
  method: string;
  body: string;
  onResponse: (status: number, body: string) => void;
}
interface AutocannonClient {
  setRequests(requests: AutocannonRequest[]): void;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  headers: Record<string, string>;
  requests: AutocannonRequest[];
  setupClient: (client: AutocannonClient) => void;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { total: number; sent: number };
}
type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;

let autocannon: Autocannon | undefined;

export interface LoadResult {
  /** Answers received in the window, whatever their status. */
  completed: number;
  /** Requests sent, including those still unanswered when the window closed. */
  sent: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: { non200: number; graphql: number; socket: number; timeouts: number };
  errorCount: number;
  /** The start of the first failed answer, to say what went wrong. */
  errorSample: string | null;
}

/**
 * Sends `bodies` (POST, JSON) to `url` from `connections` connections for `seconds`. Each
 * connection goes through the bodies in order, starting at its own offset, so the set is
 * spread over the connections.
 */
export async function runLoad(
  url: string,
  bodies: string[],
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  // Imported by name at run time: bench/node_modules may be absent where this is type-checked.
  const specifier = "autocannon";
  autocannon ??= ((await import(specifier)) as { default: Autocannon }).default;
  let non200 = 0;
  let graphql = 0;
  let errorSample: string | null = null;
  const onResponse = (status: number, body: string) => {
    // `"errors":` cannot occur unescaped inside a JSON string: it is the top-level key.
    const failed = status !== 200 || body.includes('"errors":');
    if (!failed) return;
    if (status !== 200) non200++;
    else graphql++;
    errorSample ??= `${status} ${body.slice(0, 300).replace(/\s+/g, " ").trim()}`;
  };
  const requests = bodies.map((body) => ({ method: "POST", body, onResponse }));
  let client = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    headers: { "content-type": "application/json" },
    requests,
    setupClient: (c) => {
      const offset = (client++ * 7) % requests.length;
      c.setRequests([...requests.slice(offset), ...requests.slice(0, offset)]);
    },
  });
  const errors = {
    non200,
    graphql,
    socket: result.errors - result.timeouts,
    timeouts: result.timeouts,
  };
  return {
    completed: result.requests.total,
    sent: result.requests.sent,
    seconds: result.duration,
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors,
    errorCount: non200 + graphql + result.errors,
    errorSample,
  };
}
