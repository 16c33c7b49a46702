// Proving a new phone number before it is saved: a 6-digit code (10 minutes, single use, burnt by
// the 5th wrong entry, src/mfa/otp/) sent by text message to that number. One pending verification
// per user (record `phone:<sub>` in the one-time-code collection), so the resend throttle holds
// across numbers too: a settings page cannot be used to text arbitrary numbers in bulk. The code's
// HMAC is bound to the purpose, the account and the number, so a code for one number never saves
// another (the number travels in the form; changing it only makes the code wrong).
import { t } from '../i18n/request.js';
import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/record.js';
import type { Config } from '../config/index.js';
import type { Mfa } from '../mfa/index.js';
import type { LockoutUser, LockStatus } from '../mfa/account-lockout.js';
import { DeliveryError } from '../mfa/channels/channel.js';
import { maskPhone } from '../mfa/channels/mask.js';
import { resolveOtpKey } from '../mfa/otp-key.js';
import { checkStoredCode } from '../mfa/stored-code.js';
import { canResend, codeBinding, CODE_TTL_MS, issueCode, type VerifyOutcome } from '../mfa/otp/index.js';
import { deleteIfExpired, unexpired } from '../store/models/expiry.js';
import type { Models } from '../store/models/index.js';

/** What this module needs from the composition root (src/app/). */
export interface AccountPhoneVerificationDeps {
  audit: AuditLog;
  config: Config;
  mfa: Mfa;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
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

const keys = new WeakMap<Models, Promise<Buffer>>();
const keyFor = (services: AccountPhoneVerificationDeps) => {
  let key = keys.get(services.models);
  if (!key) keys.set(services.models, (key = resolveOtpKey(services.config, services.models, services.now)));
  return key;
};

const recordId = (user: PhoneOwner) => `phone:${user.sub}`;
const binding = (user: PhoneOwner, phone: string) => codeBinding({ purpose: PURPOSE, accountId: user.sub, interactionId: phone });

/** Texts a fresh code to `phone` (E.164, already validated), unless the throttle says wait. */
export async function sendPhoneCode(services: AccountPhoneVerificationDeps, user: PhoneOwner, phone: string, where: RequestWhere): Promise<SendResult> {
  const { OtpChallenge } = services.models;
  const now = services.now();
  const existing = await OtpChallenge.findOne({ _id: recordId(user), ...unexpired(now) }).lean();
  const history = (existing?.sends ?? []).map((sent) => new Date(sent).getTime());
  const { retryAfterMs } = canResend(history, now);
  if (retryAfterMs > 0) return { status: 'throttled', retryInSeconds: Math.ceil(retryAfterMs / 1000) };
  const reservation = await services.mfa.codeMessages.reserve(user.sub);
  if (!reservation.allowed) return { status: 'capped', retryInSeconds: reservation.retryAfterSeconds };

  const { code, record } = issueCode({ randomBytes, key: await keyFor(services), binding: binding(user, phone), now });
  const sentAt = new Date(now);
  const fresh = {
    accountId: user.sub, channel: 'sms' as const, destination: maskPhone(phone), hash: record.hash, issuedAt: sentAt,
    codeExpiresAt: new Date(record.expiresAt), attempts: 0, expiresAt: new Date(now + RETENTION_MS),
  };
  if (!existing) {
    try {
      await deleteIfExpired(OtpChallenge, { _id: recordId(user) }, now);
      await OtpChallenge.create({ _id: recordId(user), ...fresh, sends: [sentAt], version: 0 });
    } catch (err) {
      await reservation.release();
      if ((err as { code?: number }).code !== 11000) throw err;
      return { status: 'throttled', retryInSeconds: 30 }; // a parallel request sent one
    }
  } else {
    const swapped = await OtpChallenge.findOneAndUpdate(
      { _id: recordId(user), version: existing.version },
      { $set: { ...fresh, version: existing.version + 1 }, $unset: { usedAt: 1, burnedAt: 1 }, $push: { sends: sentAt } },
    ).lean();
    if (!swapped) {
      await reservation.release();
      return { status: 'throttled', retryInSeconds: 30 };
    }
  }

  const audit = { practiceId: user.practiceId.toHexString(), userSub: user.sub, ip: where.ip, userAgent: where.userAgent };
  try {
    await services.mfa.channels.sms.send({
      kind: 'phone_verification_code', to: phone, code, expiresInMinutes: CODE_TTL_MS / 60_000,
      ...(where.practiceName ? { practiceName: where.practiceName } : {}),
    });
  } catch (err) {
    if (!(err instanceof DeliveryError)) throw err;
    if (err.code === 'timeout') {
      // It may still arrive: treated as sent (the code stays usable and the resend gap holds).
      await services.audit.record({ ...audit, event: 'mfa.code.delivery_failed', outcome: 'failure', reasons: ['timeout'], details: { channel: 'sms', destination: fresh.destination, purpose: PURPOSE, treatedAsSent: true } });
      return { status: 'sent' };
    }
    // A refused code does not count toward the resend gap (a corrected number can be tried at once);
    // it did count toward the user's cap on code messages.
    await OtpChallenge.updateOne({ _id: recordId(user) }, { $pull: { sends: sentAt }, $inc: { version: 1 }, $set: { burnedAt: sentAt } });
    await services.audit.record({ ...audit, event: 'mfa.code.delivery_failed', outcome: 'failure', reasons: [err.code], details: { channel: 'sms', destination: fresh.destination, purpose: PURPOSE } });
    return { status: 'delivery_failed', message: deliveryMessage(err) };
  }
  await services.audit.record({ ...audit, event: 'mfa.code.sent', outcome: 'success', details: { channel: 'sms', destination: fresh.destination, purpose: PURPOSE, resend: Boolean(existing) } });
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
  const { OtpChallenge } = services.models;
  const source = { ip: where.ip, deviceId: where.deviceId };
  const lock = await services.mfa.lockout.check(user, source);
  if (lock.locked) return { outcome: 'locked', attemptsLeft: 0, lock };
  const key = await keyFor(services);
  const checked = await checkStoredCode(OtpChallenge, { _id: recordId(user), accountId: user.sub }, { input, binding: () => binding(user, phone), key, now: services.now() });
  if (!checked) return { outcome: 'missing', attemptsLeft: 0 };
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

