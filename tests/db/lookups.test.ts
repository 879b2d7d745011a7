/**
 * A lookup cleared while one of its batches is still reading must not hold that batch's rows
 * afterwards: they were read before the change that made the request clear it (src/edits/edit.ts
 * clears every loader after a commit), and `get` answers from what the lookup holds, at once.
 */
import { describe, expect, it } from "@jest/globals";
import { Lookup } from "../../src/read/loaders.js";

/** A lookup whose batches read the current `version` of each row, then wait for `release`. */
function gatedLookup() {
  const state = { version: 1 };
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const lookup = new Lookup<number, string>(async (keys) => {
    const seen = state.version;
    await gate;
    return keys.map((key) => `row ${key} v${seen}`);
  });
  return { lookup, state, release };
}

describe("Lookup: clearing during a batch", () => {
  it.each([
    ["the whole lookup", (lookup: Lookup<number, string>) => lookup.clearAll()],
    ["the key", (lookup: Lookup<number, string>) => lookup.clear(1)],
  ])("does not answer from a batch that was in flight when %s was cleared", async (_, clear) => {
    const { lookup, state, release } = gatedLookup();
    const before = lookup.load(1);
    // Let the batch start reading (DataLoader dispatches on the next tick).
    await new Promise((resolve) => setImmediate(resolve));
    state.version = 2;
    clear(lookup);
    release();
    await expect(before).resolves.toBe("row 1 v1");
    // DataLoader itself reads again after a clear (`load`); `get` does too.
    expect(await lookup.get(1)).toBe("row 1 v2");
  });

  it("answers at once what an earlier batch read, and what was primed", async () => {
    const { lookup, release } = gatedLookup();
    release();
    await lookup.load(1);
    lookup.prime(2, "primed 2");
    expect(lookup.get(1)).toBe("row 1 v1");
    expect(lookup.getAll([2, 1])).toEqual(["primed 2", "row 1 v1"]);
    await expect(lookup.getAll([1, 3])).resolves.toEqual(["row 1 v1", "row 3 v1"]);
  });
});
