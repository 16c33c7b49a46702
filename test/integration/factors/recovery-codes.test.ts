// Recovery codes: made from /account behind a fresh second factor, shown once, stored as keyed
// hashes; one signs in once (audited, the user emailed); a reused or guessed code is refused and
// counted toward the lockout; a new set voids the old one.
import { expect } from 'chai';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { Browser, type Page } from '../../helpers/browser.js';
import { finishAt, passwordStep, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { auditOf, openSignedIn, PASSWORD, postForm } from '../account/bench.js';
import { enrolAuthenticator, submitFactor } from './bench.js';

const codesOn = (page: Page) => [...page.html.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((match) => match[1]!);

describe('factors: recovery codes', function () {
  this.timeout(60_000);
  let bench: MfaBench;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  async function makeCodes(browser: Browser, email: string) {
    const user = await bench.server.createUser({ email, password: PASSWORD });
    await enrolAuthenticator(bench, browser, user);
    const page = await openSignedIn(bench, browser, user, '/account/recovery-codes');
    const shown = await postForm(bench, browser, page, '/account/recovery-codes');
    return { user, codes: codesOn(shown) };
  }

  /** The recovery-code form of a sign-in's code page ("Try another way"). */
  async function recoveryForm(browser: Browser, email: string) {
    const attempt = await passwordStep(browser, bench.charting, email, PASSWORD);
    const link = /href="([^"]*\?factor=recovery)"/.exec(attempt.page.html)?.[1];
    expect(link, 'Try another way: recovery code').to.be.a('string');
    return { attempt, page: await browser.get(new URL(link!.replace(/&amp;/g, '&'), attempt.page.url).href) };
  }

  it('10 distinct codes shown once, stored only as hashes; the page shows them never again', async () => {
    const browser = new Browser();
    const { user, codes } = await makeCodes(browser, 'recovery.once@clinic.test');
    expect(codes).to.have.length(10);
    expect(new Set(codes).size).to.equal(10);
    const stored = (await bench.server.models.UserFactor.findOne({ userId: user._id, kind: 'recovery' }).lean())!;
    expect(stored.codes).to.have.length(10);
    for (const code of codes) expect(JSON.stringify(stored)).not.to.include(code.replace('-', ''));
    const again = await browser.get(bench.server.url('/account/recovery-codes'));
    expect(codesOn(again)).to.deep.equal([]);
    expect(again.html).to.include('You have 10 unused recovery codes');
    expect((await auditOf(bench, user, 'factor.enrolled')).map((entry) => entry.details?.factor)).to.include('recovery');
  });

  it('a code signs in once (amr otp + mfa), is audited and emailed; reusing it is refused and counted; a new set voids the old one', async () => {
    const owner = new Browser();
    const { user, codes } = await makeCodes(owner, 'recovery.use@clinic.test');
    const browser = new Browser();
    const first = await recoveryForm(browser, user.email);
    const claims = await finishAt(browser, first.attempt, bench.charting, await submitFactor(browser, first.page, codes[0]!.toUpperCase()));
    expect(claims).to.include({ acr: ACR_MFA });
    expect(claims.amr).to.deep.equal(['pwd', 'otp', 'mfa']);
    expect((await auditOf(bench, user, 'mfa.recovery_code.used'))[0]?.details).to.deep.include({ remaining: 9 });
    const mail = await bench.mail.waitFor((m) => m.to.includes(user.email) && /recovery code was used/.test(m.subject));
    expect(mail.text).to.include('9 unused recovery codes left');

    const thief = new Browser({ from: '198.51.100.9' });
    const second = await recoveryForm(thief, user.email);
    const before = (await bench.server.models.User.findById(user._id).lean())!.lockout;
    const reused = await submitFactor(thief, second.page, codes[0]!);
    expect(reused.status).to.equal(401);
    const guessed = await submitFactor(thief, reused, 'abcde-fghjk');
    expect(guessed.status).to.equal(401);
    const after = (await bench.server.models.User.findById(user._id).lean())!.lockout;
    expect(after.unfamiliar.spent + after.spent - before.unfamiliar.spent - before.spent, 'both counted').to.equal(2);

    // A new set: the old unused codes no longer work.
    const fresh = codesOn(await postForm(bench, owner, await owner.get(bench.server.url('/account/recovery-codes')), '/account/recovery-codes'));
    expect(fresh).to.have.length(10);
    const later = new Browser();
    const third = await recoveryForm(later, user.email);
    expect((await submitFactor(later, third.page, codes[1]!)).status).to.equal(401);
    const claimsAfter = await finishAt(later, third.attempt, bench.charting, await submitFactor(later, third.page, fresh[0]!));
    expect(claimsAfter.amr).to.include('otp');
  });
});
