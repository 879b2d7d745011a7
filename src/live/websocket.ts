/**
 * Subscriptions over WebSocket: the `graphql-transport-ws` protocol (the `graphql-ws`
 * library) on the HTTP server's port, at `/graphql`. Each subscription is the query of the
 * same name read live (./queries.ts), through the same Apollo Server as HTTP requests, so it
 * meets the same parser, validation, limits, cost and response-size rules.
 *
 * Bounds: `maxConnections` sockets (more are refused with 503 at the upgrade), each
 * `maxSubscriptionsPerConnection` subscriptions and the instance `maxSubscriptions`
 * (./queries.ts); a message at most `maxBodyBytes`; `connection_init` within 3 s; a ping
 * every 12 s that a live client answers within the next 12 s; a socket whose unsent answers
 * pass `MAX_BUFFERED_BYTES` is closed (1013), since its client does not keep up.
 *
 * Only subscriptions travel here: queries and mutations go over HTTP, where caching,
 * idempotency keys and `Authorization` apply.
 */
import type http from "node:http";
import type { Duplex } from "node:stream";
import type { ApolloServer, ApolloServerPlugin } from "@apollo/server";
import {
  buildASTSchema,
  getOperationAST,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  print,
  validate,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type GraphQLFormattedError,
} from "graphql";
import type { OperationResult, SubscribePayload } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import stringify from "safe-stable-stringify";
import { WebSocketServer } from "ws";
import type { Gate } from "../busy.js";
import type { Config } from "../config.js";
import { createContext, type Context } from "../context.js";
import type { Database } from "../db/database.js";
import type { Logger } from "../logging.js";
import { schemaDocument } from "../schema.js";
import { resolveDocument, type TrustedDocuments } from "../trusted.js";
import { ChangeFeed } from "./changes.js";
import { LiveQueries, Subscriber, type LiveRead, type LiveRequest } from "./queries.js";

const PATH = "/graphql";
const MAX_BUFFERED_BYTES = 16_000_000;
/** How often sockets are checked for answers piling up unsent. */
const SWEEP_MS = 1000;
const CONNECTION_INIT_WAIT_MS = 3000;
const KEEP_ALIVE_MS = 12_000;

export interface LiveServer {
  /** Open sockets, subscriptions and groups of identical subscriptions on this instance. */
  readonly size: { connections: number; subscriptions: number; groups: number };
  /** Ends every subscription and closes every socket (1001, going away). */
  close(): Promise<void>;
}

