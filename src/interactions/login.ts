// Login step: email + password, then the risk engine decides whether a code follows (the code step
// then answers this same `login` prompt: see pending-sign-in.ts).
// No account discovery: unknown user, inactive user, no password and wrong password show the same
// message after the same work (one argon2 verification), and so does a wrong password on a locked
// account. Only the right password on a locked account is told when to retry: that person already
// knows the account exists. Failures of a known account count toward its lockout; a correct
// password alone does not clear them (codes would otherwise be guessable forever) unless it
// completes the sign-in.
import type { Context } from 'koa';
import { authenticatePassword } from '../accounts/authenticate.js';
import { normalizeEmail } from '../accounts/email.js';
import { readDeviceId } from '../http/device-cookie.js';
import type { Member } from '../store/models/index.js';
import { joinMember } from '../accounts/memberships.js';
import { practiceForSignIn } from './sign-in-practice.js';
import { formField } from '../http/middleware/form-body.js';
import { appRequestFrom } from '../mfa/app-request.js';
import { askedLanguage, t } from '../i18n/request.js';
import { isRiskWaived } from '../mfa/risk/index.js';
import { ACR_PASSWORD, passwordAmr } from '../mfa/risk/acr.js';
import { describeClient, finish, requestInfo, type InteractionDeps, type InteractionDetails, type Step } from './context.js';
import { holdForSecondFactor } from './pending-sign-in.js';
import { createPasswordStepReads, type PasswordStepReads } from '../mfa/password-step-reads.js';
import { completedEntry, finishSignIn, lockedMessage, practiceZone } from './sign-in-outcome.js';
import type { AuditInput } from '../audit/record.js';
import type { Familiarity, LockStatus, ReadLockout } from '../mfa/account-lockout.js';
import { renderPage } from '../http/page.js';
import { allowScripts, jsonForPage, scriptNonce } from '../http/middleware/webauthn-scripts.js';
import { submitPasskey } from './passwordless.js';
import { phrRequiredOfPractice } from '../accounts/passkey-policy.js';
import { currentReads } from '../oidc/request-reads.js';
import { appPracticeBrand } from './practice-brand.js';


async function showLogin(ctx: Context, details: InteractionDetails, deps: InteractionDeps, failure?: { email: string; message?: string; passkeyRefused?: boolean }) {
  const client = await describeClient(deps, details);
  const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
  // Passwordless (src/interactions/passwordless.ts): offered when any practice allows it (the page
  // knows no practice yet), with a fresh challenge for this interaction and the one nonce'd script.
  const nonce = (await currentReads(deps.models).passwordlessOffered()) ? scriptNonce() : undefined;
  const passwordless = nonce ? { nonce, optionsJson: jsonForPage(await deps.mfa.factors.webauthn.authenticationOptions(`interaction:${details.uid}`)) } : undefined;
  renderPage(ctx, deps.render, 'login', {
    // The app's own practice (registered to one), never the person's: nothing is told before the password.
    ...(await appPracticeBrand(deps.models, client.id)),
    passwordless,
    // After a refused passkey the autofill is not started again by itself (it would offer the same one).
    autofill: !failure?.passkeyRefused,
    title: t('signin:login.title'),
    uid: details.uid,
    clientName: client.name,
    email: failure?.email ?? hint,
    error: failure ? failure.message ?? t('signin:login.failed') : null,
  }, failure ? 401 : 200);
  if (nonce) allowScripts(ctx, nonce);
}

async function submitLogin(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  const email = formField(ctx.state, 'email').trim().slice(0, 254);
  const password = formField(ctx.state, 'password');
  const info = requestInfo(ctx, details);
  // Limits before any work (argon2): failed sign-ins per IP (spraying; successes are not counted, so a
  // clinic behind one address is never throttled), and every try at one account from that IP.
  await deps.limits.check('signin_ip', info.ip ?? 'unknown', info);
  await deps.limits.consume('signin_account', `${normalizeEmail(email)}|${info.ip ?? 'unknown'}`, info);
  const result = await authenticatePassword(deps, email, password);
  const { lockout } = deps.mfa;
  const { audit } = deps;
  // Before a practice is entered, the person's first membership is where their failures are logged.
  const home = result.user && result.home ? joinMember(result.user, result.home) : undefined;
  const about = (user?: Member) => (user ? { practiceId: user.practiceId.toHexString(), userSub: user.sub } : {});

  // The practice being entered decides the rules that follow (practice-choice.ts): chosen now,
  // before the second-factor decision; several and nothing to decide by: the chooser first.
  const choice = result.ok ? await practiceForSignIn(deps, details, result.user, result.memberships) : undefined;
  const entering = choice?.kind === 'entered' ? joinMember(result.user!, choice.membership) : undefined;

  // Smart lockout: failures from this user's own devices and networks are counted apart from others'.
  const deviceId = readDeviceId(ctx);
  const source = { ip: info.ip, deviceId };
  // After the verification, one read for the lockout check and the risk engine (password-step-reads.ts),
  // with the rules of the practice being entered (the home one when none is yet).
  const read = home ? await createPasswordStepReads(deps)(home, (entering ?? home).practiceId, source) : undefined;
  const lock: Partial<Awaited<ReturnType<typeof lockout.check>>> & Pick<LockStatus, 'locked'> & { from: Familiarity } = home
    ? await lockout.check(home, source, read) : { locked: false, from: 'unfamiliar' };
  if (lock.locked) {
    await audit.record({ ...info, ...about(home), event: 'signin.password.failed', outcome: 'failure', reasons: ['account_locked'] });
    return showLogin(ctx, details, deps, { email, ...(result.ok ? { message: lockedMessage(lock.retryAt!, deps.now(), lock.reason, await practiceZone(deps, home!)) } : {}) });
  }
  if (!result.ok) {
    await audit.record({ ...info, ...about(home), event: 'signin.password.failed', outcome: 'failure', reasons: [result.reason] });
    if (home && result.reason === 'wrong_password') await lockout.failed(home, { ...source, from: lock.from }, info);
    await deps.limits.record('signin_ip', info.ip ?? 'unknown');
    return showLogin(ctx, details, deps, { email });
  }

  const identity = result.user;
  // Remembered for what is sent to them outside their own requests (notices, admin actions).
  const language = askedLanguage();
  if (language && identity.language !== language) await deps.models.User.updateOne({ _id: identity._id }, { $set: { language } });

  if (!choice || choice.kind === 'client_refused' || choice.kind === 'none') {
    await audit.record({ ...info, ...about(home), event: 'signin.password.failed', outcome: 'failure', reasons: ['not_a_member'] });
    return finish(ctx, details, { error: 'access_denied', error_description: 'This app belongs to a practice the user is not a member of.' });
  }
  if (choice.kind === 'choose') {
    await holdForSecondFactor(details, identity, []);
    ctx.status = 303;
    return ctx.redirect(`/interaction/${details.uid}`);
  }
  await enterPractice(ctx, details, deps, entering!, read && { read, lockStored: lock.stored });
}

