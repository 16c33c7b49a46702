// Attacks on trusted IPs across practices that hold: a practice-wide entry of practice A and A's
// personal entry for the person never waive practice B's code, when B is chosen on the chooser
// after the password (the chooser enters without the password step's reads: login.ts
// enterPractice asks the rules again), nor on an SSO request into B from a session signed in to A.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { authorize, isCodePage, passwordStep, REDIRECT, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { exchange, untilCallback } from '../../helpers/rp.js';
import { PASSWORD } from '../account/bench.js';

const OFFICE_IP = '198.51.100.77';

describe('review: one practice\'s trusted IPs never waive another\'s code', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  let harbor: Types.ObjectId; // risk-based, trusts the office range
  let valley: Types.ObjectId; // risk-based, trusts nothing

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'risk' });
    harbor = (await bench.server.createPractice({ name: 'Harbor Clinic', mfaPolicy: 'risk' }))._id;
    valley = (await bench.server.createPractice({ name: 'Valley Clinic', mfaPolicy: 'risk' }))._id;
    await bench.server.idp.mfa.trustedIps.add({ practiceId: harbor, entry: '198.51.100.0/24', description: 'Harbor office' });
  });
  after(() => bench.close());

  const choose = (browser: Browser, page: Page, practiceId: Types.ObjectId) =>
    browser.post(formAction(page, '/practice'), { _csrf: field(page.html, '_csrf'), practice: String(practiceId) });

  async function locum(email: string) {
    const user = await bench.server.createUser({ practiceId: harbor, email, password: PASSWORD, role: 'clinician' });
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: valley, role: 'clinician' });
    // Harbor also trusts the person's home address, by name.
    await bench.server.idp.mfa.trustedIps.add({ practiceId: harbor, userId: user._id, entry: '203.0.113.9/32', description: 'home' });
    return user;
  }

  it('chosen on the chooser after the password: Harbor from its office or the person\'s trusted home asks no code, Valley asks one', async () => {
    const user = await locum('trusted.chooser@clinic.test');
    for (const from of [OFFICE_IP, '203.0.113.9']) {
      for (const [practice, codeAsked] of [[harbor, false], [valley, true]] as const) {
        const browser = new Browser({ from });
        const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
        expect(attempt.page.html, 'the chooser').to.include('Valley Clinic');
        const next = await browser.follow(await choose(browser, attempt.page, practice), REDIRECT);
        expect(isCodePage(next), `${from} → ${String(practice)}`).to.equal(codeAsked);
      }
    }
  });

  it('an SSO request into Valley from a session signed in to Harbor by its trusted address asks Valley\'s code', async () => {
    const user = await locum('trusted.sso@clinic.test');
    const browser = new Browser({ from: '203.0.113.9' });
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD, { practice_hint: String(harbor) });
    expect(isCodePage(first.page), 'Harbor waives it for the person\'s home').to.equal(false);
    await exchange(bench.charting, first.start, await untilCallback(browser, bench.charting, first.page));
    const sso = await authorize(browser, bench.billing, { practice_hint: String(valley) });
    expect(isCodePage(sso.page), 'Valley asks its code').to.equal(true);
    const silent = await authorize(browser, bench.billing, { practice_hint: String(valley), prompt: 'none' });
    expect(new URL(silent.page.location!).searchParams.get('code'), 'no code for the app silently').to.equal(null);
  });
});
