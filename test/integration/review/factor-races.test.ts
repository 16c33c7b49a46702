// Reviewer's attacks on second factors: one secret raced in two concurrent sign-ins, or reused from the enrolment.
import { expect } from 'chai';
import { Browser, type Page } from '../../helpers/browser.js';
import { passwordStep, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { openSignedIn, PASSWORD, postForm } from '../account/bench.js';
import { appCode, enrolAuthenticator, submitFactor } from '../factors/bench.js';

const codesOn = (page: Page) => [...page.html.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((match) => match[1]!);

describe('review: second factors raced', function () {
  this.timeout(90_000);
  let bench: MfaBench;
  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  const completions = (sub: string) => bench.server.models.AuditEntry.countDocuments({ userSub: sub, event: 'signin.completed' });

  async function formFor(email: string, factor: 'recovery' | 'totp') {
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, email, PASSWORD);
    const link = new RegExp(`href="([^"]*\\?factor=${factor})"`).exec(attempt.page.html)?.[1];
    const page = link ? await browser.get(new URL(link.replace(/&amp;/g, '&'), attempt.page.url).href) : attempt.page;
    return { browser, page };
  }

  it('one recovery code posted by two sign-ins at once signs in only one', async () => {
    const owner = new Browser();
    const user = await bench.server.createUser({ email: 'race.recovery@clinic.test', password: PASSWORD });
    await enrolAuthenticator(bench, owner, user);
    const codes = codesOn(await postForm(bench, owner, await openSignedIn(bench, owner, user, '/account/recovery-codes'), '/account/recovery-codes'));
    const a = await formFor(user.email, 'recovery');
    const b = await formFor(user.email, 'recovery');
    const before = await completions(user.sub);
    const results = await Promise.all([submitFactor(a.browser, a.page, codes[0]!), submitFactor(b.browser, b.page, codes[0]!)]);
    expect(results.map((page) => page.status).sort()).to.deep.equal([303, 401]);
    expect(await bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'mfa.recovery_code.used' })).to.equal(1);
    expect(await completions(user.sub) - before).to.be.at.most(1);
  });

  it('one authenticator-app code posted by two sign-ins at once signs in only one', async () => {
    const user = await bench.server.createUser({ email: 'race.totp@clinic.test', password: PASSWORD });
    const key = await enrolAuthenticator(bench, new Browser(), user);
    bench.server.clock.advance(60_000);
    const a = await formFor(user.email, 'totp');
    const b = await formFor(user.email, 'totp');
    const code = appCode(bench, key);
    const results = await Promise.all([submitFactor(a.browser, a.page, code), submitFactor(b.browser, b.page, code)]);
    expect(results.map((page) => page.status).sort()).to.deep.equal([303, 401]);
    expect(await bench.server.models.AuditEntry.countDocuments({ userSub: user.sub, event: 'mfa.factor.verified' })).to.equal(1);
  });

  it('the code that confirmed the enrolment does not also pass the first sign-in', async () => {
    const user = await bench.server.createUser({ email: 'reuse.totp@clinic.test', password: PASSWORD });
    const key = await enrolAuthenticator(bench, new Browser(), user);
    const form = await formFor(user.email, 'totp');
    const before = await completions(user.sub);
    const reused = await submitFactor(form.browser, form.page, appCode(bench, key));
    expect(reused.status).to.equal(401);
    expect(reused.html).to.include('That code was already used');
    expect(await completions(user.sub)).to.equal(before);
  });

  it('two "make new codes" posts at once (a double click) leave exactly one set, and the codes last shown work', async () => {
    const owner = new Browser();
    const user = await bench.server.createUser({ email: 'race.regenerate@clinic.test', password: PASSWORD });
    await enrolAuthenticator(bench, owner, user);
    const page = await openSignedIn(bench, owner, user, '/account/recovery-codes');
    const shown = await Promise.all([postForm(bench, owner, page, '/account/recovery-codes'), postForm(bench, owner, page, '/account/recovery-codes')]);
    const sets = await bench.server.models.UserFactor.find({ userId: user._id, kind: 'recovery' }).lean();
    expect(sets, 'one set').to.have.length(1);
    const working = shown.map(codesOn).filter((codes) => codes.length === 10);
    const form = await formFor(user.email, 'recovery');
    const results = await Promise.all(working.map(async (codes) => (await submitFactor(form.browser, form.page, codes[0]!)).status));
    expect(results, 'one of the shown sets signs in').to.include(303);
  });
});
