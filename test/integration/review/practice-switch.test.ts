// Attacks on the practice switch that hold: a module's authorization request naming another
// practice, abandoned at that practice's code page, ends nothing of the practice the module was in;
// after a completed switch, the first practice's refresh token still answers for that practice only;
// a passkey-only sign-in left at the chooser gets the console of the practice that allows it only.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import * as oidc from 'openid-client';
import { Browser } from '../../helpers/browser.js';
import { authorize, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { exchange, untilCallback } from '../../helpers/rp.js';
import { PASSWORD } from '../account/bench.js';
import { answerOn, enrolSoftPasskey, postPasswordless, setPasskeyPolicy, signInPage } from '../factors/passkey-steps.js';

describe('review: a practice switch that never passed its prompts', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  let open: Types.ObjectId; // asks no code, allows passwordless
  let closed: Types.ObjectId; // asks a code at every sign-in

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'off' });
    open = (await bench.server.createPractice({ name: 'Harbor Clinic', mfaPolicy: 'off' }))._id;
    closed = (await bench.server.createPractice({ name: 'Valley Clinic', mfaPolicy: 'always' }))._id;
    await setPasskeyPolicy(bench, open, { passwordlessAllowed: true });
  });
  after(() => bench.close());

  const page = (browser: Browser, path: string) => browser.get(new URL(path, bench.server.issuer).href).then((first) => browser.follow(first));

  it('an abandoned switch of a module into another practice does not end that module\'s tokens of the practice it was in', async () => {
    const user = await bench.server.createUser({ practiceId: open, email: 'hole.switch.two@clinic.test', password: PASSWORD, role: 'clinician' });
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: closed, role: 'clinician' });
    const browser = new Browser();
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(open), scope: 'openid profile offline_access', prompt: 'consent' });
    const tokens = await exchange(bench.charting, first.start, await untilCallback(browser, bench.charting, first.page));
    expect(tokens.refresh_token, 'a refresh token').to.be.a('string');

    // A cross-site link to the same module naming Valley: the code page, which the clinician closes.
    const switching = await authorize(browser, bench.charting, { practice_hint: String(closed) });
    expect(isCodePage(switching.page), 'Valley asks its code').to.equal(true);

    const refreshed = await oidc.refreshTokenGrant(bench.charting.config, tokens.refresh_token!).catch((err: Error) => err);
    expect(refreshed, 'the Harbor refresh token still works').to.not.be.instanceOf(Error);
    const info = await fetch(new URL('/me', bench.server.issuer), { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(info.status, 'the Harbor access token still works').to.equal(200);
  });

  it('after a completed switch, a refresh token issued in the first practice answers for that practice, never for the one switched to', async () => {
    const user = await bench.server.createUser({ practiceId: open, email: 'switch.three@clinic.test', password: PASSWORD, role: 'clinician' });
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: closed, role: 'admin' });
    const browser = new Browser();
    const offline = { scope: 'openid profile offline_access', prompt: 'consent' };
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(open), ...offline });
    const harbor = await exchange(bench.charting, first.start, await untilCallback(browser, bench.charting, first.page));
    const switching = await authorize(browser, bench.charting, { practice_hint: String(closed), ...offline });
    const code = await submitCode(browser, switching.page, (await bench.mail.nextTo(user.email)).code!);
    const valley = await exchange(bench.charting, switching.start, await untilCallback(browser, bench.charting, code));
    expect((await oidc.fetchUserInfo(bench.charting.config, valley.access_token, user.sub)).roles).to.deep.equal(['admin']);

    // An offline refresh token outlives the switch (it is not the session's grant any more), and stays Harbor's.
    const refreshed = await oidc.refreshTokenGrant(bench.charting.config, harbor.refresh_token!);
    const info = await oidc.fetchUserInfo(bench.charting.config, refreshed.access_token, user.sub);
    expect(info.practice, 'the Harbor refresh token').to.deep.include({ id: String(open) });
    expect(info.roles).to.deep.equal(['clinician']);
    const valleyRefreshed = await oidc.refreshTokenGrant(bench.charting.config, valley.refresh_token!);
    expect((await oidc.fetchUserInfo(bench.charting.config, valleyRefreshed.access_token, user.sub)).practice).to.deep.include({ id: String(closed) });
  });

  it('a passkey-only sign-in left at the chooser does not get /account or /admin of the practice that does not allow passwordless', async () => {
    const user = await bench.server.createUser({ practiceId: open, email: 'hole.switch.three@clinic.test', password: PASSWORD, role: 'clinician' });
    const soft = await enrolSoftPasskey(bench, user);
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: closed, role: 'admin' });
    // The membership of the practice that does not allow passwordless is the older one (say, the migrated one).
    await bench.server.models.Membership.updateOne({ userId: user._id, practiceId: closed }, { $set: { createdAt: new Date('2020-01-01T00:00:00Z') } });
    const browser = new Browser();
    const attempt = await signInPage(browser, bench.charting);
    const chooser = await browser.follow(await postPasswordless(browser, attempt.page, answerOn(attempt.page, soft)), bench.charting.redirectUri);
    expect(chooser.html, 'the chooser').to.include('Harbor Clinic').and.include('Valley Clinic');

    // The person closes the tab at the chooser: no practice was entered.
    const account = await page(browser, '/account');
    expect(account.html, '/account is not served as Valley').to.not.include('Valley Clinic');
    expect(account.html, 'but as Harbor, which allows the passkey alone').to.include('Harbor Clinic');
    const admin = await page(browser, '/admin/users');
    expect(admin.html, '/admin of Valley without its password').to.not.include(user.email);
  });
});
