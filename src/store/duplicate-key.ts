// MongoDB's duplicate-key error (code 11000; the embedded store answers with the same code): a
// unique index or `_id` already holds the value. Callers use it to tell "someone else made it first"
// or "this was ended meanwhile" from a real failure.
const DUPLICATE_KEY = 11000;

/** Is this the store's duplicate-key error? */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown } | null | undefined)?.code === DUPLICATE_KEY;
}
