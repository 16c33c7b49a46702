// Passwordless sign-in with a passkey, through the real pages with a software authenticator making
// real ES256 assertions, and openid-client as the app. Every way around the rules is tried: a
// practice that does not allow it, an answer without user verification, another user's userHandle,
// a cloned authenticator (signature counter going backwards, WebAuthn §6.1.1), a deactivated or
// locked-out user, a challenge replayed, taken to another interaction, or answered too late. Each
// refusal reads the same to the browser (no enumeration) and is audited with its reason.
import { expect } from 'chai';
import { CHALLENGE_MS } from '../../../src/mfa/factors/webauthn/index.js';
import { ACR_PHR } from '../../../src/mfa/risk/acr.js';
import { Browser, type Page } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { exchange, untilCallback } from '../../helpers/rp.js';
import { PASSWORD } from '../account/bench.js';
import { answerOn, enrolSoftPasskey, postPasswordless, setPasskeyPolicy, signInPage } from './passkey-steps.js';

const REFUSED = 'That passkey could not be used to sign in here.';

describe('factors: passwordless sign-in with a passkey', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  const failures = async (sub: string) => (await bench.server.models.AuditEntry.find({ userSub: sub, event: 'signin.passkey.failed' }).sort({ seq: 1 }).lean()).map((entry) => entry.reasons?.[0]);
  const completions = (sub: string) => bench.server.models.AuditEntry.countDocuments({ userSub: sub, event: 'signin.completed' });
  const refusedPage = (page: Page) => {
    expect(page.status).to.equal(401);
    expect(page.html).to.include(REFUSED).and.include('autocomplete="current-password"');
  };

  async function passkeyUser(name: string) {
    const user = await bench.server.createUser({ email: `${name}@clinic.test`, password: PASSWORD });
    const soft = await enrolSoftPasskey(bench, user);
    await setPasskeyPolicy(bench, user.practiceId, { passwordlessAllowed: true });
    return { user, soft };
  }

  it('offers no passkey on the sign-in page (and no script) while no practice allows it', async () => {
    const { page } = await signInPage(new Browser(), bench.charting);
    expect(page.html).not.to.include('webauthn-form');
    expect(page.html).to.include('autocomplete="username"');
    const res = await fetch(page.url, { redirect: 'manual' });
    expect(res.headers.get('content-security-policy')).to.include("script-src 'none'");
  });

  it('signs in with the passkey alone: acr phr, amr [hwk, user, mfa], no password and no code, device and network audited', async () => {
    const { user, soft } = await passkeyUser('alone');
    const browser = new Browser();
    const mails = bench.mail.messages.length;
    const passwords = () => bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'signin.password.succeeded' });
    const passwordsBefore = await passwords();
    const { start, page } = await signInPage(browser, bench.charting);
    expect(page.html).to.include('autocomplete="username webauthn"').and.include('action="/interaction/').and.include('/passkey"');
    const callback = await untilCallback(browser, bench.charting, await postPasswordless(browser, page, answerOn(page, soft)));
    const claims = (await exchange(bench.charting, start, callback)).claims()!;
    expect(claims.sub).to.equal(user.sub);
    expect(claims.acr).to.equal(ACR_PHR);
    expect(claims.amr).to.deep.equal(['hwk', 'user', 'mfa']);
    expect(bench.mail.messages.length, 'no code sent').to.equal(mails);
    const succeeded = (await bench.server.models.AuditEntry.findOne({ userSub: user.sub, event: 'signin.passkey.succeeded' }).lean())!;
    expect(succeeded.reasons, 'the risk rules still ran').to.deep.equal(['policy_always']);
    expect(await bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'device.remembered' }), 'this browser remembered too').to.equal(2);
    expect(succeeded.details).to.deep.include({ name: 'Soft passkey', userVerified: true });
    expect(await passwords(), 'no password').to.equal(passwordsBefore);
    expect((await bench.server.models.UserFactor.findOne({ userId: user._id, kind: 'webauthn' }).lean())!.counter, 'counter stored').to.equal(soft.credentials[0]!.counter);
  });

  it('steps an app up to acr phr with max_age=0 through openid-client, by passkey alone', async () => {
    const { soft } = await passkeyUser('stepup');
    const browser = new Browser();
    const { start, page } = await signInPage(browser, bench.billing, { acr_values: ACR_PHR, max_age: '0' });
    const callback = await untilCallback(browser, bench.billing, await postPasswordless(browser, page, answerOn(page, soft)));
    const tokens = await exchange(bench.billing, start, callback);
    expect(tokens.claims()!.acr).to.equal(ACR_PHR);
    expect(tokens.claims()!.auth_time).to.be.a('number');
  });

  it('refuses, alike and audited, a user whose practice does not allow passwordless, a deactivated user, another user\'s userHandle and an unknown credential', async () => {
    const other = await bench.server.createPractice({ name: 'No passwordless here', mfaPolicy: 'always' });
    const closed = await bench.server.createUser({ email: 'closed@clinic.test', password: PASSWORD, practiceId: other._id });
    const closedKey = await enrolSoftPasskey(bench, closed);
    const { user: gone, soft: goneKey } = await passkeyUser('gone');
    await bench.server.models.Membership.updateMany({ userId: gone._id }, { $set: { status: 'deactivated' } });
    const { user: victim } = await passkeyUser('victim');
    const { user: thief, soft: thiefKey } = await passkeyUser('thief');

    const tries: Array<[string, (page: Page) => Record<string, unknown>]> = [
      [closed.sub, (page) => answerOn(page, closedKey)],
      [gone.sub, (page) => answerOn(page, goneKey)],
      [thief.sub, (page) => answerOn(page, thiefKey, { userHandle: Buffer.from(victim.sub).toString('base64url') })],
      ['', (page) => ({ ...answerOn(page, thiefKey), id: 'bm90LWEtY3JlZGVudGlhbA', rawId: 'bm90LWEtY3JlZGVudGlhbA' })],
    ];
    const pages: string[] = [];
    for (const [, answer] of tries) {
      const browser = new Browser();
      const { page } = await signInPage(browser, bench.charting);
      const after = await postPasswordless(browser, page, answer(page));
      refusedPage(after);
      pages.push(/<p[^>]*id="login-error"[^>]*>([^<]*)</.exec(after.html)?.[1] ?? '');
    }
    expect(new Set(pages).size, 'every refusal reads the same').to.equal(1);
    expect(await failures(closed.sub)).to.deep.equal(['passwordless_not_allowed']);
    expect(await failures(gone.sub)).to.deep.equal(['inactive_user']);
    expect(await failures(thief.sub)).to.deep.equal(['wrong_user_handle']);
    expect(await bench.server.models.AuditEntry.countDocuments({ event: 'signin.passkey.failed', reasons: 'unknown_credential' })).to.equal(1);
    for (const sub of [closed.sub, gone.sub, thief.sub, victim.sub]) expect(await completions(sub), `${sub}: only the enrolment's sign-in`).to.equal(1);
  });

  it('refuses an answer without user verification, counted toward the lockout; a locked-out user is refused without a check', async () => {
    const { user, soft } = await passkeyUser('no-uv');
    const threshold = bench.server.config.mfa.lockoutThreshold;
    for (let i = 0; i < threshold; i++) {
      const browser = new Browser();
      const { page } = await signInPage(browser, bench.charting);
      refusedPage(await postPasswordless(browser, page, answerOn(page, soft, { userVerified: false })));
    }
    expect(await failures(user.sub)).to.deep.equal(Array(threshold).fill('user_not_verified'));
    // Locked now: even a perfect answer is not checked.
    const browser = new Browser();
    const { page } = await signInPage(browser, bench.charting);
    refusedPage(await postPasswordless(browser, page, answerOn(page, soft)));
    expect((await failures(user.sub)).at(-1)).to.equal('account_locked');
    expect(await completions(user.sub), 'only the enrolment\'s sign-in').to.equal(1);
  });

  it('refuses a cloned authenticator (signature counter going backwards): audited clone_suspected, the stored counter kept', async () => {
    const { user, soft } = await passkeyUser('clone');
    const first = new Browser();
    const signIn = await signInPage(first, bench.charting);
    await untilCallback(first, bench.charting, await postPasswordless(first, signIn.page, answerOn(signIn.page, soft, { counter: 7 })));
    const clone = new Browser();
    const { page } = await signInPage(clone, bench.charting);
    refusedPage(await postPasswordless(clone, page, answerOn(page, soft, { counter: 3 })));
    expect(await failures(user.sub)).to.deep.equal(['clone_suspected']);
    expect((await bench.server.models.UserFactor.findOne({ userId: user._id, kind: 'webauthn' }).lean())!.counter).to.equal(7);
    expect(await completions(user.sub), 'the enrolment\'s and the first passkey sign-in').to.equal(2);
  });

  it('spends each challenge once, only on its own interaction, and not after 5 minutes (our clock)', async () => {
    const { user, soft } = await passkeyUser('challenge');
    // Taken to another interaction: refused there.
    const a = new Browser();
    const pageA = (await signInPage(a, bench.charting)).page;
    const b = new Browser();
    const pageB = (await signInPage(b, bench.charting)).page;
    refusedPage(await postPasswordless(b, pageB, answerOn(pageA, soft)));
    // Replayed on its own interaction after a refusal spent it.
    const answer = answerOn(pageA, soft, { userVerified: false });
    refusedPage(await postPasswordless(a, pageA, answer));
    refusedPage(await postPasswordless(a, pageA, answerOn(pageA, soft)));
    // Too late.
    const c = new Browser();
    const pageC = (await signInPage(c, bench.charting)).page;
    bench.server.clock.advance(CHALLENGE_MS + 1_000);
    refusedPage(await postPasswordless(c, pageC, answerOn(pageC, soft)));
    expect(await failures(user.sub)).to.deep.equal(['not_verified', 'user_not_verified', 'not_verified', 'not_verified']);
    expect(await completions(user.sub), 'only the enrolment\'s sign-in').to.equal(1);
  });
});