/** What the password step already read for the practice being entered (password-step-reads.ts). */
interface EnteringReads {
  read: PasswordStepReads;
  lockStored: ReadLockout | undefined;
}

/**
 * The password is proven and the practice known: that practice's rules decide whether a code
 * follows (its policy, its trusted IPs, the person's two-step choice there). `prior`: the login
 * step's reads for this practice; the chooser enters without them and the rules read their own.
 */
export async function enterPractice(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: Member, prior?: EnteringReads): Promise<void> {
  const info = requestInfo(ctx, details);
  const { lockout } = deps.mfa;
  const { audit } = deps;
  const deviceId = readDeviceId(ctx);
  const about = { practiceId: user.practiceId.toHexString(), userSub: user.sub };
  const succeeded: AuditInput = { ...info, ...about, event: 'signin.password.succeeded', outcome: 'success' };
  const read = prior?.read;
  // The practice is read once (by the login step's read, or here): the risk rules and the passkey
  // requirement below share it.
  const practiceRead = read ? Promise.resolve(read.practice) : deps.models.Practice.findById(user.practiceId).lean().exec();
  const assessment = deps.mfa.assessSignIn({
    user, deviceId, ip: info.ip, request: appRequestFrom(details.params), session: { level: 'single-factor' }, readPractice: () => practiceRead,
    ...(read ? { seen: read.seen, trustedIp: read.trustedIp } : {}),
  });
  // A failure of the assessment still leaves the right password on record.
  const { decision } = await assessment.catch(async (err: unknown) => {
    await audit.record(succeeded);
    throw err;
  });
  // A code is needed: the sign-in is held on this interaction (signed in nowhere) and the code page
  // takes the login page's place; the code completes the `login` prompt (pending-sign-in.ts).
  // A user whose practice requires a passkey is held too, whatever the risk rules said.
  const phrDemanded = phrRequiredOfPractice(await practiceRead, user);
  if (decision.mfaRequired || phrDemanded) {
    await audit.record(succeeded);
    await holdForSecondFactor(details, user, !phrDemanded ? decision.reasons : decision.mfaRequired ? [...decision.reasons, 'phishing_resistant_required'] : ['phishing_resistant_required']);
    ctx.status = 303;
    return ctx.redirect(`/interaction/${details.uid}`);
  }

  const riskWaived = isRiskWaived(decision);
  const done = { acr: ACR_PASSWORD, amr: passwordAmr(riskWaived), reasons: decision.reasons, decision };
  // The whole decision (password right, code waived, signed in) in one append, in that order, and
  // nothing acts before it is stored.
  await audit.recordAll([succeeded, { ...info, ...about, event: 'mfa.waived', outcome: 'info', reasons: decision.reasons }, completedEntry(ctx, details, user, done)]);
  // A sign-in complete without a code (the rules asked for none) refills the lockout budgets
  // (compare-and-swap from the state the check read, when the login step read it).
  await lockout.success(user._id, prior?.lockStored);
  if (riskWaived && decision.reasons.includes('known_network')) {
    // Still the user's normal pattern: keep the device and network fresh.
    await Promise.all([deviceId ? deps.mfa.devices.touch(user._id, deviceId, info.ip) : undefined, deps.mfa.networks.record(user._id, info.ip)]);
  }
  await finishSignIn(ctx, details, deps, user, done);
}

export const loginStep: Step = {
  prompt: 'login',
  show: (ctx, details, deps) => showLogin(ctx, details, deps),
  actions: { login: submitLogin, passkey: (ctx, details, deps) => submitPasskey(ctx, details, deps, showLogin) },
};
