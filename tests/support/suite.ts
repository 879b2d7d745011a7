/**
 * What a describe block (or a whole file) shares: started before its tests, stopped after them.
 */
import { afterAll, beforeAll } from "@jest/globals";
import { startTestServer, type TestServerOptions } from "./server.js";

/**
 * Starts `start()` before the enclosing block's tests and stops it after them. The value is
 * read through the returned handle, inside the tests, once it exists.
 */
export function forSuite<T extends { stop(): Promise<void> }>(
  start: () => Promise<T>,
  timeoutMs?: number,
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, timeoutMs);
  afterAll(() => started?.stop());
  return new Proxy({} as T, {
    get(_, property) {
      if (!started) throw new Error(`read ${String(property)} before the suite started`);
      const value = Reflect.get(started, property, started) as unknown;
      return typeof value === "function" ? value.bind(started) : value;
    },
  });
}

/**
 * Closes, after the enclosing block's tests, what `own` is given, the last given first: a
 * server stops before the pool it reads through, the pool before its database.
 */
export function closedAfterAll(): <T>(resource: T, close: (resource: T) => Promise<unknown>) => T {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  return (resource, close) => {
    closers.push(() => close(resource));
    return resource;
  };
}

/**
 * A server for the enclosing block (`forSuite`) with an EDITOR key made as it starts:
 * `keys.editor` holds the key's headers once the block's tests run.
 */
export function suiteWithEditor(options?: TestServerOptions) {
  const keys = { editor: {} as Record<string, string> };
  const server = forSuite(async () => {
    const started = await startTestServer(options);
    keys.editor = await started.keyFor("EDITOR");
    return started;
  });
  return { server, keys };
}
