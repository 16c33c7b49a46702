// The practice a browser session works in (session_activity.practiceId, which /account and /admin
// serve) changes only once an authorization request into another practice has passed its prompts
// and issued a code (src/oidc/practice-grant.ts `entered`). oidc-provider loads the grant ahead of
// the prompts; a request into a practice that is abandoned at its password page used to move the
// session there already (a hole the review found, fixed).
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { Browser } from '../../helpers/browser.js';
import { authorize, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { exchange, untilCallback } from '../../helpers/rp.js';
import { PASSWORD } from '../account/bench.js';
import { answerOn, enrolSoftPasskey, postPasswordless, setPasskeyPolicy, signInPage } from '../factors/passkey-steps.js';

const PASSWORD_FIELD = 'autocomplete="current-password"';

describe('review: a practice switch that never passed its prompts', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  let open: Types.ObjectId; // allows passwordless, asks no code
  let closed: Types.ObjectId; // no passwordless; asks a code at every sign-in

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'off' });
    open = (await bench.server.createPractice({ name: 'Harbor Clinic', mfaPolicy: 'off' }))._id;
    closed = (await bench.server.createPractice({ name: 'Valley Clinic', mfaPolicy: 'always' }))._id;
    await setPasskeyPolicy(bench, open, { passwordlessAllowed: true });
  });
  after(() => bench.close());

  const page = (browser: Browser, path: string) => browser.get(new URL(path, bench.server.issuer).href).then((first) => browser.follow(first));
  const sessionPractice = async (sub: string) => (await bench.server.models.SessionActivity.find({ accountId: sub }).lean()).map((entry) => String(entry.practiceId));

  it('a passkey-only session does not get /account or /admin of a practice that does not allow passwordless by starting (and abandoning) an SSO request into it', async () => {
    const user = await bench.server.createUser({ practiceId: open, email: 'hole.switch.one@clinic.test', password: PASSWORD, role: 'clinician' });
    const soft = await enrolSoftPasskey(bench, user);
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: closed, role: 'admin' });
    const browser = new Browser();
    const attempt = await signInPage(browser, bench.charting, { practice_hint: String(open) });
    await exchange(bench.charting, attempt.start, await untilCallback(browser, bench.charting, await postPasswordless(browser, attempt.page, answerOn(attempt.page, soft))));
    expect((await page(browser, '/account')).html, 'signed in to Harbor').to.include('Harbor Clinic');

    // Any page (or a link) sends the browser to an authorization request naming Valley; it stops at the password page.
    const switching = await authorize(browser, bench.billing, { practice_hint: String(closed) });
    expect(switching.page.html, 'Valley asks for the password').to.include(PASSWORD_FIELD);

    // Nothing was given for Valley: the session must still work in Harbor.
    const account = await page(browser, '/account');
    expect(account.html, '/account is not served as Valley').to.not.include('Valley Clinic');
    const admin = await page(browser, '/admin/users');
    expect(admin.html, '/admin of Valley without its password').to.not.include(user.email);
    expect([...new Set(await sessionPractice(user.sub))], 'every session of the person still works in Harbor').to.deep.equal([String(open)]);
  });
});
