/** What every resolver gets: the database, this request's loaders, and who is asking. */
import { authenticate, type Editor } from "./auth.js";
import type { Database } from "./db/database.js";
import { createLoaders, type Loaders } from "./loaders.js";
import type { RequestLog } from "./logging.js";

export interface Context {
  db: Database;
  loaders: Loaders;
  /**
   * The holder of the request's API key, or `null` without one. Checked only when a mutation
   * asks, so reads stay public whatever header they carry.
   */
  editor(): Promise<Editor | null>;
  /** This request's log line, filled in as the request goes. */
  log: RequestLog;
}

export function createContext(
  db: Database,
  authorization?: string,
  log: RequestLog = { id: "internal" },
): Context {
  let editor: Promise<Editor | null> | undefined;
  return {
    db,
    log,
    loaders: createLoaders(db.prisma),
    editor: () => (editor ??= authenticate(db, authorization)),
  };
}
