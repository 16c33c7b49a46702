// The practice's logo (and name) head the code page, where the password has shown whose practice
// this is, with the practice's name as the image's text; never the sign-in page or the reset code
// page, which anyone can reach by typing an email: a logo there would tell them which practice
// that email belongs to.
import { expect } from 'chai';
import { saveLogo } from '../../../src/admin/branding/logo-store.js';
import { Browser } from '../../helpers/browser.js';
import { isCodePage, passwordStep, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { requestCode } from '../password-reset/reset-bench.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const PASSWORD = 'Quiet-Harbor-Lantern-0123!';

describe('practice logo on the sign-in pages', function () {
  this.timeout(30_000);
  let bench: MfaBench;
  let email: string;
  let logo: string;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
    const practice = await bench.server.createPractice({ name: 'Harbor View Pediatrics', mfaPolicy: 'always' });
    const { digest } = await saveLogo(bench.server.models, practice._id, PNG, 'image/png', new Date());
    logo = `/practice-logo/${String(practice._id)}/${digest}`;
    email = (await bench.server.createUser({ practiceId: practice._id, password: PASSWORD })).email;
  });
  after(() => bench.close());

  it('shows the logo, named by the practice, and the practice name on the code page', async () => {
    const { page } = await passwordStep(new Browser({ from: '203.0.113.80' }), bench.charting, email, PASSWORD);
    expect(isCodePage(page)).to.equal(true);
    expect(page.html).to.include(`<img class="practice-logo" src="${logo}" alt="Harbor View Pediatrics logo"`);
    expect(page.html).to.match(/class="brand-practice"> · Harbor View Pediatrics</);
  });

  it('shows neither on the sign-in page, even with the email as login_hint, nor on the reset code page', async () => {
    const browser = new Browser({ from: '203.0.113.81' });
    const { page: wrong } = await passwordStep(browser, bench.charting, email, 'not the password', { login_hint: email });
    expect(wrong.html).to.include('autocomplete="current-password"');
    const resetCode = await requestCode(bench.server, new Browser({ from: '203.0.113.82' }), email);
    for (const html of [wrong.html, resetCode.html]) {
      expect(html).not.to.include('practice-logo').and.not.include('Harbor View');
    }
  });
});
