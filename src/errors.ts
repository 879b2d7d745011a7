/**
 * The errors Accord sends, each with its `extensions.code`. Resolvers throw `accordError`s;
 * anything else that escapes is unexpected: it is logged in full under an error id and sent
 * masked, with only that id, so no stack trace, SQL or internal message reaches a client.
 */
import { randomUUID } from "node:crypto";
import type { GraphQLFormattedError } from "graphql";
import { GraphQLError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import type { Logger } from "pino";

export type ErrorCode =
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "CONFLICT"
  | "SERVER_BUSY"
  | "BAD_REQUEST"
  | "DATABASE_UNAVAILABLE"
  | "IDEMPOTENCY_KEY_REUSED"
  | "IDEMPOTENCY_KEY_IN_USE";

export function accordError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
) {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

/** Bad input, naming the argument (`argumentName`, e.g. `first` or `input.name`). */
export function badInput(
  argumentName: string,
  message: string,
  extensions: Record<string, unknown> = {},
) {
  return accordError("BAD_USER_INPUT", `${argumentName}: ${message}`, {
    argumentName,
    ...extensions,
  });
}

/** Codes whose messages are meant for the client and are sent as they are. */
const CLIENT_CODES = new Set([
  "BAD_USER_INPUT",
  "NOT_FOUND",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "CONFLICT",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "PERSISTED_QUERY_NOT_IN_LIST",
  "QUERY_NOT_IN_SAFELIST",
  "MAX_DEPTH_EXCEEDED",
  "MAX_ALIASES_EXCEEDED",
  "MAX_DIRECTIVES_EXCEEDED",
  "MAX_TOKENS_EXCEEDED",
  "MAX_COST_EXCEEDED",
  "DATABASE_UNAVAILABLE",
  "QUERY_TIMEOUT",
  "SERVER_BUSY",
  "RESPONSE_TOO_LARGE",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_IN_USE",
]);

/** Postgres and driver signs that the database is gone (stopped, restarting, cut off). */
const UNAVAILABLE = [
  /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND/,
  /Connection terminated|terminating connection|server closed the connection|Client has encountered a connection error/i,
  /timeout exceeded when trying to connect|Can't reach database server|DatabaseNotReachable|ConnectionClosed/i,
  /the database system is (shutting down|starting up)|57P0[123]|08[0-9A-Z]{3}/,
  // An answer that never came (a connection dropped silently), a statement an operator
  // cancelled, a server out of connection slots, a transaction that could not start in time.
  /Query read timeout|canceling statement due to user request/i,
  /53300|too many clients|Too many database connections|P2028|Unable to start a transaction/i,
];

function chain(error: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number) => {
    if (value === null || value === undefined || depth > 6 || seen.has(value)) return;
    seen.add(value);
    if (typeof value === "string") return void parts.push(value);
    if (typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    for (const key of ["message", "code", "kind", "originalCode", "originalMessage"]) {
      if (typeof record[key] === "string") parts.push(record[key]);
    }
    for (const key of ["cause", "meta", "driverAdapterError", "originalError"])
      visit(record[key], depth + 1);
  };
  visit(error, 0);
  return parts.join(" | ");
}

export function isDatabaseUnavailable(error: unknown): boolean {
  const text = chain(error);
  return UNAVAILABLE.some((pattern) => pattern.test(text));
}

/**
 * A connection lost once COMMIT was on its way: the change may stand or not, and the client
 * must not be told either. A retry with the same Idempotency-Key finds out without making it
 * twice (src/idempotency.ts). A transaction that expired before its COMMIT did not commit.
 */
export function commitOutcomeUnknown(error: unknown): GraphQLError | null {
  if (!isDatabaseUnavailable(error) || /P2028|expired transaction/i.test(chain(error))) {
    return null;
  }
  return accordError(
    "DATABASE_UNAVAILABLE",
    "The connection to the database was lost while the change was being committed: it may or may not have been made. Retry with the same Idempotency-Key to find out without making it twice",
    { committed: "unknown" },
  );
}

/** The message of SERVER_BUSY: retryable, the database itself is fine. */
export const SERVER_BUSY_MESSAGE = "The server is busy; try again shortly";
/** Retry-After of a request that found every pooled connection busy. */
export const POOL_BUSY_RETRY_AFTER_SECONDS = 1;

/** Every pooled connection in use for the whole wait (src/db/database.ts `PoolBusyError`). */
function isPoolBusy(error: unknown): boolean {
  return /ACCORD_POOL_BUSY/.test(chain(error));
}

function isStatementTimeout(error: unknown): boolean {
  const text = chain(error);
  return (
    /57014|canceling statement due to statement timeout/.test(text) && !/user request/.test(text)
  );
}

/**
 * graphql-js's "Did you mean …?" hint on the message's last line, which names schema fields a
 * production schema need not advertise. Plain string search, not a regular expression: the
 * message can quote a client's input, and `/ ?Did you mean .*\?$/` backtracks quadratically
 * over a variable made of "Did you mean " repeated.
 */
export function withoutSuggestion(message: string): string {
  if (!message.endsWith("?")) return message;
  const at = message.indexOf("Did you mean ", message.lastIndexOf("\n") + 1);
  if (at < 0) return message;
  return message.slice(0, at > 0 && message[at - 1] === " " ? at - 1 : at);
}

/** The longest error message sent: messages quote input, and input can be megabytes. */
export const MAX_ERROR_MESSAGE_LENGTH = 500;

/** `text` cut to `max` characters, ending in an ellipsis when cut (never half a surrogate pair). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * Apollo's `formatError`: see the module comment. Every message, and every string among the
 * extensions (an `argumentName` can hold a variable's keys), leaves capped in length.
 */
export function errorFormatter(logger: Logger, production: boolean) {
  const format = formatterOf(logger, production);
  const cap = (text: string) =>
    text.length > MAX_ERROR_MESSAGE_LENGTH ? truncate(text, MAX_ERROR_MESSAGE_LENGTH) : text;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = format(formatted, error);
    const extensions = result.extensions && { ...result.extensions };
    for (const [key, value] of Object.entries(extensions ?? {})) {
      if (typeof value === "string") extensions![key] = cap(value);
    }
    return { ...result, message: cap(result.message), ...(extensions ? { extensions } : {}) };
  };
}

