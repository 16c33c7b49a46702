// Each operator action is one command (src/commands/) behind two surfaces: the admin pages and the
// operator CLI. Every test here drives BOTH surfaces on users in the same state and asserts the same
// outcome: what is stored, the audit entries (their details; only the actor differs), the sign-ins
// ended and the modules told by back-channel logout. Deactivation is per practice on both
// (src/commands/set-member-active.ts; a person in two practices: memberships/deactivation-surfaces.test.ts). The CLI used to differ: `users deactivate` left
// an already-inactive user's sign-ins alone, `trusted-ips remove` did not name the user an entry
// belonged to, `mfa user --channel sms` took a user without a phone.
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { startTwinBench, expectOk, type TwinBench } from './bench.js';

type Surface = 'admin' | 'cli';
const SURFACES: Surface[] = ['admin', 'cli'];

describe('commands: the admin pages and the CLI run one command per action', function () {
  this.timeout(60_000);
  let t: TwinBench;
  before(async () => {
    t = await startTwinBench();
  });
  after(() => t.close());

  /** Runs one action on one surface; fails with the page or the CLI's output when it did not succeed. */
  async function act(surface: Surface, user: UserDoc, admin: [string, Record<string, string>?], cli: string[]): Promise<void> {
    if (surface === 'admin') {
      // Destructive actions ask first (src/admin/confirm/): the test answers the confirmation page.
      const page = await t.post(`/admin/users/${String(user._id)}${admin[0]}`, { confirmed: 'yes', ...admin[1] });
      expect(page.status, `admin ${admin[0]}`).to.equal(303);
    } else {
      expectOk(await t.cli([...cli, '--email', user.email]));
    }
  }

  /** The outcome of an action: the user's trail (actor named by role) and their sign-ins. */
  async function outcome(user: UserDoc) {
    return { trail: await t.trail(user.sub), sessions: await t.sessionsOf(user.sub), moduleTold: t.loggedOut.includes(user.sub) };
  }

  const ACTOR = { admin: 'admin', cli: 'operator' } as const;
  const signedInTrail = (surface: Surface, entries: Array<{ event: string; details: unknown }>) => entries.map((entry) => ({ ...entry, actor: ACTOR[surface] }));

  it('deactivate: the membership is deactivated, the sign-ins that entered the practice ended, the module told, the same audit details', async () => {
    for (const surface of SURFACES) {
      const user = await t.signedInUser(`deactivate-${surface}`);
      await act(surface, user, ['/deactivate'], ['users', 'deactivate']);
      expect((await t.bench.server.models.Membership.findOne({ userId: user._id }).lean())?.status, surface).to.equal('deactivated');
      expect(await outcome(user), surface).to.deep.equal({
        trail: signedInTrail(surface, [{ event: 'admin.user.deactivated', details: { before: { status: 'active' }, after: { status: 'deactivated' }, sessionsEnded: 1, grantsRevoked: 1, modulesNotified: 1 } }]),
        sessions: 0, moduleTold: true,
      });
    }
  });

  it('deactivating a user already inactive still ends the sign-ins they hold (the CLI used to stop at "already deactivated")', async () => {
    for (const surface of SURFACES) {
      const user = await t.signedInUser(`inactive-${surface}`);
      await t.bench.server.models.Membership.updateOne({ userId: user._id }, { $set: { status: 'deactivated' } });
      await act(surface, user, ['/deactivate'], ['users', 'deactivate']);
      expect(await outcome(user), surface).to.deep.equal({
        trail: signedInTrail(surface, [{ event: 'session.ended_everywhere', details: { sessionsEnded: 1, grantsRevoked: 1, modulesNotified: 1 } }]),
        sessions: 0, moduleTold: true,
      });
    }
  });

  it('reactivate: active again, audited alike; a second time changes nothing', async () => {
    for (const surface of SURFACES) {
      const user = await t.bench.server.createUser({ practiceId: t.practiceId, email: `back-${surface}@seaside.test`, active: false } as never);
      await act(surface, user, ['/reactivate'], ['users', 'activate']);
      await act(surface, user, ['/reactivate'], ['users', 'activate']);
      expect((await t.bench.server.models.Membership.findOne({ userId: user._id }).lean())?.status, surface).to.equal('active');
      expect(await t.trail(user.sub), surface).to.deep.equal(signedInTrail(surface, [{ event: 'admin.user.reactivated', details: { before: { status: 'deactivated' }, after: { status: 'active' } } }]));
    }
  });

  it('end sessions: every sign-in ended, the module told, audited alike', async () => {
    for (const surface of SURFACES) {
      const user = await t.signedInUser(`end-${surface}`);
      await act(surface, user, ['/end-sessions'], ['users', 'end-sessions']);
      expect(await outcome(user), surface).to.deep.equal({
        trail: signedInTrail(surface, [{ event: 'session.ended_everywhere', details: { before: { sessions: 1, grants: 1 }, after: { sessions: 0, grants: 0 }, modulesNotified: 1 } }]),
        sessions: 0, moduleTold: true,
      });
    }
  });

  it('unlock: the lock lifted and audited alike; an account not locked reports so and records no unlock', async () => {
    const { lockout } = t.bench.server.idp.mfa;
    const threshold = t.bench.server.config.mfa.lockoutThreshold;
    for (const surface of SURFACES) {
      const user = await t.bench.server.createUser({ practiceId: t.practiceId, email: `locked-${surface}@seaside.test` });
      for (let i = 0; i < threshold; i++) await lockout.failure(user._id);
      expect(lockout.status((await t.bench.server.models.User.findById(user._id).lean())!).locked, surface).to.equal(true);
      await act(surface, user, ['/unlock'], ['mfa', 'unlock']);
      await act(surface, user, ['/unlock'], ['mfa', 'unlock']);
      expect(lockout.status((await t.bench.server.models.User.findById(user._id).lean())!).locked, surface).to.equal(false);
      expect(await t.trail(user.sub), surface).to.deep.equal(signedInTrail(surface, [{ event: 'account.unlocked', details: { before: { locked: true }, after: { locked: false } } }]));
    }
  });

  it('forget devices: every known browser forgotten and audited alike', async () => {
    for (const surface of SURFACES) {
      const user = await t.bench.server.createUser({ practiceId: t.practiceId, email: `devices-${surface}@seaside.test` });
      await t.bench.server.idp.mfa.devices.remember(user._id, 'a'.repeat(43), {}, t.practiceId);
      await t.bench.server.idp.mfa.devices.remember(user._id, 'b'.repeat(43), {}, t.practiceId);
      await act(surface, user, ['/forget-devices'], ['mfa', 'forget-devices']);
      expect(await t.bench.server.idp.mfa.devices.list(user._id), surface).to.be.empty;
      expect(await t.trail(user.sub), surface).to.deep.equal(signedInTrail(surface, [{ event: 'device.forgotten', details: { before: { knownDevices: 2 }, after: { knownDevices: 0 } } }]));
    }
  });

  it('two-step sign-in: turned on alike; codes by text without a mobile number refused alike, nothing stored', async () => {
    for (const surface of SURFACES) {
      const user = await t.bench.server.createUser({ practiceId: t.practiceId, email: `two-step-${surface}@seaside.test` });
      await act(surface, user, ['/access', { mfaEnabled: 'on', mfaChannel: 'email' }], ['mfa', 'user', '--two-step', 'on', '--channel', 'email']);
      const refused = surface === 'admin'
        ? (await t.post(`/admin/users/${String(user._id)}/access`, { mfaEnabled: 'on', mfaChannel: 'sms' })).html
        : (await t.cli(['mfa', 'user', '--email', user.email, '--channel', 'sms'])).stderr;
      expect(refused, surface).to.include('Text messages need a mobile number');
      expect(await t.bench.server.models.User.findById(user._id).lean(), surface).to.include({ mfaChannel: 'email' });
      expect(await t.bench.server.models.Membership.findOne({ userId: user._id }).lean(), surface).to.include({ mfaEnabled: true });
      expect(await t.trail(user.sub), surface).to.deep.equal(signedInTrail(surface, [{ event: 'admin.user.mfa_changed', details: { before: { mfaEnabled: false, mfaChannel: 'sms' }, after: { mfaEnabled: true, mfaChannel: 'email' } } }]));
    }
  });

  it('trusted IPs: a user\'s entry added and removed alike, both entries naming the user', async () => {
    for (const surface of SURFACES) {
      const user = await t.bench.server.createUser({ practiceId: t.practiceId, email: `home-${surface}@seaside.test` });
      const entry = surface === 'admin' ? '192.0.2.10' : '192.0.2.11';
      if (surface === 'admin') {
        expect((await t.post('/admin/ip-access', { scope: String(user._id), entry, description: 'Home', expires: '' })).status).to.equal(303);
      } else {
        expectOk(await t.cli(['trusted-ips', 'add', '--practice', String(t.practiceId), '--email', user.email, '--ip', entry, '--description', 'Home']));
      }
      const stored = (await t.bench.server.models.TrustedIp.findOne({ entry }).lean())!;
      expect(stored, surface).to.deep.include({ userId: user._id, description: 'Home' });
      if (surface === 'admin') {
        expect((await t.post(`/admin/ip-access/${String(stored._id)}/remove`, { confirmed: 'yes' })).status).to.equal(303);
      } else {
        expectOk(await t.cli(['trusted-ips', 'remove', '--practice', String(t.practiceId), '--id', String(stored._id)]));
      }
      const view = { id: String(stored._id), entry, scope: user.email, description: 'Home', expires: null };
      expect(await t.trail(user.sub), surface).to.deep.equal(signedInTrail(surface, [
        { event: 'admin.trusted_ip.added', details: { after: view } },
        { event: 'admin.trusted_ip.removed', details: { before: view } },
      ]));
    }
  });

  it('practice security: the MFA mode changed and audited alike, with exactly what changed', async () => {
    const { accounts } = t.bench.server.idp;
    const current = await accounts.practiceSecurity(t.practiceId);
    const form: Record<string, string> = {
      mfaPolicy: 'always', trustedIpsBypass: current.trustedIpsBypass ? 'on' : '', sessionIdleMinutes: String(current.sessionIdleMinutes),
      minLength: String(current.passwordPolicy.minLength), timeZone: current.timeZone ?? '',
    };
    for (const name of ['requireUpper', 'requireLower', 'requireDigit', 'requireSpecial', 'rejectCommon', 'rejectPersonal'] as const) form[name] = current.passwordPolicy[name] ? 'on' : '';
    expect((await t.post('/admin/security', { confirmed: 'yes', ...form })).status).to.equal(303);
    expectOk(await t.cli(['mfa', 'practice-policy', '--practice', String(t.practiceId), '--mode', 'off']));
    expectOk(await t.cli(['mfa', 'practice-policy', '--practice', String(t.practiceId), '--mode', 'off']));
    expect((await accounts.practiceSecurity(t.practiceId)).mfaPolicy).to.equal('off');
    const entries = (await t.trail()).filter((entry) => entry.event === 'admin.practice.security_changed');
    expect(entries).to.deep.equal([
      { event: 'admin.practice.security_changed', actor: 'admin', details: { before: { mfaPolicy: 'off' }, after: { mfaPolicy: 'always' } } },
      { event: 'admin.practice.security_changed', actor: 'operator', details: { before: { mfaPolicy: 'always' }, after: { mfaPolicy: 'off' } } },
    ]);
  });

  it('invite ("Add a user"): invited in the practice and audited alike, whether or not the email had an identity', async () => {
    const existing = await t.bench.server.createUser({ practiceId: t.otherPracticeId, email: 'has-identity@hilltop.test', name: 'Own Name', password: 'Quiet-Harbor-Lantern-0123!' });
    const trails: unknown[] = [];
    for (const surface of SURFACES) {
      for (const email of [`new-${surface}@seaside.test`, surface === 'admin' ? existing.email : 'has-identity-2@hilltop.test']) {
        if (email === 'has-identity-2@hilltop.test') await t.bench.server.createUser({ practiceId: t.otherPracticeId, email, name: 'Own Name', password: 'Quiet-Harbor-Lantern-0123!' });
        if (surface === 'admin') {
          expect((await t.post('/admin/users', { name: 'New Person', email, role: 'staff' })).status).to.equal(303);
        } else {
          expectOk(await t.cli(['memberships', 'invite', '--practice', String(t.practiceId), '--email', email, '--name', 'New Person', '--role', 'staff']));
        }
        const user = (await t.bench.server.models.User.findOne({ email }).lean())!;
        expect((await t.bench.server.models.Membership.findOne({ userId: user._id, practiceId: t.practiceId }).lean())?.status, `${surface} ${email}`).to.equal('invited');
        const trail = (await t.trail(user.sub)).map((entry) => ({ ...entry, details: JSON.parse(JSON.stringify(entry.details).replaceAll(email, 'EMAIL').replace(/"expiresAt":"[^"]+"/, '"expiresAt":"T"')) }));
        trails.push(trail);
        expect(trail, `${surface} ${email}`).to.deep.equal(signedInTrail(surface, [
          { event: 'admin.user.created', details: { before: null, after: { name: 'New Person', email: 'EMAIL', role: 'staff', status: 'invited' } } },
          { event: 'admin.user.invitation_sent', details: { expiresAt: 'T' } },
        ]));
      }
    }
  });

  it('resend and cancel an invitation: alike on both surfaces; the earlier link stops working', async () => {
    for (const surface of SURFACES) {
      const email = `pending-${surface}@seaside.test`;
      expect((await t.post('/admin/users', { name: 'Pending Person', email, role: 'staff' })).status).to.equal(303);
      const user = (await t.bench.server.models.User.findOne({ email }).lean())!;
      const before = await t.bench.server.models.PasswordToken.find({ userSub: user.sub }).lean();
      if (surface === 'admin') {
        expect((await t.post(`/admin/users/${String(user._id)}/invitation/resend`)).status).to.equal(303);
      } else {
        expectOk(await t.cli(['memberships', 'resend', '--practice', String(t.practiceId), '--email', email]));
      }
      const after = await t.bench.server.models.PasswordToken.find({ userSub: user.sub }).lean();
      expect(after.map((token) => token._id), surface).to.have.length(1).and.not.include(before[0]!._id);
      if (surface === 'admin') {
        expect((await t.post(`/admin/users/${String(user._id)}/invitation/cancel`)).status).to.equal(303);
      } else {
        expectOk(await t.cli(['memberships', 'cancel', '--practice', String(t.practiceId), '--email', email]));
      }
      expect(await t.bench.server.models.Membership.findOne({ userId: user._id, practiceId: t.practiceId }).lean(), surface).to.equal(null);
      expect(await t.bench.server.models.PasswordToken.countDocuments({ userSub: user.sub }), surface).to.equal(0);
      const events = (await t.trail(user.sub)).map((entry) => ({ event: entry.event, actor: entry.actor, details: entry.event === 'admin.user.invitation_sent' ? 'sent' : entry.details }));
      expect(events.slice(2), surface).to.deep.equal([
        { event: 'admin.user.invitation_sent', actor: ACTOR[surface], details: 'sent' },
        { event: 'admin.user.invitation_cancelled', actor: ACTOR[surface], details: { before: { status: 'invited' }, after: null } },
      ]);
    }
  });
});
