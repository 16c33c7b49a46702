// Deactivation per practice from both surfaces (issue 19): the admin user page's Deactivate (with
// its confirmation page) and the CLI's `users deactivate` run the same per-practice command
// (src/commands/set-member-active.ts). A person in practices A and B, signed in through each in its
// own browser, deactivated in A: A's sign-in ends, B's browser session is untouched and keeps
// signing in to B (SSO and a fresh password sign-in), B's membership stays active. The CLI will not
// guess which practice is meant for a person in two: it names them and asks for --practice.
import { expect } from 'chai';
import * as oidc from 'openid-client';
import { createMemberships } from '../../../src/accounts/memberships.js';
import { Browser } from '../../helpers/browser.js';
import { startAuthorization, untilCallback, silentSignIn, signIn } from '../../helpers/rp.js';
import { PASSWORD, startTwinBench, expectOk, type TwinBench } from '../commands/bench.js';
import { sessionUidsOf, signInThrough } from './sign-in-through.js';

describe('memberships: deactivation in one practice from the admin page and the CLI', function () {
  this.timeout(120_000);
  let t: TwinBench;
  before(async () => {
    t = await startTwinBench();
  });
  after(() => t.close());

  for (const surface of ['admin', 'cli'] as const) {
    it(`${surface}: deactivated in A, the person's sign-in into A ends; B's session is untouched and B keeps signing in`, async () => {
      const { models } = t.bench.server;
      const person = await t.bench.server.createUser({ practiceId: t.practiceId, email: `both-${surface}@seaside.test`, name: 'Both Places', password: PASSWORD });
      await createMemberships({ models }).addMembership({ userId: person._id, practiceId: t.otherPracticeId, role: 'clinician' });
      const inA = await signInThrough(t, person, t.practiceId, '203.0.113.71');
      const inB = await signInThrough(t, person, t.otherPracticeId, '203.0.113.72');
      t.loggedOut.length = 0;

      if (surface === 'admin') {
        const confirm = await t.post(`/admin/users/${String(person._id)}/deactivate`);
        expect(confirm.status, 'the confirmation page').to.equal(200);
        expect(confirm.html).to.include('Their sign-ins into this practice end at once').and.not.include('signed out of every app');
        expect(await sessionUidsOf(t, person.sub), 'asking first ends nothing').to.have.members([inA.sessionUid, inB.sessionUid]);
        const done = await t.post(`/admin/users/${String(person._id)}/deactivate`, { confirmed: 'yes' });
        expect(done.status).to.equal(303);
        expect((await t.browser.get(done.location!)).html).to.include('User deactivated in this practice');
      } else {
        // Two memberships and no --practice: refused, naming both, and nothing changed.
        const refused = await t.cli(['users', 'deactivate', '--email', person.email]);
        expect(refused.code).to.not.equal(0);
        expect(refused.stderr).to.include(`is a member of 2 practices`).and.include(String(t.practiceId)).and.include(String(t.otherPracticeId)).and.include('--practice ID');
        expect(await models.Membership.countDocuments({ userId: person._id, status: 'active' })).to.equal(2);
        expect(await sessionUidsOf(t, person.sub)).to.have.members([inA.sessionUid, inB.sessionUid]);
        expectOk(await t.cli(['users', 'deactivate', '--email', person.email, '--practice', String(t.practiceId)]));
      }

      // A's sign-in ended (the module told), B's browser session untouched.
      expect(await sessionUidsOf(t, person.sub)).to.deep.equal([inB.sessionUid]);
      expect(t.loggedOut).to.deep.equal([person.sub]);
      const statuses = await models.Membership.find({ userId: person._id }).lean();
      expect(Object.fromEntries(statuses.map((m) => [String(m.practiceId), m.status]))).to.deep.equal({ [String(t.practiceId)]: 'deactivated', [String(t.otherPracticeId)]: 'active' });
      const [entry] = await models.AuditEntry.find({ event: 'admin.user.deactivated', userSub: person.sub }).lean();
      expect(entry).to.deep.include({ practiceId: String(t.practiceId) });
      expect(entry!.details).to.deep.include({ sessionsEnded: 1 });

      // A's browser is signed out; asking it for A silently gets login_required.
      const silentA = await startAuthorization(t.records, { prompt: 'none', practice_hint: String(t.practiceId) });
      expect((await untilCallback(inA.browser, t.records, await inA.browser.get(silentA.url.href))).searchParams.get('error')).to.equal('login_required');
      // B's browser still signs in to B without a page (SSO), and its tokens answer for B.
      const sso = await silentSignIn(inB.browser, t.records, { practice_hint: String(t.otherPracticeId) });
      expect((await oidc.fetchUserInfo(t.records.config, sso.tokens.access_token, person.sub)).practice).to.deep.include({ id: String(t.otherPracticeId) });
      // A fresh password sign-in, even hinting A, enters B (its only active practice).
      const fresh = await signIn(new Browser({ from: '203.0.113.73' }), t.records, person.email, PASSWORD, { practice_hint: String(t.practiceId) });
      expect((await oidc.fetchUserInfo(t.records.config, fresh.tokens.access_token, person.sub)).practice).to.deep.include({ id: String(t.otherPracticeId) });
      expect(await sessionUidsOf(t, person.sub)).to.include(inB.sessionUid);
    });
  }

  it('cli: a practice the person is not a member of is named in the error; nothing changes', async () => {
    const person = await t.bench.server.createUser({ practiceId: t.otherPracticeId, email: 'only-hilltop@hilltop.test', password: PASSWORD });
    const refused = await t.cli(['users', 'deactivate', '--email', person.email, '--practice', String(t.practiceId)]);
    expect(refused.code).to.not.equal(0);
    expect(refused.stderr).to.include('is not a member of Seaside Clinic');
    expect((await t.bench.server.models.Membership.findOne({ userId: person._id }).lean())?.status).to.equal('active');
  });
});
