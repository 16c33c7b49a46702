// What every second factor the user types or presents on the sign-in pages goes through, the same
// for an authenticator-app code, a recovery code and a passkey: first the code-entry limit (per
// account and address), then no check at all while the account is locked for this source; a
// refused factor is audited as `mfa.factor.failed` and counted toward the lockout.
import type { Context } from 'koa';
import type { UserDoc } from '../accounts/service.js';
import { readDeviceId } from '../http/device-cookie.js';
import type { Familiarity, FailureOutcome, LockStatus } from '../mfa/account-lockout.js';
import { requestInfo, type InteractionDeps, type InteractionDetails } from './context.js';

export interface FactorAttempt {
  /** The request's address, browser and app. */
  info: ReturnType<typeof requestInfo>;
  /** What every audit entry of this attempt carries. */
  about: ReturnType<typeof requestInfo> & { userSub: string; practiceId: string };
  source: { ip?: string; deviceId?: string };
  /** The account's lock for this source before the attempt: when locked, check nothing. */
  lock: LockStatus & { from: Familiarity };
}

/** Counts the attempt against the code-entry limit (429 past it) and reads the account's lock. */
export async function startFactorAttempt(ctx: Context, details: InteractionDetails, deps: InteractionDeps, user: UserDoc): Promise<FactorAttempt> {
  const info = requestInfo(ctx, details);
  const about = { ...info, userSub: user.sub, practiceId: user.practiceId.toHexString() };
  await deps.limits.consume('code_entry', `${user.sub}|${info.ip ?? 'unknown'}`, about);
  const source = { ip: info.ip, deviceId: readDeviceId(ctx) };
  const lock = await deps.mfa.lockout.check(user, source);
  return { info, about, source, lock };
}

/** A refused factor: audited with its reasons, counted toward the lockout; the lock after it. */
export async function refuseFactor(deps: InteractionDeps, user: UserDoc, attempt: FactorAttempt, refusal: { reasons: string[]; details: Record<string, unknown> }): Promise<FailureOutcome> {
  await deps.audit.record({ ...attempt.about, event: 'mfa.factor.failed', outcome: 'failure', reasons: refusal.reasons, details: refusal.details });
  return deps.mfa.lockout.failed(user, { ...attempt.source, from: attempt.lock.from }, attempt.info);
}
