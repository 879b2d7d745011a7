/**
 * Loaded with `node --import` into a server under test: counts the SQL statements the
 * process sends through node-postgres (every `Client#query` call, whichever pool, ORM or
 * adaptor makes it) and reports the count when the benchmark asks over its IPC channel.
 * The count costs one increment per statement; nothing else in the server changes.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

interface PgModule {
  Client: { prototype: { query: (...args: unknown[]) => unknown } };
}

let statements = 0;

// The server's own copy of `pg` (resolved from its working directory) and the benchmark's
// (PostGraphile's): patching both prototypes covers either server.
const roots = [process.cwd(), path.dirname(fileURLToPath(import.meta.url))];
const patched = new Set<object>();
for (const root of roots) {
  let pg: PgModule;
  try {
    pg = createRequire(path.join(root, "index.js"))("pg") as PgModule;
  } catch {
    continue;
  }
  const prototype = pg.Client.prototype;
  if (patched.has(prototype)) continue;
  patched.add(prototype);
  const query = prototype.query;
  prototype.query = function (this: unknown, ...args: unknown[]) {
    statements++;
    return query.apply(this, args);
  };
}

if (process.send) {
  process.on("message", (message: { type?: string }) => {
    if (message.type === "stats") process.send?.({ type: "stats", statements });
  });
  // The channel must not keep a server alive that is asked to stop.
  process.channel?.unref();
}
