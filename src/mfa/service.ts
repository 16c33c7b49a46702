// The MFA I/O edge over the pure otp rules: issue a code for one interaction and send it, resend or
// switch channel (throttled), verify what the user typed, and count failures toward the account
// lockout. Everything lives in the store and every change is a compare-and-swap on the challenge's
// `version`, so a second instance or a restart changes nothing and no attempt is lost.
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { AuditLog } from '../audit/record.js';
import { deleteIfExpired, unexpired } from '../store/models/expiry.js';
import type { Models } from '../store/models/index.js';
import type { OtpChallenge } from '../store/models/otp-challenge.js';
import type { AccountLockout, LockStatus } from './account-lockout.js';
import { destinationOf, type Reachable } from './channel-choice.js';
import { DeliveryError, type ChannelName } from './channels/channel.js';
import type { Channels } from './channels/registry.js';
import { canResend, codeBinding, CODE_TTL_MS, issueCode, MAX_ATTEMPTS, type VerifyOutcome } from './otp/index.js';
import { checkStoredCode, codeRecordOf } from './stored-code.js';

/** Kept well past the interaction's own 30 minutes, so the resend window outlives a retry. */
const CHALLENGE_RETENTION_MS = 60 * 60_000;

export interface MfaUser extends Reachable {
  _id: Types.ObjectId;
  sub: string;
  practiceId: Types.ObjectId;
}

/** Who and where, for the audit log and the message. */
export interface RequestInfo {
  ip?: string;
  userAgent?: string;
  clientId?: string;
  practiceName?: string;
}

export interface ChallengeView {
  channel: ChannelName;
  destination: string;
  state: 'active' | 'expired' | 'burned' | 'used';
  attemptsLeft: number;
  deliveryFailed?: ChannelName;
  /** 0 when a new code may be sent now. */
  resendInMs: number;
}

export type IssueResult =
  | { status: 'sent'; view: ChallengeView }
  | { status: 'throttled'; view: ChallengeView }
  | { status: 'delivery_failed'; message: string; view: ChallengeView };

export type VerifyResult =
  | { outcome: Exclude<VerifyOutcome, 'wrong'> | 'missing'; attemptsLeft: number; lock: LockStatus }
  | { outcome: 'wrong'; attemptsLeft: number; lock: LockStatus };

export interface MfaServiceDeps {
  models: Models;
  channels: Channels;
  key: Uint8Array;
  now: () => number;
  audit: AuditLog;
  lockout: AccountLockout;
  randomBytes?: (n: number) => Uint8Array;
}

export type MfaService = ReturnType<typeof createMfaService>;

