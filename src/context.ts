/** What every resolver gets: the database, this request's loaders, and who is asking. */
import { authenticate, type Editor } from "./auth.js";
import type { Database } from "./db/database.js";
import { createLoaders, type Loaders } from "./read/loaders.js";
import type { CacheState } from "./cache/responses.js";
import type { ResponseCache } from "./cache/invalidation.js";
import type { RequestLog } from "./logging.js";
import { ungated, type Gate } from "./busy.js";
import type { ResponseBudget } from "./response-size.js";
import type { KeyedMutation } from "./idempotency.js";

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
  /** The response cache, which mutations wait for after commit; null when it is off. */
  responseCache: ResponseCache | null;
  /** This request's cache entry in the making, for a read the cache missed. */
  cache?: CacheState;
  /** The slots expensive public reads (search, name search) run in (src/busy.ts). */
  expensive: Gate;
  /** What the response may still take (src/response-size.ts); set for each GraphQL request. */
  responseBudget?: ResponseBudget;
  /** A mutation sent with an `Idempotency-Key` (src/idempotency.ts); `edit()` records it. */
  idempotency?: KeyedMutation;
  /** For a live read (src/live/queries.ts): collects the tags of what it shows. */
  live?: Set<string>;
}

export function createContext(
  db: Database,
  options: {
    authorization?: string;
    log?: RequestLog;
    responseCache?: ResponseCache | null;
    cache?: CacheState;
    expensive?: Gate;
  } = {},
): Context {
  let editor: Promise<Editor | null> | undefined;
  const { authorization } = options;
  return {
    db,
    log: options.log ?? { id: "internal" },
    responseCache: options.responseCache ?? null,
    cache: options.cache,
    expensive: options.expensive ?? ungated,
    loaders: createLoaders(db),
    editor: () => (editor ??= authenticate(db, authorization)),
  };
}
