// The sign-in code of one interaction, over the shared code challenge (code-challenge.ts): issue and
// send it, resend or switch channel (throttled), verify what the user typed, and count failures
// toward the account lockout. What is sign-in's own: the record is the interaction uid, the binding
// names the purpose `sign-in`, the account and that uid, and the audit events are `mfa.code.*`.
import type { Types } from 'mongoose';
import type { AuditLog } from '../audit/record.js';
import type { OtpChallenge } from '../store/models/otp-challenge.js';
import type { AccountLockout, Familiarity, LockStatus } from './account-lockout.js';
import { destinationOf, type Reachable } from './channel-choice.js';
import type { ChannelName } from './channels/channel.js';
import type { Channels } from './channels/registry.js';
import type { CodeChallenges } from './code-challenge.js';
import { CODE_TTL_MS, type VerifyOutcome } from './otp/index.js';

/** Kept well past the interaction's own 30 minutes, so the resend window outlives a retry. */
const CHALLENGE_RETENTION_MS = 60 * 60_000;

export interface MfaUser extends Reachable {
  _id: Types.ObjectId;
  sub: string;
  name: string;
  practiceId: Types.ObjectId;
}

/** Who and where, for the audit log and the message. */
export interface RequestInfo {
  ip?: string;
  userAgent?: string;
  clientId?: string;
  practiceName?: string;
  /** The browser's device cookie: with `ip`, says whether the source is familiar (smart lockout). */
  deviceId?: string | undefined;
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
  /** The user's cap on code messages is reached (code-message-cap.ts): nothing was sent. */
  | { status: 'capped'; retryAfterSeconds: number; view: ChallengeView | undefined }
  | { status: 'throttled'; view: ChallengeView }
  | { status: 'delivery_failed'; message: string; view: ChallengeView };

export type VerifyResult =
  | { outcome: Exclude<VerifyOutcome, 'wrong'> | 'missing' | 'locked'; attemptsLeft: number; lock: LockStatus }
  | { outcome: 'wrong'; attemptsLeft: number; lock: LockStatus };

export interface MfaServiceDeps {
  channels: Channels;
  audit: AuditLog;
  lockout: AccountLockout;
  challenges: CodeChallenges;
}

export type MfaService = ReturnType<typeof createMfaService>;

export function createMfaService({ channels, audit, lockout, challenges }: MfaServiceDeps) {
  const bindingFor = (uid: string, user: MfaUser) => ({ purpose: 'sign-in' as const, accountId: user.sub, interactionId: uid });
  const find = (uid: string, user: MfaUser) => challenges.find(uid, user.sub);
  const auditBase = (user: MfaUser, info: RequestInfo) => ({
    practiceId: user.practiceId.toHexString(), userSub: user.sub, ip: info.ip, userAgent: info.userAgent, clientId: info.clientId,
  });

  function view(doc: OtpChallenge): ChallengeView {
    const { state, attemptsLeft, resendInMs } = challenges.stateOf(doc);
    return {
      channel: doc.channel,
      destination: doc.destination,
      state,
      attemptsLeft,
      ...(doc.deliveryFailed ? { deliveryFailed: doc.deliveryFailed } : {}),
      resendInMs,
    };
  }
  const current = async (uid: string, user: MfaUser) => view((await find(uid, user))!);

  /** Sends a fresh code by `channel` (the first, a resend or a switch). Throttled except for the first. */
  async function issue(uid: string, user: MfaUser, channel: ChannelName, info: RequestInfo): Promise<IssueResult> {
    const { to, masked } = destinationOf(user, channel);
    // The user's cap spans sign-ins, resends, resets and phone verification (the first code too).
    const issued = await challenges.issue({ id: uid, binding: bindingFor(uid, user), channel, destination: masked, retentionMs: CHALLENGE_RETENTION_MS, reserveMessage: true });
    if (issued.status === 'throttled') return { status: 'throttled', view: issued.doc ? view(issued.doc) : await current(uid, user) };
    if (issued.status === 'capped') {
      await audit.record({ ...auditBase(user, info), event: 'request.rate_limited', outcome: 'failure', reasons: ['code_messages'], details: { retryAfterSeconds: issued.retryAfterSeconds } });
      return { status: 'capped', retryAfterSeconds: issued.retryAfterSeconds, view: issued.doc ? view(issued.doc) : undefined };
    }
    const send = () => channels[channel].send({ kind: 'sign_in_code', to, code: issued.code, expiresInMinutes: CODE_TTL_MS / 60_000, ...(info.practiceName ? { practiceName: info.practiceName } : {}) });
    const delivered = await challenges.deliver(uid, issued, channel, send, 'offer-other');
    if (delivered.status === 'timeout') {
      await audit.record({ ...auditBase(user, info), event: 'mfa.code.delivery_failed', outcome: 'failure', reasons: ['timeout'], details: { channel, destination: masked, treatedAsSent: true } });
      return { status: 'sent', view: await current(uid, user) };
    }
    if (delivered.status === 'refused') {
      await audit.record({ ...auditBase(user, info), event: 'mfa.code.delivery_failed', outcome: 'failure', reasons: [delivered.error.code], details: { channel, destination: masked } });
      return { status: 'delivery_failed', message: delivered.error.userMessage, view: await current(uid, user) };
    }
    await audit.record({ ...auditBase(user, info), event: 'mfa.code.sent', outcome: 'success', details: { channel, destination: masked, resend: issued.resend } });
    return { status: 'sent', view: await current(uid, user) };
  }

  /** Checks a typed code; wrong ones count toward burning the code and locking the account. */
  async function verify(uid: string, user: MfaUser, input: string, info: RequestInfo): Promise<VerifyResult> {
    // A locked account (as seen from this source) has no code checked at all: a guess made while
    // locked would be neither counted nor refused.
    const lock = await lockout.check(user, { ip: info.ip, deviceId: info.deviceId });
    if (lock.locked) return { outcome: 'locked', attemptsLeft: 0, lock };
    const checked = await challenges.check(uid, input, () => bindingFor(uid, user), user.sub);
    if (checked.outcome === 'missing') return { outcome: 'missing', attemptsLeft: 0, lock: { locked: false } };
    return settle(checked.outcome, checked.attemptsLeft, user, { ...info, from: lock.from }, checked.doc.channel);
  }

  async function settle(outcome: VerifyOutcome, attemptsLeft: number, user: MfaUser, info: RequestInfo & { from: Familiarity }, channel: ChannelName): Promise<VerifyResult> {
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
    const lock = await lockout.failed(user, { ip: info.ip, from: info.from }, { ip: info.ip, userAgent: info.userAgent, clientId: info.clientId });
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

