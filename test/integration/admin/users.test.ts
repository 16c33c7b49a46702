// User management over HTTP by an MFA-signed-in admin: list, search and paging; create; name and role;
// "Save access for user"; deactivate and reactivate; unlock; forget devices; end sessions. Each
// action is checked in the store and in its audit entry (the admin as actor, exactly what changed).
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { Browser, field } from '../../helpers/browser.js';
import { PASSWORD, sessionsOf, signInToModule, startAdminBench, type AdminBench } from './admin-bench.js';

describe('admin: users', () => {
  let ctx: AdminBench;
  const idOf = (user: UserDoc) => String(user._id);
  // The identity joined with its membership in this practice (role, active, two-step live there).
  const stored = async (user: UserDoc) => {
    const identity = await ctx.bench.server.models.User.findById(user._id).lean();
    return identity ? ctx.bench.server.idp.accounts.memberships.memberOf(identity, user.practiceId) : null;
  };
  const userPage = async (user: UserDoc) => (await ctx.browser.get(ctx.url(`/admin/users/${idOf(user)}`))).html;
  const actor = () => ({ sub: ctx.admin.sub, role: 'admin' });

  before(async () => {
    ctx = await startAdminBench('risk');
  });
  after(() => ctx?.close());

  describe('list', () => {
    before(async () => {
      for (let n = 1; n <= 27; n++) {
        await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: `roster${String(n).padStart(2, '0')}@seaside.test`, name: `Roster Person ${String(n).padStart(2, '0')}` });
      }
      await ctx.bench.server.createUser({ practiceId: ctx.otherPracticeId, email: 'roster.elsewhere@hilltop.test', name: 'Roster Elsewhere' });
    });

    it('searches names and emails of this practice only, 25 a page', async () => {
      const first = await ctx.browser.get(ctx.url('/admin/users?q=roster'));
      expect(first.status).to.equal(200);
      expect(first.html).to.include('27 users · page 1 of 2');
      expect(first.html.match(/Roster Person \d\d/g)).to.have.length(25);
      expect(first.html).not.to.include('Elsewhere');
      expect(first.html).to.include('href="/admin/users?q=roster&amp;page=2"');
      const second = await ctx.browser.get(ctx.url('/admin/users?q=roster&page=2'));
      expect(second.html.match(/Roster Person \d\d/g)).to.deep.equal(['Roster Person 26', 'Roster Person 27']);
      expect((await ctx.browser.get(ctx.url('/admin/users?q=ROSTER07%40'))).html).to.include('1 user · page 1 of 1');
    });

    it('takes the search text literally and survives nonsense paging', async () => {
      for (const q of ['(', '.*', 'a[b', '\\']) {
        const page = await ctx.browser.get(ctx.url(`/admin/users?q=${encodeURIComponent(q)}`));
        expect(page.status, q).to.equal(200);
        expect(page.html).to.include('No user matches this search.');
      }
      const page = await ctx.browser.get(ctx.url('/admin/users?q=roster&page=999'));
      expect(page.html).to.include('page 2 of 2');
      expect((await ctx.browser.get(ctx.url('/admin/users?page=-4'))).status).to.equal(200);
    });
  });

  describe('create', () => {
    it('creates a user in the admin\'s practice (whatever the form says) and audits it', async () => {
      const done = await ctx.post('/admin/users', { name: 'Nia Nurse', email: ' Nia.Nurse@Seaside.test ', role: 'staff', practiceId: String(ctx.otherPracticeId) });
      expect(done.status).to.equal(303);
      const created = await ctx.bench.server.models.User.findOne({ email: 'nia.nurse@seaside.test' }).lean();
      expect(created).to.include({ name: 'Nia Nurse' });
      expect(await ctx.bench.server.models.Membership.findOne({ userId: created!._id, practiceId: ctx.practiceId }).lean()).to.include({ role: 'staff', status: 'invited' });
      // The same answer whether or not the email had an identity (test/integration/memberships/invitations.test.ts).
      expect(done.location).to.match(/\/admin\/users\?notice=invited$/);
      const [entry] = await ctx.audited('admin.user.created', created!.sub);
      expect(entry).to.deep.include({ outcome: 'success', practiceId: String(ctx.practiceId), actor: actor() });
      expect(entry!.details).to.deep.equal({ before: null, after: { name: 'Nia Nurse', email: 'nia.nurse@seaside.test', role: 'staff', status: 'invited' } });
      const page = await ctx.browser.follow(done);
      expect(page.html).to.include('The invitation was sent.');
      const invitation = await ctx.bench.mail.nextTo('nia.nurse@seaside.test');
      expect(invitation.text).to.match(/\/password-reset\/invitation\/[A-Za-z0-9_-]{43}/);
      const [sent] = await ctx.audited('admin.user.invitation_sent', created!.sub);
      expect(sent).to.deep.include({ actor: actor() });
    });

    it('says so when the invitation email cannot be sent (the user is still created)', async () => {
      ctx.bench.mail.setFailure('reject-recipient');
      try {
        const done = await ctx.post('/admin/users', { name: 'Bo Bounce', email: 'bo@seaside.test', role: 'clinician' });
        expect(done.status).to.equal(303);
        expect((await ctx.browser.follow(done)).html).to.include('but the invitation email could not be sent');
      } finally {
        ctx.bench.mail.setFailure('none');
      }
      const bo = await ctx.bench.server.models.User.findOne({ email: 'bo@seaside.test' }).lean();
      expect(await ctx.audited('admin.user.created', bo!.sub)).to.have.length(1);
      expect(await ctx.audited('admin.user.invitation_sent', bo!.sub)).to.have.length(0);
    });

    it('names each mistake, keeps what was typed and creates nothing', async () => {
      const cases: Array<[Record<string, string>, number, string]> = [
        [{ name: '', email: 'a@seaside.test', role: 'staff' }, 400, "Enter the user's name."],
        [{ name: 'Al', email: 'not-an-email', role: 'staff' }, 400, 'Enter a valid email address.'],
        [{ name: 'Al', email: 'al@seaside.test', role: 'owner' }, 400, 'Choose a role'],
        // Already a member of THIS practice (another practice's person is simply invited: no oracle).
        [{ name: 'Al', email: 'ada.admin@seaside.test', role: 'staff' }, 409, 'A user with this email already exists.'],
      ];
      for (const [form, status, message] of cases) {
        const page = await ctx.post('/admin/users', form);
        expect(page.status, message).to.equal(status);
        expect(page.html).to.include(message);
        expect(page.html).to.include(`value="${form.email}"`);
      }
      expect(await ctx.bench.server.models.User.exists({ email: 'al@seaside.test' })).to.equal(null);
    });
  });

  describe('edit', () => {
    let dana: UserDoc;
    before(async () => {
      dana = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'dana@seaside.test', name: 'Dana Doc', password: PASSWORD });
    });

    it('saves name and role at once and audits exactly what changed', async () => {
      const done = await ctx.post(`/admin/users/${idOf(dana)}/profile`, { name: 'Dana Doctor', role: 'staff', email: 'ignored@evil.test', phone: '+15557654321' });
      expect(done.status).to.equal(303);
      expect((await ctx.browser.follow(done)).html).to.include('Profile saved.');
      expect(await stored(dana)).to.include({ name: 'Dana Doctor', role: 'staff', email: 'dana@seaside.test' });
      expect((await stored(dana))!.phone).to.equal(undefined);
      const [entry] = await ctx.audited('admin.user.updated', dana.sub);
      expect(entry).to.deep.include({ actor: actor(), practiceId: String(ctx.practiceId) });
      expect(entry!.details).to.deep.equal({ before: { name: 'Dana Doc', role: 'clinician' }, after: { name: 'Dana Doctor', role: 'staff' } });
    });

    it('an unchanged form records nothing; a bad name, role or phone is named and nothing is saved', async () => {
      const same = await ctx.post(`/admin/users/${idOf(dana)}/profile`, { name: 'Dana Doctor', role: 'staff' });
      expect((await ctx.browser.follow(same)).html).to.include('Nothing changed.');
      const cases: Array<[string, Record<string, string>, string]> = [
        ['/profile', { name: '', role: 'admin' }, "Enter the user's name."],
        ['/profile', { name: 'Someone Else', role: 'owner' }, 'Choose a role'],
        ['/phone', { phone: '12' }, 'Enter the mobile number in international form'],
        ['/email', { email: 'not-an-email' }, 'Enter a valid email address.'],
        ['/email', { email: 'hal.admin@hilltop.test' }, 'A user with this email already exists.'],
      ];
      for (const [action, form, message] of cases) {
        const bad = await ctx.post(`/admin/users/${idOf(dana)}${action}`, form);
        expect(bad.status, message).to.be.oneOf([400, 409]);
        expect(bad.html).to.include(message);
      }
      expect(await stored(dana)).to.include({ name: 'Dana Doctor', role: 'staff', email: 'dana@seaside.test' });
      expect(await ctx.audited('admin.user.updated', dana.sub)).to.have.length(1);
      expect(await ctx.audited('admin.user.change_requested', dana.sub)).to.have.length(0);
    });

    it('an admin cannot demote or deactivate themselves', async () => {
      const demote = await ctx.post(`/admin/users/${idOf(ctx.admin)}/profile`, { name: 'Ada Admin', role: 'staff' });
      expect(demote.status).to.equal(400);
      expect(demote.html).to.include('You cannot remove your own admin role.');
      const deactivate = await ctx.post(`/admin/users/${idOf(ctx.admin)}/deactivate`);
      expect(deactivate.status).to.equal(400);
      expect(deactivate.html).to.include('You cannot deactivate your own account.');
      expect(await stored(ctx.admin)).to.include({ role: 'admin', active: true });
      expect(await ctx.audited('admin.user.updated', ctx.admin.sub)).to.have.length(0);
    });
  });

  describe('when the audit write fails', () => {
    it('the action does not report success', async () => {
      const gil = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'gil@seaside.test', name: 'Gil Audit' });
      expect((await ctx.post(`/admin/users/${idOf(gil)}/profile`, { name: 'Gil Audited', role: 'clinician' })).status).to.equal(303);
      // A real store constraint: a second admin.user.updated entry about Gil cannot be inserted.
      const entries = ctx.bench.server.models.AuditEntry.collection;
      await entries.createIndex({ event: 1, userSub: 1 }, { unique: true, name: 'test_one_update_per_user', partialFilterExpression: { userSub: gil.sub } });
      try {
        const page = await ctx.post(`/admin/users/${idOf(gil)}/profile`, { name: 'Gil Again', role: 'clinician' });
        expect(page.status).to.equal(503);
        expect(page.html).to.include('We could not complete this action. Please try again.');
        expect(page.html).not.to.include('Profile saved.');
      } finally {
        await entries.dropIndex('test_one_update_per_user');
      }
      expect(await ctx.audited('admin.user.updated', gil.sub)).to.have.length(1);
    });
  });

  describe('access', () => {
    it('turns two-step sign-in on with text delivery: the user\'s next sign-in asks for a texted code', async () => {
      const tess = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'tess@seaside.test', name: 'Tess Text', password: PASSWORD, phone: '+15550001111' });
      // A known device first (risk policy: the first sign-in asks), so only the new setting asks next time.
      const { browser } = await signInToModule(ctx.bench, tess, { sms: true });
      expect(await ctx.bench.server.models.KnownDevice.countDocuments({ userId: tess._id })).to.equal(1);

      const done = await ctx.post(`/admin/users/${idOf(tess)}/access`, { mfaEnabled: 'on', mfaChannel: 'sms' });
      expect((await ctx.browser.follow(done)).html).to.include('Access saved for this user.');
      expect(await stored(tess)).to.include({ mfaEnabled: true, mfaChannel: 'sms' });
      const [entry] = await ctx.audited('admin.user.mfa_changed', tess.sub);
      expect(entry).to.deep.include({ actor: actor() });
      expect(entry!.details).to.deep.equal({ before: { mfaEnabled: false }, after: { mfaEnabled: true } });

      const sameDevice = new Browser({ from: '203.0.113.50' });
      for (const [name, value] of browser.cookies()) if (name.startsWith('idp.device')) sameDevice.cookies().set(name, value);
      const before = ctx.bench.sms.messages.length;
      const again = await signInToModule(ctx.bench, tess, { sms: true, browser: sameDevice });
      expect(again.askedForCode).to.equal(true);
      expect(ctx.bench.sms.messages.length).to.equal(before + 1);
    });

    it('refuses text delivery without a mobile number, with a clear message', async () => {
      const ed = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'ed@seaside.test', name: 'Ed Email' });
      const page = await ctx.post(`/admin/users/${idOf(ed)}/access`, { mfaEnabled: 'on', mfaChannel: 'sms' });
      expect(page.status).to.equal(400);
      expect(page.html).to.include('Text messages need a mobile number');
      expect(await stored(ed)).to.include({ mfaEnabled: false });
      const email = await ctx.post(`/admin/users/${idOf(ed)}/access`, { mfaEnabled: 'on', mfaChannel: 'email' });
      expect(email.status).to.equal(303);
      const [entry] = await ctx.audited('admin.user.mfa_changed', ed.sub);
      expect(entry!.details).to.deep.equal({ before: { mfaEnabled: false, mfaChannel: 'sms' }, after: { mfaEnabled: true, mfaChannel: 'email' } });
    });
  });

  describe('account actions', () => {
    it('deactivating ends the user\'s sessions; reactivating lets them sign in again', async () => {
      const dee = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'dee@seaside.test', name: 'Dee Active', password: PASSWORD });
      await signInToModule(ctx.bench, dee);
      expect(await sessionsOf(ctx.bench, dee.sub)).to.equal(1);

      // First the confirmation page, saying what happens to whom; nothing changes until it is confirmed.
      const asked = await ctx.post(`/admin/users/${idOf(dee)}/deactivate`);
      expect(asked.status).to.equal(200);
      expect(asked.html).to.include('Deactivate Dee Active?').and.include('dee@seaside.test').and.include('Their sign-ins into this practice end at once, in every app and browser');
      expect(asked.html).to.match(/<button class="danger" type="submit">Deactivate Dee Active<\/button>/);
      expect(field(asked.html, 'confirmed')).to.equal('yes');
      expect(await stored(dee)).to.include({ active: true });
      expect(await sessionsOf(ctx.bench, dee.sub)).to.equal(1);
      expect(await ctx.audited('change.requested', dee.sub)).to.have.length(0);

      const off = await ctx.post(`/admin/users/${idOf(dee)}/deactivate`, { confirmed: 'yes' });
      expect((await ctx.browser.follow(off)).html).to.include('User deactivated in this practice: the sign-ins that entered it were ended.');
      expect(await stored(dee)).to.include({ active: false });
      expect(await sessionsOf(ctx.bench, dee.sub)).to.equal(0);
      const [deactivated] = await ctx.audited('admin.user.deactivated', dee.sub);
      expect(deactivated).to.deep.include({ actor: actor(), details: { before: { status: 'active' }, after: { status: 'deactivated' }, sessionsEnded: 1, grantsRevoked: 1, modulesNotified: 0 } });
      expect((await userPage(dee))).to.include('Reactivate user');

      const on = await ctx.post(`/admin/users/${idOf(dee)}/reactivate`);
      expect((await ctx.browser.follow(on)).html).to.include('User reactivated');
      const [reactivated] = await ctx.audited('admin.user.reactivated', dee.sub);
      expect(reactivated).to.deep.include({ actor: actor(), details: { before: { status: 'deactivated' }, after: { status: 'active' } } });
      await signInToModule(ctx.bench, dee);
    });

    it('unlocks a locked account', async () => {
      const lou = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'lou@seaside.test', name: 'Lou Locked', password: PASSWORD });
      const { lockout } = ctx.bench.server.idp.mfa;
      for (let n = 0; n < lockout.settings.threshold; n++) await lockout.failure(lou._id);
      expect(lockout.status(await stored(lou) as never).locked).to.equal(true);
      expect(await userPage(lou)).to.include('Unlock account');

      const done = await ctx.post(`/admin/users/${idOf(lou)}/unlock`);
      expect((await ctx.browser.follow(done)).html).to.include('Account unlocked.');
      expect(lockout.status(await stored(lou) as never).locked).to.equal(false);
      const [entry] = await ctx.audited('account.unlocked', lou.sub);
      expect(entry).to.deep.include({ actor: actor(), details: { before: { locked: true }, after: { locked: false } } });
      expect((await ctx.browser.follow(await ctx.post(`/admin/users/${idOf(lou)}/unlock`))).html).to.include('This account was not locked.');
      expect(await ctx.audited('account.unlocked', lou.sub)).to.have.length(1);
    });

    it('forgets the user\'s known devices: the next sign-in on that browser asks for a code', async () => {
      const kit = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'kit@seaside.test', name: 'Kit Known', password: PASSWORD });
      const { browser } = await signInToModule(ctx.bench, kit);
      expect(await ctx.bench.server.models.KnownDevice.countDocuments({ userId: kit._id })).to.equal(1);

      const asked = await ctx.post(`/admin/users/${idOf(kit)}/forget-devices`);
      expect(asked.html).to.include('known devices?').and.include('The 1 device where Kit Known completed');
      expect(await ctx.bench.server.models.KnownDevice.countDocuments({ userId: kit._id })).to.equal(1);
      const done = await ctx.post(`/admin/users/${idOf(kit)}/forget-devices`, { confirmed: 'yes' });
      expect((await ctx.browser.follow(done)).html).to.include('Known devices forgotten');
      expect(await ctx.bench.server.models.KnownDevice.countDocuments({ userId: kit._id })).to.equal(0);
      const [entry] = await ctx.audited('device.forgotten', kit.sub);
      expect(entry).to.deep.include({ actor: actor(), details: { before: { knownDevices: 1 }, after: { knownDevices: 0 } } });

      const sameDevice = new Browser({ from: '203.0.113.50' });
      for (const [name, value] of browser.cookies()) if (name.startsWith('idp.device')) sameDevice.cookies().set(name, value);
      expect((await signInToModule(ctx.bench, kit, { browser: sameDevice })).askedForCode).to.equal(true);
    });

    it('ends the user\'s sessions everywhere', async () => {
      const sam = await ctx.bench.server.createUser({ practiceId: ctx.practiceId, email: 'sam@seaside.test', name: 'Sam Session', password: PASSWORD });
      const { browser } = await signInToModule(ctx.bench, sam);
      expect(await sessionsOf(ctx.bench, sam.sub)).to.equal(1);

      const asked = await ctx.post(`/admin/users/${idOf(sam)}/end-sessions`);
      expect(asked.html).to.include('Sign Sam Session out everywhere?');
      expect(await sessionsOf(ctx.bench, sam.sub)).to.equal(1);
      const done = await ctx.post(`/admin/users/${idOf(sam)}/end-sessions`, { confirmed: 'yes' });
      expect((await ctx.browser.follow(done)).html).to.include('Signed out everywhere.');
      expect(await sessionsOf(ctx.bench, sam.sub)).to.equal(0);
      expect((await browser.get(ctx.url('/account/'))).status, 'signed out').to.equal(303);
      const [entry] = await ctx.audited('session.ended_everywhere', sam.sub);
      expect(entry).to.deep.include({ actor: actor() });
      expect(entry!.details).to.deep.include({ before: { sessions: 1, grants: 1 }, after: { sessions: 0, grants: 0 } });
    });
  });
});
