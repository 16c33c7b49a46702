// Passwordless sign-in with a passkey (POST /interaction/:uid/passkey, from the sign-in page's
// button or the email field's autofill). The page's challenge is bound to this interaction, asks for
// user verification and names no credential: the authenticator offers its discoverable passkeys, and
// the answer names its credential and its user (userHandle). Then, in order, and every refusal the
// same sentence to the browser (no enumeration) with the challenge spent and the reason audited:
//   - the credential must exist and its userHandle be its own user's (not another user's);
//   - the person active somewhere, and the practice this sign-in enters (decided as after a password,
//     sign-in-practice.ts) allowing passwordless (src/accounts/passkey-policy.ts). A person in
//     several practices with nothing to decide by needs one that allows it; the chooser follows the
//     sign-in, and a practice chosen there that does not allow it asks for the password
//     (src/oidc/passwordless-check.ts);
//   - not locked out for this source (no check at all while locked, like every factor);
//   - the signature, origin, RP ID, challenge (single-use, our clock) and user verification checked,
//     the signature counter moving forward (a cloned authenticator is audited clone_suspected);
//     each of these failures counts toward the lockout like a wrong code.
// Success is phishing-resistant multi-factor (possession + the authenticator's PIN or biometric):
// acr phr, amr [hwk|swk, user, mfa] (passwordlessAmr). No password, but the device and network are still
// assessed and recorded (the risk reasons go on the success entry), as after any sign-in.
import type { Context } from 'koa';
import { joinMember } from '../accounts/memberships.js';
import { resolvePasskeyPolicy } from '../mfa/factors/passkey-policy.js';
import type { Member, Membership } from '../store/models/index.js';
import { ensureDeviceId, readDeviceId } from '../http/device-cookie.js';
import { formField } from '../http/middleware/form-body.js';
import { t } from '../i18n/request.js';
import { appRequestFrom } from '../mfa/app-request.js';
import { ACR_PHR } from '../mfa/risk/acr.js';
import { requestInfo, type InteractionDeps, type InteractionDetails } from './context.js';
import { completeSignIn } from './sign-in-outcome.js';
import { parseResponse, webauthnAmr } from './webauthn-step.js';
import { practiceForSignIn } from './sign-in-practice.js';

export type ShowLogin = (ctx: Context, details: InteractionDetails, deps: InteractionDeps, failure?: { email: string; message?: string; passkeyRefused?: boolean }) => Promise<void>;

/**
 * RFC 8176 methods of a passwordless passkey sign-in, as the second-factor path computes them
 * without `pwd`: `hwk` or `swk`, `user`, and `mfa` (the key held, and its user verified by the
 * authenticator: required here). No `pin`: the authenticator does not say whether a PIN or a
 * biometric verified its user (README, acr and amr).
 */
export function passwordlessAmr(deviceType: string | undefined): string[] {
  return webauthnAmr(deviceType);
}

/** Does the browser's userHandle name this user? (Registration sets the user handle to the sub.) */
export function userHandleMatches(userHandle: unknown, user: { sub: string }): boolean {
  return typeof userHandle === 'string' && Buffer.from(userHandle, 'base64url').toString('utf8') === user.sub;
}

