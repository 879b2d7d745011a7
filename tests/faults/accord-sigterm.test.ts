/**
 * SIGTERM to one of the two instances under load, as an orchestrator's rolling restart sends
 * it; clients keep their connections alive, so some have a request on the way as the drain
 * starts. The instance must answer what it accepts (with `Connection: close`), refuse before
 * running what it will not run, reset nothing it executed, and exit 0; it is then started
 * again. The clients move to the other instance meanwhile.
 */
import { expect, it } from "@jest/globals";
import { runUnderFault } from "./support/scenario.js";
import { stackSuite } from "./support/suite.js";

stackSuite(
  "Fault: SIGTERM to an Accord instance",
  { cache: "redis" },
  (stack) => {
    it("drains without resetting an executed request, exits 0, and loses no mutation", async () => {
      const [a] = stack.instances;
      let signalledAt = 0;
      let exitedAt = 0;
      let exitCode: number | null = null;
      const { log, report } = await runUnderFault(stack, {
        fault: "SIGTERM to instance A (keep-alive clients), restarted once it exited",
        prefix: "Fault sigterm",
        inject: async () => {
          signalledAt = performance.now();
          a.signal("SIGTERM");
          exitCode = await a.exited();
          exitedAt = performance.now();
          await a.start();
        },
      });

      const draining = (t: { startedAt: number; endedAt: number; instance: string }) =>
        t.instance === "A" && t.endedAt >= signalledAt && t.startedAt <= exitedAt;
      // Sent once the drain had begun: its answer must close the connection.
      const sentDraining = (t: { startedAt: number; endedAt: number; instance: string }) =>
        draining(t) && t.startedAt >= signalledAt;
      const attempts = log.mutations.flatMap((m) => m.attempts.map((at) => ({ m, at })));
      // A reset or a cut answer, on a mutation the instance committed: the lie a drain must not tell.
      const resetButExecuted = report.lostButCommitted.flatMap((m) =>
        m.attempts
          .filter((at) => draining(at) && at.status === null && at.code !== "ECONNREFUSED")
          .map((at) => `${m.op} (key ${m.key}): ${at.code} from A, but it was committed`),
      );
      const answeredWithoutClose = [
        ...attempts
          .filter(({ at }) => sentDraining(at) && at.status !== null)
          .map(({ m, at }) => ({ ...at, what: m.op })),
        ...log.reads
          .filter((r) => sentDraining(r) && r.status !== null)
          .map((r) => ({ ...r, what: "read" })),
      ].filter((answer) => answer.connection !== "close");
      const resets = [
        ...attempts.map(({ at }) => at).filter((at) => draining(at) && at.status === null),
        ...log.reads.filter((r) => draining(r) && r.status === null),
      ].filter((t) => t.code !== "ECONNREFUSED");
      console.log(
        `SIGTERM: A exited ${Math.round(exitedAt - signalledAt)} ms after the signal with code ${exitCode}; ` +
          `${resets.length} requests reset or cut while it drained (${resetButExecuted.length} of them committed mutations), ` +
          `${answeredWithoutClose.length} answered without Connection: close`,
      );

      expect(exitCode).toBe(0);
      expect(resetButExecuted).toEqual([]);
      expect(
        answeredWithoutClose.map(
          (answer) =>
            `${answer.what} sent ${Math.round(answer.startedAt - signalledAt)} ms after SIGTERM: ` +
            `HTTP ${answer.status} from A without Connection: close`,
        ),
      ).toEqual([]);
      expect(report.violations).toEqual([]);
    });
  },
  { redis: true },
);
