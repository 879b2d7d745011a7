/**
 * CORS for `/graphql`: which pages a browser lets call the API (`ACCORD_CORS_ORIGINS`). With
 * `*` every origin may, as a public read API allows; with a list, a listed origin is answered
 * with itself in `Access-Control-Allow-Origin`, any other with no such header (the browser
 * then keeps the answer from the page), and every answer says `Vary: Origin`, so that a shared
 * HTTP cache keeps one per origin. One handler answers both the requests that reach Express
 * and the response cache's hits (src/cache/responses.ts), so a hit carries the same headers.
 */
import type http from "node:http";
import cors from "cors";
import type { Config } from "./config.js";

/** Sets the CORS headers of `req`'s answer; answers a preflight itself, else calls `next`. */
export type CorsHandler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: (error?: unknown) => void,
) => void;

export function corsHandler(origins: Config["corsOrigins"]): CorsHandler {
  return cors(origins === "*" ? { origin: "*" } : { origin: origins });
}
