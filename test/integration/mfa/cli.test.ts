// The MFA operator commands as operators run them: child processes against a real store, each
// change visible in the store and in the audit log with the actor `cli`.
import { expect } from 'chai';
import { Types, type Connection } from 'mongoose';
import { createAccountLockout } from '../../../src/mfa/account-lockout.js';
import { createKnownDevices } from '../../../src/mfa/known-devices.js';
import { openConnection } from '../../../src/store/connection.js';
import { auditEntryModel } from '../../../src/store/models/audit-entry.js';
import { createModels, type Models } from '../../../src/store/models/index.js';
import { storeUnderTest, type StoreUnderTest } from '../../helpers/store.js';
import { cliEnv, expectOk, runCli } from '../cli/run-cli.js';

describe('mfa: operator CLI', function () {
  this.timeout(60_000);
  let store: StoreUnderTest;
  let connection: Connection;
  let models: Models;
  let env: NodeJS.ProcessEnv;
  let practiceId: string;
  const cli = (...args: string[]) => runCli(args, env);

  before(async () => {
    store = await storeUnderTest();
    connection = await openConnection(store.uri);
    models = createModels(connection);
    env = cliEnv({ MONGODB_URI: store.uri });
    practiceId = String((await models.Practice.create({ name: 'Hillside Clinic' }))._id);
    const dana = await models.User.create({ sub: 'sub-dana', email: 'dana@clinic.test', name: 'Dana' });
    await models.Membership.create({ userId: dana._id, practiceId, role: 'clinician', status: 'active' });
  });
  after(async () => {
    await connection?.close();
    await store?.close();
  });

  it('sets a practice mode and trusted-IP bypass, and a user\'s two-step, channel and phone', async () => {
    const [policy, user, badPhone, nothing] = await Promise.all([
      cli('mfa', 'practice-policy', '--practice', practiceId, '--mode', 'always', '--trusted-ips-bypass', 'off'),
      cli('mfa', 'user', '--email', 'dana@clinic.test', '--two-step', 'on', '--channel', 'sms', '--phone', '+15551234821'),
      cli('mfa', 'user', '--email', 'dana@clinic.test', '--phone', '555-1234'),
      cli('mfa', 'user', '--email', 'dana@clinic.test'),
    ]);
    expect(expectOk(policy).stdout).to.equal('Practice "Hillside Clinic": MFA mode always, trusted IPs do not skip the code\n');
    expect(expectOk(user).stdout).to.equal('dana@clinic.test: two-step sign-in on; codes go by text message\n');
    expect(badPhone).to.include({ code: 1, stderr: 'error: The phone must be in E.164 form, e.g. +15551234567 (or "none").\n' });
    expect(nothing.code).to.equal(2);
    expect(await models.Practice.findById(practiceId).lean()).to.include({ mfaPolicy: 'always', trustedIpsBypass: false });
    const dana = (await models.User.findOne({ email: 'dana@clinic.test' }).lean())!;
    expect(dana).to.include({ mfaChannel: 'sms', phone: '+15551234821' });
    expect(await models.Membership.findOne({ userId: dana._id }).lean()).to.include({ mfaEnabled: true });
    const events = await auditEntryModel(connection).find({ 'actor.sub': 'cli' }).lean();
    // The phone is a change of the account (as "users change --phone"): audited masked, of its own.
    expect(events.map((entry) => entry.event)).to.have.members(['change.requested', 'admin.practice.security_changed', 'change.requested', 'admin.user.updated', 'change.requested', 'admin.user.mfa_changed']);
    expect(events.find((entry) => entry.event === 'admin.user.updated')?.details).to.deep.include({ after: { phone: '••• ••• 4821' } });
  });

  it('adds, lists and removes trusted IPs for the practice and for a user, with expiry', async () => {
    const [office, home, bad] = await Promise.all([
      cli('trusted-ips', 'add', '--practice', practiceId, '--ip', '203.0.113.0/24', '--description', 'Main office', '--json'),
      cli('trusted-ips', 'add', '--practice', practiceId, '--ip', '2001:DB8::7', '--email', 'dana@clinic.test', '--expires', '2099-01-01T00:00:00Z'),
      cli('trusted-ips', 'add', '--practice', practiceId, '--ip', '203.0.113.5/24'),
    ]);
    const officeEntry = JSON.parse(expectOk(office).stdout) as { id: string; entry: string };
    expect(officeEntry.entry).to.equal('203.0.113.0/24');
    expect(expectOk(home).stdout).to.match(/^Trusted 2001:db8::7 for dana@clinic\.test \(id [0-9a-f]{24}\)\n$/);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.include('bits are set after the /24 prefix');

    const duplicate = await cli('trusted-ips', 'add', '--practice', practiceId, '--ip', '203.0.113.0/24');
    expect(duplicate).to.include({ code: 1, stderr: 'error: 203.0.113.0/24 is already trusted here.\n' });
    const table = expectOk(await cli('trusted-ips', 'list', '--practice', practiceId)).stdout;
    expect(table).to.match(/203\.0\.113\.0\/24 +practice +Main office/).and.match(/2001:db8::7 +dana@clinic\.test .*2099-01-01T00:00:00\.000Z +no/);

    expect(expectOk(await cli('trusted-ips', 'remove', '--practice', practiceId, '--id', officeEntry.id)).stdout).to.equal('Removed 203.0.113.0/24\n');
    expect(await models.TrustedIp.countDocuments({ practiceId })).to.equal(1);
  });

  it('unlocks a user and forgets their devices', async () => {
    const user = (await models.User.findOne({ email: 'dana@clinic.test' }))!;
    const lockout = createAccountLockout({ models, now: Date.now });
    for (let i = 0; i < 10; i++) await lockout.failure(user._id);
    const devices = createKnownDevices({ models, now: Date.now });
    await devices.remember(user._id, 'a'.repeat(43), { userAgent: 'Firefox/128 (Windows)' }, new Types.ObjectId(practiceId));
    await devices.remember(user._id, 'b'.repeat(43), {}, new Types.ObjectId(practiceId));

    const [unlocked, forgot] = await Promise.all([
      cli('mfa', 'unlock', '--email', 'dana@clinic.test'),
      cli('mfa', 'forget-devices', '--email', 'dana@clinic.test'),
    ]);
    expect(expectOk(unlocked).stdout).to.equal('Unlocked dana@clinic.test\n');
    expect(expectOk(forgot).stdout).to.equal('Forgot 2 known browsers of dana@clinic.test\n');
    expect(lockout.status((await models.User.findById(user._id).lean())!)).to.deep.equal({ locked: false });
    expect(await devices.list(user._id)).to.be.empty;
    expect(await auditEntryModel(connection).countDocuments({ event: { $in: ['account.unlocked', 'device.forgotten'] }, userSub: 'sub-dana' })).to.equal(2);
  });
});
