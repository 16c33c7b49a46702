// IP access management over HTTP: an MFA-signed-in admin adds "my IP" (the address the trusted
// proxy reports), addresses and ranges for the practice or one user, removes them; each change is
// audited with the admin as actor. Bad addresses get a sentence and keep what was typed; another
// practice's ids are "not found" and change nothing; forms without the CSRF token are refused.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import type { UserDoc } from '../../../src/accounts/service.js';
import type { AuditEvent } from '../../../src/audit/events.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { field, type Browser, type Page } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';
const ADMIN_IP = '198.51.100.20';

describe('admin: IP access management', () => {
  let bench: MfaBench;
  let admin: UserDoc;
  let nurse: UserDoc;
  let otherUser: UserDoc;
  let practiceId: Types.ObjectId;
  let otherPracticeId: Types.ObjectId;
  let browser: Browser;
  let page: Page;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk' });
    practiceId = (await bench.server.createPractice({ name: 'Seaside Clinic' }))._id;
    otherPracticeId = (await bench.server.createPractice({ name: 'Other Clinic' }))._id;
    admin = await bench.server.createUser({ practiceId, email: 'admin@seaside.test', name: 'Ada Admin', role: 'admin', password: PASSWORD });
    nurse = await bench.server.createUser({ practiceId, email: 'nurse@seaside.test', name: 'Nora Nurse', password: PASSWORD });
    otherUser = await bench.server.createUser({ practiceId: otherPracticeId, email: 'someone@other.test', password: PASSWORD });
    ({ browser, page } = await adminSignIn(bench, admin, PASSWORD, '/admin/ip-access', ADMIN_IP));
    expect(page.status).to.equal(200);
  });
  after(() => bench?.close());

  const url = (path: string) => bench.server.url(path);
  const csrf = async () => field((await browser.get(url('/admin/ip-access'))).html, '_csrf');
  const post = async (path: string, form: Record<string, string>) => browser.post(url(path), { _csrf: await csrf(), ...form });
  const audited = (event: AuditEvent) => bench.server.models.AuditEntry.find({ event }).sort({ seq: 1 }).lean();
  const stored = () => bench.server.models.TrustedIp.find({}).lean();

  it('shows the address the admin is seen from and warns that home and mobile addresses change', () => {
    expect(page.html).to.include(`<strong id="my-ip">${ADMIN_IP}</strong>`);
    expect(page.html).to.include('Home and mobile addresses change');
    expect(page.html).to.include('No trusted addresses yet.');
  });

  it('"Add my IP" trusts the address seen through the trusted proxy, not anything in the form', async () => {
    const done = await post('/admin/ip-access/mine', { scope: 'practice', description: 'Front desk', entry: '192.0.2.1' });
    expect(done.status).to.equal(303);
    const list = await browser.follow(done);
    expect(list.html).to.include(`${ADMIN_IP} is now trusted for the whole practice.`);
    expect(list.html).to.match(new RegExp(`<tr data-entry="${ADMIN_IP}"><td><code>${ADMIN_IP}</code></td><td>Whole practice</td><td>Front desk</td><td>admin@seaside.test</td>`));

    const [entry] = await stored();
    expect(entry).to.include({ entry: ADMIN_IP, description: 'Front desk', addedBy: admin.sub });
    expect(String(entry!.practiceId)).to.equal(String(practiceId));
    const [record] = await audited('admin.trusted_ip.added');
    expect(record).to.deep.include({ outcome: 'success', practiceId: String(practiceId), userSub: null, ip: ADMIN_IP, actor: { sub: admin.sub, role: 'admin' } });
    expect(record!.details).to.deep.equal({ after: { id: String(entry!._id), entry: ADMIN_IP, scope: 'practice', description: 'Front desk', expires: null } });
  });

  it('adds a range for one user with an expiry date, stored in canonical form and audited about that user', async () => {
    const done = await post('/admin/ip-access', { scope: String(nurse._id), entry: ' 2001:DB8:0001::/48 ', description: 'Nora at home', expires: '2099-06-30' });
    expect(done.status).to.equal(303);
    const list = await browser.follow(done);
    expect(list.html).to.include('2001:db8:1::/48 is now trusted for Nora Nurse &lt;nurse@seaside.test&gt;.');
    expect(list.html).to.include('<td>until 2099-06-30 23:59 UTC</td>');

    const entry = await bench.server.models.TrustedIp.findOne({ entry: '2001:db8:1::/48' }).lean();
    expect(String(entry!.userId)).to.equal(String(nurse._id));
    expect(entry!.expiresAt!.toISOString()).to.equal('2099-06-30T23:59:59.999Z');
    const record = (await audited('admin.trusted_ip.added')).at(-1)!;
    expect(record.userSub).to.equal(nurse.sub);
    expect(record.details).to.deep.include({ after: { id: String(entry!._id), entry: '2001:db8:1::/48', scope: 'nurse@seaside.test', description: 'Nora at home', expires: '2099-06-30T23:59:59.999Z' } });
  });

  const invalid: { name: string; form: Record<string, string>; message: string }[] = [
    { name: 'host bits set after the prefix', form: { entry: '203.0.113.7/24' }, message: 'bits are set after the /24 prefix: write 203.0.113.0/24 for the network, or 203.0.113.7 for one address' },
    { name: 'an IPv4 part over 255', form: { entry: '203.0.113.256' }, message: 'IPv4 parts must be 0–255' },
    { name: 'a prefix too long for IPv6', form: { entry: '2001:db8::/129' }, message: 'prefix must be 0–128 for IPv6' },
    { name: 'the whole internet', form: { entry: '0.0.0.0/0' }, message: 'A trusted range can be at most /16 for IPv4 or /48 for IPv6' },
    { name: 'a provider-sized IPv4 block', form: { entry: '10.0.0.0/8' }, message: 'A trusted range can be at most /16 for IPv4' },
    { name: 'a provider-sized IPv6 block', form: { entry: '2001:db8::/32' }, message: 'or /48 for IPv6' },
    { name: 'a name instead of an address', form: { entry: 'office.example' }, message: 'not an IP address' },
    { name: 'nothing typed', form: { entry: '' }, message: 'Enter an IP address' },
    { name: 'an expiry in the past', form: { entry: '203.0.113.9', expires: '2001-01-01' }, message: 'The expiry date must be today or later.' },
    { name: 'an expiry that is no date', form: { entry: '203.0.113.9', expires: '2030-02-30' }, message: 'The expiry must be a date such as 2030-06-30.' },
    { name: 'a description too long', form: { entry: '203.0.113.9', description: 'x'.repeat(201) }, message: 'Keep the description under 200 characters.' },
  ];
  for (const { name, form, message } of invalid) {
    it(`refuses ${name} with a clear message, keeping what was typed`, async () => {
      const before = (await stored()).length;
      const result = await post('/admin/ip-access', { scope: String(nurse._id), description: 'Kept', ...form });
      expect(result.status).to.equal(400);
      expect(result.html).to.include(message.replace(/&/g, '&amp;'));
      if (form.entry) expect(result.html).to.include(`value="${form.entry}"`);
      expect(result.html).to.match(new RegExp(`<option value="${String(nurse._id)}" selected`));
      expect((await stored()).length).to.equal(before);
    });
  }

  it('says when an entry is already trusted', async () => {
    const result = await post('/admin/ip-access', { scope: 'practice', entry: ADMIN_IP });
    expect(result.status).to.equal(409);
    expect(result.html).to.include(`${ADMIN_IP} is already trusted here.`);
  });

  it('in a practice on Chicago time, an expiry date is the end of that day in Chicago, and so is the list', async () => {
    await bench.server.models.Practice.updateOne({ _id: practiceId }, { $set: { timeZone: 'America/Chicago' } });
    try {
      const form = await browser.get(url('/admin/ip-access'));
      expect(form.html).to.include('Stop trusting it after (optional, end of that day, America/Chicago)');
      const done = await post('/admin/ip-access', { scope: 'practice', entry: '203.0.113.77', expires: '2099-06-30' });
      expect(done.status).to.equal(303);
      const entry = await bench.server.models.TrustedIp.findOne({ entry: '203.0.113.77' }).lean();
      expect(entry!.expiresAt!.toISOString()).to.equal('2099-07-01T04:59:59.999Z');
      expect((await browser.follow(done)).html).to.include('<td>until Tue, Jun 30, 2099, 11:59 PM CDT</td>');
      await bench.server.models.TrustedIp.deleteOne({ _id: entry!._id });
    } finally {
      await bench.server.models.Practice.updateOne({ _id: practiceId }, { $set: { timeZone: null } });
    }
  });

  it('asks before removing an entry, saying whose sign-ins it affects; nothing changes until confirmed', async () => {
    const entry = await bench.server.models.TrustedIp.findOne({ entry: '2001:db8:1::/48' }).lean();
    const asked = await post(`/admin/ip-access/${String(entry!._id)}/remove`, {});
    expect(asked.status).to.equal(200);
    expect(asked.html).to.include('Stop trusting 2001:db8:1::/48?').and.include('Sign-ins from 2001:db8:1::/48 by Nora Nurse will no longer skip the one-time code.');
    expect(asked.html).to.include('<a class="button-link" href="/admin/ip-access">Cancel, change nothing</a>');
    expect(await bench.server.models.TrustedIp.exists({ _id: entry!._id })).to.not.equal(null);
    expect(await audited('admin.trusted_ip.removed')).to.have.length(0);
  });

  it('removes an entry and audits what it was', async () => {
    const entry = await bench.server.models.TrustedIp.findOne({ entry: '2001:db8:1::/48' }).lean();
    const done = await post(`/admin/ip-access/${String(entry!._id)}/remove`, { confirmed: 'yes' });
    expect(done.status).to.equal(303);
    expect((await browser.follow(done)).html).to.include('2001:db8:1::/48 is no longer trusted.');
    expect(await bench.server.models.TrustedIp.exists({ _id: entry!._id })).to.equal(null);
    const [record] = await audited('admin.trusted_ip.removed');
    expect(record).to.deep.include({ userSub: nurse.sub, actor: { sub: admin.sub, role: 'admin' } });
    expect(record!.details).to.deep.equal({ before: { id: String(entry!._id), entry: '2001:db8:1::/48', scope: 'nurse@seaside.test', description: 'Nora at home', expires: '2099-06-30T23:59:59.999Z' } });
  });

  it("another practice's entry or user is not found, and nothing changes", async () => {
    const foreign = await bench.server.idp.mfa.trustedIps.add({ practiceId: otherPracticeId, entry: '192.0.2.0/24', description: 'Their office' });
    const entries = (await stored()).length;
    const auditCount = await bench.server.models.AuditEntry.countDocuments({});

    expect((await post(`/admin/ip-access/${String(foreign._id)}/remove`, {})).status).to.equal(404);
    expect((await post('/admin/ip-access/not-an-id/remove', {})).status).to.equal(404);
    expect((await post('/admin/ip-access', { scope: String(otherUser._id), entry: '192.0.2.77' })).status).to.equal(404);
    expect((await post('/admin/ip-access/mine', { scope: String(otherUser._id) })).status).to.equal(404);

    expect(await bench.server.models.TrustedIp.exists({ _id: foreign._id })).to.not.equal(null);
    expect((await stored()).length).to.equal(entries);
    expect(await bench.server.models.AuditEntry.countDocuments({})).to.equal(auditCount);
    const list = await browser.get(url('/admin/ip-access'));
    expect(list.html).to.not.include('192.0.2.0/24').and.not.include('someone@other.test');
  });

  it('refuses a form without a valid CSRF token', async () => {
    const entries = (await stored()).length;
    expect((await browser.post(url('/admin/ip-access'), { scope: 'practice', entry: '203.0.113.60' })).status).to.equal(403);
    expect((await browser.post(url('/admin/ip-access'), { _csrf: 'forged.token', scope: 'practice', entry: '203.0.113.60' })).status).to.equal(403);
    const [entry] = await stored();
    expect((await browser.post(url(`/admin/ip-access/${String(entry!._id)}/remove`), {})).status).to.equal(403);
    expect((await stored()).length).to.equal(entries);
  });

  it('is refused to a user who is not an admin, even with a two-step session', async () => {
    const entries = (await stored()).length;
    const { browser: nurseBrowser, page: refused, csrfToken } = await adminSignIn(bench, nurse, PASSWORD, '/admin/ip-access', ADMIN_IP);
    expect(refused.status).to.equal(403);
    expect(refused.html).to.include('This page is for practice administrators.');
    const attempt = await nurseBrowser.post(url('/admin/ip-access'), { _csrf: csrfToken, scope: 'practice', entry: '203.0.113.61' });
    expect(attempt.status).to.equal(403);
    expect(attempt.html).to.include('This page is for practice administrators.');
    expect((await stored()).length).to.equal(entries);
  });
});
