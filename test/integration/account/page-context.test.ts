// /account says whose practice this is, and the two-step page explains when a trusted address
// waives the code whatever the user chose (the setting must not look broken, or safer than it is).
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { openSignedIn, PASSWORD, postForm } from './bench.js';

describe('account: practice name and the trusted-address note', function () {
  this.timeout(30_000);
  let bench: MfaBench;
  before(async () => { bench = await startMfaBench(); });
  after(() => bench.close());

  it('shows the practice name in the header and the menu', async () => {
    const practice = await bench.server.createPractice({ name: 'Harbor View Pediatrics', mfaPolicy: 'off' });
    const user = await bench.server.createUser({ password: PASSWORD, practiceId: practice._id });
    const page = await openSignedIn(bench, new Browser({ from: '203.0.113.70' }), user);
    expect(page.html).to.match(/class="brand-practice"> · Harbor View Pediatrics</);
    expect(page.html).to.include(`(${user.email}) · Harbor View Pediatrics`);
  });

  it('shows recent sign-ins in the practice time zone', async () => {
    const practice = await bench.server.createPractice({ name: 'Prairie Clinic', mfaPolicy: 'off' });
    await bench.server.models.Practice.updateOne({ _id: practice._id }, { $set: { timeZone: 'America/Chicago' } });
    const user = await bench.server.createUser({ password: PASSWORD, practiceId: practice._id });
    const page = await openSignedIn(bench, new Browser({ from: '203.0.113.73' }), user, '/account/activity');
    expect(page.html).to.match(/\d{4}, \d{1,2}:\d{2}\s(AM|PM) C[SD]T · /).and.include('from 203.0.113.73');
  });

  it("writes the time of a security email on the practice's clocks", async () => {
    const practice = await bench.server.createPractice({ name: 'Lakeshore Clinic', mfaPolicy: 'off' });
    await bench.server.models.Practice.updateOne({ _id: practice._id }, { $set: { timeZone: 'America/Chicago' } });
    const user = await bench.server.createUser({ password: PASSWORD, practiceId: practice._id });
    await bench.server.models.KnownDevice.create({ userId: user._id, deviceHash: 'y'.repeat(43), label: 'Edge on Windows', firstSeenAt: new Date(), lastSeenAt: new Date() });
    const browser = new Browser({ from: '203.0.113.74' });
    const page = await openSignedIn(bench, browser, user, '/account/devices');
    await postForm(bench, browser, page, '/account/devices/forget-all');
    const mail = await bench.mail.waitFor((message) => message.to.includes(user.email) && message.subject === 'Your known devices were forgotten');
    expect(mail.text).to.match(/When: \w{3}, \w{3} \d{1,2}, \d{4}, \d{1,2}:\d\d [AP]M C[SD]T, from the network address 203\.0\.113\.74\./);
  });

  it('at a trusted address: says no code is asked here, whatever the choice', async () => {
    const practice = await bench.server.createPractice({ name: 'Cedar Clinic', mfaPolicy: 'risk' });
    const user = await bench.server.createUser({ password: PASSWORD, practiceId: practice._id });
    await bench.server.idp.mfa.trustedIps.add({ practiceId: practice._id, entry: '203.0.113.0/24', description: 'Office' });
    const page = await openSignedIn(bench, new Browser({ from: '203.0.113.71' }), user, '/account/two-step');
    expect(page.html).to.include('You are signing in from an address your practice trusts');
  });

  it('elsewhere: says trusted addresses may skip the code', async () => {
    const practice = await bench.server.createPractice({ name: 'Birch Clinic', mfaPolicy: 'risk' });
    const user = await bench.server.createUser({ password: PASSWORD, practiceId: practice._id });
    const page = await openSignedIn(bench, new Browser({ from: '198.51.100.72' }), user, '/account/two-step');
    expect(page.html).to.include('Your practice may trust some addresses').and.not.include('You are signing in from an address');
  });
});
