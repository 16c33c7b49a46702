// Records with a TTL index (`expiresAt`) are deleted by the store's TTL monitor only eventually:
// MongoDB's runs every 60 s, later under load, and until then an expired record is still read,
// still matched by updates and still holds its unique keys. So no flow trusts that deletion: reads
// add `unexpired(now)`, and a flow about to create a record under a fixed id or key first removes
// an expired one there (what the monitor would have done), so it starts fresh.
import type { Model, QueryFilter } from 'mongoose';

/** The filter part that treats a record past its `expiresAt` as gone. */
export function unexpired(now: number): { expiresAt: { $gt: Date } } {
  return { expiresAt: { $gt: new Date(now) } };
}

/** Deletes the record `filter` names if it is past its `expiresAt`; a live one is left alone. */
export async function deleteIfExpired<T extends { expiresAt?: Date }>(model: Model<T>, filter: QueryFilter<T>, now: number): Promise<void> {
  await model.deleteOne({ ...filter, expiresAt: { $lte: new Date(now) } } as QueryFilter<T>);
}
