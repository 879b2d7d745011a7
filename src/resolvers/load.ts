import type DataLoader from "dataloader";

/** Loads many keys at once; keys without a row are left out, and loader errors are thrown. */
export async function loadAll<K, Row>(loader: DataLoader<K, Row | null>, keys: readonly K[]) {
  const rows = await loader.loadMany(keys);
  const found: Row[] = [];
  for (const row of rows) {
    if (row instanceof Error) throw row;
    if (row !== null) found.push(row);
  }
  return found;
}
