// MFA step: the one-time code, for a new sign-in held after its password (the `login` prompt still
// pending: pending-sign-in.ts) and for a step-up of an existing sign-in (the `mfa` prompt). Entering
// the step sends a code by the user's channel (SMS when they
// chose it and have a phone, else email) and records why it was asked. The page takes the code,
// sends a new one (throttled), or switches channel when the user has both. On success the browser
// becomes a known device, the network joins the user's normal pattern, and the sign-in finishes
// with the MFA acr and amr (auth_time = now, the time of the last factor).
import { allowScripts, jsonForPage, scriptNonce } from '../http/middleware/webauthn-scripts.js';
import { ACR_MFA, ACR_PHR, secondFactorAmr } from '../mfa/risk/acr.js';
import type { Context } from 'koa';
import type { UserDoc } from '../accounts/service.js';
import { appError } from '../errors.js';
import { ensureDeviceId, readDeviceId } from '../http/device-cookie.js';
import { formField } from '../http/middleware/form-body.js';
import { needsPracticeLanguage, t, usePracticeLanguage } from '../i18n/request.js';
import type { ChannelName } from '../mfa/channels/channel.js';
import type { TypedFactor } from '../mfa/factors/factor.js';
import { RISK_REASON_TEXT, type RiskReason } from '../mfa/risk/index.js';
import type { LockStatus } from '../mfa/account-lockout.js';
import type { ChallengeView, IssueResult, VerifyResult } from '../mfa/service.js';
import { endBrowserSession } from '../sessions/end-sessions.js';
import { requestInfo, type InteractionDeps, type InteractionDetails, type Step } from './context.js';
import { mfaNotice, type Notice } from './mfa-messages.js';
import { factorChoice, typedFactorNamed } from './factor-choice.js';
import { dropPendingSignIn, pendingSignIn, samePassword } from './pending-sign-in.js';
import { completeSignIn, lockedMessage, practiceZone } from './sign-in-outcome.js';
import { renderPage } from '../http/page.js';
import { practiceBrand, practiceOfUser } from './practice-brand.js';
import { verifyTypedFactor } from './typed-factor.js';
import { verifyWebauthn } from './webauthn-step.js';
import { joinMember } from '../accounts/memberships.js';
import { allowEnrolment, enrolmentAllowed, registerPasskey, showEnrolment } from './passkey-enrolment.js';

/**
 * Whose code this is: the user whose password this interaction holds (a new sign-in, signed in
 * nowhere yet), or the session's user (a step-up of an existing sign-in). A password changed or an
 * account deactivated since the password step ends the attempt.
 */
async function signingInUser(deps: InteractionDeps, details: InteractionDetails): Promise<UserDoc> {
  const pending = pendingSignIn(details);
  const identity = await deps.models.User.findOne({ sub: pending?.accountId ?? details.session?.accountId });
  // The practice being entered: the held sign-in's, or the one the step-up prompt assessed.
  const practiceId = pending?.practiceId ?? (details.prompt.details as { practiceId?: string }).practiceId;
  const membership = identity && practiceId && /^[0-9a-f]{24}$/.test(practiceId) ? await deps.models.Membership.findOne({ userId: identity._id, practiceId }).lean() : null;
  const user = identity && membership ? joinMember(identity, membership) : null;
  if (!user?.active || (pending && !samePassword(pending, user))) throw appError('interaction_ended', { detail: 'mfa step without an active user' });
  // The user is known now: their practice's language, when neither the app nor the browser named one.
  if (needsPracticeLanguage()) usePracticeLanguage((await practiceOfUser(deps.models, user))?.language);
  return user;
}

/** The audit context of a refused request: the user is known at this step. */
const aboutUser = (ctx: Context, details: InteractionDetails, user: UserDoc) =>
  ({ ...requestInfo(ctx, details), userSub: user.sub, practiceId: user.practiceId.toHexString() });

/** Why the risk rules asked: the held sign-in's decision, or the step-up prompt's. */
const reasonsAsked = (details: InteractionDetails): RiskReason[] =>
  pendingSignIn(details)?.reasons ?? (details.prompt.details as { reasons?: RiskReason[] }).reasons ?? [];

const hasOther = async (deps: InteractionDeps, user: UserDoc) => (await factorChoice(deps, user)).usable.length > 1;
const choiceFor = (deps: InteractionDeps, details: InteractionDetails, user: UserDoc) => factorChoice(deps, user, details.params);

async function practiceName(deps: InteractionDeps, user: UserDoc): Promise<string | undefined> {
  return (await practiceOfUser(deps.models, user))?.name;
}

/**
 * The code page: for a sent code (`view`), or for a typed factor (`typed`: authenticator app,
 * recovery code). "Try another way" lists every other factor the user holds that the practice allows.
 */
