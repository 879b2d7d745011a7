/**
 * Accord on database handles that a test opens itself (a small pool, a proxy in between) over a
 * database of its own. Everything opened here is closed after the enclosing block, the last
 * opened first: the server, then its pool, the proxy, the direct handle, the database.
 */
import { readConfig } from "../../src/config.js";
import { openPostgres, type Database, type DatabaseOptions } from "../../src/db/database.js";
import { migrate } from "../../src/db/migrate.js";
import { seed } from "../../src/seed/load.js";
import { createServer, type AccordServer } from "../../src/server.js";
import { createTestDatabase } from "./postgres.js";
import { closedAfterAll } from "./suite.js";

export function ownedStack() {
  const own = closedAfterAll();
  return {
    own,
    /** A new database on `DATABASE_URL`, migrated and (unless `seeded` is false) seeded. */
    async database({ seeded = true } = {}): Promise<{ url: string; direct: Database }> {
      const { url } = own(await createTestDatabase(), (created) => created.drop());
      const direct = own(openPostgres(url), (db) => db.close());
      await migrate(direct);
      if (seeded) await seed(direct);
      return { url, direct };
    },
    /** A pool of its own on `url`. */
    pool(url: string, options?: DatabaseOptions): Database {
      return own(openPostgres(url, options), (db) => db.close());
    },
    /** Accord over `db`, configured by `env`, listening on a free port. */
    async serve(
      db: Database,
      env: Record<string, string>,
    ): Promise<{ server: AccordServer; url: string }> {
      const server = own(await createServer(db, readConfig(env)), (accord) => accord.stop());
      return { server, url: await server.listen(0) };
    },
  };
}
