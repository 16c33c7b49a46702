// 21.4: trusted ranges add up. The admin page (and the CLI, through the same service) refuses an
// entry that takes the practice's or a user's trusted space over its total, and special-purpose
// ranges (NAT64, 6to4, Teredo, all-zero prefixes, multicast, link-local…) with the reason.
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { createTrustedIps } from '../../../src/mfa/trusted-ips.js';
import { adminSignIn } from '../../helpers/admin-signin.js';
import { field, type Browser } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('admin: the total trusted address space and special-purpose ranges', () => {
  let bench: MfaBench;
  let nurse: UserDoc;
  let browser: Browser;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk' });
    const practiceId = (await bench.server.createPractice({ name: 'Budget Clinic' }))._id;
    const admin = await bench.server.createUser({ practiceId, email: 'admin@budget.test', role: 'admin', password: PASSWORD });
    nurse = await bench.server.createUser({ practiceId, email: 'nurse@budget.test', password: PASSWORD });
    ({ browser } = await adminSignIn(bench, admin, PASSWORD, '/admin/ip-access', '198.51.100.20'));
  });
  after(() => bench?.close());

  const add = async (entry: string, scope = 'practice') => {
    const form = await browser.get(bench.server.url('/admin/ip-access'));
    return browser.post(bench.server.url('/admin/ip-access'), { _csrf: field(form.html, '_csrf'), scope, entry, description: '', expires: '' });
  };

  it('four /16 networks for the practice, not a fifth: the cap is on the sum, not per entry', async () => {
    for (const entry of ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16']) expect((await add(entry)).status, entry).to.equal(303);
    const fifth = await add('10.5.0.0/16');
    expect(fifth.status).to.equal(400);
    expect(fifth.html).to.include('would trust more than four /16 networks');
    expect(await bench.server.models.TrustedIp.countDocuments({ entry: '10.5.0.0/16' })).to.equal(0);
    // Even one more address is too much now.
    expect((await add('10.6.0.1')).status).to.equal(400);
    await bench.server.models.TrustedIp.deleteMany({}); // room for the next test
  });

  it('a user\'s personal entries add up to one /24 at most', async () => {
    expect((await add('172.16.1.0/25', String(nurse._id))).status).to.equal(303);
    expect((await add('172.16.2.0/25', String(nurse._id))).status).to.equal(303);
    const third = await add('172.16.3.7', String(nurse._id));
    expect(third.status).to.equal(400);
    expect(third.html).to.include('would trust more than one /24 network (256 IPv4 addresses) for this user');
  });

  const special: Record<string, RegExp> = {
    '64:ff9b::/96': /NAT64/,
    '64:ff9b:1::/48': /NAT64/,
    '2002:c000:201::/48': /6to4/,
    '2001:0:4136::/48': /Teredo/,
    '::/48': /all-zero prefix/,
    '::/128': /all-zero prefix|unspecified/,
    'ff0e::/48': /multicast/,
    'fe80::/64': /link-local/,
    '224.1.0.0/16': /multicast/,
    '0.0.0.0/16': /this network/,
    '169.254.0.0/16': /link-local/,
  };
  for (const [entry, reason] of Object.entries(special)) {
    it(`refuses ${entry} with its reason`, async () => {
      const page = await add(entry);
      expect(page.status).to.equal(400);
      expect(page.html).to.include('cannot be trusted').and.match(reason);
    });
  }

  it('in production, loopback and documentation ranges are refused too (the CLI and the admin page share this service)', async () => {
    const production = createTrustedIps({ models: bench.server.models, now: bench.server.clock.now, production: true });
    const practiceId = nurse.practiceId;
    for (const entry of ['127.0.0.1', '::1', '192.0.2.0/24', '2001:db8::/48']) {
      const refusal = await production.add({ practiceId, entry }).then(() => undefined, (err: Error) => err);
      expect(refusal?.message, entry).to.match(/cannot be trusted/);
    }
  });
});
