// A passkey alone for a person in two practices, one that allows passwordless sign-in and one that
// does not. The practice entered decides (as for a password): the allowing one is entered with the
// passkey alone; an app registered to the other refuses the passkey; with nothing to decide by, the
// chooser follows the passkey, and choosing the practice that does not allow it asks for the
// password; an SSO switch of a passkey-only session into that practice asks for it too (prompt=none:
// login_required). Through the real pages, a software authenticator and openid-client.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import * as oidc from 'openid-client';
import { hashOf } from '../../../src/mfa/known-devices.js';
import { ACR_PHR } from '../../../src/mfa/risk/acr.js';
import { Browser, field, formAction, type Page } from '../../helpers/browser.js';
import { authorize, REDIRECT, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { exchange, relyingParty, untilCallback } from '../../helpers/rp.js';
import { PASSWORD } from '../account/bench.js';
import { answerOn, enrolSoftPasskey, postPasswordless, setPasskeyPolicy, signInPage } from '../factors/passkey-steps.js';

const PASSWORD_FIELD = 'autocomplete="current-password"';

describe('memberships: passwordless sign-in decided by the practice entered', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  let open: Types.ObjectId; // allows passwordless
  let closed: Types.ObjectId; // does not

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'off' });
    open = (await bench.server.createPractice({ name: 'Harbor Clinic', mfaPolicy: 'off' }))._id;
    closed = (await bench.server.createPractice({ name: 'Valley Clinic', mfaPolicy: 'off' }))._id;
    await setPasskeyPolicy(bench, open, { passwordlessAllowed: true });
  });
  after(() => bench.close());

  async function locumWithPasskey(email: string) {
    const user = await bench.server.createUser({ practiceId: open, email, password: PASSWORD, role: 'clinician' });
    const soft = await enrolSoftPasskey(bench, user);
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: closed, role: 'clinician' });
    return { user, soft };
  }
  const choose = (browser: Browser, page: Page, practiceId: Types.ObjectId) =>
    browser.post(formAction(page, '/practice'), { _csrf: field(page.html, '_csrf'), practice: String(practiceId) });
  const failures = async (sub: string) => (await bench.server.models.AuditEntry.find({ userSub: sub, event: 'signin.passkey.failed' }).lean()).map((entry) => entry.reasons?.[0]);

  it('the practice that allows it is entered with the passkey alone (practice_hint); the one that does not refuses it', async () => {
    const { user, soft } = await locumWithPasskey('pl.one@clinic.test');
    const browser = new Browser();
    const attempt = await signInPage(browser, bench.charting, { practice_hint: String(open) });
    const callback = await untilCallback(browser, bench.charting, await postPasswordless(browser, attempt.page, answerOn(attempt.page, soft)));
    const claims = (await exchange(bench.charting, attempt.start, callback)).claims()!;
    expect(claims.acr).to.equal(ACR_PHR);
    expect(claims.amr).to.deep.equal(['hwk', 'user', 'mfa']);

    const other = new Browser();
    const refused = await signInPage(other, bench.charting, { practice_hint: String(closed) });
    const after = await postPasswordless(other, refused.page, answerOn(refused.page, soft));
    expect(after.status).to.equal(401);
    expect(await failures(user.sub)).to.deep.equal(['passwordless_not_allowed']);
  });

  it('an app registered to the practice that does not allow it refuses the passkey', async () => {
    const { user, soft } = await locumWithPasskey('pl.two@clinic.test');
    await bench.server.createClient({ clientId: 'valley-billing', authMethod: 'none', firstParty: true, redirectUris: [REDIRECT], practiceId: String(closed) });
    const valley = await relyingParty(bench.server, 'valley-billing');
    const browser = new Browser();
    const { page } = await signInPage(browser, valley);
    const after = await postPasswordless(browser, page, answerOn(page, soft));
    expect(after.status).to.equal(401);
    expect(await failures(user.sub)).to.deep.equal(['passwordless_not_allowed']);
  });

  it('nothing to decide by: the chooser follows the passkey; the practice that allows it is entered, the other asks for the password', async () => {
    const { user, soft } = await locumWithPasskey('pl.three@clinic.test');
    for (const [practice, passwordAsked] of [[open, false], [closed, true]] as const) {
      const browser = new Browser();
      const attempt = await signInPage(browser, bench.charting);
      const chooser = await browser.follow(await postPasswordless(browser, attempt.page, answerOn(attempt.page, soft)), bench.charting.redirectUri);
      expect(chooser.html, 'the chooser').to.include('Harbor Clinic').and.include('Valley Clinic');
      // The passkey's device is the person's, known to no practice until one is entered with a factor.
      const device = await bench.server.models.KnownDevice.findOne({ userId: user._id, deviceHash: hashOf(browser.cookies().get('idp.device')!) }).lean();
      expect(device?.practiceIds, 'known to no practice before one is chosen').to.deep.equal([]);
      const next = await browser.follow(await choose(browser, chooser, practice), bench.charting.redirectUri);
      if (!passwordAsked) {
        const tokens = await exchange(bench.charting, attempt.start, await untilCallback(browser, bench.charting, next));
        expect(tokens.claims()!.acr).to.equal(ACR_PHR);
        const info = await oidc.fetchUserInfo(bench.charting.config, tokens.access_token, tokens.claims()!.sub);
        expect(info.practice).to.deep.include({ id: String(open) });
        continue;
      }
      expect(next.html, 'Valley asks for the password').to.include(PASSWORD_FIELD);
      expect(await bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'signin.completed', practiceId: String(closed) })).to.equal(0);
    }
  });

  it('a passkey-only session switched into the practice that does not allow it: the password (prompt=none: login_required)', async () => {
    const { soft } = await locumWithPasskey('pl.four@clinic.test');
    const browser = new Browser();
    const attempt = await signInPage(browser, bench.charting, { practice_hint: String(open) });
    await exchange(bench.charting, attempt.start, await untilCallback(browser, bench.charting, await postPasswordless(browser, attempt.page, answerOn(attempt.page, soft))));

    const silent = await authorize(browser, bench.billing, { practice_hint: String(closed), prompt: 'none' });
    expect(new URL(silent.page.location!).searchParams.get('error')).to.equal('login_required');
    const switched = await authorize(browser, bench.billing, { practice_hint: String(closed) });
    expect(switched.page.html).to.include(PASSWORD_FIELD);
    const same = await authorize(browser, bench.billing, { practice_hint: String(open), prompt: 'none' });
    expect(new URL(same.page.location!).searchParams.get('code'), 'the allowing practice is still entered silently').to.be.a('string');
  });
});
