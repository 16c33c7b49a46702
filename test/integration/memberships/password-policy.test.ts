// One password serves every practice of the person: the strictest of their active practices'
// policies applies to setting it, and the rule list names the practice that asked for each rule.
import { expect } from 'chai';
import { startServer, type TestServer } from '../../helpers/server.js';

describe('memberships: the strictest password policy of the person\'s practices', function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => { server = await startServer(); });
  after(() => server.close());

  it('a password good enough for one practice but too short for the other is refused; the rules say which practice asked for what', async () => {
    const harbor = await server.createPractice({ name: 'Harbor Clinic' });
    const valley = await server.createPractice({ name: 'Valley Clinic' });
    await server.idp.accounts.setPracticePasswordPolicy(valley._id, { minLength: 20, requireSpecial: false });
    await server.idp.accounts.setPracticePasswordPolicy(harbor._id, { minLength: 12 });
    const user = await server.createUser({ practiceId: harbor._id, email: 'strict.locum@clinic.test' });
    await server.idp.accounts.setPassword(user.sub, 'Harbor pass word 12!'); // 20 chars: both accept
    await server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: valley._id, role: 'staff' });

    let refused: unknown;
    try { await server.idp.accounts.setPassword(user.sub, 'Short but ok 1!'); } catch (err) { refused = err; }
    expect((refused as { status?: number } | undefined)?.status).to.equal(400);
    const { policy, askedBy, practices } = await server.idp.accounts.passwordPolicyForUser(user._id);
    expect(practices).to.equal(2);
    expect(policy).to.include({ minLength: 20, requireSpecial: true });
    expect(askedBy.min_length).to.deep.equal(['Valley Clinic']);
    expect(askedBy.special).to.deep.equal(['Harbor Clinic']);
    // Deactivated in Valley: Valley's policy no longer binds the password.
    await server.idp.accounts.memberships.deactivateMembership(user._id, valley._id);
    await server.idp.accounts.setPassword(user.sub, 'Short but ok 1!');
  });
});
