// The login step's risk decision is carried to the resume (src/oidc/mfa-prompt.ts
// LOGIN_RISK_DECISION). Found in review: it was trusted for whatever practice the resume entered.
// The login step decided for practice B (its rules: no code); with the B membership deactivated
// between the password and the resume (a few ms, or as long as the browser waits), the resume's
// decision (src/oidc/practice-choice.ts) fell through to the person's only other active practice A,
// and A was entered with B's "no code" decision: tokens for A, as its admin, amr pwd only. Fixed:
// the carried decision counts only for the practice it was made for; otherwise A's rules are asked.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { Browser } from '../../helpers/browser.js';
import { isCodePage, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { startAuthorization, submitLogin } from '../../helpers/rp.js';
import { PASSWORD } from '../account/bench.js';

describe('review: the login step\'s decision carried into another practice', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  let strict: Types.ObjectId; // a code at every sign-in
  let relaxed: Types.ObjectId; // no code

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'off' });
    strict = (await bench.server.createPractice({ name: 'Harbor Clinic', mfaPolicy: 'always' }))._id;
    relaxed = (await bench.server.createPractice({ name: 'Valley Clinic', mfaPolicy: 'off' }))._id;
  });
  after(() => bench.close());

  it('a membership deactivated between the password and the resume does not carry its "no code" into the other practice', async () => {
    const user = await bench.server.createUser({ practiceId: strict, email: 'resume.race@clinic.test', password: PASSWORD, role: 'admin' });
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: relaxed, role: 'clinician' });
    const browser = new Browser();
    const start = await startAuthorization(bench.charting, { practice_hint: String(relaxed) });
    const login = await browser.follow(await browser.get(start.url.href), bench.charting.redirectUri);
    const posted = await submitLogin(browser, login, user.email, PASSWORD);
    expect(posted.status, 'Valley asks no code: on to the resume').to.equal(303);

    await bench.server.idp.accounts.memberships.deactivateMembership(user._id, relaxed);
    const landed = await browser.follow(posted, bench.charting.redirectUri);
    const code = landed.location?.startsWith(bench.charting.redirectUri) ? new URL(landed.location).searchParams.get('code') : null;
    expect(code, 'a code for the app, entering Harbor without Harbor\'s code').to.equal(null);
    expect(isCodePage(landed) || landed.status >= 400 || landed.html.includes('autocomplete="current-password"'), 'Harbor\'s code (or a refusal)').to.equal(true);
  });
});
