/**
 * Structured logs: one JSON line per event on stdout (pino). Each HTTP request gets one line
 * with its id, operation, status, duration and error codes. Headers are never logged, so
 * neither is the Authorization header nor any key.
 */
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { pino, type Logger } from "pino";
import type { Config } from "./config.js";

export type { Logger };

export function createLogger(level: Config["logLevel"]): Logger {
  return pino({ level, base: { service: "accord" }, timestamp: pino.stdTimeFunctions.isoTime });
}

/** What the GraphQL layer adds to a request's log line. */
export interface RequestLog {
  id: string;
  operationName?: string | null;
  errorCodes?: string[];
  /** Set when the response came from the response cache. */
  cache?: "hit";
}

declare module "express-serve-static-core" {
  interface Locals {
    requestLog: RequestLog;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** A caller's `x-request-id` if it is sane, else a new id. */
export function requestIdFrom(given: string | string[] | undefined): string {
  return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
}

/** Gives each request an id (a caller's `x-request-id` if sane) and logs it when it ends. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFrom(req.get("x-request-id"));
    res.locals.requestLog = { id };
    res.setHeader("x-request-id", id);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const log = res.locals.requestLog;
      logger.info(
        {
          requestId: id,
          method: req.method,
          path: req.originalUrl.split("?")[0],
          status: res.statusCode,
          durationMs: Number(process.hrtime.bigint() - started) / 1e6,
          operationName: log.operationName ?? undefined,
          errorCodes: log.errorCodes?.length ? log.errorCodes : undefined,
          cache: log.cache,
        },
        "request",
      );
    });
    next();
  };
}
