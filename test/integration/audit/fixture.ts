// A real store (embedded, or MongoDB when MONGODB_URI is set) with the audit model on its own
// connection, an audit log on a FakeClock, and two practices' ids.
import { Types, type Connection } from 'mongoose';
import { createAuditLog, type AuditLog, type AuditModels } from '../../../src/audit/record.js';
import { openConnection } from '../../../src/store/connection.js';
import { auditEntryModel } from '../../../src/store/models/audit-entry.js';
import { FakeClock } from '../../helpers/clock.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';

export interface AuditFixture {
  store: StoreUnderTest;
  connection: Connection;
  models: AuditModels;
  clock: FakeClock;
  auditLog: AuditLog;
  practiceA: string;
  practiceB: string;
  /** Another connection to the same database, with its own audit log (another "instance"). */
  open(): Promise<{ connection: Connection; models: AuditModels; auditLog: AuditLog }>;
  close(): Promise<void>;
}

export async function auditFixture(): Promise<AuditFixture> {
  const store = await storeUnderTest();
  const clock = new FakeClock();
  const extra: Connection[] = [];
  const open = async () => {
    const connection = await openConnection(store.uri);
    extra.push(connection);
    const models = { AuditEntry: auditEntryModel(connection) };
    await models.AuditEntry.createIndexes();
    return { connection, models, auditLog: createAuditLog({ models, keys: testAuditKeys, now: clock.now }) };
  };
  const main = await open();
  return {
    store, clock, ...main, open,
    practiceA: new Types.ObjectId().toHexString(),
    practiceB: new Types.ObjectId().toHexString(),
    async close() {
      await Promise.all(extra.map((connection) => connection.close()));
      await store.close();
    },
  };
}

/** The raw collection, as someone with database access (not the app) would change it. */
export function rawEntries(fixture: AuditFixture) {
  return fixture.connection.db!.collection('audit_entries');
}
