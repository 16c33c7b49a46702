// "Add a user" without an oracle (issue 19): an admin inviting an email that already has an identity
// (a person of another practice, with their own name, phone and password) and one that has none
// sees the same answer, the same list row and page, the same audit entries. The existing identity
// accepts while signed in, with a link no one else can use, once; the new one chooses a password,
// which joins the practice. Resend replaces the link; cancel withdraws it.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Browser, field } from '../../helpers/browser.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { PASSWORD, startAdminBench, type AdminBench } from '../admin/admin-bench.js';

const LINK = /https?:\/\/[^\s]+\/(account\/invitations|password-reset\/invitation)\/[A-Za-z0-9_-]{43}/;

describe('memberships: inviting a person to a practice', function () {
  this.timeout(90_000);
  let t: AdminBench;
  before(async () => {
    t = await startAdminBench('risk');
  });
  after(() => t.close());

  const server = () => t.bench.server;
  const pathOf = (location: string | null) => (location ? new URL(location, server().url('/')).pathname + new URL(location, server().url('/')).search : null);
  let n = 0;
  /** A person of the OTHER practice, with a password, their own name and phone. */
  const existingPerson = (name = 'Dr Own Name', phone?: string) => server().createUser({ practiceId: t.otherPracticeId, email: `locum${++n}@elsewhere.test`, name, password: PASSWORD, ...(phone ? { phone } : {}) });
  const linkIn = async (email: string) => {
    const mail = await t.bench.mail.nextTo(email);
    const link = LINK.exec(mail.text)?.[0];
    expect(link, mail.text).to.be.a('string');
    return { link: link!, path: new URL(link!).pathname, mail };
  };
  const membership = async (email: string, practiceId = t.practiceId) => {
    const user = await server().models.User.findOne({ email }).lean();
    return user ? server().models.Membership.findOne({ userId: user._id, practiceId }).lean() : null;
  };
  /** A page with what must differ taken out: CSRF tokens, ids, the email typed. */
  const normalized = (html: string, email: string) => html
    .replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value="-"')
    .replace(/[0-9a-f]{24}/g, 'ID')
    .replaceAll(email, 'EMAIL');
  const trailOf = async (email: string) => {
    const user = await server().models.User.findOne({ email }).lean();
    const entries = await server().models.AuditEntry.find({ userSub: user!.sub, practiceId: String(t.practiceId) }).sort({ seq: 1 }).lean();
    return entries.map((entry) => ({ event: entry.event, actor: entry.actor, details: JSON.parse(JSON.stringify(entry.details ?? {}).replaceAll(email, 'EMAIL').replace(/"expiresAt":"[^"]+"/, '"expiresAt":"T"')) }));
  };

  it('answers an existing identity and an unknown email alike: response, list row, page, audit entries; no identity detail shown; timing alike', async () => {
    const existing = await existingPerson('Dr Own Name', '+15551230000');
    const fresh = `newcomer${++n}@elsewhere.test`;
    const timed = async (email: string) => {
      const started = performance.now();
      const page = await t.post('/admin/users', { name: 'Riley Locum', email, role: 'clinician' });
      return { page, ms: performance.now() - started };
    };
    // Warm both paths once (templates, indexes), then measure.
    await timed(`warm${++n}@elsewhere.test`);
    const a = await timed(existing.email);
    const b = await timed(fresh);
    expect({ status: a.page.status, location: a.page.location, html: a.page.html }).to.deep.equal({ status: b.page.status, location: b.page.location, html: b.page.html });
    expect(pathOf(a.page.location)).to.equal('/admin/users?notice=invited');
    // No argon2 (or any other slow step) on one path only.
    expect(Math.max(a.ms, b.ms), `existing ${a.ms} ms, new ${b.ms} ms`).to.be.below(Math.min(a.ms, b.ms) * 4 + 150);

    const list = (await t.browser.get(t.url('/admin/users?q=Riley'))).html;
    const rows = [...list.matchAll(/<tr><td><a href="\/admin\/users\/([0-9a-f]{24})">([^<]*)<\/a><\/td><td>([^<]*)<\/td>(.*?)<\/tr>/g)];
    const rowOf = (email: string) => rows.find((row) => row[3] === email);
    expect(rowOf(existing.email), list).to.exist;
    expect(rowOf(fresh), list).to.exist;
    expect(rowOf(existing.email)![2]).to.equal('Riley Locum');
    expect(rowOf(existing.email)![4]).to.equal(rowOf(fresh)![4]);
    expect(rowOf(existing.email)![4]).to.include('Invited');
    expect(list).not.to.include('Dr Own Name');

    const pageOf = async (email: string) => normalized((await t.browser.get(t.url(`/admin/users/${rowOf(email)![1]}`))).html, email);
    const existingPage = await pageOf(existing.email);
    expect(existingPage).to.equal(await pageOf(fresh));
    expect(existingPage).not.to.include('Dr Own Name');
    expect(existingPage).not.to.include('5551230000');
    // The identity's other pages do not exist for this admin while invited (a 404 either way).
    for (const email of [existing.email, fresh]) {
      for (const path of ['/profile', '/access']) expect((await t.browser.get(t.url(`/admin/users/${rowOf(email)![1]}${path}`))).status, `${email}${path}`).to.equal(404);
    }

    expect(await trailOf(existing.email)).to.deep.equal(await trailOf(fresh));
    expect((await trailOf(fresh)).map((entry) => entry.event)).to.deep.equal(['admin.user.created', 'admin.user.invitation_sent']);
    expect((await trailOf(fresh))[0]!.details).to.deep.equal({ before: null, after: { name: 'Riley Locum', email: 'EMAIL', role: 'clinician', status: 'invited' } });
    expect((await membership(existing.email))?.status).to.equal('invited');
    expect((await membership(fresh))?.status).to.equal('invited');
    // Both emails go out; which link each got is for the person, not the admin.
    expect((await linkIn(existing.email)).path).to.match(/^\/account\/invitations\//);
    expect((await linkIn(fresh)).path).to.match(/^\/password-reset\/invitation\//);
  });

  it('the existing identity accepts once, signed in; someone else signed in cannot use the link, and learns nothing', async () => {
    const person = await existingPerson();
    const invited = await t.post('/admin/users', { name: 'Sam Cover', email: person.email, role: 'staff' });
    expect(pathOf(invited.location)).to.equal('/admin/users?notice=invited');
    const { path } = await linkIn(person.email);

    // Another identity signed in: the same page as for a used link, and the invitation still stands.
    const intruder = await existingPerson();
    const other = await adminSignIn(t.bench, intruder, PASSWORD, path, '198.51.100.77');
    expect(other.page.status).to.equal(400);
    expect(other.page.html).to.include('This invitation cannot be used');
    expect(other.page.html).not.to.include(person.email);
    expect((await other.browser.post(server().url(path), { _csrf: other.csrfToken, action: 'accept' })).status).to.equal(400);
    expect((await membership(intruder.email))).to.equal(null);
    expect((await membership(person.email))?.status).to.equal('invited');

    // The person: the sign-in comes back to the link; accept.
    const own = await adminSignIn(t.bench, person, PASSWORD, path, '198.51.100.78');
    expect(own.page.status).to.equal(200);
    expect(own.page.html).to.include('Seaside Clinic');
    const accepted = await own.browser.post(server().url(path), { _csrf: field(own.page.html, '_csrf'), action: 'accept' });
    expect(pathOf(accepted.location)).to.equal('/account/practices?notice=joined');
    expect((await membership(person.email))?.status).to.equal('active');
    expect((await membership(person.email, t.otherPracticeId))?.status, 'the other practice untouched').to.equal('active');
    const joined = await server().models.AuditEntry.find({ event: 'membership.joined', userSub: person.sub }).lean();
    expect(joined.map((entry) => entry.practiceId)).to.deep.equal([String(t.practiceId)]);
    // Single use.
    const again = await own.browser.get(server().url(path));
    expect(again.status).to.equal(400);
    const practices = await own.browser.get(server().url('/account/practices'));
    expect(practices.html).to.include('Seaside Clinic').and.to.include('Hilltop Clinic');
  });

  it('resend makes the earlier link useless; cancel withdraws the invitation; an expired link is refused (checked in code)', async () => {
    const person = await existingPerson();
    expect((await t.post('/admin/users', { name: 'Pat Resend', email: person.email, role: 'staff' })).status).to.equal(303);
    const first = await linkIn(person.email);
    const id = String((await server().models.User.findOne({ email: person.email }).lean())!._id);
    expect(pathOf((await t.post(`/admin/users/${id}/invitation/resend`)).location)).to.equal(`/admin/users/${id}?notice=resent`);
    const second = await linkIn(person.email);
    expect(second.path).not.to.equal(first.path);
    const signed = await adminSignIn(t.bench, person, PASSWORD, first.path, '198.51.100.79');
    expect(signed.page.status, 'the first link after a resend').to.equal(400);
    expect((await signed.browser.get(server().url(second.path))).status).to.equal(200);

    // Past its expiry (the record still in the store, as until a TTL sweep): refused by the code's own check.
    const invitation = { userId: new Types.ObjectId(id), practiceId: t.practiceId };
    const { expiresAt } = (await server().models.PracticeInvitation.findOne(invitation).lean())!;
    await server().models.PracticeInvitation.updateOne(invitation, { $set: { expiresAt: new Date(server().clock.now() - 1000) } });
    expect((await signed.browser.get(server().url(second.path))).status, 'an expired link').to.equal(400);
    expect((await t.browser.get(t.url(`/admin/users/${id}`))).html).to.include('The invitation expired');
    await server().models.PracticeInvitation.updateOne(invitation, { $set: { expiresAt } });
    expect((await signed.browser.get(server().url(second.path))).status).to.equal(200);

    expect(pathOf((await t.post(`/admin/users/${id}/invitation/cancel`)).location)).to.equal('/admin/users?notice=cancelled');
    expect(await membership(person.email)).to.equal(null);
    expect((await signed.browser.get(server().url(second.path))).status, 'a cancelled invitation').to.equal(400);
    const cancelled = await t.audited('admin.user.invitation_cancelled', person.sub);
    expect(cancelled.map((entry) => entry.details)).to.deep.equal([{ before: { status: 'invited' }, after: null }]);
    // Another practice's admin cannot resend or cancel it (a 404, nothing changes).
    expect((await t.post(`/admin/users/${String(t.otherAdmin._id)}/invitation/cancel`)).status).to.equal(404);
  });

  it('a new person chooses a password with the link, which joins the practice', async () => {
    const email = `first-timer${++n}@elsewhere.test`;
    expect((await t.post('/admin/users', { name: 'Jo First', email, role: 'clinician' })).status).to.equal(303);
    const { path } = await linkIn(email);
    const browser = new Browser({ from: '198.51.100.80' });
    const form = await browser.get(server().url(path));
    expect(form.status).to.equal(200);
    const done = await browser.post(server().url(path), { _csrf: field(form.html, '_csrf'), password: PASSWORD, confirm: PASSWORD });
    expect(done.status).to.equal(303);
    expect((await membership(email))?.status).to.equal('active');
    expect(await server().models.PracticeInvitation.countDocuments({ practiceId: t.practiceId, email })).to.equal(0);
  });

  it('/account: the practices listed, an invitation accepted from the list, the default practice, leaving (confirmed; never the last active one)', async () => {
    const person = await existingPerson();
    expect((await t.post('/admin/users', { name: 'Lee List', email: person.email, role: 'staff' })).status).to.equal(303);
    await linkIn(person.email);
    const { browser } = await adminSignIn(t.bench, person, PASSWORD, '/account/practices', '198.51.100.81');
    const page = await browser.get(server().url('/account/practices'));
    expect(page.html).to.include('Hilltop Clinic').and.to.include('Seaside Clinic invited you as Staff.');
    const csrf = field(page.html, '_csrf');
    expect(pathOf((await browser.post(server().url(`/account/practices/${String(t.practiceId)}/accept`), { _csrf: csrf })).location)).to.equal('/account/practices?notice=joined');
    expect((await membership(person.email))?.status).to.equal('active');

    expect(pathOf((await browser.post(server().url('/account/practices/default'), { _csrf: csrf, practice: String(t.practiceId) })).location)).to.equal('/account/practices?notice=default');
    expect(String((await server().models.User.findById(person._id).lean())!.defaultPracticeId)).to.equal(String(t.practiceId));
    // Not a practice of theirs: refused, nothing stored.
    expect((await browser.post(server().url('/account/practices/default'), { _csrf: csrf, practice: String(new Types.ObjectId()) })).status).to.equal(404);

    const confirm = await browser.get(server().url(`/account/practices/${String(t.otherPracticeId)}/leave`));
    expect(confirm.status).to.equal(200);
    expect(confirm.html).to.include('Leave Hilltop Clinic?');
    expect(pathOf((await browser.post(server().url(`/account/practices/${String(t.otherPracticeId)}/leave`), { _csrf: csrf })).location)).to.equal('/account/practices?notice=left');
    expect(await membership(person.email, t.otherPracticeId)).to.equal(null);
    const left = await t.audited('membership.left', person.sub);
    expect(left.map((entry) => entry.practiceId)).to.deep.equal([String(t.otherPracticeId)]);
    // The last active practice cannot be left here (signed in afresh: leaving may end this browser's session).
    const again = await adminSignIn(t.bench, person, PASSWORD, '/account/practices', '198.51.100.82');
    const last = await again.browser.post(server().url(`/account/practices/${String(t.practiceId)}/leave`), { _csrf: field(again.page.html, '_csrf') });
    expect(last.status).to.equal(409);
    expect(last.html).to.include('This is your only active practice');
    expect((await membership(person.email))?.status).to.equal('active');
  });
});
