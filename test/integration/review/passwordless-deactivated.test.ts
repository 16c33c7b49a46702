// Attacks on passwordless sign-in through a deactivated membership that hold: the person's only
// practice allowing a passkey alone has deactivated them; the practice they are still active in
// does not allow it. A passkey alone then signs in nowhere, whether the app names the deactivated
// practice (practice_hint) or names none, and no silent request rides on a session for it.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { Browser } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { PASSWORD } from '../account/bench.js';
import { answerOn, enrolSoftPasskey, postPasswordless, setPasskeyPolicy, signInPage } from '../factors/passkey-steps.js';

describe('review: passwordless sign-in through a deactivated membership', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  let open: Types.ObjectId; // allows passwordless; the person is deactivated here
  let closed: Types.ObjectId; // does not; the person is active here

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'off' });
    open = (await bench.server.createPractice({ name: 'Harbor Clinic', mfaPolicy: 'off' }))._id;
    closed = (await bench.server.createPractice({ name: 'Valley Clinic', mfaPolicy: 'off' }))._id;
    await setPasskeyPolicy(bench, open, { passwordlessAllowed: true });
  });
  after(() => bench.close());

  it('a passkey alone is refused with and without a hint naming the deactivated practice; nothing is signed in', async () => {
    const user = await bench.server.createUser({ practiceId: open, email: 'pl.deactivated@clinic.test', password: PASSWORD, role: 'clinician' });
    const soft = await enrolSoftPasskey(bench, user);
    await bench.server.idp.accounts.memberships.addMembership({ userId: user._id, practiceId: closed, role: 'clinician' });
    await bench.server.idp.accounts.memberships.deactivateMembership(user._id, open);
    const completed = () => bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'signin.completed' });
    const before = await completed(); // the password sign-ins that enrolled the passkey

    for (const params of [{ practice_hint: String(open) }, {}] as Record<string, string>[]) {
      const browser = new Browser();
      const { page } = await signInPage(browser, bench.charting, params);
      const after = await postPasswordless(browser, page, answerOn(page, soft));
      expect(after.status, JSON.stringify(params)).to.equal(401);
      expect(after.html).to.include('autocomplete="current-password"');
      const account = await browser.follow(await browser.get(new URL('/account', bench.server.issuer).href));
      expect(account.html, '/account asks for a sign-in').to.include('autocomplete="current-password"');
    }
    expect(await completed(), 'no sign-in completed since').to.equal(before);
  });
});
