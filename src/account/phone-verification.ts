// Proving a new phone number before it is saved: a 6-digit code (10 minutes, single use, burnt by
// the 5th wrong entry, src/mfa/otp/) sent by text message to that number. One pending verification
// per user (record `phone:<sub>` in the one-time-code collection), so the resend throttle holds
// across numbers too: a settings page cannot be used to text arbitrary numbers in bulk. The code's
// HMAC is bound to the purpose, the account and the number, so a code for one number never saves
// another (the number travels in the form; changing it only makes the code wrong).
// Issuing, resending, delivering and checking is the shared code challenge (src/mfa/code-challenge.ts).
import { t } from '../i18n/request.js';
import type { AuditLog } from '../audit/record.js';
import type { Mfa } from '../mfa/index.js';
import type { LockoutUser, LockStatus } from '../mfa/account-lockout.js';
import type { DeliveryError } from '../mfa/channels/channel.js';
import { maskPhone } from '../mfa/channels/mask.js';
import { CODE_TTL_MS, type VerifyOutcome } from '../mfa/otp/index.js';

/** What this module needs from the composition root (src/app/). */
export interface AccountPhoneVerificationDeps {
  audit: AuditLog;
  mfa: Pick<Mfa, 'challenges' | 'channels' | 'lockout'>;
}

const PURPOSE = 'phone-verification';
const RETENTION_MS = 60 * 60_000;


export type PhoneOwner = LockoutUser;

export interface RequestWhere {
  ip?: string;
  userAgent?: string;
  practiceName?: string;
  /** The browser's device cookie (smart lockout: is this a familiar source?). */
  deviceId?: string | undefined;
}

export type SendResult =
  | { status: 'sent' }
  | { status: 'throttled'; retryInSeconds: number }
  /** The user's cap on code messages is reached (src/mfa/code-message-cap.ts). */
  | { status: 'capped'; retryInSeconds: number }
  | { status: 'delivery_failed'; message: string };

const recordId = (user: PhoneOwner) => `phone:${user.sub}`;
const binding = (user: PhoneOwner, phone: string) => ({ purpose: PURPOSE, accountId: user.sub, interactionId: phone } as const);

/** Texts a fresh code to `phone` (E.164, already validated), unless the throttle or the cap says wait. */
export async function sendPhoneCode(services: AccountPhoneVerificationDeps, user: PhoneOwner, phone: string, where: RequestWhere): Promise<SendResult> {
  const { challenges } = services.mfa;
  const destination = maskPhone(phone);
  const issued = await challenges.issue({ id: recordId(user), binding: binding(user, phone), channel: 'sms', destination, retentionMs: RETENTION_MS, reserveMessage: true });
  if (issued.status === 'throttled') return { status: 'throttled', retryInSeconds: Math.ceil(issued.retryAfterMs / 1000) };
  if (issued.status === 'capped') return { status: 'capped', retryInSeconds: issued.retryAfterSeconds };

  const audit = { practiceId: user.practiceId.toHexString(), userSub: user.sub, ip: where.ip, userAgent: where.userAgent };
  const send = () => services.mfa.channels.sms.send({
    kind: 'phone_verification_code', to: phone, code: issued.code, expiresInMinutes: CODE_TTL_MS / 60_000,
    ...(where.practiceName ? { practiceName: where.practiceName } : {}),
  });
  // A refused text burns its code: there is no other channel to offer, and a corrected number gets a new one at once.
  const delivered = await challenges.deliver(recordId(user), issued, 'sms', send, 'burn');
  if (delivered.status === 'timeout') {
    await services.audit.record({ ...audit, event: 'mfa.code.delivery_failed', outcome: 'failure', reasons: ['timeout'], details: { channel: 'sms', destination, purpose: PURPOSE, treatedAsSent: true } });
    return { status: 'sent' };
  }
  if (delivered.status === 'refused') {
    await services.audit.record({ ...audit, event: 'mfa.code.delivery_failed', outcome: 'failure', reasons: [delivered.error.code], details: { channel: 'sms', destination, purpose: PURPOSE } });
    return { status: 'delivery_failed', message: deliveryMessage(delivered.error) };
  }
  await services.audit.record({ ...audit, event: 'mfa.code.sent', outcome: 'success', details: { channel: 'sms', destination, purpose: PURPOSE, resend: issued.resend } });
  return { status: 'sent' };
}

export interface CheckResult {
  outcome: VerifyOutcome | 'missing' | 'locked';
  attemptsLeft: number;
  lock?: LockStatus;
}

/**
 * Checks a typed code for `phone`; a wrong one counts toward burning the code and toward the
 * account's lockout, like any failed secret. While the account is locked nothing is checked.
 */
export async function checkPhoneCode(services: AccountPhoneVerificationDeps, user: PhoneOwner, phone: string, input: string, where: RequestWhere): Promise<CheckResult> {
  const source = { ip: where.ip, deviceId: where.deviceId };
  const lock = await services.mfa.lockout.check(user, source);
  if (lock.locked) return { outcome: 'locked', attemptsLeft: 0, lock };
  const checked = await services.mfa.challenges.check(recordId(user), input, () => binding(user, phone), user.sub);
  if (checked.outcome === 'missing') return { outcome: 'missing', attemptsLeft: 0 };
  if (checked.outcome !== 'ok' && checked.outcome !== 'malformed') {
    await services.audit.record({
      practiceId: user.practiceId.toHexString(), userSub: user.sub, ip: where.ip, userAgent: where.userAgent,
      event: 'mfa.code.failed', outcome: 'failure', reasons: [`${checked.outcome}_code`], details: { purpose: PURPOSE, attemptsLeft: checked.attemptsLeft },
    });
  }
  if (checked.outcome === 'wrong') {
    const failure = await services.mfa.lockout.failed(user, { ...source, from: lock.from }, { ...(where.ip ? { ip: where.ip } : {}), ...(where.userAgent ? { userAgent: where.userAgent } : {}) });
    if (failure.locked) return { outcome: 'locked', attemptsLeft: 0, lock: failure };
  }
  return { outcome: checked.outcome, attemptsLeft: checked.attemptsLeft };
}

function deliveryMessage(err: DeliveryError): string {
  if (err.code === 'invalid_recipient') return t('account:phone.cannot_receive');
  if (err.code === 'not_configured') return t('account:phone.not_configured');
  return t('account:phone.not_sent');
}

