// Attacks on membership status that hold: a deactivated or merely invited membership never enters
// its practice, whatever names it (practice_hint, the chooser's POST, prompt=select_account), and
// a token of a grant that entered a practice answers nothing once that membership is deactivated,
// also when the deactivation lands between the code and its exchange (the code exchange's
// read-ahead, src/oidc/read-ahead.ts, reads the memberships as they are then), while the other
// practice's tokens keep working.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import * as oidc from 'openid-client';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { authorize, passwordStep, REDIRECT, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { exchange, untilCallback } from '../../helpers/rp.js';
import { PASSWORD } from '../account/bench.js';

describe('review: deactivated and invited memberships enter nothing', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  let harbor: Types.ObjectId;
  let valley: Types.ObjectId;
  let closed: Types.ObjectId; // the person's membership here is deactivated
  let pending: Types.ObjectId; // the person is only invited here

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'off' });
    harbor = (await bench.server.createPractice({ name: 'Harbor Clinic', mfaPolicy: 'off' }))._id;
    valley = (await bench.server.createPractice({ name: 'Valley Clinic', mfaPolicy: 'off' }))._id;
    closed = (await bench.server.createPractice({ name: 'Closed Clinic', mfaPolicy: 'off' }))._id;
    pending = (await bench.server.createPractice({ name: 'Pending Clinic', mfaPolicy: 'off' }))._id;
  });
  after(() => bench.close());

  async function person(email: string) {
    const user = await bench.server.createUser({ practiceId: harbor, email, password: PASSWORD, role: 'clinician' });
    const { memberships } = bench.server.idp.accounts;
    await memberships.addMembership({ userId: user._id, practiceId: valley, role: 'admin' });
    await memberships.addMembership({ userId: user._id, practiceId: closed, role: 'admin' });
    await memberships.deactivateMembership(user._id, closed);
    await memberships.addMembership({ userId: user._id, practiceId: pending, role: 'admin', status: 'invited' });
    return user;
  }
  const choose = (browser: Browser, page: Page, practiceId: Types.ObjectId) =>
    browser.post(formAction(page, '/practice'), { _csrf: field(page.html, '_csrf'), practice: String(practiceId) });
  const userinfo = (token: string) => fetch(new URL('/me', bench.server.issuer), { headers: { authorization: `Bearer ${token}` } }).then((res) => res.status);

  it('a hint naming a deactivated or invited membership counts as no hint; the chooser neither lists nor accepts them, at sign-in or with prompt=select_account', async () => {
    const user = await person('status.one@clinic.test');
    for (const hint of [closed, pending]) {
      const browser = new Browser();
      const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(hint) });
      expect(attempt.page.html, 'the chooser').to.include('Harbor Clinic').and.include('Valley Clinic').and.not.include('Closed Clinic').and.not.include('Pending Clinic');
      for (const refused of [closed, pending]) expect((await choose(browser, attempt.page, refused)).status).to.equal(400);
      await untilCallback(browser, bench.charting, await browser.follow(await choose(browser, attempt.page, harbor), REDIRECT));

      const switching = await authorize(browser, bench.billing, { prompt: 'select_account', practice_hint: String(hint) });
      expect(switching.page.html).to.include('Valley Clinic').and.not.include('Closed Clinic').and.not.include('Pending Clinic');
      for (const refused of [closed, pending]) expect((await choose(browser, switching.page, refused)).status).to.equal(400);
    }
    expect(await bench.server.models.PracticeEntry.countDocuments({ accountId: user.sub, practiceId: { $in: [closed, pending] } })).to.equal(0);
  });

  it('deactivation in one practice refuses its code (issued before), refresh token and access token; the other practice\'s keep working', async () => {
    const user = await person('status.two@clinic.test');
    const browser = new Browser();
    const offline = { scope: 'openid profile offline_access', prompt: 'consent' };
    const inHarbor = await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(harbor), ...offline });
    const harborTokens = await exchange(bench.charting, inHarbor.start, await untilCallback(browser, bench.charting, inHarbor.page));
    const inValley = await authorize(browser, bench.billing, { practice_hint: String(valley), ...offline });
    const valleyTokens = await exchange(bench.billing, inValley.start, await untilCallback(browser, bench.billing, inValley.page));
    const again = await authorize(browser, bench.billing, { practice_hint: String(valley) });
    const valleyCode = await untilCallback(browser, bench.billing, again.page);

    // Only the membership changes here (no sessions ended): what answers is the membership check itself.
    await bench.server.idp.accounts.memberships.deactivateMembership(user._id, valley);
    const exchanged = await exchange(bench.billing, again.start, valleyCode).catch((err: Error) => err);
    expect(exchanged, 'the Valley code issued before').to.be.instanceOf(Error);
    expect(String((exchanged as Error & { error?: string }).error ?? exchanged)).to.include('invalid_grant');
    const refreshed = await oidc.refreshTokenGrant(bench.billing.config, valleyTokens.refresh_token!).catch((err: Error) => err);
    expect(refreshed, 'the Valley refresh token').to.be.instanceOf(Error);
    expect(await userinfo(valleyTokens.access_token), 'the Valley access token').to.equal(401);

    expect(await userinfo(harborTokens.access_token), 'the Harbor access token').to.equal(200);
    const harborRefreshed = await oidc.refreshTokenGrant(bench.charting.config, harborTokens.refresh_token!);
    expect((await oidc.fetchUserInfo(bench.charting.config, harborRefreshed.access_token, user.sub)).practice).to.deep.include({ id: String(harbor) });
  });
});
