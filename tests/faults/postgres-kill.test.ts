/**
 * Postgres killed with kill -9 (postmaster and every backend, as a crash or the OOM killer
 * would) under load, then started again on the same data: crash recovery runs, and the two
 * instances, on the default memory cache, reconnect by themselves. fsync is on: what was
 * committed before the crash must be there after it.
 */
import { expect, it } from "@jest/globals";
import { runUnderFault } from "./support/scenario.js";
import { stackSuite } from "./support/suite.js";
import { sleep } from "./support/processes.js";

stackSuite(
  "Fault: Postgres kill -9 and restart",
  { cache: "memory", cluster: { fsync: true } },
  (stack) => {
    it("tells every client the truth about its mutations, and serves no stale read, across a crash of the database", async () => {
      const { report } = await runUnderFault(stack, {
        fault: "Postgres kill -9, restarted after 1 s",
        prefix: "Fault pgkill",
        inject: async () => {
          await stack.postgres.crash();
          await sleep(1000);
          await stack.postgres.start();
        },
      });

      expect(report.violations).toEqual([]);
      // The crash reached the clients: some attempts were refused or lost.
      expect(report.figures.attempts).toBeGreaterThan(report.figures.acked);
    });
  },
);
