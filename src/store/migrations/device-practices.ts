// Start-up migration: known devices remembered before devices were known per practice carry no
// `practiceIds`. Each gets the practices of its identity's memberships (not invitations): before,
// a device counted for every practice the person entered, so tagging it with all of them keeps
// every sign-in's risk decision as it was; from then on each practice's own sign-ins and its
// admin's "forget" move its tag only. Idempotent: only devices without the field are touched (a
// device tagged meanwhile by a sign-in is left as it is), in batches of 500, through the driver.
import type { AnyBulkWriteOperation, Collection, Document, ObjectId } from 'mongodb';
import type { Models } from '../models/index.js';

const BATCH = 500;

export async function tagDevicesWithPractices(models: Pick<Models, 'KnownDevice' | 'Membership'>): Promise<{ devices: number }> {
  const devices = models.KnownDevice.collection as unknown as Collection<Document>;
  const memberships = models.Membership.collection as unknown as Collection<Document>;
  let tagged = 0;
  // Each batch sets the field on its devices, so the loop ends when none is left.
  for (;;) {
    const batch = await devices.find({ practiceIds: { $exists: false } }, { projection: { userId: 1 } }).limit(BATCH).toArray() as unknown as Array<{ _id: ObjectId; userId: ObjectId }>;
    if (batch.length === 0) return { devices: tagged };
    const rows = await memberships.find({ userId: { $in: [...new Set(batch.map((device) => device.userId))] }, status: { $ne: 'invited' } }, { projection: { userId: 1, practiceId: 1 } }).toArray();
    const practicesOf = new Map<string, ObjectId[]>();
    for (const row of rows) practicesOf.set(String(row.userId), [...(practicesOf.get(String(row.userId)) ?? []), row.practiceId as ObjectId]);
    const writes: AnyBulkWriteOperation<Document>[] = batch.map((device) => ({
      updateOne: { filter: { _id: device._id, practiceIds: { $exists: false } }, update: { $set: { practiceIds: practicesOf.get(String(device.userId)) ?? [] } } },
    }));
    await devices.bulkWrite(writes, { ordered: false });
    tagged += batch.length;
  }
}
