/**
 * One fault test's shape: the load runs, the fault is injected into what the stack started,
 * the load goes on for a while after the fault is over and ends with reads only, then the
 * checker holds the logs against the database and the figures are printed.
 */
import { check, printFigures, type Report } from "./check.js";
import { runLoad, type LoadControl, type LoadLog } from "./load.js";
import { sleep } from "./processes.js";
import type { Stack } from "./stack.js";

/** However slow recovery is, clients must be served again within this (a liveness bound). */
export const RECOVERY_BOUND_MS = 30_000;

/** How long the load ends with reads only. */
const QUIET_MS = 1500;

export interface FaultRun {
  log: LoadLog;
  report: Report;
}

export async function runUnderFault(
  stack: Stack,
  options: {
    fault: string;
    /** Actor name prefix: unique per test. */
    prefix: string;
    /**
     * Injects the fault and resolves once it is over (the process back, the network
     * restored). It may hold the load's mutations back for a while (`control.mutating`).
     */
    inject: (control: LoadControl) => Promise<void>;
    clients?: number;
    /** Load before the fault, so caches hold entries and connections are in use. */
    beforeMs?: number;
    /** Load after the fault is over. */
    afterMs?: number;
  },
): Promise<FaultRun> {
  let stop!: () => void;
  const until = new Promise<void>((resolve) => (stop = resolve));
  const load = runLoad({
    instances: stack.instances,
    editor: stack.editor,
    prefix: options.prefix,
    clients: options.clients ?? 6,
    until,
  });
  let startedAt = 0;
  let endedAt = 0;
  try {
    await sleep(options.beforeMs ?? 1500);
    startedAt = performance.now();
    await options.inject(load.control);
    endedAt = performance.now();
    await sleep(options.afterMs ?? 3000);
    // Slow recovery is measured, not cut short: the load goes on until a mutation sent after
    // the fault is acknowledged, within the liveness bound.
    const recovered = () =>
      load.log.mutations.some((m) =>
        m.attempts.some((a) => a.kind === "ack" && a.startedAt >= endedAt),
      );
    while (!recovered() && performance.now() - endedAt < RECOVERY_BOUND_MS) await sleep(200);
    // Reads only, to end: an entry an instance kept from before another instance's write is
    // not evicted by chance by a write of its own, so serving it shows as a stale read.
    load.control.mutating = false;
    await sleep(QUIET_MS);
  } finally {
    stop();
  }
  const log = await load.finished;
  const report = await check(log, {
    admin: stack.admin,
    instances: stack.instances,
    editor: stack.editor,
    prefix: options.prefix,
    window: { fault: options.fault, startedAt, endedAt },
  });
  const recovery = report.figures.recoveryMs.mutation;
  if (recovery === null || recovery > RECOVERY_BOUND_MS) {
    report.violations.push(
      `[clients are served again within ${RECOVERY_BOUND_MS / 1000} s of the fault's end] ` +
        (recovery === null
          ? "no mutation sent after the fault was over was acknowledged"
          : `the first acknowledged mutation came ${recovery} ms after the fault was over`),
    );
  }
  printFigures(report.figures);
  return { log, report };
}