async function render(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, view: ChallengeView | undefined, notice?: Notice, typed?: TypedFactor | 'webauthn') {
  const choice = await choiceFor(deps, details, user);
  const reasons = reasonsAsked(details).filter((reason) => reason in RISK_REASON_TEXT);
  // A passkey or security key: the options (a fresh challenge bound to this interaction) go on the
  // page with the one script that runs the ceremony; nothing else on the page.
  const ceremony = typed === 'webauthn' || (choice.phr && !typed);
  const current = ceremony ? 'webauthn' : typed && typed !== 'webauthn' ? typed.name : view?.channel;
  const nonce = ceremony ? scriptNonce() : undefined;
  const webauthn = ceremony && choice.usable.some((factor) => factor.name === 'webauthn')
    ? { optionsJson: jsonForPage(await deps.mfa.factors.webauthn.authenticationOptions(`interaction:${details.uid}`, user)), nonce }
    : undefined;
  if (ceremony) typed = undefined;
  view = ceremony || typed ? undefined : view;
  renderPage(ctx, deps.render, 'mfa', {
    webauthn,
    phr: choice.phr,
    title: t('signin:code.title'),
    uid: details.uid,
    typed: typed && typed !== 'webauthn' ? { name: typed.name, ...typed.input } : undefined,
    channel: typed ? undefined : view?.channel,
    destination: typed ? undefined : view?.destination,
    codeUsable: !typed && view?.state === 'active' && !view.deliveryFailed,
    others: choice.usable.filter((factor) => factor.name !== current).map(({ name, label, family }) => ({ name, label, family })),
    why: reasons.map((reason) => t(`signin:why.${reason}`)),
    notice,
    ...(await practiceBrand(deps.models, user)),
  }, notice?.status ?? 200);
  if (nonce) allowScripts(ctx, nonce);
}

async function locked(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, view: ChallengeView | undefined, lock: LockStatus) {
  await render(ctx, details, deps, user, view && { ...view, state: 'burned' }, { kind: 'error', text: lockedMessage(lock.retryAt, deps.now(), lock.reason, await practiceZone(deps, user)), status: 423 });
}

/** Where this request comes from, for the smart lockout (familiar device or network, or not). */
const sourceOf = (ctx: Context, details: InteractionDetails) => ({ ip: requestInfo(ctx, details).ip, deviceId: readDeviceId(ctx) });

async function send(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, channel: ChannelName): Promise<IssueResult> {
  return deps.mfa.codes.issue(details.uid, user, channel, { ...requestInfo(ctx, details), practiceName: await practiceName(deps, user) });
}

async function showMfa(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  const user = await signingInUser(deps, details);
  const lock = await deps.mfa.lockout.check(user, sourceOf(ctx, details));
  const existing = await deps.mfa.codes.challenge(details.uid, user);
  if (lock.locked) return locked(ctx, details, deps, user, existing, lock);
  // A factor was proven by a user who must register a passkey first (passkey-enrolment.ts).
  if (enrolmentAllowed(details, user) && (await choiceFor(deps, details, user)).enrolPasskey) return showEnrolment(ctx, details, deps, user);
  // A typed factor or passkey asked for by "Try another way" (?factor=), or the user's default when
  // no code was sent yet; only a passkey when the app demands the phishing-resistant level.
  const choice = await choiceFor(deps, details, user);
  const ceremonyAsked = choice.phr || ctx.query.factor === 'webauthn' || (!existing && !ctx.query.factor && choice.usable[0]?.name === 'webauthn');
  const typed = ceremonyAsked && choice.usable.some((factor) => factor.name === 'webauthn') ? 'webauthn' as const
    : typedFactorNamed(choice, ctx.query.factor) ?? (existing ? undefined : typedFactorNamed(choice, choice.usable[0]?.name));
  if (choice.phr) return render(ctx, details, deps, user, undefined, undefined, 'webauthn');
  if (typed && (existing || ctx.query.factor)) return render(ctx, details, deps, user, existing, undefined, typed);
  if (existing) return render(ctx, details, deps, user, existing);

  // First visit: record why a second factor is asked (before acting on it), then send the code
  // (or show the user's default typed factor).
  const reasons = reasonsAsked(details);
  await deps.audit.record({ ...requestInfo(ctx, details), event: 'mfa.required', outcome: 'info', practiceId: user.practiceId.toHexString(), userSub: user.sub, reasons });
  if (typed) return render(ctx, details, deps, user, undefined, undefined, typed);
  const result = await send(ctx, details, deps, user, choice.channels[0] ?? 'email');
  await render(ctx, details, deps, user, result.view, mfaNotice.issued(result, false, await hasOther(deps, user)));
}

async function resend(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  const user = await signingInUser(deps, details);
  const lock = await deps.mfa.lockout.check(user, sourceOf(ctx, details));
  const current = await deps.mfa.codes.challenge(details.uid, user);
  if (lock.locked) return locked(ctx, details, deps, user, current, lock);
  const asked = formField(ctx.state, 'channel');
  // Only channels the practice allows: a form naming another one gets the user's allowed channel.
  // None at all when the app demands a passkey: no code is sent.
  const { channels: allowed, phr } = await choiceFor(deps, details, user);
  if (phr) return render(ctx, details, deps, user, undefined, undefined, 'webauthn');
  const channel = allowed.find((name) => name === asked) ?? allowed.find((name) => name === current?.channel) ?? allowed[0] ?? 'email';
  const result = await send(ctx, details, deps, user, channel);
  // The other channel has just failed too: offering it again would not help; say so plainly.
  const bothFailed = result.status === 'delivery_failed' && current?.deliveryFailed !== undefined && current.deliveryFailed !== channel;
  await render(ctx, details, deps, user, result.view, mfaNotice.issued(result, true, (await hasOther(deps, user)) && !bothFailed));
}

