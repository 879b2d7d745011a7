/**
 * Builds Accord's HTTP server: Apollo Server on Express, GraphQL at `/graphql`. Tests import
 * this module; `src/index.ts` starts it.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { expressMiddleware } from "@as-integrations/express5";
import cors from "cors";
import express from "express";
import type { Config } from "./config.js";
import { createContext, type Context } from "./context.js";
import type { Database } from "./db/database.js";
import { projectRoot } from "./paths.js";
import { resolvers } from "./resolvers/index.js";

export const typeDefs = readFileSync(path.join(projectRoot, "schema.graphql"), "utf8");

export interface AccordServer {
  httpServer: http.Server;
  /** Listens on `port` (0: any free port) and resolves to the URL of the GraphQL endpoint. */
  listen(port: number): Promise<string>;
  stop(): Promise<void>;
}

export async function createServer(db: Database, config: Pick<Config, "production">) {
  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    typeDefs,
    resolvers,
    includeStacktraceInErrorResponses: !config.production,
    // src/index.ts owns shutdown: it stops the server, then closes the database.
    stopOnTerminationSignals: false,
    plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
  });
  await apollo.start();

  app.use(
    "/graphql",
    cors(),
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: ({ req }) => Promise.resolve(createContext(db, req.headers.authorization)),
    }),
  );

  const server: AccordServer = {
    httpServer,
    listen: (port) =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, () => {
          const { port: bound } = httpServer.address() as AddressInfo;
          resolve(`http://localhost:${bound}/graphql`);
        });
      }),
    stop: () => apollo.stop(),
  };
  return server;
}
