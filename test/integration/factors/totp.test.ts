// Authenticator apps (RFC 6238) end to end: enrolment from /account behind a fresh second factor,
// sign-in with the app through openid-client as the app, ±1 step of drift, no replay, failures
// counted toward the lockout, the secret sealed at rest, the last allowed factor never removed.
import { expect } from 'chai';
import { open } from '../../../src/mfa/factors/secret-box.js';
import { ACR_MFA } from '../../../src/mfa/risk/acr.js';
import { Browser } from '../../helpers/browser.js';
import { finishAt, isCodePage, passwordStep, startMfaBench, type MfaBench } from '../../helpers/mfa.js';
import { auditOf, openSignedIn, PASSWORD, postForm } from '../account/bench.js';
import { appCode, enrolAuthenticator, submitFactor } from './bench.js';

describe('factors: authenticator app (TOTP)', function () {
  this.timeout(60_000);
  let bench: MfaBench;

  before(async () => {
    bench = await startMfaBench({ mfaPolicy: 'always' });
  });
  after(() => bench.close());

  it('enrols from /account with a first code; the secret is sealed at rest; sign-in offers the app first and the ID token says otp + mfa', async () => {
    const user = await bench.server.createUser({ email: 'totp.enrol@clinic.test', password: PASSWORD });
    const key = await enrolAuthenticator(bench, new Browser(), user);
    const stored = (await bench.server.models.UserFactor.findOne({ userId: user._id, kind: 'totp' }).lean())!;
    expect(stored.confirmedAt).to.be.instanceOf(Date);
    expect(stored.secret).not.to.include(key);
    expect(open(Buffer.alloc(32, 7), stored.secret!, `${user.sub}|totp|${stored._id.toHexString()}`), 'another key opens nothing').to.equal(undefined);
    expect((await auditOf(bench, user, 'factor.enrolled'))[0]?.details).to.deep.include({ factor: 'totp' });
    expect((await bench.mail.waitFor((mail) => mail.to.includes(user.email) && /authenticator app was added/.test(mail.subject))).text).to.include('authenticator app was set up');

    const browser = new Browser();
    const mailsBefore = bench.mail.messages.filter((mail) => mail.to.includes(user.email)).length;
    bench.server.clock.advance(60_000); // the enrolment's step is spent
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(attempt.page.html).to.include('name="factor" value="totp"').and.include('Send the code by email instead');
    expect(bench.mail.messages.filter((mail) => mail.to.includes(user.email)).length, 'no code emailed').to.equal(mailsBefore);
    const claims = await finishAt(browser, attempt, bench.charting, await submitFactor(browser, attempt.page, appCode(bench, key)));
    expect(claims).to.include({ acr: ACR_MFA });
    expect(claims.amr).to.deep.equal(['pwd', 'otp', 'mfa']);
    expect((await auditOf(bench, user, 'mfa.factor.verified'))[0]?.details).to.deep.include({ factor: 'totp' });
  });

  it('accepts one step of drift either way, refuses two; a used code is refused within its window and counts toward the lockout', async () => {
    const user = await bench.server.createUser({ email: 'totp.replay@clinic.test', password: PASSWORD });
    const key = await enrolAuthenticator(bench, new Browser(), user);
    bench.server.clock.advance(90_000);

    const late = new Browser();
    const first = await passwordStep(late, bench.charting, user.email, PASSWORD);
    const tooFar = await submitFactor(late, first.page, appCode(bench, key, 2));
    expect(tooFar.status).to.equal(401);
    expect(tooFar.html).to.include('That code is not correct.');
    const code = appCode(bench, key, -1); // the phone's clock runs 30 s behind
    const claims = await finishAt(late, first, bench.charting, await submitFactor(late, tooFar, code));
    expect(claims.amr).to.include('otp');

    // The same code again, in the same 30 s window, from another browser: refused and counted.
    const spentBefore = (await bench.server.models.User.findById(user._id).lean())!.lockout;
    const attacker = new Browser({ from: '198.51.100.7' });
    const second = await passwordStep(attacker, bench.charting, user.email, PASSWORD);
    const replayed = await submitFactor(attacker, second.page, code);
    expect(replayed.status).to.equal(401);
    expect(replayed.html).to.include('That code was already used.');
    const after = (await bench.server.models.User.findById(user._id).lean())!.lockout;
    expect(after.spent + after.unfamiliar.spent, 'failures counted').to.equal(spentBefore.spent + spentBefore.unfamiliar.spent + 1);
    expect((await auditOf(bench, user, 'mfa.factor.failed')).map((entry) => entry.reasons)).to.deep.include(['replayed_code']);
    // An earlier step than the one used is refused too (the counter only moves forward).
    expect((await submitFactor(attacker, replayed, appCode(bench, key, -2))).status).to.equal(401);
  });

  it('a session holding only a password cannot open or change the authenticator page', async () => {
    const practice = await bench.server.createPractice({ mfaPolicy: 'off' });
    const user = await bench.server.createUser({ email: 'totp.fresh@clinic.test', password: PASSWORD, practiceId: practice._id });
    const browser = new Browser();
    const overview = await openSignedIn(bench, browser, user);
    const page = await browser.get(bench.server.url('/account/authenticator'));
    expect(page.status).to.equal(303);
    expect(new URL(page.location!).pathname).to.equal('/auth');
    const posted = await postForm(bench, browser, overview, '/account/authenticator', { code: '123456' });
    expect(posted.status).to.equal(303);
    expect(await bench.server.models.UserFactor.countDocuments({ userId: user._id })).to.equal(0);
  });

  it('removing the app: refused while the practice allows no other factor the user holds; audited and emailed otherwise', async () => {
    const practice = await bench.server.createPractice({ mfaPolicy: 'always' });
    const user = await bench.server.createUser({ email: 'totp.remove@clinic.test', password: PASSWORD, practiceId: practice._id });
    const browser = new Browser();
    await enrolAuthenticator(bench, browser, user);
    await bench.server.models.Practice.updateOne({ _id: practice._id }, { $set: { factorPolicy: { allowed: ['totp'] } } });
    const page = await browser.get(bench.server.url('/account/authenticator'));
    const refused = await postForm(bench, browser, page, '/account/authenticator/remove');
    expect(refused.status).to.equal(400);
    expect(refused.html).to.include('cannot be removed');
    expect(await bench.server.models.UserFactor.countDocuments({ userId: user._id, kind: 'totp' })).to.equal(1);

    await bench.server.models.Practice.updateOne({ _id: practice._id }, { $set: { factorPolicy: { allowed: ['email', 'totp'] } } });
    const removed = await browser.follow(await postForm(bench, browser, page, '/account/authenticator/remove'));
    expect(removed.html).to.include('Your authenticator app was removed.');
    expect(await bench.server.models.UserFactor.countDocuments({ userId: user._id, kind: 'totp', confirmedAt: { $exists: true } })).to.equal(0);
    expect((await auditOf(bench, user, 'factor.removed'))[0]?.details).to.deep.include({ factor: 'totp' });
    await bench.mail.waitFor((mail) => mail.to.includes(user.email) && /authenticator app was removed/.test(mail.subject));
  });

  it('a practice that does not allow text messages: the code page offers no SMS, and a forged resend asking for SMS gets email', async () => {
    const practice = await bench.server.createPractice({ mfaPolicy: 'always' });
    await bench.server.models.Practice.updateOne({ _id: practice._id }, { $set: { factorPolicy: { allowed: ['email', 'totp'] } } });
    const user = await bench.server.createUser({ email: 'nosms@clinic.test', phone: '+15551230077', password: PASSWORD, practiceId: practice._id });
    const browser = new Browser();
    const attempt = await passwordStep(browser, bench.charting, user.email, PASSWORD);
    expect(isCodePage(attempt.page)).to.equal(true);
    expect(attempt.page.html).to.include('by email to').and.not.include('text message');
    bench.server.clock.advance(60_000);
    const forged = await browser.post(new URL(/action="([^"]*\/resend)"/.exec(attempt.page.html)![1]!, attempt.page.url).href, { _csrf: /name="_csrf" value="([^"]+)"/.exec(attempt.page.html)![1]!, channel: 'sms' });
    expect(forged.html).to.include('by email to');
    expect(bench.sms.messages.filter((sms) => sms.to === '+15551230077')).to.have.length(0);
  });

  it('the user chooses which factor the sign-in offers first, among those they hold; one they do not hold is refused', async () => {
    const user = await bench.server.createUser({ email: 'totp.default@clinic.test', password: PASSWORD });
    const owner = new Browser();
    await enrolAuthenticator(bench, owner, user);
    const page = await owner.get(bench.server.url('/account/default-factor'));
    expect(page.html).to.match(/value="totp" checked/);
    const refused = await postForm(bench, owner, page, '/account/default-factor', { factor: 'webauthn' });
    expect(refused.status).to.equal(400);
    const saved = await owner.follow(await postForm(bench, owner, page, '/account/default-factor', { factor: 'email' }));
    expect(saved.html).to.include('the sign-in offers your choice first');
    expect((await bench.server.models.User.findById(user._id).lean())!.defaultFactor).to.equal('email');

    const attempt = await passwordStep(new Browser(), bench.charting, user.email, PASSWORD);
    expect(isCodePage(attempt.page)).to.equal(true);
    expect(attempt.page.html).to.include('by email to').and.include('factor=totp');
  });
});
