/**
 * Values that may still be on their way: a lookup answers at once what the request already
 * holds (src/read/loaders.ts `Lookup`), and a resolver passes that on without making a promise of it.
 */

/** `then(value)`, at once when `value` is already here. */
export function andThen<T, U>(
  value: T | Promise<T>,
  then: (value: T) => U | Promise<U>,
): U | Promise<U> {
  return value instanceof Promise ? value.then(then) : then(value);
}

/** The rows that exist, in order: keys without a row are left out. */
export function existing<Row>(rows: readonly (Row | null)[]): Row[] {
  return rows.filter((row): row is Row => row !== null);
}