function formatterOf(logger: Logger, production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    // Limits report through validation, which Apollo files under GRAPHQL_VALIDATION_FAILED:
    // give them back their own code.
    const cause =
      original instanceof GraphQLError ? (original.originalError ?? original) : original;
    const own = cause instanceof GraphQLError ? cause.extensions.code : undefined;
    // graphql-js's own token limit aborts parsing with a plain syntax error.
    const tokens = /Document contains more that (\d+) tokens/.exec(formatted.message);
    if (tokens) {
      return {
        message: `Number of tokens exceeds the limit of ${tokens[1]}`,
        extensions: { code: "MAX_TOKENS_EXCEEDED", limit: Number(tokens[1]) },
      };
    }
    const code =
      typeof own === "string" && CLIENT_CODES.has(own) ? own : formatted.extensions?.code;
    const extensions = { ...formatted.extensions };
    delete extensions.stacktrace;
    const safe = (message: string, extra: Record<string, unknown> = {}) => ({
      ...formatted,
      message,
      extensions: { ...(production ? {} : formatted.extensions), ...extra },
    });

    if (typeof code === "string" && CLIENT_CODES.has(code)) {
      const message = production ? withoutSuggestion(formatted.message) : formatted.message;
      return {
        ...formatted,
        message,
        extensions: { ...(production ? extensions : formatted.extensions), code },
      };
    }
    const http =
      original instanceof GraphQLError
        ? (original.extensions.http as { status?: number } | undefined)
        : undefined;
    if (http?.status && http.status >= 400 && http.status < 500) {
      return {
        message: original instanceof Error ? original.message : formatted.message,
        extensions: { code: "BAD_REQUEST" },
      };
    }
    // Before the unavailable check: a busy pool's error is not the database being gone.
    if (isPoolBusy(original)) {
      logger.warn({ err: original }, "every database connection busy");
      return safe(SERVER_BUSY_MESSAGE, {
        code: "SERVER_BUSY",
        retryAfterSeconds: POOL_BUSY_RETRY_AFTER_SECONDS,
      });
    }
    if (isDatabaseUnavailable(original)) {
      logger.warn({ err: original }, "database unavailable");
      return safe("The database is unavailable; try again shortly", {
        code: "DATABASE_UNAVAILABLE",
      });
    }
    if (isStatementTimeout(original)) {
      logger.warn({ err: original }, "statement timeout");
      return safe("The query took too long and was cancelled", { code: "QUERY_TIMEOUT" });
    }
    const errorId = randomUUID();
    logger.error({ err: original, errorId, path: formatted.path }, "unexpected error");
    if (!production) return { ...formatted, extensions: { ...formatted.extensions, errorId } };
    return {
      message: "Internal server error",
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: "INTERNAL_SERVER_ERROR", errorId },
    };
  };
}
