/**
 * Redis with persistence (an AOF fsynced on every write) killed with kill -9 under load,
 * while both instances cache in it; mutations go on while it is down (no eviction can reach
 * it), then it is started again from its AOF and brings back every entry it held, and only
 * reads come for 2 s. No read after an acknowledgement may show what such an entry holds.
 */
import { expect, it } from "@jest/globals";
import { sleep } from "./support/processes.js";
import { runUnderFault } from "./support/scenario.js";
import { stackSuite } from "./support/suite.js";

stackSuite(
  "Fault: Redis kill -9, restarted from its AOF",
  { cache: "redis", redisPersistence: true },
  (stack) => {
    it("answers every mutation as committed while Redis is gone, and serves no entry it brings back stale", async () => {
      const { report } = await runUnderFault(stack, {
        fault:
          "Redis (appendonly, appendfsync always) kill -9, restarted after 3 s, then 2 s of reads only",
        prefix: "Fault rediskill",
        beforeMs: 2500,
        inject: async (control) => {
          await stack.redis!.crash();
          await sleep(3000);
          // Writes are rare beside reads: for 2 s after the restart only reads come, so an
          // entry Redis brings back is not evicted by chance by the next write.
          control.mutating = false;
          try {
            await stack.redis!.start();
            await sleep(2000);
          } finally {
            control.mutating = true;
          }
        },
        afterMs: 4000,
      });

      expect(report.violations).toEqual([]);
      // Redis is a cache: losing it refuses nothing.
      expect(report.figures.refused + report.figures.lost + report.figures.failed).toBe(0);
    });
  },
  { redis: true },
);
