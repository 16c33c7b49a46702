// Adding a phone number through HTTP with the SMS API stand-in: the number is saved only after the
// code texted to it is entered; a wrong code, or a code for another number, saves nothing.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { auditOf, openSignedIn, PASSWORD, postForm } from './bench.js';

describe('account: phone number verified by a texted code', function () {
  this.timeout(30_000);
  let bench: MfaBench;

  before(async () => {
    bench = await startMfaBench();
  });
  after(() => bench.close());

  it('saves the number only after the right code, audits it and emails a notice', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const browser = new Browser();
    const form = await openSignedIn(bench, browser, user, '/account/phone');
    expect(form.html).to.contain('Add a phone number');

    const bad = await postForm(bench, browser, form, '/account/phone', { phone: '555-1234' });
    expect(bad.status).to.equal(400);
    expect(bad.html).to.contain('This is not a phone number we can text.');

    const codePage = await postForm(bench, browser, bad, '/account/phone', { phone: '+1 (555) 010-4821' });
    expect(codePage.status).to.equal(200);
    expect(codePage.html).to.contain('autocomplete="one-time-code"').and.contain('4821');
    const sms = await bench.sms.nextTo('+15550104821');
    expect(sms.body).to.contain('phone verification code');
    expect((await bench.server.models.User.findById(user._id).lean())?.phone).to.equal(undefined);

    const wrongCode = sms.code === '000000' ? '111111' : '000000';
    const wrong = await postForm(bench, browser, codePage, '/account/phone/verify', { phone: '+15550104821', code: wrongCode });
    expect(wrong.status).to.equal(400);
    expect(wrong.html).to.contain('That code is not correct. 4 tries left.');
    expect((await bench.server.models.User.findById(user._id).lean())?.phone).to.equal(undefined);

    // The right code for another number than the one it was sent to saves nothing.
    const swapped = await postForm(bench, browser, wrong, '/account/phone/verify', { phone: '+15550109999', code: sms.code! });
    expect(swapped.status).to.equal(400);
    expect((await bench.server.models.User.findById(user._id).lean())?.phone).to.equal(undefined);

    const right = await postForm(bench, browser, swapped, '/account/phone/verify', { phone: '+15550104821', code: sms.code! });
    expect(right.status).to.equal(303);
    expect(right.location).to.equal(bench.server.url('/account?notice=phone'));
    expect((await bench.server.models.User.findById(user._id).lean())?.phone).to.equal('+15550104821');
    const [entry] = await auditOf(bench, user, 'phone.verified');
    expect(entry?.details).to.deep.equal({ before: { phone: null }, after: { phone: '••• ••• 4821' } });
    const mail = await bench.mail.waitFor((candidate) => candidate.to.includes(user.email) && candidate.subject === 'A phone number was added to your account');
    expect(mail.text).to.contain('••• ••• 4821');

    // The code is single use, and text messages can now be chosen for sign-in codes.
    const reused = await postForm(bench, browser, await browser.follow(right), '/account/phone/verify', { phone: '+15550104821', code: sms.code! });
    expect(reused.status).to.equal(400);
    const twoStep = await browser.follow(await browser.get(bench.server.url('/account/two-step')));
    const chosen = await postForm(bench, browser, twoStep, '/account/two-step', { enabled: 'on', channel: 'sms' });
    expect(chosen.location).to.equal(bench.server.url('/account?notice=two-step'));
  });

  it('burns the code at the fifth wrong try and throttles new codes', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const browser = new Browser();
    const form = await openSignedIn(bench, browser, user, '/account/phone');
    let page = await postForm(bench, browser, form, '/account/phone', { phone: '+15550107777' });
    const sms = await bench.sms.nextTo('+15550107777');
    const wrongCode = sms.code === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt++) {
      page = await postForm(bench, browser, page, '/account/phone/verify', { phone: '+15550107777', code: wrongCode });
      expect(page.status).to.equal(400);
    }
    expect(page.html).to.contain('cannot be used any more');
    const late = await postForm(bench, browser, page, '/account/phone/verify', { phone: '+15550107777', code: sms.code! });
    expect(late.status).to.equal(400);
    expect((await bench.server.models.User.findById(user._id).lean())?.phone).to.equal(undefined);

    const tooSoon = await postForm(bench, browser, late, '/account/phone', { phone: '+15550107777' });
    expect(tooSoon.status).to.equal(400);
    expect(tooSoon.html).to.contain('Please wait');
    bench.server.clock.advance(31_000);
    const again = await postForm(bench, browser, tooSoon, '/account/phone', { phone: '+15550107777' });
    expect(again.status).to.equal(200);
    const fresh = await bench.sms.nextTo('+15550107777');
    const saved = await postForm(bench, browser, again, '/account/phone/verify', { phone: '+15550107777', code: fresh.code! });
    expect(saved.status).to.equal(303);
    expect((await bench.server.models.User.findById(user._id).lean())?.phone).to.equal('+15550107777');
  });
});
