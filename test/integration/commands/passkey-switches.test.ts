// The passkey switches, one command each behind two surfaces (the admin page /admin/security/passkeys
// and the CLI's `practices passwordless` / `practices phishing-resistant`): the same outcome and the
// same audit details from both. The refusals: an admin requiring passkeys of admins (or everyone)
// while holding none would lock themselves out (field error, nothing stored; the operator is no
// practice user and is not asked); neither switch turns on while passkeys are not an allowed factor.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { startTwinBench, expectOk, type TwinBench } from './bench.js';

describe('commands: the passkey switches on the admin page and the CLI', function () {
  this.timeout(60_000);
  let t: TwinBench;
  before(async () => {
    t = await startTwinBench();
  });
  after(() => t.close());

  const policy = () => t.bench.server.idp.accounts.passkeyPolicy(t.practiceId);
  const changed = async () => (await t.trail()).filter((entry) => entry.event === 'admin.practice.security_changed');
  const giveAdminAPasskey = () => t.bench.server.models.UserFactor.create({
    _id: new Types.ObjectId(), userId: t.admin._id, kind: 'webauthn', name: 'Desk key', createdAt: new Date(), confirmedAt: new Date(),
    credentialId: 'YWRtaW4ta2V5', publicKey: 'AA', counter: 0, deviceType: 'singleDevice', discoverable: false,
  });

  it('passwordless allowed: on by the admin page, off by the CLI, audited alike with exactly what changed; the page shows it', async () => {
    const before = (await changed()).length;
    expect((await t.post('/admin/security/passkeys/passwordless', { allowed: 'on' })).location).to.include('notice=saved');
    expect((await policy()).passwordlessAllowed).to.equal(true);
    expect((await t.browser.get(t.url('/admin/security/passkeys'))).html).to.match(/id="passwordlessAllowed"[^>]*checked/);
    expectOk(await t.cli(['practices', 'passwordless', '--practice', String(t.practiceId), '--allowed', 'off']));
    expectOk(await t.cli(['practices', 'passwordless', '--practice', String(t.practiceId), '--allowed', 'off']));
    expect((await policy()).passwordlessAllowed).to.equal(false);
    expect((await changed()).slice(before)).to.deep.equal([
      { event: 'admin.practice.security_changed', actor: 'admin', details: { before: { passwordlessAllowed: false }, after: { passwordlessAllowed: true } } },
      { event: 'admin.practice.security_changed', actor: 'operator', details: { before: { passwordlessAllowed: true }, after: { passwordlessAllowed: false } } },
    ]);
  });

  it('phishing-resistant required: an admin without a passkey cannot require it of admins or everyone (field error, nothing stored); the CLI can; with a passkey the admin can', async () => {
    const before = (await changed()).length;
    for (const requiredFor of ['admins', 'everyone']) {
      const refused = await t.post('/admin/security/passkeys/phishing-resistant', { requiredFor });
      expect(refused.status, requiredFor).to.equal(400);
      expect(refused.html).to.include('requiring one of admins would lock you out').and.include('id="requiredFor-nobody-error"');
    }
    expect((await policy()).phishingResistantRequired).to.equal('nobody');
    expect((await changed()).length, 'nothing audited as changed').to.equal(before);

    expectOk(await t.cli(['practices', 'phishing-resistant', '--practice', String(t.practiceId), '--required-for', 'everyone']));
    expect((await policy()).phishingResistantRequired).to.equal('everyone');
    expectOk(await t.cli(['practices', 'phishing-resistant', '--practice', String(t.practiceId), '--required-for', 'nobody']));

    await giveAdminAPasskey();
    expect((await t.post('/admin/security/passkeys/phishing-resistant', { requiredFor: 'admins' })).location).to.include('notice=saved');
    expect((await policy()).phishingResistantRequired).to.equal('admins');
    expect((await changed()).slice(before)).to.deep.equal([
      { event: 'admin.practice.security_changed', actor: 'operator', details: { before: { phishingResistantRequired: 'nobody' }, after: { phishingResistantRequired: 'everyone' } } },
      { event: 'admin.practice.security_changed', actor: 'operator', details: { before: { phishingResistantRequired: 'everyone' }, after: { phishingResistantRequired: 'nobody' } } },
      { event: 'admin.practice.security_changed', actor: 'admin', details: { before: { phishingResistantRequired: 'nobody' }, after: { phishingResistantRequired: 'admins' } } },
    ]);
    await t.bench.server.idp.accounts.setPasskeyPolicy(t.practiceId, { passwordlessAllowed: false, phishingResistantRequired: 'nobody' });
  });

  it('neither switch turns on, on either surface, while passkeys are not an allowed factor', async () => {
    const { accounts } = t.bench.server.idp;
    await accounts.setPracticeSecurity(t.practiceId, { ...(await accounts.practiceSecurity(t.practiceId)), allowedFactors: ['email', 'sms', 'totp'] });
    const page = await t.post('/admin/security/passkeys/passwordless', { allowed: 'on' });
    expect(page.status).to.equal(400);
    expect(page.html).to.include('Allow passkeys and security keys as a second factor first');
    const cli = await t.cli(['practices', 'phishing-resistant', '--practice', String(t.practiceId), '--required-for', 'everyone']);
    expect(cli.code).to.not.equal(0);
    expect(cli.stderr).to.include('Allow passkeys and security keys as a second factor first');
    expect(await policy()).to.deep.equal({ passwordlessAllowed: false, phishingResistantRequired: 'nobody' });
  });
});
