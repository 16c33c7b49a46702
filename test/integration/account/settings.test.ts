// Self-service settings through HTTP with a real store and SMTP catcher: change password, two-step
// on/off and channel (fresh second factor; refused under the practice's `always` policy), each
// change audited and emailed.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { submitLogin } from '../../helpers/rp.js';
import { auditOf, openSignedIn, PASSWORD, postForm, throughCode } from './bench.js';

const MINUTE = 60_000;

describe('account: password and two-step settings', function () {
  this.timeout(30_000);
  let bench: MfaBench;

  before(async () => {
    bench = await startMfaBench();
  });
  after(() => bench.close());

  it('shows the overview of the signed-in user', async () => {
    const user = await bench.server.createUser({ password: PASSWORD, name: 'Dr Ada Overview' });
    const page = await openSignedIn(bench, new Browser(), user);
    expect(page.html).to.contain('Dr Ada Overview').and.contain(user.email).and.contain('Sign out everywhere');
    expect(page.html).to.contain('Off: a code only when a sign-in looks unusual');
  });

  it('changes the password with the current one: audited, emailed, this session kept', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const browser = new Browser();
    const form = await openSignedIn(bench, browser, user, '/account/password');
    expect(form.html).to.contain('At least 12 characters.').and.contain('At least one capital letter.');

    const wrong = await postForm(bench, browser, form, '/account/password', { current: 'not-my-password', password: 'New-Pass-Phrase-4567!', confirm: 'New-Pass-Phrase-4567!' });
    expect(wrong.status).to.equal(400);
    expect(wrong.html).to.contain('Your current password is not correct.');
    expect((await auditOf(bench, user, 'password.changed'))[0]).to.include({ outcome: 'failure' });

    const weak = await postForm(bench, browser, wrong, '/account/password', { current: PASSWORD, password: 'short', confirm: 'short' });
    expect(weak.status).to.equal(400);
    expect(weak.html).to.contain('It needs: At least 12 characters.');

    const done = await postForm(bench, browser, weak, '/account/password', { current: PASSWORD, password: 'New-Pass-Phrase-4567!', confirm: 'New-Pass-Phrase-4567!' });
    expect(done.status).to.equal(303);
    expect(done.location).to.equal(bench.server.url('/account?notice=password'));
    const overview = await browser.follow(done);
    expect(overview.status).to.equal(200);
    expect(overview.html).to.contain('Your password was changed.');

    expect((await auditOf(bench, user, 'password.changed'))[0]).to.include({ outcome: 'success' });
    const mail = await bench.mail.waitFor((candidate) => candidate.to.includes(user.email) && candidate.subject === 'Your password was changed');
    expect(mail.text).to.contain('The password of your account was changed.');

    // The old password no longer signs in; the new one does.
    const other = new Browser();
    const login = await other.follow(await other.get(bench.server.url('/account')));
    const refused = await submitLogin(other, login, user.email, PASSWORD);
    expect(refused.status).to.equal(401);
    const accepted = await throughCode(bench, other, await submitLogin(other, refused, user.email, 'New-Pass-Phrase-4567!'), user.email);
    expect(accepted.page.html).to.contain('Sign out everywhere');
  });

  it('turns two-step on and chooses the channel: audited with before/after and emailed', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const browser = new Browser();
    const form = await openSignedIn(bench, browser, user, '/account/two-step');
    expect(form.html).to.contain('At every sign-in').and.contain('add and verify a phone number');

    const noPhone = await postForm(bench, browser, form, '/account/two-step', { enabled: 'on', channel: 'sms' });
    expect(noPhone.status).to.equal(400);
    expect(noPhone.html).to.contain('Add and verify a phone number before choosing text messages.');

    const saved = await postForm(bench, browser, noPhone, '/account/two-step', { enabled: 'on', channel: 'email' });
    expect(saved.location).to.equal(bench.server.url('/account?notice=two-step'));
    expect(await bench.server.models.User.findById(user._id).lean()).to.include({ mfaChannel: 'email' });
    expect(await bench.server.models.Membership.findOne({ userId: user._id }).lean()).to.include({ mfaEnabled: true });
    const [entry] = await auditOf(bench, user, 'user.settings_changed');
    expect(entry?.details).to.deep.equal({ before: { mfaEnabled: false, mfaChannel: 'sms' }, after: { mfaEnabled: true, mfaChannel: 'email' } });
    const mail = await bench.mail.waitFor((candidate) => candidate.to.includes(user.email) && candidate.subject === 'Your two-step sign-in settings were changed');
    expect(mail.text).to.contain('Two-step sign-in was turned on');

    const again = await postForm(bench, browser, await browser.follow(saved), '/account/two-step', { enabled: 'on', channel: 'email' });
    expect(again.location).to.equal(bench.server.url('/account?notice=unchanged'));
  });

  it('asks an older session for a fresh code before a second-factor setting changes', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const browser = new Browser();
    const first = await openSignedIn(bench, browser, user);
    bench.server.clock.advance(6 * MINUTE);

    // A form posted from the old session is not applied: back to the page, through a sign-in.
    const posted = await postForm(bench, browser, first, '/account/two-step', { enabled: 'on', channel: 'email' });
    expect(posted.status).to.equal(303);
    expect(posted.location).to.equal(bench.server.url('/account/two-step'));
    expect(await bench.server.models.Membership.findOne({ userId: user._id }).lean()).to.include({ mfaEnabled: false });

    const start = await browser.get(posted.location!);
    const auth = new URL(start.location!);
    expect(auth.searchParams.get('max_age')).to.equal('300');
    const { page, askedForCode } = await throughCode(bench, browser, start, user.email);
    expect(askedForCode, 'a code was asked').to.equal(true);
    expect(page.url).to.equal(bench.server.url('/account/two-step'));
    expect(page.html).to.contain('When should we ask for a code?');
  });

  it('refuses to turn two-step off when the practice asks for a code at every sign-in', async () => {
    const practice = await bench.server.createPractice({ mfaPolicy: 'always' });
    const user = await bench.server.createUser({ password: PASSWORD, practiceId: practice._id });
    await bench.server.models.Membership.updateOne({ userId: user._id }, { $set: { mfaEnabled: true } });
    const browser = new Browser();
    const form = await openSignedIn(bench, browser, user, '/account/two-step');
    expect(form.html).to.contain('always on').and.not.contain('name="enabled" value="off"');
    const refused = await postForm(bench, browser, form, '/account/two-step', { enabled: 'off', channel: 'email' });
    expect(refused.status).to.equal(400);
    expect(refused.html).to.contain('two-step sign-in cannot be turned off');
    expect(await bench.server.models.Membership.findOne({ userId: user._id }).lean()).to.include({ mfaEnabled: true });
    expect(await auditOf(bench, user, 'user.settings_changed')).to.have.length(0);
  });

  it('refuses a form without its CSRF token', async () => {
    const user = await bench.server.createUser({ password: PASSWORD });
    const browser = new Browser();
    await openSignedIn(bench, browser, user, '/account/two-step');
    const forged = await browser.post(bench.server.url('/account/two-step'), { enabled: 'on', channel: 'email' });
    expect(forged.status).to.equal(403);
    expect(await bench.server.models.Membership.findOne({ userId: user._id }).lean()).to.include({ mfaEnabled: false });
  });
});
