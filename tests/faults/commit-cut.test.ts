/**
 * The network between the instances and Postgres cut exactly as a COMMIT goes through: the
 * proxy lets the COMMIT reach Postgres, which commits, and resets the instance's connection
 * before the answer arrives. The instance cannot know whether its write happened; it must
 * say so (`DATABASE_UNAVAILABLE` with `extensions.committed: "unknown"`), and a retry with
 * the same Idempotency-Key must then tell the client what happened, without doing it twice.
 */
import { expect, it } from "@jest/globals";
import { sleep } from "./support/processes.js";
import { runUnderFault } from "./support/scenario.js";
import { stackSuite } from "./support/suite.js";

const CUTS = 12;

stackSuite(
  "Fault: the network cut as a COMMIT goes through",
  { cache: "memory", proxy: true },
  (stack) => {
    it("reports a commit whose answer was lost as unknown, and resolves it through the idempotency key", async () => {
      const { log, report } = await runUnderFault(stack, {
        fault: `${CUTS} COMMIT answers lost (proxy reset after the COMMIT reached Postgres)`,
        prefix: "Fault commitcut",
        inject: async () => {
          for (let i = 0; i < CUTS; i++) {
            stack.proxy!.cutCommits(1);
            await sleep(250);
          }
        },
      });
      const unknown = log.mutations.filter((m) =>
        m.attempts.some((at) => at.committed === "unknown"),
      ).length;
      console.log(
        `Commit cut: ${stack.proxy!.commitsCut} COMMIT answers lost; ` +
          `${unknown} mutations answered committed: "unknown"`,
      );

      expect(stack.proxy!.commitsCut).toBeGreaterThan(0);
      expect(report.violations).toEqual([]);
    });
  },
);
