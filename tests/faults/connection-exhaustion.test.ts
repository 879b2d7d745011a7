/**
 * Postgres out of connection slots: a cluster with max_connections = 30, every free slot
 * taken by idle connections the test opens, and the instances' own connections terminated,
 * so that each reconnect meets "too many clients" (53300) for 3 s. Requests must be refused
 * with a retryable code, nothing half-written, and the instances must recover by themselves
 * once the slots are free.
 */
import { expect, it } from "@jest/globals";
import pg from "pg";
import { sleep } from "./support/processes.js";
import { runUnderFault } from "./support/scenario.js";
import { stackSuite } from "./support/suite.js";

const MAX_CONNECTIONS = 30;

/** Opens idle connections until the cluster refuses new ones; resolves to how many it got. */
async function fill(url: string, hogs: pg.Client[]): Promise<number> {
  let opened = 0;
  for (;;) {
    const batch = Array.from({ length: 5 }, () => new pg.Client({ connectionString: url }));
    const results = await Promise.allSettled(batch.map((client) => client.connect()));
    batch.forEach((client, i) => {
      client.on("error", () => undefined);
      if (results[i]!.status === "fulfilled") hogs.push(client);
    });
    const got = results.filter((r) => r.status === "fulfilled").length;
    opened += got;
    if (got === 0) return opened;
  }
}

stackSuite(
  "Fault: Postgres out of connection slots",
  {
    cache: "memory",
    cluster: { maxConnections: MAX_CONNECTIONS },
  },
  (stack) => {
    it("refuses requests with a retryable code while no connection can be made, and recovers once slots are free", async () => {
      const hogs: pg.Client[] = [];
      let hogged = 0;
      const killer = new pg.Client({ connectionString: stack.postgres.url() });
      await killer.connect();
      try {
        const { report } = await runUnderFault(stack, {
          fault: `Postgres at max_connections (${MAX_CONNECTIONS}) for 3 s, the instances' connections terminated`,
          prefix: "Fault exhaustion",
          inject: async () => {
            hogged += await fill(stack.postgres.url(), hogs);
            const started = performance.now();
            while (performance.now() - started < 3000) {
              await killer.query(
                `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = 'accord' AND pid <> pg_backend_pid()`,
              );
              // The slots the instances just lost go to the test before they can reconnect.
              hogged += await fill(stack.postgres.url(), hogs);
              await sleep(250);
            }
            await Promise.all(hogs.splice(0).map((client) => client.end().catch(() => undefined)));
          },
        });
        console.log(`Connection exhaustion: the test held ${hogged} idle connections in all`);

        expect(hogged).toBeGreaterThan(0);
        expect(report.violations).toEqual([]);
        expect(report.figures.attempts).toBeGreaterThan(report.figures.acked);
      } finally {
        await Promise.all(hogs.map((client) => client.end().catch(() => undefined)));
        await killer.end();
      }
    });
  },
);
