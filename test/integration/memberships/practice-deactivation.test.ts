// Deactivation per practice (issue 19): a person in practices A and B, signed in through each in
// its own browser. Deactivating the B membership ends only the sign-ins that entered B (recorded per
// grant in practice_entries, docs/memberships.md), with back-channel logout to the module; the
// sign-in that entered A stays, and the A membership stays active. Reactivating gives B back.
// An admin of A cannot reach B's membership at all.
import { expect } from 'chai';
import { createMemberships } from '../../../src/accounts/memberships.js';
import { setMemberActive } from '../../../src/commands/index.js';
import { PASSWORD, startTwinBench, expectOk, type TwinBench } from '../commands/bench.js';
import { sessionUidsOf, signInThrough } from './sign-in-through.js';

describe('memberships: deactivating in one practice', function () {
  this.timeout(90_000);
  let t: TwinBench;
  before(async () => {
    t = await startTwinBench();
  });
  after(() => t.close());

  it('ends only the sign-ins that entered that practice, tells the module, and leaves the other practice working', async () => {
    const person = await t.bench.server.createUser({ practiceId: t.practiceId, email: 'two-places@seaside.test', name: 'Two Places', password: PASSWORD });
    await createMemberships({ models: t.bench.server.models }).addMembership({ userId: person._id, practiceId: t.otherPracticeId, role: 'clinician' });
    const { sessionUid: inA } = await signInThrough(t, person, t.practiceId, '203.0.113.61');
    const { sessionUid: inB } = await signInThrough(t, person, t.otherPracticeId, '203.0.113.62');
    t.loggedOut.length = 0;

    expectOk(await t.cli(['memberships', 'deactivate', '--practice', String(t.otherPracticeId), '--email', person.email]));
    const uids = await sessionUidsOf(t, person.sub);
    expect(uids).to.deep.equal([inA]);
    expect(uids).not.to.include(inB);
    expect(t.loggedOut).to.deep.equal([person.sub]);
    const statuses = await t.bench.server.models.Membership.find({ userId: person._id }).sort({ createdAt: 1 }).lean();
    expect(statuses.map((m) => [String(m.practiceId), m.status])).to.deep.equal([[String(t.practiceId), 'active'], [String(t.otherPracticeId), 'deactivated']]);
    const [entry] = await t.bench.server.models.AuditEntry.find({ event: 'admin.user.deactivated', userSub: person.sub }).lean();
    expect(entry).to.deep.include({ practiceId: String(t.otherPracticeId) });
    expect(entry!.details).to.deep.equal({ before: { status: 'active' }, after: { status: 'deactivated' }, sessionsEnded: 1, grantsRevoked: 1, modulesNotified: 1 });
    // Nothing about it in practice A's log.
    expect(await t.bench.server.models.AuditEntry.countDocuments({ event: 'admin.user.deactivated', userSub: person.sub, practiceId: String(t.practiceId) })).to.equal(0);

    expectOk(await t.cli(['memberships', 'activate', '--practice', String(t.otherPracticeId), '--email', person.email]));
    expect((await t.bench.server.models.Membership.findOne({ userId: person._id, practiceId: t.otherPracticeId }).lean())?.status).to.equal('active');
  });

  it('an admin of one practice cannot deactivate (or even find) a membership of another', async () => {
    const person = await t.bench.server.createUser({ practiceId: t.otherPracticeId, email: 'elsewhere-only@hilltop.test', password: PASSWORD });
    const actor = { kind: 'admin' as const, sub: t.admin.sub, userId: String(t.admin._id), practiceId: t.practiceId };
    const deps = { audit: t.bench.server.idp.audit, memberships: createMemberships({ models: t.bench.server.models }), endEntries: async () => ({ sessions: 0, grants: 0, modulesNotified: 0 }) };
    let refused: unknown;
    await setMemberActive(deps, actor, t.otherPracticeId, person, false).catch((err: unknown) => (refused = err));
    expect((refused as { status?: number }).status).to.equal(404);
    expect((await t.bench.server.models.Membership.findOne({ userId: person._id }).lean())?.status).to.equal('active');
  });
});