export function liveServer(options: {
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  db: Database;
  limits: Config["limits"];
  live: Config["live"];
  /** When set, only the manifest's documents are taken, as over HTTP (src/trusted.ts). */
  trusted: TrustedDocuments | null;
  expensive: Gate;
  logger: Logger;
  /** Whether the instance is shutting down: new sockets are refused. */
  draining: () => boolean;
}): LiveServer {
  const { apollo, db, limits, live, logger } = options;
  let reads = 0;
  const read = async (request: LiveRequest): Promise<LiveRead> => {
    const tags = new Set<string>();
    const contextValue: Context = {
      ...createContext(db, { expensive: options.expensive, log: { id: `live-${++reads}` } }),
      live: tags,
    };
    try {
      const response = await apollo.executeOperation(
        {
          query: request.query,
          variables: request.variables,
          operationName: request.operationName ?? undefined,
        },
        { contextValue },
      );
      if (response.body.kind !== "single") throw new Error("An incremental answer");
      const { data, errors } = response.body.singleResult;
      return { result: errors ? { data, errors } : { data }, tags };
    } catch (error) {
      logger.error({ err: error }, "live query failed");
      return { result: { data: null, errors: [internalError] }, tags };
    }
  };
  const queries = new LiveQueries(read, {
    maxSubscriptions: live.maxSubscriptions,
    concurrency: live.concurrency,
    maxBytes: live.maxBytes,
  });
  const feed = new ChangeFeed(db, queries, logger);
  const schema = buildASTSchema(schemaDocument(), { assumeValid: true });
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxBodyBytes });

  options.httpServer.on("upgrade", (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, code: string, message: string) => {
      const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
      socket.end(
        `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    };
    const path = new URL(req.url ?? "/", "http://accord.invalid").pathname;
    if (path !== PATH) return refuse(404, "NOT_FOUND", `WebSocket connections go to ${PATH}`);
    if (options.draining()) {
      return refuse(503, "SHUTTING_DOWN", "The server is shutting down; connect again");
    }
    if (wss.clients.size >= live.maxConnections) {
      return refuse(
        503,
        "SERVER_BUSY",
        `This instance holds at most ${live.maxConnections} WebSocket connections; try again later`,
      );
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });

  const subscription = async (open: number, payload: SubscribePayload) => {
    if (open > live.maxSubscriptionsPerConnection) {
      return refusal({
        message: `A connection holds at most ${live.maxSubscriptionsPerConnection} subscriptions`,
        extensions: { code: "TOO_MANY_SUBSCRIPTIONS", limit: live.maxSubscriptionsPerConnection },
      });
    }
    const request = liveRequest(payload, schema, limits.maxTokens, options.trusted);
    if ("errors" in request) return refusal(...request.errors);
    feed.start();
    const subscriber = await queries.open(request);
    if (!(subscriber instanceof Subscriber)) return refusal(...subscriber);
    return {
      schema,
      document: request.document,
      operationName: request.operationName,
      contextValue: subscriber,
    };
  };

  // A client that stops reading: its answers pile up unsent. Closed (1013), then cut off if
  // the close cannot get through its full buffer either.
  const sweep = setInterval(() => {
    for (const socket of wss.clients) {
      if (socket.bufferedAmount <= MAX_BUFFERED_BYTES) continue;
      socket.close(1013, "The client does not read its answers fast enough");
      setTimeout(() => socket.terminate(), SWEEP_MS).unref();
    }
  }, SWEEP_MS).unref();

  const server = useServer<Record<string, unknown> | undefined, { socket: import("ws").WebSocket }>(
    {
      schema,
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      onSubscribe: async (ctx, _id, payload) => {
        try {
          return await subscription(Object.keys(ctx.subscriptions).length, payload);
        } catch (error) {
          // One subscription's failure is its own: the connection and its others stay.
          logger.error({ err: error }, "subscription could not start");
          return refusal(internalError);
        }
      },
      // The answers are formatted already (Apollo's `formatError`), where graphql-ws expects
      // `GraphQLError`s to format: `onNext` sends them as they are.
      subscribe: (args) => args.contextValue as OperationResult,
      onNext: (_ctx, _id, _payload, _args, result) => result,
    },
    wss,
    KEEP_ALIVE_MS,
  );

  return {
    get size() {
      return { connections: wss.clients.size, ...queries.size };
    },
    async close() {
      clearInterval(sweep);
      queries.close();
      // Each stream's `complete` goes out before its socket closes.
      await new Promise((resolve) => setImmediate(resolve));
      await server.dispose();
      await feed.close();
    },
  };
}

/**
 * A subscription sent over HTTP is refused, not run: its fields have no resolvers of their own
 * (they are read live over WebSocket), so running it would answer nulls that claim nothing is
 * there.
 */
export const subscriptionsOverWebSocket: ApolloServerPlugin<Context> = {
  requestDidStart: () =>
    Promise.resolve({
      didResolveOperation({ operation }) {
        if (operation?.operation !== OperationTypeNode.SUBSCRIPTION) return Promise.resolve();
        throw new GraphQLError(
          `Subscriptions go over WebSocket (graphql-transport-ws) at ${PATH}; send queries and mutations over HTTP`,
          { extensions: { code: "BAD_REQUEST", http: { status: 400 } } },
        );
      },
    }),
};

const internalError: GraphQLFormattedError = {
  message: "Internal server error",
  extensions: { code: "INTERNAL_SERVER_ERROR" },
};

function reasonPhrase(status: number): string {
  return status === 404 ? "Not Found" : "Service Unavailable";
}

/** graphql-ws sends errors it is given as `GraphQLError`s: formatted ones are wrapped. */
const refusal = (...errors: GraphQLFormattedError[]): GraphQLError[] =>
  errors.map(
    (error) =>
      new GraphQLError(error.message, {
        extensions: error.extensions,
        ...(error.path ? { path: error.path } : {}),
      }),
  );

/**
 * The subscription as the query of the same name: `subscription` becomes `query`, and a
 * fragment on `Subscription` one on `Query` (the root fields are the same, by construction of
 * schema.graphql). Only a subscription is taken.
 */
function liveRequest(
  payload: SubscribePayload,
  schema: GraphQLSchema,
  maxTokens: number,
  trusted: TrustedDocuments | null,
): (LiveRequest & { document: DocumentNode }) | { errors: GraphQLFormattedError[] } {
  let text = payload.query;
  if (trusted) {
    try {
      text = resolveDocument(trusted, payload);
    } catch (error) {
      const { message, extensions } = error as GraphQLError;
      return { errors: [{ message, extensions: { code: extensions.code } }] };
    }
  }
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens });
  } catch (error) {
    const message = error instanceof GraphQLError ? error.message : "The document does not parse";
    return { errors: [{ message, extensions: { code: "GRAPHQL_PARSE_FAILED" } }] };
  }
  let invalid: readonly GraphQLError[];
  try {
    invalid = validate(schema, document);
  } catch (error) {
    // graphql's single-root-field rule cannot decide `@include(if: $variable)` at the root.
    invalid = [
      error instanceof GraphQLError ? error : new GraphQLError("The document does not validate"),
    ];
  }
  if (invalid.length > 0) {
    return {
      errors: invalid.map((error) => ({
        message: error.message,
        extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
      })),
    };
  }
  const operation = getOperationAST(document, payload.operationName);
  if (operation && operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return {
      errors: [
        {
          message: `Only subscriptions go over WebSocket; send a ${operation.operation} over HTTP`,
          extensions: { code: "BAD_REQUEST" },
        },
      ],
    };
  }
  const asQuery = visit(document, {
    OperationDefinition: (node) =>
      node.operation === OperationTypeNode.SUBSCRIPTION
        ? { ...node, operation: OperationTypeNode.QUERY }
        : undefined,
    NamedType: (node) =>
      node.name.value === "Subscription"
        ? { ...node, name: { kind: Kind.NAME, value: "Query" } }
        : undefined,
  });
  const query = print(asQuery);
  const variables = payload.variables ?? {};
  const operationName = payload.operationName ?? null;
  return {
    query,
    variables,
    operationName,
    key: stringify([query, operationName, variables]) ?? "",
    document,
  };
}
