// One identity, several practices (issue 19): what an admin of practice A may change of a person who
// also works for practice B (role and access yes; name, email, phone, factors no), and identity-wide
// events (password, lock) written into the log of every practice the person is an active member
// of, each practice's chain still verifying with the existing verifier.
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { createMemberships } from '../../../src/accounts/memberships.js';
import type { AuditEvent } from '../../../src/audit/events.js';
import { verifyPracticeView } from '../../../src/audit/practice-view.js';
import { PASSWORD, startTwinBench, expectOk, type TwinBench } from '../commands/bench.js';

describe('memberships: a person shared by two practices', function () {
  this.timeout(90_000);
  let t: TwinBench;
  let thirdPracticeId: string;
  before(async () => {
    t = await startTwinBench();
    thirdPracticeId = String((await t.bench.server.createPractice({ name: 'Riverside Clinic' }))._id);
  });
  after(() => t.close());

  let n = 0;
  /** A member of the admin's practice (A) who is also active in B and deactivated in C. */
  async function sharedPerson(): Promise<UserDoc> {
    const person = await t.bench.server.createUser({ practiceId: t.practiceId, email: `shared${++n}@seaside.test`, name: 'Shared Person', password: PASSWORD });
    const memberships = createMemberships({ models: t.bench.server.models });
    await memberships.addMembership({ userId: person._id, practiceId: t.otherPracticeId, role: 'clinician' });
    await memberships.addMembership({ userId: person._id, practiceId: thirdPracticeId, role: 'staff' });
    await memberships.deactivateMembership(person._id, thirdPracticeId);
    return person;
  }

  it('an admin of A changes role and access but not the identity: name, email, phone, FHIR user, factors', async () => {
    const person = await sharedPerson();
    const id = String(person._id);
    expect((await t.browser.get(t.url(`/admin/users/${id}`))).html).to.include('id="identity-shared"');
    const refused = [
      [`/admin/users/${id}/email`, { email: 'taken-over@evil.test' }],
      [`/admin/users/${id}/phone`, { phone: '+15559990000' }],
      [`/admin/users/${id}/fhir-user`, { fhirUser: 'Practitioner/1' }],
      [`/admin/users/${id}/factors/totp/remove`, {}],
      [`/admin/users/${id}/profile`, { name: 'Renamed By Admin', role: 'clinician' }],
    ] as const;
    for (const [path, form] of refused) {
      const page = await t.post(path, form);
      expect(page.status, path).to.equal(400);
      expect(page.html, path).to.include('also works for another practice');
    }
    expect(await t.bench.server.models.User.findById(person._id).lean()).to.include({ email: person.email, name: 'Shared Person' });
    expect(await t.bench.server.models.AccountChange.countDocuments({ userSub: person.sub })).to.equal(0);
    // The practice's own: role (name unchanged) and two-step sign-in.
    expect((await t.post(`/admin/users/${id}/profile`, { name: 'Shared Person', role: 'staff' })).status).to.equal(303);
    expect((await t.post(`/admin/users/${id}/access`, { mfaEnabled: 'on', mfaChannel: 'email' })).status).to.equal(303);
    // A person of this practice only: the identity is the practice's to correct.
    const solo = await t.bench.server.createUser({ practiceId: t.practiceId, email: `solo${++n}@seaside.test`, name: 'Solo Person' });
    expect((await t.post(`/admin/users/${String(solo._id)}/profile`, { name: 'Solo Renamed', role: 'clinician' })).status).to.equal(303);
  });

  it('a password change and an unlock appear in every practice the person is active in; each chain verifies', async () => {
    const person = await sharedPerson();
    expectOk(await t.cli(['users', 'set-password', '--email', person.email], 'Another-Long-Passphrase-42!\n'));
    const { lockout } = t.bench.server.idp.mfa;
    for (let i = 0; i < t.bench.server.config.mfa.lockoutThreshold; i++) await lockout.failure(person._id);
    expectOk(await t.cli(['mfa', 'unlock', '--email', person.email]));

    const where = async (event: AuditEvent) => (await t.bench.server.models.AuditEntry.find({ event, userSub: person.sub }).sort({ seq: 1 }).lean())
      .map((entry) => [entry.practiceId, entry.reasons?.includes('identity_wide') ?? false]);
    for (const event of ['password.changed', 'account.unlocked'] as const) {
      expect(await where(event), event).to.deep.equal([[String(t.practiceId), false], [String(t.otherPracticeId), true]]);
    }
    // The copy names no other practice's admin; the deactivated practice C gets nothing.
    expect(await t.bench.server.models.AuditEntry.countDocuments({ userSub: person.sub, practiceId: thirdPracticeId, event: { $in: ['password.changed', 'account.unlocked'] } })).to.equal(0);
    const { keys } = t.bench.server.idp.audit;
    for (const practiceId of [String(t.practiceId), String(t.otherPracticeId)]) {
      expect(await verifyPracticeView({ models: t.bench.server.models, keys }, practiceId), practiceId).to.deep.include({ ok: true });
    }
  });
});
