// The chain check page: intact → the count; an entry edited directly in the store (here another
// practice's) → its seq and time, and what is wrong, without any of that entry's contents. Running
// the check is a CSRF-checked form and is itself audited.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import type { UserDoc } from '../../../src/accounts/service.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { field, type Browser } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('admin: audit chain verification page', () => {
  let bench: MfaBench;
  let admin: UserDoc;
  let practiceId: Types.ObjectId;
  let otherPracticeId: Types.ObjectId;
  let browser: Browser;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk' });
    practiceId = (await bench.server.createPractice({ name: 'Seaside Clinic' }))._id;
    otherPracticeId = (await bench.server.createPractice({ name: 'Other Clinic' }))._id;
    admin = await bench.server.createUser({ practiceId, email: 'admin@seaside.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    ({ browser } = await adminSignIn(bench, admin, PASSWORD, '/admin/audit/verify'));
  });
  after(() => bench?.close());

  const verify = async () => {
    const token = field((await browser.get(bench.server.url('/admin/audit/verify'))).html, '_csrf');
    return browser.post(bench.server.url('/admin/audit/verify'), { _csrf: token });
  };
  const entries = () => bench.server.connection.db!.collection('audit_entries');

  it('reports an intact chain with the number of entries, and audits the check', async () => {
    const count = await bench.server.models.AuditEntry.countDocuments({});
    const page = await verify();
    expect(page.status).to.equal(200);
    expect(page.html).to.include(`The audit log is intact: ${count} entries verified.`);
    const record = await bench.server.models.AuditEntry.findOne({ event: 'audit.verified' }).lean();
    expect(record).to.deep.include({ outcome: 'success', practiceId: practiceId.toHexString(), userSub: admin.sub, details: { count } });
  });

  it('refuses to run without the CSRF token', async () => {
    const before = await bench.server.models.AuditEntry.countDocuments({ event: 'audit.verified' });
    expect((await browser.post(bench.server.url('/admin/audit/verify'), {})).status).to.equal(403);
    expect(await bench.server.models.AuditEntry.countDocuments({ event: 'audit.verified' })).to.equal(before);
  });

  it("names the first entry edited in the store (even another practice's) by seq and time only", async () => {
    const theirs = await bench.server.idp.mfa.audit.record({
      event: 'signin.password.failed', outcome: 'failure', practiceId: otherPracticeId.toHexString(),
      userSub: 'their-user-sub', ip: '192.0.2.99', userAgent: 'Their Agent', reasons: ['wrong_password'],
    });
    await verify();
    await entries().updateOne({ seq: theirs.seq }, { $set: { outcome: 'success', reasons: [] } });

    const page = await verify();
    expect(page.html).to.include('The audit log has been tampered with.');
    expect(page.html).to.include(`<dd id="broken-seq">seq ${theirs.seq}</dd>`);
    expect(page.html).to.include(`<dd>${theirs.at.toISOString().slice(0, 19).replace('T', ' ')} UTC</dd>`);
    expect(page.html).to.include('the entry was changed after it was written');
    expect(page.html).to.include(`${theirs.seq - 1} entries before it are intact.`);
    for (const secret of ['their-user-sub', '192.0.2.99', 'Their Agent', 'wrong_password']) expect(page.html).to.not.include(secret);

    const record = await bench.server.models.AuditEntry.findOne({ event: 'audit.verified', outcome: 'failure' }).lean();
    expect(record!.details).to.deep.equal({ count: theirs.seq - 1, firstBroken: { seq: theirs.seq, reason: 'hash_mismatch' } });

    // Put it back as it was written: the chain is intact again.
    await entries().updateOne({ seq: theirs.seq }, { $set: { outcome: 'failure', reasons: ['wrong_password'] } });
    expect((await verify()).html).to.include('The audit log is intact');
  });

  it('names a deleted entry by its seq', async () => {
    const first = await bench.server.idp.mfa.audit.record({ event: 'session.logout', outcome: 'success', practiceId: practiceId.toHexString() });
    const second = await bench.server.idp.mfa.audit.record({ event: 'session.logout', outcome: 'success', practiceId: practiceId.toHexString() });
    await bench.server.idp.mfa.audit.record({ event: 'session.logout', outcome: 'success', practiceId: practiceId.toHexString() });
    await entries().deleteOne({ seq: second.seq });

    const page = await verify();
    expect(page.html).to.include(`<dd id="broken-seq">seq ${second.seq}</dd>`);
    expect(page.html).to.include('the entry is missing (deleted)');
    expect(page.html).to.include(`unknown (written after ${first.at.toISOString().slice(0, 19).replace('T', ' ')} UTC)`);
  });
});
