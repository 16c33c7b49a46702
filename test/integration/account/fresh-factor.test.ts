// A second-factor setting needs a fresh SECOND factor, not only a fresh sign-in: a session signed in
// a minute ago with the password alone (no code asked: practice policy `off`) is sent through a
// sign-in with a code before the two-step or phone page opens.
import { expect } from 'chai';
import { Browser } from '../../helpers/browser.js';
import { startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { openSignedIn, PASSWORD, postForm, throughCode } from './bench.js';

describe('account: fresh second factor for second-factor settings', function () {
  this.timeout(30_000);
  let bench: MfaBench;

  before(async () => {
    bench = await startMfaBench();
  });
  after(() => bench.close());

  for (const path of ['/account/two-step', '/account/phone']) {
    it(`a fresh password-only session is asked for a code before ${path}`, async () => {
      const practice = await bench.server.createPractice({ mfaPolicy: 'off' });
      const user = await bench.server.createUser({ password: PASSWORD, practiceId: practice._id });
      const browser = new Browser();
      const overview = await openSignedIn(bench, browser, user);
      expect(overview.html).to.contain('Sign out everywhere');

      // Seconds after a password-only sign-in: the page still needs a code.
      const start = await browser.get(bench.server.url(path));
      expect(start.status).to.equal(303);
      expect(new URL(start.location!, bench.server.url('/')).pathname).to.equal('/auth');
      const { page, askedForCode } = await throughCode(bench, browser, start, user.email);
      expect(askedForCode, 'a code was asked').to.equal(true);
      expect(page.url).to.equal(bench.server.url(path));

      // A form posted from the password-only session is not applied either.
      if (path === '/account/two-step') {
        const other = new Browser();
        const first = await openSignedIn(bench, other, user);
        const posted = await postForm(bench, other, first, path, { enabled: 'on', channel: 'email' });
        expect(posted.status).to.equal(303);
        expect(await bench.server.models.Membership.findOne({ userId: user._id }).lean()).to.include({ mfaEnabled: false });
      }
    });
  }
});
