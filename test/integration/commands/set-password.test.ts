// `users set-password` is src/commands/set-password.ts: the same password change as a reset or the
// user's own (every sign-in ended, modules told by back-channel logout, "your password was changed"
// emailed), and the account lock lifted. The CLI used to store the hash and delete the records only:
// no lockout reset, no email, no back-channel logout.
import { expect } from 'chai';
import { authenticatePassword } from '../../../src/accounts/authenticate.js';
import { startTwinBench, expectOk, type TwinBench } from './bench.js';

describe('commands: set password (operator CLI)', function () {
  this.timeout(60_000);
  let t: TwinBench;
  before(async () => {
    t = await startTwinBench();
  });
  after(() => t.close());

  it('ends every sign-in, tells the module, emails the user, lifts the lock, audits the change and the unlock', async () => {
    const { server, mail } = t.bench;
    const user = await t.signedInUser('reset-me');
    for (let i = 0; i < server.config.mfa.lockoutThreshold; i++) await server.idp.mfa.lockout.failure(user._id);
    const newPassword = 'Amber-Willow-Crossing-4821!';

    const result = expectOk(await t.cli(['users', 'set-password', '--email', user.email], `${newPassword}\n`));
    expect(result.stdout).to.equal(`Password set for ${user.email}; signed out everywhere; account unlocked\n`);

    expect(await t.sessionsOf(user.sub)).to.equal(0);
    expect(t.loggedOut).to.include(user.sub);
    const notice = await mail.waitFor((message) => message.to.includes(user.email) && /password was changed/i.test(message.subject));
    expect(notice.text).to.include('An administrator set a new password for your account.');
    const stored = (await server.models.User.findById(user._id).lean())!;
    expect(server.idp.mfa.lockout.status(stored).locked).to.equal(false);
    expect(await authenticatePassword({ models: server.models, hasher: server.idp.hasher }, user.email, newPassword)).to.include({ ok: true });
    const trail = await t.trail(user.sub);
    expect(trail.map((entry) => [entry.event, entry.actor])).to.deep.equal([['password.changed', 'operator'], ['account.unlocked', 'operator']]);
    expect(trail[0]!.details).to.deep.include({ sessionsEnded: 1, grantsRevoked: 1, modulesNotified: 1 });
    const unlock = await server.models.AuditEntry.findOne({ userSub: user.sub, event: 'account.unlocked' }).lean();
    expect(unlock?.reasons).to.deep.equal(['password_set']);
  });

  it('the notice goes out in the user\'s own language (their last sign-in\'s), not the operator\'s', async () => {
    const { server, mail } = t.bench;
    const user = await t.signedInUser('habla-es');
    await server.models.User.updateOne({ _id: user._id }, { $set: { language: 'es' } });
    expectOk(await t.cli(['users', 'set-password', '--email', user.email], 'Amber-Willow-Crossing-4822!\n'));
    const notice = await mail.waitFor((message) => message.to.includes(user.email) && message.subject === 'Se cambió su contraseña');
    expect(notice.text).to.include('Un administrador estableció una nueva contraseña para su cuenta.').and.not.include('An administrator');
  });

  it('a password the policy refuses changes nothing: exit 1, the old password still works, no email', async () => {
    const { server, mail } = t.bench;
    const user = await t.signedInUser('weak');
    const before = mail.messages.length;
    const result = await t.cli(['users', 'set-password', '--email', user.email], 'short\n');
    expect(result.code).to.equal(1);
    expect(await t.sessionsOf(user.sub)).to.equal(1);
    expect(await authenticatePassword({ models: server.models, hasher: server.idp.hasher }, user.email, 'Quiet-Harbor-Lantern-0123!')).to.include({ ok: true });
    expect(mail.messages.slice(before).filter((message) => message.to.includes(user.email))).to.be.empty;
    expect(await t.trail(user.sub)).to.deep.equal([]);
  });
});
