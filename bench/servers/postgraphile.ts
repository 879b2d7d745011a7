/**
 * PostGraphile 5 over Accord's database, as the benchmark's peer: the Amber preset, one
 * pool of 10 connections (as Accord's), no GraphiQL, no schema watching, no subscriptions.
 * Env: DATABASE_URL, PORT. GraphQL at `/graphql`.
 *
 * PostGraphile 5 targets Node 22; on Node 20 the one missing piece it uses,
 * `Promise.withResolvers` (ES2024), is filled in before it loads.
 */
import { createServer } from "node:http";

type Resolvers = {
  promise: Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
};
const promise = Promise as unknown as { withResolvers?: () => Resolvers };
promise.withResolvers ??= () => {
  let resolve!: Resolvers["resolve"];
  let reject!: Resolvers["reject"];
  const p = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise: p, resolve, reject };
};

// The packages live in bench/node_modules; they are imported by name at run time and typed
// here only as far as this file uses them, so the file type-checks without them.
const load = <T>(specifier: string) => import(specifier) as Promise<T>;
interface Instance {
  createServ(grafserv: unknown): { addTo(server: ReturnType<typeof createServer>): Promise<void> };
  release(): unknown;
}
const { postgraphile } = await load<{ postgraphile: (preset: unknown) => Instance }>(
  "postgraphile",
);
const { PostGraphileAmberPreset } = await load<{ PostGraphileAmberPreset: unknown }>(
  "postgraphile/presets/amber",
);
const { makePgService } = await load<{ makePgService: (options: unknown) => unknown }>(
  "postgraphile/adaptors/pg",
);
const { grafserv } = await load<{ grafserv: unknown }>("postgraphile/grafserv/node");

const port = Number(process.env.PORT ?? 4200);
const instance = postgraphile({
  extends: [PostGraphileAmberPreset],
  // Any column can order a list, as in PostGraphile 4 (Accord orders citations by offset).
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      pubsub: false,
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: { port, graphiql: false, watch: false },
  grafast: { explain: false },
});
const server = createServer();
server.on("error", (error) => {
  console.error(error);
  process.exit(1);
});
await instance.createServ(grafserv).addTo(server);
server.listen(port, () =>
  console.log(`PostGraphile is serving GraphQL at http://localhost:${port}/graphql`),
);

process.once("SIGTERM", () => {
  server.close();
  void Promise.resolve(instance.release()).finally(() => process.exit(0));
});
