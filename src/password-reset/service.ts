// Password reset by emailed code: request → code → new password. The browser learns nothing about
// whether an address has an account: a request for an unknown or deactivated address does the same
// foreground work (throttle, lookup, code record, audit entry) and the email goes out after the
// response, so neither the page nor its timing differs. Reset never signs anyone in: the next
// sign-in goes through the password and the practice's second-factor rules as usual.
import type { Types } from 'mongoose';
import { changePassword, type PasswordChangeResult } from '../accounts/password-change.js';
import { checkPassword, type PasswordPolicy, type PasswordRule } from '../accounts/password-policy/index.js';
import { normalizeEmail } from '../accounts/email.js';
import type { UserDoc } from '../accounts/service.js';
import type { AuditInput } from '../audit/record.js';
import type { AccountService } from '../accounts/service.js';
import type { AuditLog } from '../audit/record.js';
import type { RateLimits } from '../security/rate-limits.js';
import type { Mfa } from '../mfa/index.js';
import { DeliveryError } from '../mfa/channels/channel.js';
import { CODE_TTL_MS } from '../mfa/otp/index.js';
import { claimVerifiedReset, createResetChallenge, findResetChallenge, NO_ACCOUNT, verifyResetCode, type ResetVerifyOutcome } from './reset-challenge.js';

import type { Models } from '../store/models/index.js';
import type { Config } from '../config/index.js';
import type Provider from 'oidc-provider';
import type { Logger } from '../observability/logger.js';
/** What this module needs from the composition root (src/app/). */
export interface PasswordResetServiceDeps {
  accounts: AccountService;
  audit: AuditLog;
  limits: RateLimits;
  mfa: Mfa;
  config: Config;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
  /** The current provider (rebuilt when signing keys rotate). */
  provider: () => Provider;
  logger: Logger;
}

export interface RequestInfo {
  ip?: string;
  userAgent?: string;
  /** The browser's device cookie (smart lockout: is this a familiar source?). */
  deviceId?: string | undefined;
}

const about = (info: RequestInfo, user?: { sub: string; practiceId: Types.ObjectId }): Pick<AuditInput, 'ip' | 'userAgent' | 'userSub' | 'practiceId'> => ({
  ...(info.ip ? { ip: info.ip } : {}),
  ...(info.userAgent ? { userAgent: info.userAgent } : {}),
  ...(user ? { userSub: user.sub, practiceId: user.practiceId.toHexString() } : {}),
});

/**
 * Starts a reset for `email` in the browser holding `token`. Throws RateLimitedError (429) past the
 * per-IP or per-address limit: both count every request, whether the address exists or not.
 */
export async function requestReset(services: PasswordResetServiceDeps, token: string, email: string, info: RequestInfo): Promise<void> {
  const address = normalizeEmail(email);
  await services.limits.consume('reset_ip', info.ip ?? 'unknown', about(info));
  await services.limits.consume('reset_address', address, about(info));

  const found = await services.accounts.findUserByEmail(address);
  const user = found?.active ? found : undefined;
  const code = await createResetChallenge(services, token, address, user?.sub);
  await services.audit.record({
    ...about(info, found ?? undefined),
    event: 'password.reset.requested',
    outcome: user ? 'success' : 'failure',
    ...(user ? {} : { reasons: [found ? 'inactive_user' : 'unknown_user'] }),
  });
  // After the response: delivery time (or a dead mail server), and whether the user's cap on code
  // messages let the email go, must not show in the answer.
  if (user) void deliverCode(services, user, code, info);
}

