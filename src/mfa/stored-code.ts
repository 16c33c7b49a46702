// A one-time code kept in `otp_challenges` (sign-in codes, password reset, phone verification),
// checked with compare-and-swap on the record's version: two requests typing at once cannot both
// spend the same try, nor both use the code. Purpose-specific auditing stays with the caller.
import type { QueryFilter } from 'mongoose';
import type { OtpChallenge, OtpChallengeModel } from '../store/models/otp-challenge.js';
import { unexpired } from '../store/models/expiry.js';
import { verifyCode, type CodeRecord, type VerifyOutcome } from './otp/index.js';

/** Rounds of "read, judge, swap" before giving up on a record other requests keep changing. */
const MAX_TRIES = 20;

export interface StoredCodeCheck {
  /** The record as it was judged. */
  doc: OtpChallenge;
  outcome: VerifyOutcome;
  attemptsLeft: number;
}

export interface CheckInput {
  input: string;
  /** What the code was bound to when issued, from the stored record. */
  binding: (doc: OtpChallenge) => string;
  key: Uint8Array;
  now: number;
}

/** Judges `input` against the record `filter` finds; undefined when there is none (or it is past retention). */
export async function checkStoredCode(model: OtpChallengeModel, liveFilter: QueryFilter<OtpChallenge>, check: CheckInput): Promise<StoredCodeCheck | undefined> {
  const filter = { ...liveFilter, ...unexpired(check.now) };
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const doc = await model.findOne(filter).lean<OtpChallenge>();
    if (!doc) return undefined;
    const before = codeRecordOf(doc);
    const result = verifyCode(before, check.input, check.binding(doc), check.key, check.now);
    if (result.record !== before) {
      const swapped = await model.findOneAndUpdate(
        { ...filter, version: doc.version },
        { $set: { attempts: result.record.attempts, version: doc.version + 1, ...recordDates(result.record) } },
      ).lean();
      if (!swapped) continue; // another request changed it first: judge again on the new state
    }
    return { doc, outcome: result.outcome, attemptsLeft: result.attemptsLeft };
  }
  throw new Error('a one-time code record kept changing under us');
}

/** The pure code record (src/mfa/otp/) of a stored challenge. */
export function codeRecordOf(doc: OtpChallenge): CodeRecord {
  return {
    hash: doc.hash,
    issuedAt: new Date(doc.issuedAt).getTime(),
    expiresAt: new Date(doc.codeExpiresAt).getTime(),
    attempts: doc.attempts,
    ...(doc.usedAt ? { usedAt: new Date(doc.usedAt).getTime() } : {}),
    ...(doc.burnedAt ? { burnedAt: new Date(doc.burnedAt).getTime() } : {}),
  };
}

function recordDates(record: CodeRecord): Record<string, Date> {
  return {
    ...(record.usedAt !== undefined ? { usedAt: new Date(record.usedAt) } : {}),
    ...(record.burnedAt !== undefined ? { burnedAt: new Date(record.burnedAt) } : {}),
  };
}
