// A password reset while someone is half-way through signing in with the old password (password
// accepted, code not yet entered): the reset ends that browser session too, so entering the code
// afterwards must not complete the sign-in.
import { expect } from 'chai';
import { changePassword } from '../../../src/accounts/password-change.js';
import { Browser } from '../../helpers/browser.js';
import { isCodePage, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';

describe('password reset: a sign-in half-way through', () => {
  let bench: MfaBench;
  const oldPassword = 'Quiet-Harbor-Lantern-0123!';
  const newPassword = 'Amber-Orchard-Signal-4567!';

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  /** Enters `code` on the attempt's code page; true when the browser came back to the app with a code. */
  async function reachesApp(browser: Browser, page: Parameters<typeof submitCode>[1], code: string): Promise<boolean> {
    const after = await browser.follow(await submitCode(browser, page, code), bench.charting.redirectUri);
    return Boolean(after.location?.startsWith(bench.charting.redirectUri) && new URL(after.location).searchParams.has('code'));
  }

  it('without a reset, the same steps sign in (the control case)', async () => {
    const user = await bench.server.createUser({ password: oldPassword });
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, user.email, oldPassword);
    const { code } = await bench.mail.nextTo(user.email);
    expect(await reachesApp(browser, attempt.page, code!)).to.equal(true);
  });

  it('the code typed after the reset does not sign the old-password browser in', async () => {
    const { server } = bench;
    const user = await server.createUser({ password: oldPassword });
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, user.email, oldPassword);
    expect(isCodePage(attempt.page)).to.equal(true);
    const { code } = await bench.mail.nextTo(user.email);

    const { idp } = server;
    await changePassword(
      { ...idp.services, now: server.clock.now },
      { user, newPassword, reason: 'reset' },
    );
    await bench.mail.nextTo(user.email); // the "password changed" notice

    expect(await reachesApp(browser, attempt.page, code!)).to.equal(false);
    expect(await server.models.AuditEntry.countDocuments({ event: 'signin.completed', userSub: user.sub })).to.equal(0);
  });
});
