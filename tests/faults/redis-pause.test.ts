/**
 * Redis frozen with SIGSTOP for 3 s under load, then resumed: a cache that stops answering
 * without closing its connections. Accord must not wait on it beyond its few hundred
 * milliseconds of timeouts, must answer mutations as committed, and must not serve, once
 * Redis is back, an entry that a mutation could not evict while it was frozen.
 */
import { expect, it } from "@jest/globals";
import { sleep } from "./support/processes.js";
import { runUnderFault } from "./support/scenario.js";
import { stackSuite } from "./support/suite.js";

/** A request that waits on a frozen Redis longer than this counts as hung on it. */
const HUNG_MS = 3000;

stackSuite(
  "Fault: Redis SIGSTOP, then SIGCONT",
  { cache: "redis" },
  (stack) => {
    it("keeps answering reads and mutations while Redis is frozen, and serves no stale read after it resumes", async () => {
      const { log, report } = await runUnderFault(stack, {
        fault: "Redis SIGSTOP for 3 s, then SIGCONT and 2 s of reads only",
        prefix: "Fault redisstop",
        beforeMs: 2500,
        inject: async (control) => {
          stack.redis!.signal("SIGSTOP");
          try {
            await sleep(3000);
          } finally {
            // Reads only for 2 s after it resumes: an entry a write could not evict while Redis
            // was frozen is not evicted by chance by the next write.
            control.mutating = false;
            stack.redis!.signal("SIGCONT");
          }
          await sleep(2000);
          control.mutating = true;
        },
      });

      const hung = [...log.mutations.flatMap((m) => m.attempts), ...log.reads].filter(
        (r) => r.endedAt - r.startedAt > HUNG_MS,
      );
      expect(report.violations).toEqual([]);
      expect(report.figures.refused + report.figures.lost + report.figures.failed).toBe(0);
      expect(hung.map((r) => `${r.instance}: ${Math.round(r.endedAt - r.startedAt)} ms`)).toEqual(
        [],
      );
    });
  },
  { redis: true },
);
