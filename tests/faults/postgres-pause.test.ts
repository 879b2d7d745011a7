/**
 * Postgres frozen with SIGSTOP (every process of the cluster) for 4 s under load, then
 * resumed with SIGCONT: a database that stops answering without closing anything. Requests
 * must give up within the instances' timeouts; a COMMIT sent just before the freeze is
 * carried out on resume, after its client was told something, which is where a lie would be.
 * The instances share a Redis cache.
 */
import { expect, it } from "@jest/globals";
import { sleep } from "./support/processes.js";
import { runUnderFault } from "./support/scenario.js";
import { stackSuite } from "./support/suite.js";

stackSuite(
  "Fault: Postgres SIGSTOP, then SIGCONT",
  { cache: "redis" },
  (stack) => {
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
      // The freeze made requests give up: reads within the client's timeouts, and mutations
      // too when one was between statements as it began (a mutation whose statements all waited
      // for the resume commits then, and is acknowledged truthfully).
      const { attempts, acked, readsFailed } = report.figures;
      expect(readsFailed + (attempts - acked)).toBeGreaterThan(0);
    });
  },
  { redis: true },
);
