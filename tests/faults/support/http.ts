/**
 * One HTTP POST as a load client sends it: over the client's own keep-alive agent, with a
 * hard timeout, and every way it can end kept apart (an answer, a refused connection, a
 * reset, a timeout), because each tells the client something different about its request.
 */
import http from "node:http";

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export class HttpFailure extends Error {
  constructor(
    /** `ECONNREFUSED` (nothing was sent), `ECONNRESET`, `TIMEOUT`, ... */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function post(
  url: string,
  agent: http.Agent,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", (error: NodeJS.ErrnoException) =>
          reject(new HttpFailure(error.code ?? "RESPONSE_ERROR", error.message)),
        );
        response.on("end", () => {
          clearTimeout(timer);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString(),
          });
        });
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new HttpFailure("TIMEOUT", `no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error instanceof HttpFailure
          ? error
          : new HttpFailure(error.code ?? "REQUEST_ERROR", error.message),
      );
    });
    request.end(body);
  });
}
