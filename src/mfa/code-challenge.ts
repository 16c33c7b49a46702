// The one code challenge behind every emailed or texted code (sign-in, password reset, phone
// verification): issue a code into its record, resend it under the throttle and the user's cap on
// code messages, note a refused delivery, check what was typed, and say what state the code is in.
// Callers keep only what differs: the record id, what the code is bound to, the message and the audit.
//
// Guarantees, whoever calls: the code is stored only as a keyed hash bound to one purpose, account
// and interaction (otp/hash.ts), so a code of one purpose never verifies for another; expiry is read
// from `codeExpiresAt` by our code, never left to the store's TTL; a resend replaces the hash and
// resets the tries in one compare-and-swap, so an old code dies the moment a new one exists, and the
// send history (hence the throttle) survives it; the check is the compare-and-swap of stored-code.ts
// (5 tries, single use, constant-time comparison).
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { deleteIfExpired, unexpired } from '../store/models/expiry.js';
import type { OtpChallenge, OtpChallengeModel } from '../store/models/otp-challenge.js';
import type { MfaChannel } from '../store/models/user.js';
import { DeliveryError } from './channels/channel.js';
import type { CodeMessageCap } from './code-message-cap.js';
import { canResend, codeBinding, issueCode, MAX_ATTEMPTS, RESEND_MIN_GAP_MS, type VerifyOutcome } from './otp/index.js';
import { checkStoredCode, codeRecordOf } from './stored-code.js';
import { isDuplicateKey } from '../store/duplicate-key.js';

/** What a code may be for. `password-reset-no-account` binds the decoy record of an unknown address. */
export type CodePurpose = 'sign-in' | 'password-reset' | 'password-reset-no-account' | 'phone-verification';

/** What a code is bound to: its hash verifies only with the same three parts. */
export interface CodeBinding {
  purpose: CodePurpose;
  accountId: string;
  /** The interaction uid, the reset record id, the number being verified. */
  interactionId: string;
}

/** What the module needs from the composition root. */
export interface CodeChallengeDeps {
  model: OtpChallengeModel;
  /** The HMAC key codes are hashed with (otp-key.ts). */
  key: Uint8Array;
  now: () => number;
  codeMessages: CodeMessageCap;
  randomBytes?: (n: number) => Uint8Array;
}

export interface IssueRequest {
  /** The record's id: one pending code per id. */
  id: string;
  binding: CodeBinding;
  channel: MfaChannel;
  /** Masked, for the page. */
  destination: string;
  /** How long the record (and its send history) outlives the code. */
  retentionMs: number;
  /** Reserve the user's cap on code messages now (false: the caller reserves it when it sends). */
  reserveMessage: boolean;
}

export type Issued =
  | { status: 'issued'; code: string; sentAt: Date; resend: boolean }
  | { status: 'throttled'; retryAfterMs: number; doc: OtpChallenge | undefined }
  | { status: 'capped'; retryAfterSeconds: number; doc: OtpChallenge | undefined };

export type Delivered = { status: 'sent' } | { status: 'timeout' | 'refused'; error: DeliveryError };

export interface CodeState {
  state: 'active' | 'expired' | 'burned' | 'used';
  attemptsLeft: number;
  usedAt?: number;
  /** 0 when a new code may be sent now. */
  resendInMs: number;
}

export type CodeCheck = { outcome: 'missing'; attemptsLeft: 0 } | { outcome: VerifyOutcome; attemptsLeft: number; doc: OtpChallenge };

export type CodeChallenges = ReturnType<typeof createCodeChallenges>;

