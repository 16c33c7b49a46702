// Issue 12.6, a shared clinic workstation: "Cancel and go back" on the code page ends the
// half-finished sign-in completely, and "Use another account" gives the next clinician the empty
// sign-in page. Neither lands anyone on the previous user's code page or mails them another code.
import { expect } from 'chai';
import type { UserDoc } from '../../../src/accounts/service.js';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { authorize, finishAt, isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { submitLogin } from '../../helpers/rp.js';

const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('mfa: a shared workstation', () => {
  let bench: MfaBench;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  const isLoginPage = (page: Page) => page.status === 200 && page.html.includes('autocomplete="current-password"');
  const mailsTo = (user: UserDoc) => bench.mail.messages.filter((mail) => mail.to.includes(user.email)).length;
  const press = (browser: Browser, page: Page, action: string) => browser.post(formAction(page, `/${action}`), { _csrf: field(page.html, '_csrf') });

  it('Cancel ends the half-finished sign-in: the next "Sign in" shows the empty sign-in page and mails no one', async () => {
    const first = await bench.server.createUser({ password: PASSWORD });
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, first.email, PASSWORD);
    const { code } = await bench.mail.nextTo(first.email);

    const cancelled = await browser.follow(await press(browser, attempt.page, 'abort'), bench.charting.redirectUri);
    expect(new URL(cancelled.location!).searchParams.get('error')).to.equal('access_denied');

    const next = await authorize(browser, bench.charting);
    expect(isLoginPage(next.page), 'the sign-in page, not the code page').to.equal(true);
    expect(next.page.html, 'no email filled in').not.to.include(first.email);
    expect(mailsTo(first), 'no second code to the first user').to.equal(1);
    // The cancelled attempt's code completes nothing.
    expect((await submitCode(browser, attempt.page, code!)).status).to.equal(400);
    expect(await bench.server.models.OidcRecord.countDocuments({ kind: 'Session', accountId: first.sub })).to.equal(0);
  });

  it('"Use another account" on the code page: the next clinician signs in on the same app request', async () => {
    const first = await bench.server.createUser({ password: PASSWORD });
    const second = await bench.server.createUser({ password: PASSWORD });
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, first.email, PASSWORD);
    expect(attempt.page.html).to.include('Use another account');
    const { code: firstCode } = await bench.mail.nextTo(first.email);

    const login = await browser.follow(await press(browser, attempt.page, 'another-account'));
    expect(isLoginPage(login)).to.equal(true);
    expect(login.url, 'the same interaction').to.equal(attempt.page.url);
    expect(login.html, 'no email filled in').not.to.include(first.email);
    // The first user's code is gone with their attempt.
    expect(await bench.server.models.OtpChallenge.countDocuments({ accountId: first.sub })).to.equal(0);

    const codePage = await browser.follow(await submitLogin(browser, login, second.email, PASSWORD));
    expect(isCodePage(codePage)).to.equal(true);
    expect((await submitCode(browser, codePage, firstCode!)).status, 'the first user\'s code does not work here').to.equal(401);
    const { code } = await bench.mail.nextTo(second.email);
    const claims = await finishAt(browser, attempt, bench.charting, await submitCode(browser, codePage, code!));
    expect(claims).to.include({ sub: second.sub, acr: ACR_MFA });
    expect(mailsTo(first)).to.equal(1);
  });

  it('"Use another account" on a step-up signs the previous clinician out of this browser first', async () => {
    const practice = await bench.server.createPractice({ mfaPolicy: 'off' });
    const first = await bench.server.createUser({ practiceId: practice._id, password: PASSWORD });
    const second = await bench.server.createUser({ practiceId: practice._id, password: PASSWORD });
    const browser = new Browser();
    await finishAt(browser, await passwordStep(browser, bench.charting, first.email, PASSWORD), bench.charting);
    expect(await bench.server.models.OidcRecord.countDocuments({ kind: 'Session', accountId: first.sub })).to.equal(1);

    const stepUp = await authorize(browser, bench.billing, { acr_values: ACR_MFA });
    expect(isCodePage(stepUp.page), 'step-up code page').to.equal(true);
    await bench.mail.nextTo(first.email);
    const login = await browser.follow(await press(browser, stepUp.page, 'another-account'));
    expect(isLoginPage(login)).to.equal(true);
    expect(await bench.server.models.OidcRecord.countDocuments({ kind: 'Session', accountId: first.sub }), 'first user signed out').to.equal(0);
    expect(await bench.server.models.AuditEntry.countDocuments({ event: 'session.logout', userSub: first.sub, reasons: 'another_account' })).to.equal(1);

    const codePage = await browser.follow(await submitLogin(browser, login, second.email, PASSWORD), bench.billing.redirectUri);
    const { code } = await bench.mail.nextTo(second.email);
    const claims = await finishAt(browser, stepUp, bench.billing, await submitCode(browser, codePage, code!));
    expect(claims).to.include({ sub: second.sub, acr: ACR_MFA });
  });
});
