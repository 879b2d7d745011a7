/**
 * One HTTP exchange as it goes over the wire, through node:http rather than fetch: a test may
 * send the headers a browser sets itself (`Origin`), and reads every header of the answer.
 */
import http from "node:http";

export interface Exchange {
  status: number;
  /** The answer's headers, names in lower case, repeated ones joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

export function exchange(
  url: string,
  {
    method = "POST",
    headers = {},
    body,
  }: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method,
        headers:
          body === undefined ? headers : { "content-length": Buffer.byteLength(body), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const received: Record<string, string> = {};
          const raw = response.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) {
            const name = raw[i]!.toLowerCase();
            received[name] = name in received ? `${received[name]}, ${raw[i + 1]}` : raw[i + 1]!;
          }
          resolve({
            status: response.statusCode!,
            headers: received,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** A JSON POST of `payload` (a GraphQL request) with `headers`. */
export function postJson(url: string, payload: unknown, headers: Record<string, string> = {}) {
  return exchange(url, {
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(payload),
  });
}