async function deliverCode(services: PasswordResetServiceDeps, user: UserDoc, code: string, info: RequestInfo): Promise<void> {
  try {
    const reservation = await services.mfa.codeMessages.reserve(user.sub);
    if (!reservation.allowed) {
      await services.audit.record({ ...about(info, user), event: 'password.reset.failed', outcome: 'failure', reasons: ['code_messages_capped'] });
      return;
    }
    const practice = await services.accounts.findPractice(user.practiceId);
    await services.mfa.channels.email.send({
      kind: 'reset_code', to: user.email, code, expiresInMinutes: CODE_TTL_MS / 60_000,
      ...(practice?.name ? { practiceName: practice.name } : {}),
    });
  } catch (err) {
    const reason = err instanceof DeliveryError ? err.code : 'send_failed';
    services.logger.warn('password reset code not sent', { reason: err instanceof DeliveryError ? err.message : (err as Error)?.name });
    await services.audit.record({ ...about(info, user), event: 'password.reset.failed', outcome: 'failure', reasons: ['delivery_failed', reason] })
      .catch((auditErr: Error) => services.logger.error('audit of a failed reset delivery not written', { reason: auditErr.message }));
  }
}

/**
 * Checks the typed code; failures are audited (with the account only when there is one). A wrong
 * code is a failed secret: it counts toward the account's lockout (src/mfa/account-lockout.ts), and
 * while the account is locked no code is accepted (answered like a wrong one).
 */
export async function submitResetCode(services: PasswordResetServiceDeps, token: string, input: string, info: RequestInfo): Promise<{ outcome: ResetVerifyOutcome; attemptsLeft: number }> {
  const challenge = await findResetChallenge(services, token);
  const owner = challenge && challenge.accountId !== NO_ACCOUNT ? await services.accounts.findUserBySub(challenge.accountId) : null;
  const source = { ip: info.ip, deviceId: info.deviceId };
  const lock = owner ? await services.mfa.lockout.check(owner, source) : undefined;
  const result = await verifyResetCode(services, token, input, lock?.locked ?? false);
  if (owner && lock && !lock.locked && result.outcome === 'wrong') {
    await services.mfa.lockout.failed(owner, { ...source, from: lock.from }, about(info));
  }
  if (result.outcome !== 'ok' && result.outcome !== 'malformed') {
    const user = result.accountId && result.accountId !== NO_ACCOUNT ? owner : null;
    const reasons = [`${result.outcome}_code`, ...(result.outcome === 'wrong' && result.attemptsLeft === 0 ? ['code_burned'] : [])];
    await services.audit.record({ ...about(info, user ?? undefined), event: 'password.reset.failed', outcome: 'failure', reasons });
  }
  return { outcome: result.outcome, attemptsLeft: result.attemptsLeft };
}

/** The account a verified reset is for, when it is still usable (active). */
export async function resetAccount(services: PasswordResetServiceDeps, accountId: string): Promise<UserDoc | undefined> {
  if (accountId === NO_ACCOUNT) return undefined;
  const user = await services.accounts.findUserBySub(accountId);
  return user?.active ? user : undefined;
}

export type CompleteResult =
  | { status: 'done'; change: PasswordChangeResult }
  | { status: 'weak'; unmet: PasswordRule[]; policy: PasswordPolicy }
  | { status: 'gone' };

/**
 * Sets the new password of a verified reset. A password the policy refuses leaves the reset as it
 * was (the person tries again); an accepted one takes the reset for good before changing anything.
 */
export async function completeReset(services: PasswordResetServiceDeps, token: string, user: UserDoc, password: string, info: RequestInfo): Promise<CompleteResult> {
  // One password for every practice: the strictest of the person's policies.
  const { policy } = await services.accounts.passwordPolicyForUser(user._id);
  const { ok, unmet } = checkPassword(password, policy, { name: user.name, email: user.email });
  if (!ok) {
    await services.audit.record({ ...about(info, user), event: 'password.reset.failed', outcome: 'failure', reasons: ['weak_password', ...unmet] });
    return { status: 'weak', unmet, policy };
  }
  const claimed = await claimVerifiedReset(services, token);
  if (claimed !== user.sub) {
    await services.audit.record({ ...about(info, user), event: 'password.reset.failed', outcome: 'failure', reasons: ['reset_expired'] });
    return { status: 'gone' };
  }
  const change = await changePassword(services, { user, newPassword: password, reason: 'reset', ...info });
  return { status: 'done', change };
}
