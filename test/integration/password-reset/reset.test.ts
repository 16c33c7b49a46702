// Password reset by emailed code through HTTP: a real SMTP server, real store, two modules with
// back-channel logout endpoints, and openid-client as the relying party.
import { expect } from 'chai';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as oidc from 'openid-client';
import type { AuditEvent } from '../../../src/audit/events.js';
import { field } from '../../helpers/browser.js';
import { signIn, silentSignIn, startAuthorization, submitLogin } from '../../helpers/rp.js';
import { choosePassword, enterCode, newBrowser, otherCode, requestCode, startResetBench, submitEmail, withoutCsrf, type ResetBench } from './reset-bench.js';

const OLD = 'Old horse battery 12!';
const NEW = 'New violet lantern 34?';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

describe('password reset: by emailed code', () => {
  let bench: ResetBench;
  let sequence = 0;
  const audited = (event: AuditEvent, userSub?: string) =>
    bench.server.models.AuditEntry.find({ event, ...(userSub ? { userSub } : {}) }).sort({ seq: 1 }).lean();
  /** A fresh user; the address starts with `k` so it masks like `kxx@…` (an unknown address). */
  const newUser = async () => bench.server.createUser({ email: `k${++sequence}@clinic.test`, name: 'Kim Park', password: OLD });

  before(async () => {
    bench = await startResetBench();
  });
  after(async () => {
    await bench.close();
  });

  it('ends every session and refresh token, tells every module, emails and audits; old password refused, new accepted', async () => {
    const user = await newUser();
    // Signed in to two modules in one browser, with a refresh token.
    const desk = newBrowser();
    const charting = await signIn(desk, bench.charting, user.email, OLD, { scope: 'openid offline_access', prompt: 'consent' });
    const billing = await silentSignIn(desk, bench.billing);
    const refreshToken = charting.tokens.refresh_token!;
    expect(refreshToken).to.be.a('string');
    const sids: Record<string, unknown> = { charting: charting.tokens.claims()!.sid, billing: billing.tokens.claims()!.sid };
    bench.receiver.received.length = 0;

    // The reset, from the login page of a sign-in started in another browser.
    const laptop = newBrowser();
    const start = await startAuthorization(bench.charting);
    const login = await laptop.follow(await laptop.get(start.url.href), bench.charting.redirectUri);
    const uid = /\/interaction\/([^/"]+)\/login/.exec(login.html)![1]!;
    const link = /href="(\/password-reset\?return=[^"]+)"[^>]*>Forgot password\?/.exec(login.html)?.[1];
    expect(link, 'forgot password link').to.equal(`/password-reset?return=/interaction/${uid}/`);

    const codePage = await requestCode(bench.server, laptop, user.email, `/interaction/${uid}/`);
    expect(codePage.status).to.equal(200);
    expect(codePage.html).to.include('Check your email').and.include('k•••@clinic.test');
    const mail = await bench.mail.nextTo(user.email);
    expect(mail.subject).to.match(/^\d{6} is your password reset code$/);
    expect(mail.html).to.include(mail.code!);

    const passwordPage = await laptop.follow(await enterCode(laptop, codePage, mail.code!));
    expect(passwordPage.status).to.equal(200);
    // The rules are shown before anything is typed.
    expect(passwordPage.html).to.include('At least 12 characters.').and.include('At least one digit.').and.include('autocomplete="new-password"');

    // A refused password names the unmet rule and loses nothing: the reset goes on.
    const weak = await choosePassword(laptop, passwordPage, 'short1A!');
    expect(weak.status).to.equal(400);
    expect(weak.html).to.include('Please choose another password').and.match(/<li>At least 12 characters.<\/li>/);
    const mismatch = await choosePassword(laptop, weak, NEW, `${NEW}x`);
    expect(mismatch.status).to.equal(400);
    expect(mismatch.html).to.include('not the same');

    const changed = await choosePassword(laptop, mismatch, NEW);
    expect(changed.status).to.equal(303);
    const done = await laptop.follow(changed);
    expect(done.html).to.include('Sign in with your new password').and.include(`href="/interaction/${uid}/"`);

    // Back-channel logout reached both modules, signed by the provider.
    const jwks = createRemoteJWKSet(new URL(bench.charting.config.serverMetadata().jwks_uri!));
    expect(bench.receiver.received.map(({ client }) => client).sort()).to.deep.equal(['billing', 'charting']);
    for (const { client, token } of bench.receiver.received) {
      const { payload } = await jwtVerify(token, jwks, { issuer: bench.server.issuer, audience: client, typ: 'logout+jwt' });
      expect(payload).to.include({ sub: user.sub, sid: sids[client] });
      expect(payload.events).to.deep.equal({ [BACKCHANNEL_EVENT]: {} });
    }

    // The old refresh token is dead, and so is the SSO session of the first browser.
    const refresh = await oidc.refreshTokenGrant(bench.charting.config, refreshToken).then(() => null, (err: unknown) => err);
    expect(refresh).to.be.instanceOf(oidc.ResponseBodyError);
    expect((refresh as oidc.ResponseBodyError).error).to.equal('invalid_grant');
    const again = await desk.follow(await desk.get((await startAuthorization(bench.charting)).url.href), bench.charting.redirectUri);
    expect(again.html).to.include('autocomplete="current-password"');

    // Reset did not sign anyone in: the interaction it came from still asks for the password.
    const back = await laptop.get(bench.server.url(`/interaction/${uid}/`));
    expect(back.html).to.include('autocomplete="current-password"');
    const oldRefused = await submitLogin(laptop, back, user.email, OLD);
    expect(oldRefused.status).to.equal(401);
    const withNew = await signIn(newBrowser(), bench.charting, user.email, NEW);
    expect(withNew.tokens.claims()!.sub).to.equal(user.sub);

    const notice = await bench.mail.nextTo(user.email);
    expect(notice.subject).to.equal('Your password was changed');
    expect(notice.text).to.include('signed out everywhere').and.include("If this wasn't you, contact your practice administrator");

    const [requested] = await audited('password.reset.requested', user.sub);
    expect(requested).to.include({ outcome: 'success', ip: laptop.from });
    const [completed] = await audited('password.reset.completed', user.sub);
    expect(completed).to.include({ outcome: 'success', ip: laptop.from });
    expect(completed!.details).to.include({ sessionsEnded: 1, modulesNotified: 2 });
    const failed = await audited('password.reset.failed', user.sub);
    expect(failed.map((entry) => entry.reasons)).to.deep.equal([['weak_password', 'min_length']]);
  });

  it('answers an unknown or deactivated address exactly as a known one, and emails nobody', async () => {
    const known = await newUser();
    const inactive = await newUser();
    await bench.server.idp.accounts.setUserActive(inactive.sub, false);
    const pages = [];
    for (const email of [known.email, 'kxx@clinic.test', inactive.email]) {
      const browser = newBrowser();
      const posted = await submitEmail(bench.server, browser, email);
      const codePage = await browser.get(posted.location!);
      const wrong = await enterCode(browser, codePage, '000000');
      pages.push({ posted: [posted.status, new URL(posted.location!).pathname, posted.html], codePage: [codePage.status, withoutCsrf(codePage.html)], wrong: [wrong.status, withoutCsrf(wrong.html)] });
    }
    await bench.mail.nextTo(known.email);
    expect(pages[1], 'unknown address').to.deep.equal(pages[0]);
    expect(pages[2], 'deactivated account').to.deep.equal(pages[0]);
    expect(pages[0]!.posted.slice(0, 2)).to.deep.equal([303, '/password-reset/code']);

    const unknown = await bench.server.models.AuditEntry.findOne({ event: 'password.reset.requested', reasons: 'unknown_user' }).sort({ seq: -1 }).lean();
    expect(unknown, 'an entry for the unknown address').to.not.equal(null);
    expect(unknown!.userSub ?? null, 'no account named').to.equal(null);
    const [deactivated] = await audited('password.reset.requested', inactive.sub);
    expect(deactivated).to.deep.include({ outcome: 'failure', reasons: ['inactive_user'] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bench.mail.messages.filter((mail) => mail.to.includes('kxx@clinic.test') || mail.to.includes(inactive.email))).to.deep.equal([]);
  });

  it('refuses a code once used', async () => {
    const user = await newUser();
    const browser = newBrowser();
    const codePage = await requestCode(bench.server, browser, user.email);
    const { code } = await bench.mail.nextTo(user.email);
    expect((await enterCode(browser, codePage, code!)).location).to.match(/\/password-reset\/new-password$/);
    const reused = await enterCode(browser, codePage, code!);
    expect(reused.status).to.equal(400);
    expect(reused.html).to.include('already used');
    expect((await audited('password.reset.failed', user.sub)).map((entry) => entry.reasons)).to.deep.equal([['used_code']]);
  });

  it('burns the code after 5 wrong tries', async () => {
    const user = await newUser();
    const browser = newBrowser();
    let page = await requestCode(bench.server, browser, user.email);
    const { code } = await bench.mail.nextTo(user.email);
    for (const left of [4, 3, 2, 1]) {
      page = await enterCode(browser, page, otherCode(code!));
      expect(page.status).to.equal(400);
      expect(page.html).to.include(left === 1 ? 'try once more' : `try ${left} more times`);
    }
    page = await enterCode(browser, page, otherCode(code!));
    expect(page.html).to.include('Too many wrong codes').and.not.include('name="code"');
    const right = await browser.post(bench.server.url('/password-reset/code'), { _csrf: /name="_csrf" value="([^"]+)"/.exec((await browser.get(bench.server.url('/password-reset'))).html)![1]!, code: code! });
    expect(right.status).to.equal(400);
    expect(right.html).to.include('Too many wrong codes');
    const reasons = (await audited('password.reset.failed', user.sub)).map((entry) => entry.reasons);
    expect(reasons.at(4)).to.deep.equal(['wrong_code', 'code_burned']);
    expect(reasons.at(5)).to.deep.equal(['burned_code']);
  });

  it('refuses the code in a browser other than the one that asked for it', async () => {
    const user = await newUser();
    const asker = newBrowser();
    const codePage = await requestCode(bench.server, asker, user.email);
    const { code } = await bench.mail.nextTo(user.email);

    const other = newBrowser();
    const theirs = await requestCode(bench.server, other, 'kother@clinic.test');
    const attempt = await enterCode(other, theirs, code!);
    expect(attempt.status).to.equal(400);
    // A browser with no reset of its own (but a valid form) gets the "start again" page.
    const stranger = newBrowser();
    const form = await stranger.get(bench.server.url('/password-reset'));
    const noReset = await stranger.post(bench.server.url('/password-reset/code'), { _csrf: field(form.html, '_csrf'), code: code! });
    expect(noReset.status).to.equal(400);
    expect(noReset.html).to.include('This password reset has expired');
    // The code still works where it was asked for.
    expect((await enterCode(asker, codePage, code!)).location).to.match(/\/new-password$/);
  });

  it('refuses a code after 10 minutes', async () => {
    const user = await newUser();
    const browser = newBrowser();
    const codePage = await requestCode(bench.server, browser, user.email);
    const { code } = await bench.mail.nextTo(user.email);
    bench.clock.advance(10 * 60_000);
    const late = await enterCode(browser, codePage, code!);
    expect(late.status).to.equal(400);
    expect(late.html).to.include('expired');
  });

  it('throttles requests per address (3 an hour) whether or not it exists', async () => {
    const known = (await newUser()).email;
    for (const email of ['kthrottle@clinic.test', known]) {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await submitEmail(bench.server, newBrowser(), email)).status);
      expect(statuses, email).to.deep.equal([303, 303, 303, 429]);
    }
    for (let i = 0; i < 3; i++) await bench.mail.nextTo(known);
    expect(await audited('request.rate_limited')).to.have.length.greaterThanOrEqual(2);
  });

  it('throttles requests per IP (10 in 15 minutes), whatever the address', async () => {
    const browser = newBrowser();
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await submitEmail(bench.server, browser, `knobody${i}@clinic.test`)).status);
    expect(statuses).to.deep.equal([...Array(10).fill(303), 429]);
  });

  it('completes even when the "password changed" email cannot be sent (the change already happened)', async () => {
    const user = await newUser();
    const browser = newBrowser();
    const codePage = await requestCode(bench.server, browser, user.email);
    const { code } = await bench.mail.nextTo(user.email);
    const passwordPage = await browser.follow(await enterCode(browser, codePage, code!));
    bench.mail.setFailure('down');
    try {
      const changed = await choosePassword(browser, passwordPage, NEW);
      expect(changed.status).to.equal(303);
    } finally {
      bench.mail.setFailure('none');
    }
    expect(await audited('password.reset.completed', user.sub)).to.have.length(1);
    expect((await signIn(newBrowser(), bench.charting, user.email, NEW)).tokens.claims()!.sub).to.equal(user.sub);
  });

  it('keeps the return link to local paths only', async () => {
    const form = await newBrowser().get(bench.server.url(`/password-reset?return=${encodeURIComponent('//evil.example/x')}`));
    expect(form.html).to.not.include('evil.example');
  });
});
