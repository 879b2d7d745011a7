/**
 * Builds Accord's HTTP server: Apollo Server on Express, GraphQL at `/graphql`, an offline
 * GraphiQL at `/explorer`, health at `/healthz` and `/readyz`. Tests import this module;
 * `src/index.ts` starts it.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { ResponseCache } from "./cache/invalidation.js";
import { INDEX, INDEX_HTML, landingPagePlugin } from "./pages.js";
import {
  refuseUnparsedBodies,
  responseCachePlugin,
  serveFromCache,
  settingsFingerprint,
  type CachedRequest,
} from "./cache/responses.js";
import { memoryStore, redisStore } from "./cache/store.js";
import { persistedQueries } from "./cache/apq.js";
import { canonicalBody, trustedRequests } from "./trusted.js";
import type { Config } from "./config.js";
import { createContext, type Context } from "./context.js";
import { corsHandler } from "./cors.js";
import { isReachable, type Database } from "./db/database.js";
import { httpDrain } from "./drain.js";
import { errorFormatter, truncate } from "./errors.js";
import { retryableStatusPlugin, expensiveGate } from "./busy.js";
import { explorerRouter } from "./explorer.js";
import { idempotencyPlugin } from "./idempotency.js";
import { representationsLimitPlugin, subgraphSchema } from "./federation.js";
import { limitRules, MAX_OPERATION_NAME_LENGTH, requestLimitsPlugin } from "./limits.js";
import { createLogger, requestLogger, type Logger } from "./logging.js";
import { resolvers } from "./resolvers/index.js";
import { typeDefs } from "./schema.js";
import { responseSizePlugin } from "./response-size.js";
import { liveTagsPlugin } from "./live/queries.js";
import { liveServer, subscriptionsOverWebSocket } from "./live/websocket.js";

export { typeDefs };

export type ServerConfig = Pick<
  Config,
  | "production"
  | "limits"
  | "introspection"
  | "cache"
  | "federation"
  | "corsOrigins"
  | "expensive"
  | "idempotencyRetentionSeconds"
  | "live"
  | "trustedDocuments"
>;

export interface AccordServer {
  httpServer: http.Server;
  logger: Logger;
  /** Listens on `port` (0: any free port) and resolves to the URL of the GraphQL endpoint. */
  listen(port: number): Promise<string>;
  /**
   * Stops taking connections and answers the requests in flight (src/drain.ts), waiting at
   * most `graceMs` (default 10 s); resolves to false when some had to be cut off.
   */
  stop(options?: { graceMs?: number }): Promise<boolean>;
}

/** Copies the operation's name and error codes into the request's log line. */
const logPlugin: ApolloServerPlugin<Context> = {
  requestDidStart: () =>
    Promise.resolve({
      willSendResponse({ contextValue, request, operationName, response }) {
        // A name over the limit is refused, but still logged: cut to the limit.
        const name = operationName ?? request.operationName ?? null;
        contextValue.log.operationName = name && truncate(name, MAX_OPERATION_NAME_LENGTH + 1);
        const body = response.body;
        const errors = body.kind === "single" ? (body.singleResult.errors ?? []) : [];
        contextValue.log.errorCodes = errors.map((e) =>
          typeof e.extensions?.code === "string" ? e.extensions.code : "UNKNOWN",
        );
        return Promise.resolve();
      },
    }),
};

/** Body-parser refusals as GraphQL error bodies, so every client error reads the same way. */
function httpErrors(logger: Logger, maxBodyBytes: number): ErrorRequestHandler {
  return (error: { type?: string; status?: number }, _req, res, _next) => {
    const send = (status: number, code: string, message: string, extra = {}) =>
      res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });
    if (error.type === "entity.too.large") {
      return send(413, "PAYLOAD_TOO_LARGE", `The request body exceeds ${maxBodyBytes} bytes`, {
        limit: maxBodyBytes,
      });
    }
    if (error.type === "entity.parse.failed") {
      return send(400, "BAD_REQUEST", "The request body is not valid JSON");
    }
    if (error.status && error.status >= 400 && error.status < 500) {
      return send(error.status, "BAD_REQUEST", "The request could not be read");
    }
    logger.error({ err: error }, "unexpected HTTP error");
    return send(500, "INTERNAL_SERVER_ERROR", "Internal server error");
  };
}

/** The parameters of a GraphQL GET request, each of which it gives at most once. */
const GET_PARAMETERS = ["query", "operationName", "variables", "extensions"];

/**
 * Refuses a GET that gives one of its parameters twice (`?query=…&query=…`): which one is
 * meant is anybody's guess, and the parsers on the way would each pick their own.
 */
const refuseRepeatedParameters: RequestHandler = (req, res, next) => {
  if (req.method !== "GET") return next();
  const params = new URL(req.originalUrl, "http://accord.invalid").searchParams;
  const repeated = GET_PARAMETERS.find((name) => params.getAll(name).length > 1);
  if (repeated === undefined) return next();
  res.status(400).json({
    errors: [
      {
        message: `The query string gives \`${repeated}\` more than once`,
        extensions: { code: "BAD_REQUEST" },
      },
    ],
  });
};