export function createCodeChallenges({ model, key, now, codeMessages, randomBytes = cryptoRandomBytes }: CodeChallengeDeps) {
  const find = async (id: string, accountId?: string): Promise<OtpChallenge | undefined> =>
    (await model.findOne({ _id: id, ...(accountId ? { accountId } : {}), ...unexpired(now()) }).lean<OtpChallenge>()) ?? undefined;

  function stateOf(doc: OtpChallenge): CodeState {
    const record = codeRecordOf(doc);
    const at = now();
    const state = record.usedAt !== undefined ? 'used'
      : record.burnedAt !== undefined || record.attempts >= MAX_ATTEMPTS ? 'burned'
        : at >= record.expiresAt ? 'expired' : 'active';
    return {
      state,
      attemptsLeft: Math.max(0, MAX_ATTEMPTS - record.attempts),
      ...(record.usedAt !== undefined ? { usedAt: record.usedAt } : {}),
      resendInMs: canResend(doc.sends.map((sent) => new Date(sent).getTime()), at).retryAfterMs,
    };
  }

  /** A parallel request changed the record first: it sent a code, so this one waits. */
  async function raced(id: string): Promise<Issued> {
    const doc = await find(id);
    return { status: 'throttled', retryAfterMs: doc ? stateOf(doc).resendInMs || RESEND_MIN_GAP_MS : RESEND_MIN_GAP_MS, doc };
  }

  /**
   * A fresh code for `request.id` (the first, a resend or a switch of channel), unless the resend
   * throttle or the user's cap says wait. The code is returned to be sent, never stored or logged.
   */
  async function issue(request: IssueRequest): Promise<Issued> {
    const { id, binding } = request;
    const existing = await find(id, binding.accountId);
    const waitMs = existing ? stateOf(existing).resendInMs : 0;
    if (waitMs > 0) return { status: 'throttled', retryAfterMs: waitMs, doc: existing };
    // Refused requests never use up the allowance: the reservation is taken back on every early return.
    const reservation = request.reserveMessage ? await codeMessages.reserve(binding.accountId) : undefined;
    if (reservation && !reservation.allowed) return { status: 'capped', retryAfterSeconds: reservation.retryAfterSeconds, doc: existing };
    const release = async () => { if (reservation?.allowed) await reservation.release(); };

    const { code, record } = issueCode({ randomBytes, key, binding: codeBinding(binding), now: now() });
    const sentAt = new Date(record.issuedAt);
    const fresh = {
      accountId: binding.accountId, channel: request.channel, destination: request.destination, hash: record.hash, issuedAt: sentAt,
      codeExpiresAt: new Date(record.expiresAt), attempts: 0, expiresAt: new Date(record.issuedAt + request.retentionMs),
    };
    if (!existing) {
      try {
        await deleteIfExpired(model, { _id: id }, now());
        await model.create({ _id: id, ...fresh, sends: [sentAt], version: 0 });
      } catch (err) {
        await release();
        if (!isDuplicateKey(err)) throw err;
        return raced(id);
      }
    } else {
      // The new hash, zero tries and no used/burnt mark in one swap: the old code is dead from here on.
      const swapped = await model.findOneAndUpdate(
        { _id: id, accountId: binding.accountId, version: existing.version },
        { $set: { ...fresh, version: existing.version + 1 }, $unset: { usedAt: 1, burnedAt: 1, deliveryFailed: 1 }, $push: { sends: sentAt } },
      ).lean();
      if (!swapped) {
        await release();
        return raced(id);
      }
    }
    return { status: 'issued', code, sentAt, resend: Boolean(existing) };
  }

  /**
   * Sends an issued code. A timeout counts as sent (the message may still arrive: the code stays
   * usable and the resend gap holds). A refused message leaves the resend gap (another channel or a
   * corrected number can be tried at once) but still counted toward the user's cap; `onRefused`
   * says whether the page offers another channel (`offer-other`) or the unsent code dies (`burn`).
   */
  async function deliver(id: string, issued: { sentAt: Date }, channel: MfaChannel, send: () => Promise<unknown>, onRefused: 'offer-other' | 'burn'): Promise<Delivered> {
    try {
      await send();
      return { status: 'sent' };
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
      if (err.code === 'timeout') return { status: 'timeout', error: err };
      const mark = onRefused === 'burn' ? { burnedAt: issued.sentAt } : { deliveryFailed: channel };
      await model.updateOne({ _id: id }, { $set: mark, $pull: { sends: issued.sentAt }, $inc: { version: 1 } });
      return { status: 'refused', error: err };
    }
  }

  /** Judges `input` against the record (stored-code.ts); `bindingOf` says what a right code is bound to. */
  async function check(id: string, input: string, bindingOf: (doc: OtpChallenge) => CodeBinding, accountId?: string): Promise<CodeCheck> {
    const checked = await checkStoredCode(model, { _id: id, ...(accountId ? { accountId } : {}) }, {
      input, binding: (doc) => codeBinding(bindingOf(doc)), key, now: now(),
    });
    return checked ? { outcome: checked.outcome, attemptsLeft: checked.attemptsLeft, doc: checked.doc } : { outcome: 'missing', attemptsLeft: 0 };
  }

  return { find, stateOf, issue, deliver, check };
}
