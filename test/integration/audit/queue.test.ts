// The per-process queue (src/audit/record.ts): one append in flight, and the records that queued up
// meanwhile go together in the next insert, in the order they were made, each linked to the one
// before. The count of insert commands is read from the driver's command monitoring.
import { expect } from 'chai';
import type { CommandStartedEvent } from 'mongodb';
import { createAuditLog } from '../../../src/audit/record.js';
import { verifyChain } from '../../../src/audit/verify.js';
import { openConnection } from '../../../src/store/connection.js';
import { auditEntryModel } from '../../../src/store/models/audit-entry.js';
import { FakeClock } from '../../helpers/clock.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';
import { testAuditKeys } from '../../helpers/audit-keys.js';

describe('audit: the append queue', () => {
  let store: StoreUnderTest;
  before(async () => {
    store = await storeUnderTest();
  });
  after(() => store.close());

  it('writes records made while an append is in flight in one ordered insert, chained in call order', async () => {
    const connection = await openConnection(`${store.uri}${store.uri.includes('?') ? '&' : '?'}monitorCommands=true`);
    try {
      const models = { AuditEntry: auditEntryModel(connection) };
      await models.AuditEntry.createIndexes();
      const inserts: number[] = [];
      connection.getClient().on('commandStarted', (event: CommandStartedEvent) => {
        const command = event.command as { insert?: string; documents?: unknown[] };
        if (command.insert === 'audit_entries') inserts.push(command.documents?.length ?? 0);
      });
      const log = createAuditLog({ models, keys: testAuditKeys, now: new FakeClock().now });
      const users = Array.from({ length: 30 }, (_, i) => `user-${i}`);
      const entries = await Promise.all(users.map((userSub) => log.record({ event: 'session.logout', outcome: 'success', userSub })));

      // The first went alone (nothing was in flight); the other 29 queued behind it and went together.
      expect(inserts).to.deep.equal([1, 29]);
      expect(entries.map((entry) => entry.userSub)).to.deep.equal(users);
      expect(entries.map((entry) => entry.seq)).to.deep.equal(users.map((_, i) => i + 1));
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).to.equal(entries[i - 1]!.hash);
      expect(await verifyChain({ models, keys: testAuditKeys })).to.include({ ok: true, count: 30 });
    } finally {
      await connection.close();
    }
  });
});