async function verify(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  const user = await signingInUser(deps, details);
  // A sent code is weaker than a passkey: never checked when the app demands the phishing-resistant level.
  if ((await choiceFor(deps, details, user)).phr) return render(ctx, details, deps, user, undefined, undefined, 'webauthn');
  const about = aboutUser(ctx, details, user);
  await deps.limits.consume('code_entry', `${user.sub}|${about.ip ?? 'unknown'}`, about);
  const info = requestInfo(ctx, details);
  const result: VerifyResult = await deps.mfa.codes.verify(details.uid, user, formField(ctx.state, 'code'), { ...info, deviceId: readDeviceId(ctx) });
  const view = await deps.mfa.codes.challenge(details.uid, user);
  if (result.outcome !== 'ok') {
    if (result.lock.locked) return locked(ctx, details, deps, user, view, result.lock);
    return render(ctx, details, deps, user, view, mfaNotice.refused(result));
  }

  await complete(ctx, details, deps, user, secondFactorAmr(view?.channel ?? 'email'));
}

/** A second factor was given: the browser becomes a known device, the network joins the user's pattern, the sign-in finishes at the MFA level. */
async function complete(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc, amr: string[], acr: string = ACR_MFA) {
  // The practice requires a passkey this user does not hold: the factor only opens its registration.
  if (acr !== ACR_PHR && (await choiceFor(deps, details, user)).enrolPasskey) {
    await allowEnrolment(details, user);
    ctx.status = 303;
    return ctx.redirect(`/interaction/${details.uid}`);
  }
  const info = requestInfo(ctx, details);
  const deviceId = ensureDeviceId(ctx, deps.secureCookies);
  // Known to the practice entered (its tag on the device, src/mfa/known-devices.ts).
  const known = await deps.mfa.devices.isKnown(user._id, deviceId, user.practiceId);
  await Promise.all([
    deps.mfa.devices.remember(user._id, deviceId, info, user.practiceId),
    deps.mfa.networks.record(user._id, info.ip),
  ]);
  if (!known) await deps.audit.record({ ...info, event: 'device.remembered', outcome: 'success', practiceId: user.practiceId.toHexString(), userSub: user.sub });
  await completeSignIn(ctx, details, deps, user, { acr, amr });
}

/**
 * "Use another account" (a shared workstation): the previous person's attempt is dropped with its
 * code, and a step-up's session (the previous person's sign-in in this browser) is signed out like
 * a sign-out; then the same app request shows the empty sign-in page.
 */
async function anotherAccount(ctx: Context, details: InteractionDetails, deps: InteractionDeps) {
  const { session } = details;
  if (!pendingSignIn(details) && session?.uid && session.accountId) {
    const user = await deps.models.SessionActivity.findOne({ _id: session.uid, accountId: session.accountId }, { practiceId: 1 }).lean();
    const ended = await endBrowserSession(deps.provider(), deps.models, { uid: session.uid, accountId: session.accountId });
    await deps.audit.record({
      ...requestInfo(ctx, details), event: 'session.logout', outcome: 'success', userSub: session.accountId,
      ...(user ? { practiceId: user.practiceId.toHexString() } : {}), reasons: ['another_account'], details: { ...ended },
    });
    // The interaction no longer belongs to that session: the sign-in starts from nothing.
    delete details.session;
    delete details.grantId;
    details.prompt = { name: 'login', reasons: ['no_session'], details: {} };
  }
  delete details.params.login_hint;
  await dropPendingSignIn(details, deps.models);
  ctx.status = 303;
  ctx.redirect(`/interaction/${details.uid}`);
}

export const mfaStep: Step = {
  prompt: 'mfa',
  show: showMfa,
  actions: {
    verify,
    resend,
    'verify-factor': (ctx, details, deps) => verifyTypedFactor(ctx, details, deps, {
      user: signingInUser,
      show: (c, d, dp, user, factor, notice) => render(c, d, dp, user, undefined, notice, factor),
      locked: (c, d, dp, user, lock) => locked(c, d, dp, user, undefined, lock),
      complete,
    }),
    'verify-webauthn': (ctx, details, deps) => verifyWebauthn(ctx, details, deps, {
      user: signingInUser,
      show: (c, d, dp, user, notice) => render(c, d, dp, user, undefined, notice, 'webauthn'),
      locked: (c, d, dp, user, lock) => locked(c, d, dp, user, undefined, lock),
      complete,
    }),
    'register-passkey': async (ctx, details, deps) => {
      const user = await signingInUser(deps, details);
      if (enrolmentAllowed(details, user) && (await choiceFor(deps, details, user)).enrolPasskey) return registerPasskey(ctx, details, deps, user);
      ctx.status = 303;
      ctx.redirect(`/interaction/${details.uid}`);
    },
    'another-account': anotherAccount,
  },
};
