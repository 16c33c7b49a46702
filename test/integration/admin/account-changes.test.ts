// A practice admin gone bad tries to become another user of the practice: change the user's email to
// a mailbox the admin holds and use "Forgot password?", set a phone number the admin holds, or do
// the same to another admin. Through HTTP with the real SMTP catcher and the SMS API stand-in:
// nothing applies before the new address proves itself, the current address is told (and can
// report it), a change to another admin needs a second admin, and when a change applies the
// user's sessions end and what went to the old address stops working.
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { Browser, field, type Page } from '../../helpers/browser.js';
import type { CaughtMail } from '../../helpers/mail-catcher.js';
import { isCodePage, passwordStep, submitCode } from '../../helpers/mfa.js';
import { enterCode, requestCode } from '../password-reset/reset-bench.js';
import { PASSWORD, sessionsOf, signInToModule, startAdminBench, type AdminBench } from './admin-bench.js';

const CONFIRM_LINK = /https?:\/\/\S+\/changes\/confirm\/[A-Za-z0-9_-]{43}/;
const REPORT_LINK = /https?:\/\/\S+\/changes\/report\/[A-Za-z0-9_-]{43}/;

describe('admin: changes of email, phone and role (an admin cannot become someone else)', () => {
  let ctx: AdminBench;
  const idOf = (user: UserDoc) => String(user._id);
  // The identity joined with its membership in this practice (role, active, two-step live there).
  const stored = async (user: UserDoc) => {
    const identity = await ctx.bench.server.models.User.findById(user._id).lean();
    return identity ? ctx.bench.server.idp.accounts.memberships.memberOf(identity, user.practiceId) : null;
  };
  const mailTo = (address: string, subject: string | RegExp) => ctx.bench.mail.waitFor((mail) => mail.to.includes(address) && (typeof subject === 'string' ? mail.subject === subject : subject.test(mail.subject)));
  const linkIn = (mail: CaughtMail, pattern: RegExp) => pattern.exec(mail.text)![0];

  /** Opens a link from an email in a browser of its own and presses the page's one button. */
  async function pressLink(link: string): Promise<Page> {
    const browser = new Browser();
    const page = await browser.get(link);
    expect(page.status, `GET ${link}`).to.equal(200);
    return browser.post(link, { _csrf: field(page.html, '_csrf') });
  }

  /** A user of the admin's practice, signed in to a module (one session). */
  async function signedInUser(email: string, extra: { phone?: string; role?: 'admin' } = {}): Promise<UserDoc> {
    const user = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email, name: `Person ${email.split('@')[0]}`, password: PASSWORD, ...extra });
    await signInToModule(ctx.bench, user, extra.phone ? { sms: true } : {});
    expect(await sessionsOf(ctx.bench, user.sub)).to.equal(1);
    return user;
  }

  before(async () => {
    ctx = await startAdminBench('risk');
  });
  after(() => ctx?.close());

  describe('email', () => {
    it('the takeover path is closed: after the admin sets an address they hold, "Forgot password?" for it sends no code; the old address still works and is told', async () => {
      const dana = await signedInUser('dana@seaside.test');
      const asked = await ctx.post(`/admin/users/${idOf(dana)}/email`, { email: 'mallory@evil.test' });
      expect(asked.status).to.equal(303);
      expect((await ctx.browser.follow(asked)).html).to.include('Change requested.');
      expect(await stored(dana)).to.include({ email: 'dana@seaside.test' });
      expect(await sessionsOf(ctx.bench, dana.sub)).to.equal(1);

      // The admin's mailbox gets the confirmation link and nothing else; a reset for it is an unknown address.
      const confirm = await mailTo('mallory@evil.test', 'Confirm your new sign-in email address');
      expect(confirm.text).to.match(CONFIRM_LINK);
      const thief = new Browser({ from: '198.51.100.66' });
      expect((await requestCode(ctx.bench.server, thief, 'mallory@evil.test')).status).to.equal(200);
      const [resetForMallory] = await ctx.bench.server.models.AuditEntry.find({ event: 'password.reset.requested' }).sort({ seq: -1 }).limit(1).lean();
      expect(resetForMallory).to.deep.include({ outcome: 'failure', reasons: ['unknown_user'] });
      expect(ctx.bench.mail.messages.filter((mail) => mail.to.includes('mallory@evil.test')).map((mail) => mail.subject)).to.deep.equal(['Confirm your new sign-in email address']);

      // The current address is told, with a way to report it, and still resets the password.
      const notice = await mailTo('dana@seaside.test', 'A change of your sign-in email address was requested');
      expect(notice.text).to.include('Ada Admin').and.include('m•••@evil.test').and.match(REPORT_LINK);
      await requestCode(ctx.bench.server, new Browser(), 'dana@seaside.test');
      expect((await mailTo('dana@seaside.test', /is your password reset code$/)).code).to.match(/^\d{6}$/);

      const [entry] = await ctx.audited('admin.user.change_requested', dana.sub);
      expect(entry).to.deep.include({ actor: { sub: ctx.admin.sub, role: 'admin' } });
      expect(entry!.details).to.deep.include({ kind: 'email', before: { email: 'dana@seaside.test' }, after: { email: 'mallory@evil.test' }, waitingFor: ['proof'] });
      expect((await ctx.browser.get(ctx.url(`/admin/users/${idOf(dana)}`))).html).to.include('data-kind="email"');
    });

    it('applies once the link is confirmed: sessions end, reset codes of the old address stop working, both addresses told, audited before/after', async () => {
      const eli = await signedInUser('eli@seaside.test');
      // A reset started at the old address, its code not typed yet.
      const resetBrowser = new Browser();
      const resetPage = await requestCode(ctx.bench.server, resetBrowser, 'eli@seaside.test');
      const resetCode = (await mailTo('eli@seaside.test', /is your password reset code$/)).code!;
      await ctx.post(`/admin/users/${idOf(eli)}/email`, { email: 'eli.new@seaside.test' });
      const link = linkIn(await mailTo('eli.new@seaside.test', 'Confirm your new sign-in email address'), CONFIRM_LINK);

      // Opening the link (a mail scanner) changes nothing; the button does.
      expect((await new Browser().get(link)).html).to.include('eli.new@seaside.test');
      expect(await stored(eli)).to.include({ email: 'eli@seaside.test' });
      const done = await pressLink(link);
      expect(done.status).to.equal(200);
      expect(done.html).to.include('Your sign-in email address was changed');
      expect(await stored(eli)).to.include({ email: 'eli.new@seaside.test', emailVerified: true });
      expect(await sessionsOf(ctx.bench, eli.sub)).to.equal(0);

      const late = await resetBrowser.follow(await enterCode(resetBrowser, resetPage, resetCode));
      expect(late.html).not.to.include('autocomplete="new-password"');
      const reused = await new Browser().get(link);
      expect(reused.status).to.equal(400);

      const [updated] = await ctx.audited('admin.user.updated', eli.sub);
      expect(updated).to.deep.include({ actor: { sub: ctx.admin.sub, role: 'admin' } });
      expect(updated!.details).to.deep.include({ before: { email: 'eli@seaside.test' }, after: { email: 'eli.new@seaside.test' }, sessionsEnded: 1 });
      expect(await ctx.audited('admin.user.change_proven', eli.sub)).to.have.length(1);
      expect((await mailTo('eli@seaside.test', 'Your sign-in email address was changed')).text).to.include('e•••@seaside.test');
      await mailTo('eli.new@seaside.test', 'This is now your sign-in email address');
      // The new address signs in (the password is accepted: a new device is then asked for a code).
      const next = await passwordStep(new Browser({ from: '203.0.113.50' }), ctx.bench.charting, 'eli.new@seaside.test', PASSWORD);
      expect(isCodePage(next.page)).to.equal(true);
    });

    it('an invitation link mailed to a mistyped address: no email change while invited; cancelling stops the link at once', async () => {
      await ctx.post('/admin/users', { name: 'Tia Typo', email: 'tia@seasied.test', role: 'clinician' });
      const tia = (await ctx.bench.server.idp.accounts.findUserByEmail('tia@seasied.test'))!;
      const invitation = linkIn(await ctx.bench.mail.nextTo('tia@seasied.test'), /https?:\/\/\S+\/password-reset\/invitation\/[A-Za-z0-9_-]{43}/);
      // The address may be someone's identity elsewhere: an invited person's email is not the practice's to change.
      expect((await ctx.post(`/admin/users/${idOf(tia)}/email`, { email: 'tia@seaside.test' })).status).to.equal(404);
      expect((await ctx.post(`/admin/users/${idOf(tia)}/invitation/cancel`)).status).to.equal(303);
      expect((await new Browser().get(invitation)).status).to.equal(400);
      // The invitation's membership is gone with it; the identity keeps the address it was given.
      expect(await stored(tia)).to.equal(null);
      expect(await ctx.bench.server.models.User.findById(tia._id).lean()).to.include({ email: 'tia@seasied.test' });
    });

    it('the current address can report the request: it is cancelled and the link confirms nothing', async () => {
      const fay = await signedInUser('fay@seaside.test');
      await ctx.post(`/admin/users/${idOf(fay)}/email`, { email: 'fay@evil.test' });
      const link = linkIn(await mailTo('fay@evil.test', 'Confirm your new sign-in email address'), CONFIRM_LINK);
      const report = linkIn(await mailTo('fay@seaside.test', 'A change of your sign-in email address was requested'), REPORT_LINK);
      const reported = await pressLink(report);
      expect(reported.html).to.include('The change was cancelled');
      expect((await new Browser().get(link)).status).to.equal(400);
      expect(await stored(fay)).to.include({ email: 'fay@seaside.test' });
      expect(await sessionsOf(ctx.bench, fay.sub)).to.equal(1);
      const [entry] = await ctx.audited('admin.user.change_reported', fay.sub);
      expect(entry).to.deep.include({ outcome: 'failure', reasons: ['reported_by_user'] });
      expect(entry!.actor, 'the user themself').to.equal(null);
    });

    it('an expired link applies nothing, even while the record is still stored', async () => {
      const gus = await signedInUser('gus@seaside.test');
      await ctx.post(`/admin/users/${idOf(gus)}/email`, { email: 'gus.new@seaside.test' });
      const link = linkIn(await mailTo('gus.new@seaside.test', 'Confirm your new sign-in email address'), CONFIRM_LINK);
      const browser = new Browser();
      const page = await browser.get(link);
      expect(page.status).to.equal(200);
      // 72 hours later on the app's clock (the store's TTL clock does not move: the record is still there).
      const now = ctx.bench.server.clock.now();
      ctx.bench.server.clock.advance(72 * 60 * 60_000);
      try {
        expect(await ctx.bench.server.models.AccountChange.countDocuments({ userSub: gus.sub })).to.equal(1);
        const posted = await browser.post(link, { _csrf: field(page.html, '_csrf') });
        expect(posted.status).to.equal(400);
        expect(posted.html).to.include('This link is no longer valid');
        expect((await browser.get(link)).status).to.equal(400);
      } finally {
        ctx.bench.server.clock.set(now);
      }
      expect(await stored(gus)).to.include({ email: 'gus@seaside.test' });
    });
  });

  describe('phone', () => {
    it('a number set by an admin is saved only with the code texted to it; a wrong code saves nothing; then sessions end and the audit masks it', async () => {
      const hal = await signedInUser('hal@seaside.test');
      const asked = await ctx.post(`/admin/users/${idOf(hal)}/phone`, { phone: '+1 (555) 010-7777' });
      expect(asked.status).to.equal(303);
      const changePage = await ctx.browser.follow(asked);
      expect(changePage.html).to.include('A code was texted to the new number.').and.include('••• ••• 7777');
      const sms = await ctx.bench.sms.nextTo('+15550107777');
      expect((await stored(hal))!.phone).to.equal(undefined);
      expect((await mailTo('hal@seaside.test', 'A change of your mobile number was requested')).text).to.include('••• ••• 7777').and.match(REPORT_LINK);

      const wrong = await ctx.post(new URL(changePage.url).pathname, { action: 'code', code: sms.code === '000000' ? '111111' : '000000' });
      expect(wrong.status).to.equal(400);
      expect(wrong.html).to.include('That code is not correct. 4 tries left.');
      expect((await stored(hal))!.phone).to.equal(undefined);
      expect(await sessionsOf(ctx.bench, hal.sub)).to.equal(1);

      const right = await ctx.post(new URL(changePage.url).pathname, { action: 'code', code: sms.code! });
      expect(right.status).to.equal(303);
      expect((await ctx.browser.follow(right)).html).to.include('The change was applied.');
      expect((await stored(hal))!.phone).to.equal('+15550107777');
      expect(await sessionsOf(ctx.bench, hal.sub)).to.equal(0);
      const [entry] = await ctx.audited('admin.user.updated', hal.sub);
      expect(entry!.details).to.deep.include({ before: { phone: null }, after: { phone: '••• ••• 7777' } });
      expect(JSON.stringify(await ctx.audited('admin.user.change_requested', hal.sub))).not.to.include('5550107777');
    });

    it('when the user\'s cap on code messages is reached, the admin is told so: no "code sent", no change waiting for a code that never went', async () => {
      const ida = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'ida.capped@seaside.test', name: 'Ida', password: PASSWORD });
      const now = ctx.bench.server.clock.now();
      // Five code messages already sent to Ivy within the window (the cap's own records).
      await ctx.bench.server.connection.db!.collection('code_messages').insertMany([1, 2, 3, 4, 5].map((i) => ({ _id: `earlier-${i}` as never, userSub: ida.sub, at: new Date(now - i * 1000), expiresAt: new Date(now + 600_000) })));
      const asked = await ctx.post(`/admin/users/${idOf(ida)}/phone`, { phone: '+1 (555) 010-6666' });
      expect(asked.status).to.equal(429);
      expect(asked.html).to.include('too many codes');
      expect(await ctx.bench.server.models.AccountChange.countDocuments({ userSub: ida.sub })).to.equal(0);
    });

    it('the admin\'s own number needs the code too', async () => {
      await ctx.post(`/admin/users/${idOf(ctx.admin)}/phone`, { phone: '+15550108888' });
      expect((await stored(ctx.admin))!.phone).to.equal(undefined);
      await ctx.bench.sms.nextTo('+15550108888');
    });

    it('the create form no longer takes a number', async () => {
      const created = await ctx.post('/admin/users', { name: 'Pip Phone', email: 'pip@seaside.test', phone: '+15550109999', role: 'staff' });
      expect(created.status).to.equal(303);
      expect((await ctx.bench.server.models.User.findOne({ email: 'pip@seaside.test' }).lean())!.phone).to.equal(undefined);
    });
  });

  describe('another admin', () => {
    let bea: UserDoc;
    let cy: UserDoc;
    let cyBrowser: Browser;
    const postAs = async (browser: Browser, path: string, form: Record<string, string>) =>
      browser.post(ctx.url(path), { _csrf: field((await browser.get(ctx.url('/admin/users/new'))).html, '_csrf'), ...form });

    before(async () => {
      bea = await signedInUser('bea.admin@seaside.test', { role: 'admin' });
      cy = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'cy.admin@seaside.test', name: 'Cy Admin', role: 'admin', password: PASSWORD });
      cyBrowser = (await adminSignIn(ctx.bench, cy, PASSWORD, '/admin/users')).browser;
    });

    it('an email change needs a second admin: the link alone does not apply it, the requester cannot approve, another admin can', async () => {
      const asked = await ctx.post(`/admin/users/${idOf(bea)}/email`, { email: 'bea@evil.test' });
      const changePath = new URL(asked.location!, ctx.url('/')).pathname;
      await pressLink(linkIn(await mailTo('bea@evil.test', 'Confirm your new sign-in email address'), CONFIRM_LINK));
      expect(await stored(bea)).to.include({ email: 'bea.admin@seaside.test' });
      expect(await sessionsOf(ctx.bench, bea.sub)).to.equal(1);

      // The requester sees no approve button, and a forged approval is refused.
      const own = await ctx.browser.get(ctx.url(changePath));
      expect(own.html).not.to.include('Approve the change');
      const forged = await ctx.post(changePath, { action: 'approve' });
      expect(forged.status).to.equal(403);
      expect(await stored(bea)).to.include({ email: 'bea.admin@seaside.test' });

      // Cy sees it waiting on the users page and approves.
      expect((await cyBrowser.get(ctx.url('/admin/users'))).html).to.include('Changes waiting for your approval').and.include('bea@evil.test');
      const approved = await postAs(cyBrowser, changePath, { action: 'approve' });
      expect(approved.status).to.equal(303);
      expect(await stored(bea)).to.include({ email: 'bea@evil.test' });
      expect(await sessionsOf(ctx.bench, bea.sub)).to.equal(0);
      const [entry] = await ctx.audited('admin.user.updated', bea.sub);
      expect(entry!.details).to.deep.include({ before: { email: 'bea.admin@seaside.test' }, after: { email: 'bea@evil.test' }, approvedBy: cy.sub });
      expect(await ctx.audited('admin.user.change_approved', bea.sub)).to.have.length(1);
    });

    it('removing another admin\'s admin role waits for a second admin, who may refuse it', async () => {
      const asked = await ctx.post(`/admin/users/${idOf(cy)}/profile`, { name: 'Cy Admin', role: 'clinician' });
      expect(asked.status).to.equal(303);
      expect(await stored(cy)).to.include({ role: 'admin' });
      const changePath = new URL(asked.location!, ctx.url('/')).pathname;
      // Cy (the admin it is about) refuses.
      expect((await postAs(cyBrowser, changePath, { action: 'refuse' })).status).to.equal(303);
      expect(await stored(cy)).to.include({ role: 'admin' });
      expect(await ctx.audited('admin.user.change_refused', cy.sub)).to.have.length(1);
    });
  });

  describe('a second account of one\'s own', () => {
    it('making someone an admin (or creating one) needs another admin when the practice has one', async () => {
      const max = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'max@seaside.test', name: 'Max Puppet', password: PASSWORD });
      const asked = await ctx.post(`/admin/users/${idOf(max)}/profile`, { name: 'Max Puppet', role: 'admin' });
      expect(asked.status).to.equal(303);
      expect(await stored(max)).to.include({ role: 'clinician' });
      const changePath = new URL(asked.location!, ctx.url('/')).pathname;
      expect((await ctx.post(changePath, { action: 'approve' })).status).to.equal(403);
      expect(await stored(max)).to.include({ role: 'clinician' });
      const [entry] = await ctx.audited('admin.user.change_requested', max.sub);
      expect(entry!.details).to.deep.include({ kind: 'role', before: { role: 'clinician' }, after: { role: 'admin' }, waitingFor: ['approval'] });

      const created = await ctx.post('/admin/users', { name: 'Pat Puppet', email: 'pat@seaside.test', role: 'admin' });
      expect(created.status).to.equal(400);
      expect(created.html).to.include('A new admin needs the approval of another admin');
      expect(await ctx.bench.server.models.User.exists({ email: 'pat@seaside.test' })).to.equal(null);
    });

    it('deactivating the other admins first does not let an admin make one alone', async () => {
      const admins = await ctx.bench.server.models.Membership.find({ practiceId: ctx.practiceId, role: 'admin', status: 'active' }).lean();
      const others = await ctx.bench.server.models.User.find({ _id: { $in: admins.map((m) => m.userId) }, sub: { $ne: ctx.admin.sub } }).lean();
      expect(others.length).to.be.greaterThan(0);
      for (const other of others) expect((await ctx.post(`/admin/users/${String(other._id)}/deactivate`, { confirmed: 'yes' })).status).to.equal(303);
      try {
        const created = await ctx.post('/admin/users', { name: 'Quin Puppet', email: 'quin@seaside.test', role: 'admin' });
        expect(created.status).to.equal(400);
        expect(await ctx.bench.server.models.User.exists({ email: 'quin@seaside.test' })).to.equal(null);
      } finally {
        for (const other of others) await ctx.post(`/admin/users/${String(other._id)}/reactivate`);
      }
    });
  });

  describe('fresh second factor', () => {
    it('each sensitive page and form asks a 6-minute-old admin session for a new code first, and changes nothing before', async () => {
      const ivy = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'ivy@seaside.test', name: 'Ivy Stale', password: PASSWORD });
      const base = `/admin/users/${idOf(ivy)}`;
      await ctx.post(`${base}/email`, { email: 'ivy.new@seaside.test' });
      const change = (await ctx.bench.server.models.AccountChange.findOne({ userSub: ivy.sub }).lean())!;
      const csrf = await ctx.csrf();
      ctx.bench.server.clock.advance(6 * 60_000);

      for (const path of [`${base}/profile`, `${base}/access`, `${base}/changes/${change._id}`]) {
        const page = await ctx.browser.get(ctx.url(path));
        expect(page.status, path).to.equal(303);
        const auth = new URL(page.location!, ctx.url('/'));
        expect(auth.pathname, path).to.equal('/auth');
        expect(auth.searchParams.get('max_age'), path).to.equal('300');
      }
      const posts: Array<[string, Record<string, string>]> = [
        [`${base}/profile`, { name: 'Ivy Renamed', role: 'admin' }],
        [`${base}/email`, { email: 'ivy.other@seaside.test' }],
        [`${base}/phone`, { phone: '+15550106666' }],
        [`${base}/access`, { mfaEnabled: 'on', mfaChannel: 'email' }],
        [`${base}/changes/${change._id}`, { action: 'withdraw' }],
      ];
      for (const [path, form] of posts) {
        const page = await ctx.browser.post(ctx.url(path), { _csrf: csrf, ...form });
        expect(page.status, path).to.equal(303);
        // Back to the page of the form, which asks for the code first.
        expect(new URL(page.location!, ctx.url('/')).pathname, path).to.equal(path);
      }
      expect(await stored(ivy)).to.include({ name: 'Ivy Stale', role: 'clinician', mfaEnabled: false, email: 'ivy@seaside.test' });
      expect(await ctx.bench.server.models.AccountChange.countDocuments({ userSub: ivy.sub })).to.equal(1);
      expect(ctx.bench.sms.messages.filter((sms) => sms.to === '+15550106666')).to.have.length(0);

      // A new code, and the page opens again.
      const asked = Date.now();
      const codePage = await ctx.browser.follow(await ctx.browser.get(ctx.url(`${base}/access`)));
      expect(isCodePage(codePage)).to.equal(true);
      const mail = await ctx.bench.mail.waitFor((candidate) => candidate.to.includes(ctx.admin.email) && /is your sign-in code$/.test(candidate.subject) && candidate.at.getTime() >= asked - 1000);
      const page = await ctx.browser.follow(await submitCode(ctx.browser, codePage, mail.code!));
      expect(page.url).to.equal(ctx.url(`${base}/access`));
      expect(page.html).to.include('Save access for user');
    });
  });
});
