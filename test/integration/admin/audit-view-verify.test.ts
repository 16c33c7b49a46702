// The admin's chain check (issue 21.6): the practice's own view, bounded and rate-limited. It counts
// only the practice's entries (never the installation's), locates a break by time (never by seq or
// another practice's contents), shows it prominently and writes nothing onto a broken chain.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import type { UserDoc } from '../../../src/accounts/service.js';
import { verifyPracticeView } from '../../../src/audit/practice-view.js';
import { LIMIT_NAMES } from '../../../src/config/limit-rules.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { field, type Browser } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
/** Every limit out of the way but the chain check's: 5 per 15 minutes per practice (the default). */
const RATE_LIMITS = LIMIT_NAMES.map((name) => `${name}=${name === 'audit_verify' ? '5/900' : '1000000/60'}`).join(',');
const utc = (at: Date) => `${at.toISOString().slice(0, 19).replace('T', ' ')} UTC`;

describe('admin: audit chain verification page', () => {
  let bench: MfaBench;
  let admin: UserDoc;
  let practiceId: Types.ObjectId;
  let otherPracticeId: Types.ObjectId;
  let browser: Browser;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk', env: { RATE_LIMITS } });
    practiceId = (await bench.server.createPractice({ name: 'Seaside Clinic' }))._id;
    otherPracticeId = (await bench.server.createPractice({ name: 'Other Clinic' }))._id;
    admin = await bench.server.createUser({ practiceId, email: 'admin@seaside.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    // The rest of the installation is much busier than this practice.
    for (let i = 0; i < 40; i += 1) {
      await bench.server.idp.audit.record({ event: 'signin.password.succeeded', outcome: 'success', practiceId: otherPracticeId.toHexString(), userSub: `their-${i}` });
    }
    ({ browser } = await adminSignIn(bench, admin, PASSWORD, '/admin/audit/verify'));
  });
  after(() => bench?.close());

  const verify = async () => {
    const token = field((await browser.get(bench.server.url('/admin/audit/verify'))).html, '_csrf');
    return browser.post(bench.server.url('/admin/audit/verify'), { _csrf: token });
  };
  const entries = () => bench.server.connection.db!.collection('audit_entries');
  const ours = () => bench.server.models.AuditEntry.countDocuments({ practiceId: practiceId.toHexString() });

  it("reports the practice's own count, never the installation's, and audits the check", async () => {
    const own = await ours();
    const all = await bench.server.models.AuditEntry.countDocuments({});
    expect(all).to.be.above(own + 30);
    const page = await verify();
    expect(page.status).to.equal(200);
    expect(page.html).to.match(new RegExp(`The audit log is intact: ${own} of your practice's entries verified since \\w{3}, [^(<]+ \\(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)\\.`));
    expect(page.html).not.to.match(new RegExp(`\\b${all} (of|entries)`));
    // Nor do the list's rows carry the installation-wide seq (which grows with every practice's activity).
    expect((await browser.get(bench.server.url('/admin/audit'))).html).not.to.match(/seq/i);
    const record = await bench.server.models.AuditEntry.findOne({ event: 'audit.verified' }).lean();
    expect(record).to.deep.include({ outcome: 'success', practiceId: practiceId.toHexString(), userSub: admin.sub, details: { checked: own, complete: true } });
  });

  it('refuses to run without the CSRF token', async () => {
    const before = await bench.server.models.AuditEntry.countDocuments({ event: 'audit.verified' });
    expect((await browser.post(bench.server.url('/admin/audit/verify'), {})).status).to.equal(403);
    expect(await bench.server.models.AuditEntry.countDocuments({ event: 'audit.verified' })).to.equal(before);
  });

  it("shows a break in another practice's entry next to ours by time only, and writes nothing onto the broken chain", async () => {
    const theirs = await bench.server.idp.audit.record({
      event: 'signin.password.failed', outcome: 'failure', practiceId: otherPracticeId.toHexString(),
      userSub: 'their-user-sub', ip: '192.0.2.99', userAgent: 'Their Agent', reasons: ['wrong_password'],
    });
    await bench.server.idp.audit.record({ event: 'session.logout', outcome: 'success', practiceId: practiceId.toHexString() });
    await entries().updateOne({ seq: theirs.seq }, { $set: { outcome: 'success', reasons: [] } });
    const before = await entries().countDocuments();

    const page = await verify();
    expect(page.html).to.include('<div class="alert" id="verify-result" role="alert"><p><strong>The audit log has been tampered with.</strong>');
    expect(page.html).to.include('<dd id="broken-where">an entry near yours</dd>');
    expect(page.html).to.match(new RegExp(`<dd id="broken-time">[^<(]+ \\(${utc(theirs.at)}\\)</dd>`));
    expect(page.html).to.include('the entry was changed after it was written');
    for (const secret of ['their-user-sub', '192.0.2.99', 'Their Agent', 'wrong_password', `seq ${theirs.seq}`, 'broken-seq']) expect(page.html).to.not.include(secret);
    expect(await entries().countDocuments()).to.equal(before);

    // Put it back as it was written: the chain is intact again.
    await entries().updateOne({ seq: theirs.seq }, { $set: { outcome: 'failure', reasons: ['wrong_password'] } });
    expect((await verify()).html).to.include('The audit log is intact');
  });

  it("names a deleted entry of ours by the time after which it was written", async () => {
    const first = await bench.server.idp.audit.record({ event: 'session.logout', outcome: 'success', practiceId: practiceId.toHexString() });
    const second = await bench.server.idp.audit.record({ event: 'session.logout', outcome: 'success', practiceId: practiceId.toHexString() });
    await bench.server.idp.audit.record({ event: 'session.logout', outcome: 'success', practiceId: practiceId.toHexString() });
    await entries().deleteOne({ seq: second.seq });

    const page = await verify();
    expect(page.html).to.include('the entry is missing (deleted)');
    expect(page.html).to.include(`(${utc(first.at)}))`).and.include('unknown (written after ');
    await entries().insertOne({ ...second });
  });

  it('is rate-limited per practice: the sixth check in 15 minutes is refused, and runs again once the window passed', async () => {
    // Four presses so far in this window (intact, tampered, restored, deleted).
    expect((await verify()).status).to.equal(200);
    const refused = await verify();
    expect(refused.status).to.equal(429);
    expect(refused.html).to.include('Too many attempts.');
    bench.server.clock.advance(15 * 60 * 1000);
    // The admin's session idled out meanwhile: a fresh sign-in, then the check runs again.
    ({ browser } = await adminSignIn(bench, admin, PASSWORD, '/admin/audit/verify'));
    expect((await verify()).html).to.include('The audit log is intact');
  });

  it('is bounded: past the walk limit it checks the newest stretch and says older entries are for the operator', async () => {
    const scope = practiceId.toHexString();
    const report = await verifyPracticeView({ models: bench.server.models, keys: bench.server.idp.audit.keys }, scope, { own: 1000, walk: 5 });
    expect(report).to.include({ ok: true, complete: false });
    const newest = await bench.server.models.AuditEntry.find({}).sort({ seq: -1 }).limit(5).lean();
    expect(report.checked).to.equal(newest.filter((entry) => entry.practiceId === scope).length);
  });
});