export function createMfaService({ models, channels, key, now, audit, lockout, randomBytes = cryptoRandomBytes }: MfaServiceDeps) {
  const { OtpChallenge } = models;
  const bindingFor = (uid: string, user: MfaUser) => codeBinding({ purpose: 'sign-in', accountId: user.sub, interactionId: uid });
  const find = (uid: string, user: MfaUser) => OtpChallenge.findOne({ _id: uid, accountId: user.sub, ...unexpired(now()) }).lean();
  const auditBase = (user: MfaUser, info: RequestInfo) => ({
    practiceId: user.practiceId.toHexString(), userSub: user.sub, ip: info.ip, userAgent: info.userAgent, clientId: info.clientId,
  });

  function view(doc: OtpChallenge): ChallengeView {
    const record = codeRecordOf(doc);
    const state = record.usedAt !== undefined ? 'used'
      : record.burnedAt !== undefined || record.attempts >= MAX_ATTEMPTS ? 'burned'
        : now() >= record.expiresAt ? 'expired' : 'active';
    return {
      channel: doc.channel,
      destination: doc.destination,
      state,
      attemptsLeft: Math.max(0, MAX_ATTEMPTS - record.attempts),
      ...(doc.deliveryFailed ? { deliveryFailed: doc.deliveryFailed } : {}),
      resendInMs: canResend(doc.sends.map((sent) => new Date(sent).getTime()), now()).retryAfterMs,
    };
  }

  /** Sends a fresh code by `channel` (the first, a resend or a switch). Throttled except for the first. */
  async function issue(uid: string, user: MfaUser, channel: ChannelName, info: RequestInfo): Promise<IssueResult> {
    const existing = await find(uid, user);
    if (existing && view(existing).resendInMs > 0) return { status: 'throttled', view: view(existing) };
    const { code, record } = issueCode({ randomBytes, key, binding: bindingFor(uid, user), now: now() });
    const { to, masked } = destinationOf(user, channel);
    const sentAt = new Date(record.issuedAt);
    const fresh = {
      accountId: user.sub, channel, destination: masked, hash: record.hash, issuedAt: sentAt,
      codeExpiresAt: new Date(record.expiresAt), attempts: 0, expiresAt: new Date(record.issuedAt + CHALLENGE_RETENTION_MS),
    };

    if (!existing) {
      try {
        await deleteIfExpired(OtpChallenge, { _id: uid }, now());
        await OtpChallenge.create({ _id: uid, ...fresh, sends: [sentAt], version: 0 });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
        return { status: 'throttled', view: view((await find(uid, user))!) }; // a parallel request issued it
      }
    } else {
      const swapped = await OtpChallenge.findOneAndUpdate(
        { _id: uid, accountId: user.sub, version: existing.version },
        { $set: { ...fresh, version: existing.version + 1 }, $unset: { usedAt: 1, burnedAt: 1, deliveryFailed: 1 }, $push: { sends: sentAt } },
      ).lean();
      if (!swapped) return { status: 'throttled', view: view((await find(uid, user))!) };
    }

    try {
      await channels[channel].send({ kind: 'sign_in_code', to, code, expiresInMinutes: CODE_TTL_MS / 60_000, ...(info.practiceName ? { practiceName: info.practiceName } : {}) });
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      // An undelivered code does not count toward the throttle, so the other channel can be tried at once.
      await OtpChallenge.updateOne({ _id: uid }, { $set: { deliveryFailed: channel }, $pull: { sends: sentAt }, $inc: { version: 1 } });
      await audit.record({ ...auditBase(user, info), event: 'mfa.code.delivery_failed', outcome: 'failure', reasons: [err.code], details: { channel, destination: masked } });
      return { status: 'delivery_failed', message: err.userMessage, view: view((await find(uid, user))!) };
    }
    await audit.record({ ...auditBase(user, info), event: 'mfa.code.sent', outcome: 'success', details: { channel, destination: masked, resend: Boolean(existing) } });
    return { status: 'sent', view: view((await find(uid, user))!) };
  }

  /** Checks a typed code; wrong ones count toward burning the code and locking the account. */
  async function verify(uid: string, user: MfaUser, input: string, info: RequestInfo): Promise<VerifyResult> {
    const checked = await checkStoredCode(OtpChallenge, { _id: uid, accountId: user.sub }, { input, binding: () => bindingFor(uid, user), key, now: now() });
    if (!checked) return { outcome: 'missing', attemptsLeft: 0, lock: { locked: false } };
    return settle(checked.outcome, checked.attemptsLeft, user, info, checked.doc.channel);
  }

  async function settle(outcome: VerifyOutcome, attemptsLeft: number, user: MfaUser, info: RequestInfo, channel: ChannelName): Promise<VerifyResult> {
    const base = auditBase(user, info);
    if (outcome === 'ok') {
      await audit.record({ ...base, event: 'mfa.code.verified', outcome: 'success', details: { channel } });
      await lockout.success(user._id);
      return { outcome, attemptsLeft, lock: { locked: false } };
    }
    if (outcome !== 'wrong') {
      if (outcome !== 'malformed') await audit.record({ ...base, event: 'mfa.code.failed', outcome: 'failure', reasons: [`${outcome}_code`] });
      return { outcome, attemptsLeft, lock: { locked: false } };
    }
    await audit.record({ ...base, event: 'mfa.code.failed', outcome: 'failure', reasons: ['wrong_code'], details: { attemptsLeft } });
    if (attemptsLeft === 0) await audit.record({ ...base, event: 'mfa.code.burned', outcome: 'failure', reasons: ['too_many_attempts'] });
    const lock = await lockout.failure(user._id);
    if (lock.justLocked) {
      await audit.record({ ...base, event: 'account.locked', outcome: 'info', reasons: ['too_many_failures'], details: { until: new Date(lock.retryAt!).toISOString() } });
    }
    return { outcome, attemptsLeft, lock };
  }

  return {
    /** The interaction's challenge as the page shows it, or undefined before the first code. */
    async challenge(uid: string, user: MfaUser): Promise<ChallengeView | undefined> {
      const doc = await find(uid, user);
      return doc ? view(doc) : undefined;
    },
    issue,
    verify,
  };
}

