// Reviewer's attacks on the phishing-resistant level: an MFA session asked for phr without any
// page to show (prompt=none), or through the claims parameter only, never gets a token below phr.
import { expect } from 'chai';
import { ACR_MFA, ACR_PHR } from '../../../src/mfa/risk/acr.js';
import { Browser } from '../../helpers/browser.js';
import { authorize, finishAt, passwordStep, startMfaBench, submitCode, type MfaBench } from '../../helpers/mfa.js';
import { PASSWORD } from '../account/bench.js';

describe('review: phr never silently downgraded', function () {
  this.timeout(60_000);
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  it('an MFA session asked for phr with prompt=none gets an error, not a code at the MFA level', async () => {
    const user = await bench.server.createUser({ email: 'phr.none@clinic.test', password: PASSWORD });
    const browser = new Browser();
    const first = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    const mail = await bench.mail.nextTo(user.email);
    expect((await finishAt(browser, first, bench.charting, await submitCode(browser, first.page, mail.code!))).acr).to.equal(ACR_MFA);

    const asks: Record<string, string>[] = [
      { acr_values: ACR_PHR, prompt: 'none' },
      { claims: JSON.stringify({ id_token: { acr: { essential: true, values: [ACR_PHR] } } }), prompt: 'none' },
    ];
    for (const params of asks) {
      const silent = await authorize(browser, bench.billing, params);
      const location = new URL(silent.page.location!);
      expect(location.searchParams.get('code'), JSON.stringify(params)).to.equal(null);
      expect(location.searchParams.get('error')).to.be.oneOf(['interaction_required', 'login_required']);
    }
  });
});