export async function createServer(
  db: Database,
  config: ServerConfig,
  logger: Logger = createLogger("silent"),
): Promise<AccordServer> {
  const responseCache = await openResponseCache(db, config.cache, logger);
  // Trusted documents and APQ: what a request may name its document by (src/trusted.ts).
  const trusted = config.trustedDocuments;
  const apq = await persistedQueries(config.cache, !!trusted, responseCache?.store, logger);
  const app = express();
  app.disable("x-powered-by");
  const cors = corsHandler(config.corsOrigins);
  const fromCache = responseCache
    ? serveFromCache(
        responseCache,
        logger,
        config.limits.maxBodyBytes,
        settingsFingerprint({
          schema: typeDefs,
          limits: config.limits,
          introspection: config.introspection,
          federation: config.federation,
          production: config.production,
        }),
        cors,
        trusted && ((body) => canonicalBody(trusted, body)),
      )
    : null;
  const httpServer = http.createServer((req, res) => {
    if (!drain.admit(req, res)) return;
    if (fromCache) fromCache(req, res, () => void app(req, res));
    else void app(req, res);
  });
  const drain = httpDrain(httpServer);
  httpServer.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
    const [status, reason, message] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [431, "Request Header Fields Too Large", "The request's URL and headers are too large"]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "Request Timeout", "The request took too long to arrive"]
          : [400, "Bad Request", "The request is not valid HTTP"];
    const body = JSON.stringify({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  const apollo = new ApolloServer<Context>({
    ...(config.federation
      ? { schema: subgraphSchema(typeDefs, resolvers) }
      : { typeDefs, resolvers }),
    introspection: config.introspection,
    // Off, deliberately: CSRF prevention guards credentials a browser adds by itself (cookies),
    // and Accord has none. A key travels in `Authorization`, which no page can make a browser
    // send to another site, mutations over GET are refused (405), and a page may read the
    // public record with CORS anyway. So GET reads need no preflight header, as urql and Relay
    // send them by default.
    csrfPrevention: false,
    includeStacktraceInErrorResponses: !config.production,
    formatError: errorFormatter(logger, config.production),
    validationRules: limitRules(config.limits),
    parseOptions: { maxTokens: config.limits.maxTokens },
    // src/index.ts owns shutdown: it stops the server, then closes the database.
    stopOnTerminationSignals: false,
    persistedQueries: apq.options,
    plugins: [
      // What a browser opening /graphql sees: Apollo Sandbox, or where to go without it.
      landingPagePlugin,
      // Accord's response cache does not read cache hints; without this plugin no hook runs
      // on each field a request resolves.
      ApolloServerPluginCacheControlDisabled(),
      // Before the cost: too many representations is refused as such, not as a cost.
      ...(config.federation ? [representationsLimitPlugin(config.limits.maxRepresentations)] : []),
      subscriptionsOverWebSocket,
      requestLimitsPlugin(config.limits),
      retryableStatusPlugin,
      // Before logPlugin, which logs the code it leaves.
      responseSizePlugin(config.limits.maxResponseBytes, config.limits.maxResponseFields),
      // After the plugins that settle the answer's status and body: it stores the answer.
      idempotencyPlugin({ retentionSeconds: config.idempotencyRetentionSeconds, logger }),
      logPlugin,
      ...(responseCache ? [responseCachePlugin(responseCache)] : []),
      liveTagsPlugin,
    ],
  });
  await apollo.start();
  // One set of slots for the server's expensive reads, shared by all its requests.
  const expensive = expensiveGate(config.expensive);

  app.use(requestLogger(logger));
  // Someone who opens the server's address in a browser learns where everything is: the
  // explorer works offline, where Apollo Sandbox at /graphql needs the internet.
  app.get("/", (_req, res) => {
    // JSON unless HTML is preferred: `*/*` (curl, fetch) takes the first type listed.
    res.format({
      json: () => void res.json(INDEX),
      html: () => void res.type("html").send(INDEX_HTML),
      default: () => void res.json(INDEX),
    });
  });
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    // A draining instance tells the load balancer to stop sending, whatever the database says.
    if (drain.draining) return void res.status(503).json({ status: "shutting down" });
    const ready = await isReachable(db);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "database unavailable" });
  });
  app.use("/explorer", explorerRouter());
  app.use(
    "/graphql",
    cors,
    refuseRepeatedParameters,
    refuseUnparsedBodies,
    express.json({ limit: config.limits.maxBodyBytes }),
    ...(trusted ? [trustedRequests(trusted)] : []),
    expressMiddleware(apollo, {
      context: ({ req, res }) =>
        Promise.resolve(
          createContext(db, {
            authorization: req.headers.authorization,
            log: res.locals.requestLog,
            responseCache,
            cache: (req as CachedRequest).cacheState,
            expensive,
          }),
        ),
    }),
  );
  app.use(httpErrors(logger, config.limits.maxBodyBytes));
  const live = liveServer({
    httpServer,
    apollo,
    db,
    limits: config.limits,
    live: config.live,
    trusted: config.trustedDocuments,
    expensive,
    logger,
    draining: () => drain.draining,
  });

  return {
    httpServer,
    logger,
    listen: (port) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, () => {
          const { port: bound } = httpServer.address() as AddressInfo;
          resolve(`http://localhost:${bound}/graphql`);
        });
      }),
    async stop({ graceMs = 10_000 } = {}) {
      // Subscriptions end first: their sockets would hold the drain for its whole grace.
      await live.close();
      const clean = await drain.drain(graceMs);
      await apollo.stop();
      await apq.close();
      await responseCache?.close();
      return clean;
    },
  };
}

async function openResponseCache(
  db: Database,
  cache: Config["cache"],
  logger: Logger,
): Promise<ResponseCache | null> {
  if (cache.store === "off") return null;
  const bounds = { ttlSeconds: cache.ttlSeconds, maxEntryBytes: cache.maxEntryBytes };
  const store =
    cache.store === "redis"
      ? redisStore(cache.redisUrl!, cache.prefix, bounds)
      : memoryStore({ ...bounds, maxEntries: cache.maxEntries, maxBytes: cache.maxBytes });
  const responseCache = new ResponseCache(store, db, logger);
  // Both bounded: a server whose Redis or LISTEN connection is not there yet starts uncached.
  await Promise.all([store.ready(), responseCache.start()]);
  return responseCache;
}
