// Known devices (listed, forgotten one by one or all, each audited and emailed) and the recent
// sign-ins page read from the audit log, through HTTP.
import { expect } from 'chai';
import { browserAt, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { submitLogin } from '../../helpers/rp.js';
import { auditOf, openSignedIn, PASSWORD, postForm } from './bench.js';

describe('account: known devices and recent sign-ins', function () {
  this.timeout(30_000);
  let bench: MfaBench;

  before(async () => {
    bench = await startMfaBench();
  });
  after(() => bench.close());

  it('lists the devices that passed a code and forgets one, then all', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const laptop = browserAt('198.51.100.7');
    await openSignedIn(bench, laptop, user);
    const phone = browserAt('198.51.100.8');
    phone.userAgent = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1';
    await openSignedIn(bench, phone, user);
    const tablet = browserAt('198.51.100.9');
    tablet.userAgent = 'Mozilla/5.0 (Linux; Android 14) Chrome/126.0 Mobile Safari/537.36';
    await openSignedIn(bench, tablet, user);

    const list = await laptop.follow(await laptop.get(bench.server.url('/account/devices')));
    expect(list.html).to.contain('Firefox on Windows').and.contain('Safari on iOS').and.contain('Chrome on Android').and.contain('198.51.100.8');

    const iphone = await bench.server.models.KnownDevice.findOne({ userId: user._id, label: 'Safari on iOS' }).lean();
    const forgot = await postForm(bench, laptop, list, `/account/devices/${String(iphone!._id)}/forget`);
    expect(forgot.location).to.equal(bench.server.url('/account/devices?notice=device'));
    expect(await bench.server.models.KnownDevice.countDocuments({ userId: user._id })).to.equal(2);
    expect((await auditOf(bench, user, 'device.forgotten'))[0]?.details).to.deep.equal({ label: 'Safari on iOS' });
    await bench.mail.waitFor((mail) => mail.to.includes(user.email) && mail.subject === 'A known device was forgotten');

    // Another person's device id is simply not found.
    const stranger = await bench.server.createUser({ password: PASSWORD });
    const theirs = await bench.server.models.KnownDevice.create({ userId: stranger._id, deviceHash: 'x'.repeat(43), label: 'Edge on Windows', firstSeenAt: new Date(), lastSeenAt: new Date() });
    const page = await laptop.follow(forgot);
    const foreign = await postForm(bench, laptop, page, `/account/devices/${String(theirs._id)}/forget`);
    expect(foreign.location).to.equal(bench.server.url('/account/devices?notice=unchanged'));
    expect(await bench.server.models.KnownDevice.exists({ _id: theirs._id })).to.not.equal(null);

    const all = await postForm(bench, laptop, page, '/account/devices/forget-all');
    expect(all.location).to.equal(bench.server.url('/account/devices?notice=devices'));
    expect(await bench.server.models.KnownDevice.countDocuments({ userId: user._id })).to.equal(0);
    expect((await auditOf(bench, user, 'device.forgotten'))[0]?.details).to.deep.equal({ all: true, count: 2 });
    await bench.mail.waitFor((mail) => mail.to.includes(user.email) && mail.subject === 'Your known devices were forgotten');
  });

  it('shows recent sign-ins with time, network address, device and outcome', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const intruder = browserAt('203.0.113.66');
    intruder.userAgent = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Version/17.0 Safari/605.1.15';
    const login = await intruder.follow(await intruder.get(bench.server.url('/account')));
    expect((await submitLogin(intruder, login, user.email, 'guessed-wrong')).status).to.equal(401);

    const own = browserAt('198.51.100.20');
    await openSignedIn(bench, own, user);
    const page = await own.follow(await own.get(bench.server.url('/account/activity')));
    expect(page.status).to.equal(200);
    const items = [...page.html.matchAll(/<li class="card">([\s\S]*?)<\/li>/g)].map((match) => match[1]!);
    expect(items).to.have.length(2);
    expect(items[0]).to.contain('Signed in').and.contain('198.51.100.20').and.contain('Firefox on Windows').and.match(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(items[1]).to.contain('Wrong password').and.contain('203.0.113.66').and.contain('Safari on macOS');
  });
});
