/**
 * Postgres frozen with SIGSTOP (every process of the cluster) for 4 s under load, then
 * resumed with SIGCONT: a database that stops answering without closing anything. Requests
 * must give up within the instances' timeouts; a COMMIT sent just before the freeze is
 * carried out on resume, after its client was told something, which is where a lie would be.
 * The instances share a Redis cache.
 */
import { afterAll, beforeAll, expect, it } from "@jest/globals";
import { sleep } from "./support/processes.js";
import { runUnderFault } from "./support/scenario.js";
import { startStack, type Stack } from "./support/stack.js";
import { faultSuite } from "./support/suite.js";

faultSuite(
  "Fault: Postgres SIGSTOP, then SIGCONT",
  () => {
    let stack: Stack;
    beforeAll(async () => {
      stack = await startStack({ cache: "redis" });
    });
    afterAll(async () => {
      await stack?.stop();
    });

    it("gives up on a frozen database within its timeouts, tells the truth about each mutation, and serves no stale read", async () => {
      const { report } = await runUnderFault(stack, {
        fault: "Postgres SIGSTOP for 4 s, then SIGCONT",
        prefix: "Fault pgstop",
        inject: async () => {
          stack.postgres.signal("SIGSTOP");
          try {
            await sleep(4000);
          } finally {
            stack.postgres.signal("SIGCONT");
          }
        },
      });

      expect(report.violations).toEqual([]);
      expect(report.figures.attempts).toBeGreaterThan(report.figures.acked);
    });
  },
  { redis: true },
);