export async function submitPasskey(ctx: Context, details: InteractionDetails, deps: InteractionDeps, showLogin: ShowLogin): Promise<void> {
  const info = requestInfo(ctx, details);
  const ip = info.ip ?? 'unknown';
  const boundTo = `interaction:${details.uid}`;
  const { webauthn } = deps.mfa.factors;
  // The same per-IP limit as failed passwords (spraying stolen credential ids costs the same).
  await deps.limits.check('signin_ip', ip, info);
  const response = parseResponse(formField(ctx.state, 'response'));
  const credential = response ? await webauthn.credentialNamed(response) : null;
  const identity = credential ? await deps.models.User.findById(credential.userId).lean() : null;
  const memberships = identity ? await deps.models.Membership.find({ userId: identity._id }).sort({ createdAt: 1, _id: 1 }).lean() : [];
  const active = memberships.filter((membership) => membership.status === 'active');
  const choice = identity ? await practiceForSignIn(deps, details, identity, active) : undefined;
  // The practices among the person's that allow a passkey alone.
  const allowing = await passwordlessPractices(deps, active);
  const entered = choice?.kind === 'entered' ? choice.membership : undefined;
  // Where the entries go: the practice entered, else the first that allows passwordless, else the
  // oldest active, else the oldest (a person active nowhere is still audited where they were).
  const home = entered ?? active.find((membership) => allowing.has(String(membership.practiceId))) ?? active[0] ?? memberships[0];
  const user: Member | null = identity && home ? joinMember(identity, home) : null;
  const about = user ? { ...info, practiceId: user.practiceId.toHexString(), userSub: user.sub } : info;

  const refuse = async (reason: string) => {
    await deps.audit.record({ ...about, event: 'signin.passkey.failed', outcome: 'failure', reasons: [reason], ...(credential ? { details: { name: credential.name } } : {}) });
    // Spent whatever the refusal (a no-op when the check already spent it, e.g. a malformed answer that stopped it before).
    await webauthn.discard(response, boundTo);
    await deps.limits.record('signin_ip', ip);
    return showLogin(ctx, details, deps, { email: '', message: t('signin:login.passkey_failed'), passkeyRefused: true });
  };
  if (!response) return refuse('not_verified');
  if (!credential || !identity) return refuse('unknown_credential');
  if (!userHandleMatches(response.response.userHandle, identity)) return refuse('wrong_user_handle');
  if (!user || !choice || choice.kind === 'none') return refuse('inactive_user');
  if (choice.kind === 'client_refused') return refuse('not_a_member');
  if (entered ? !allowing.has(String(entered.practiceId)) : allowing.size === 0) return refuse('passwordless_not_allowed');
  await deps.limits.consume('code_entry', `${user.sub}|${ip}`, about);
  const source = { ip: info.ip, deviceId: readDeviceId(ctx) };
  const lock = await deps.mfa.lockout.check(user, source);
  if (lock.locked) return refuse('account_locked');

  const result = await webauthn.authenticate(response, boundTo, user, { requireUserVerification: true });
  if (result.outcome !== 'ok') {
    await deps.mfa.lockout.failed(user, { ...source, from: lock.from }, info);
    return refuse(result.reason === 'counter' ? 'clone_suspected' : result.reason);
  }
  await deps.mfa.lockout.success(user._id);
  await finishPasswordless(ctx, details, deps, user, result.credential, result.userVerified, !entered);
}

/** The ids (hex) of these memberships' practices that allow passwordless sign-in. */
async function passwordlessPractices(deps: InteractionDeps, memberships: readonly Membership[]): Promise<Set<string>> {
  if (memberships.length === 0) return new Set();
  const practices = await deps.models.Practice.find({ _id: { $in: memberships.map((membership) => membership.practiceId) } }, { passkeyPolicy: 1 }).lean();
  return new Set(practices.filter((practice) => resolvePasskeyPolicy(practice.passkeyPolicy).passwordlessAllowed).map((practice) => String(practice._id)));
}

/** The device and network assessed and remembered as after any second factor; the sign-in finishes at phr. */
async function finishPasswordless(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: Member, credential: { name: string; deviceType?: string | null }, userVerified: boolean, practiceOpen: boolean) {
  const info = requestInfo(ctx, details);
  const about = { ...info, practiceId: user.practiceId.toHexString(), userSub: user.sub };
  const deviceId = ensureDeviceId(ctx, deps.secureCookies);
  // The device becomes known to the practice entered; with the chooser still to come, to none yet.
  const entered = practiceOpen ? null : user.practiceId;
  const [{ decision }, known] = await Promise.all([
    deps.mfa.assessSignIn({ user, deviceId, ip: info.ip, request: appRequestFrom(details.params), session: { level: 'single-factor' } }),
    deps.mfa.devices.isKnown(user._id, deviceId, entered ?? undefined),
  ]);
  await deps.audit.record({ ...about, event: 'signin.passkey.succeeded', outcome: 'success', reasons: decision.reasons, details: { name: credential.name, userVerified } });
  await Promise.all([deps.mfa.devices.remember(user._id, deviceId, info, entered), deps.mfa.networks.record(user._id, info.ip)]);
  if (!known) await deps.audit.record({ ...about, event: 'device.remembered', outcome: 'success' });
  await completeSignIn(ctx, details, deps, user, { acr: ACR_PHR, amr: passwordlessAmr(credential.deviceType ?? undefined), ...(practiceOpen ? { practiceOpen } : {}) });
}

