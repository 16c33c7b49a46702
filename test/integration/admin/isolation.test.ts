// Cross-practice isolation: an admin of one practice tries every user route with another
// practice's ids (and malformed or unknown ones), by GET and POST with valid CSRF tokens and
// plausible forms. Every answer is 404 and the other practice's user, devices, sessions, lock,
// practice settings and the audit log stay exactly as they were.
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { UserDoc } from '../../../src/accounts/service.js';
import { PASSWORD, sessionsOf, signInToModule, startAdminBench, type AdminBench } from './admin-bench.js';

describe('admin: cross-practice isolation', () => {
  let ctx: AdminBench;
  let foreign: UserDoc;

  before(async () => {
    ctx = await startAdminBench('risk');
    foreign = await ctx.bench.server.createUser({ practiceId: ctx.otherPracticeId, email: 'fran@hilltop.test', name: 'Fran Foreign', password: PASSWORD, phone: '+15552223333' });
    // A session and a known device (the first sign-in asks for a code), then a lock.
    await signInToModule(ctx.bench, foreign, { sms: true });
    const { lockout } = ctx.bench.server.idp.mfa;
    for (let n = 0; n < lockout.settings.threshold; n++) await lockout.failure(foreign._id);
  });
  after(() => ctx?.close());

  async function snapshot() {
    const { models } = ctx.bench.server;
    return {
      memberships: await models.Membership.find({ practiceId: ctx.otherPracticeId }).sort({ userId: 1 }).lean(),
      users: await models.User.find({ _id: { $in: (await models.Membership.find({ practiceId: ctx.otherPracticeId }).lean()).map((m) => m.userId) } }).sort({ email: 1 }).lean(),
      practice: await models.Practice.findById(ctx.otherPracticeId).lean(),
      devices: await models.KnownDevice.countDocuments({ userId: foreign._id }),
      sessions: await sessionsOf(ctx.bench, foreign.sub),
      audit: await models.AuditEntry.collection.countDocuments({}),
    };
  }

  const actions: Array<[string, Record<string, string>]> = [
    ['', { name: 'Taken Over', email: 'mine@seaside.test', phone: '+15550009999', role: 'admin' }],
    ['/profile', { name: 'Taken Over', role: 'admin' }],
    ['/email', { email: 'mine@seaside.test' }],
    ['/phone', { phone: '+15550009999' }],
    ['/changes/0123456789abcdef01234567', { action: 'approve' }],
    ['/access', { mfaEnabled: 'on', mfaChannel: 'email' }],
    ['/deactivate', {}],
    ['/reactivate', {}],
    ['/unlock', {}],
    ['/forget-devices', {}],
    ['/end-sessions', {}],
    ['/invitation/resend', {}],
    ['/invitation/cancel', {}],
    ['/fhir-user', { fhirUser: 'Practitioner/1' }],
    ['/factors/totp/remove', {}],
  ];

  it('every user route with another practice\'s ids (or unknown, malformed ones) is a 404 and changes nothing', async () => {
    const before = await snapshot();
    expect(before.sessions).to.equal(1);
    expect(before.devices).to.equal(1);
    const ids = [String(foreign._id), String(ctx.otherAdmin._id), String(ctx.otherPracticeId), new Types.ObjectId().toHexString(), 'not-an-id', '0'.repeat(25), `${String(foreign._id)}x`];
    // One CSRF token for every form (it is the session's), so the test spends its time on the routes.
    const csrf = await ctx.csrf();
    for (const id of ids) {
      for (const view of ['', '/profile', '/access', '/changes/0123456789abcdef01234567']) {
        const page = await ctx.browser.get(ctx.url(`/admin/users/${id}${view}`));
        expect(page.status, `GET ${id}${view}`).to.equal(404);
        expect(page.html).not.to.include('Fran Foreign');
      }
      for (const [action, form] of actions) {
        const result = await ctx.browser.post(ctx.url(`/admin/users/${id}${action}`), { _csrf: csrf, ...form });
        expect(result.status, `POST ${id}${action}`).to.equal(404);
        expect(result.html).to.include('does not exist');
      }
    }
    const after = await snapshot();
    // The admin's own CSRF-token fetches write nothing: the whole audit log is unchanged too.
    expect(after).to.deep.equal(before);
  });

  it('a pending change of another practice cannot be opened, approved or refused, not even through a user of this practice', async () => {
    const { models } = ctx.bench.server;
    const now = ctx.bench.server.clock.now();
    const change = await models.AccountChange.create({
      _id: 'fedcba9876543210fedcba98', practiceId: ctx.otherPracticeId, userSub: ctx.otherAdmin.sub, kind: 'email', before: ctx.otherAdmin.email, after: 'hal@evil.test',
      requestedBy: { sub: foreign.sub, role: 'admin' }, requestedAt: new Date(now), proofNeeded: true, provenAt: new Date(now), approvalNeeded: true,
      expiresAt: new Date(now + 3_600_000), removeAt: new Date(now + 7_200_000),
    });
    const before = await snapshot();
    for (const userId of [String(ctx.otherAdmin._id), String(ctx.admin._id)]) {
      const path = `/admin/users/${userId}/changes/${change._id}`;
      expect((await ctx.browser.get(ctx.url(path))).status, `GET ${path}`).to.equal(404);
      for (const action of ['approve', 'refuse', 'withdraw', 'code']) {
        expect((await ctx.post(path, { action, code: '123456' })).status, `${action} ${path}`).to.equal(404);
      }
    }
    expect(await snapshot()).to.deep.equal(before);
    expect(await models.AccountChange.findById(change._id).lean()).to.include({ after: 'hal@evil.test' });
    expect((await models.AccountChange.findById(change._id).lean())!.approvedBy).to.equal(undefined);
    const list = await ctx.browser.get(ctx.url('/admin/users'));
    expect(list.html).not.to.include('hal@evil.test');
  });

  it('the list never shows another practice\'s users, whatever is searched', async () => {
    for (const q of ['', 'fran', 'hilltop', 'Hal Admin', '@']) {
      const page = await ctx.browser.get(ctx.url(`/admin/users?q=${encodeURIComponent(q)}`));
      expect(page.status).to.equal(200);
      // (The search box shows what was searched: look at the rest of the page.)
      expect(page.html.replace(/<input id="q"[^>]*>/, ''), q).not.to.match(/Fran Foreign|hilltop\.test|Hal Admin/);
    }
  });

  it('practice fields in forms are ignored: only the admin\'s own practice changes', async () => {
    const before = await snapshot();
    const saved = await ctx.post('/admin/security', {
      practiceId: String(ctx.otherPracticeId), _id: String(ctx.otherPracticeId),
      mfaPolicy: 'always', trustedIpsBypass: '', sessionIdleMinutes: '30', minLength: '16', confirmed: 'yes',
      requireUpper: 'on', requireLower: 'on', requireDigit: 'on', requireSpecial: 'on', rejectCommon: 'on', rejectPersonal: 'on',
    });
    expect(saved.status).to.equal(303);
    expect(await ctx.bench.server.models.Practice.findById(ctx.practiceId).lean()).to.include({ mfaPolicy: 'always', sessionIdleMinutes: 30 });
    const created = await ctx.post('/admin/users', { practiceId: String(ctx.otherPracticeId), name: 'Placed Elsewhere', email: 'placed@seaside.test', role: 'admin' });
    expect(created.status).to.equal(303);
    const placed = await ctx.bench.server.models.User.findOne({ email: 'placed@seaside.test' }).lean();
    expect(await ctx.bench.server.models.Membership.exists({ userId: placed!._id, practiceId: ctx.practiceId })).to.not.equal(null);
    const after = await snapshot();
    expect({ ...after, audit: before.audit }).to.deep.equal(before);
  });
});
