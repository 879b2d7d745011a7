/**
 * A fault suite's `describe`: skipped, saying why, when the machine cannot start what the
 * suite breaks (the Postgres 15 binaries, redis-server). Jest's per-test timeout is raised:
 * a fault test starts a cluster and two servers, and runs a load for several seconds.
 */
import { afterAll, beforeAll, describe, it, jest } from "@jest/globals";
import { POSTGRES_BIN, postgresInstalled } from "./postgres.js";
import { redisInstalled } from "./redis.js";
import { startStack, type Stack, type StackOptions } from "./stack.js";

export const FAULT_TEST_TIMEOUT_MS = 120_000;

export function faultSuite(name: string, body: () => void, needs: { redis?: boolean } = {}): void {
  const missing = [
    ...(postgresInstalled ? [] : [`Postgres 15 binaries (${POSTGRES_BIN})`]),
    ...(needs.redis && !redisInstalled ? ["redis-server"] : []),
  ];
  if (missing.length > 0) {
    const reason = `needs ${missing.join(" and ")}`;
    console.warn(`${name}: skipped, ${reason}`);
    describe(name, () => it.skip(`is skipped: ${reason}`, () => undefined));
    return;
  }
  describe(name, () => {
    jest.setTimeout(FAULT_TEST_TIMEOUT_MS);
    body();
  });
}

/**
 * A fault suite over one stack (./stack.ts), started before its tests and stopped after them.
 * `body` gets the stack's object, filled in before the first test runs.
 */
export function stackSuite(
  name: string,
  options: StackOptions,
  body: (stack: Stack) => void,
  needs: { redis?: boolean } = {},
): void {
  faultSuite(
    name,
    () => {
      const stack = {} as Stack;
      beforeAll(async () => {
        Object.assign(stack, await startStack(options));
      });
      afterAll(async () => {
        await stack.stop?.();
      });
      body(stack);
    },
    needs,
  );
}
