// The stored state of one reset request, over the pure one-time-code rules of src/mfa/otp/ (6 digits,
// 10 minutes, single use, burnt by the 5th wrong entry) and the one-time-code collection. The record's
// id is `reset:` + SHA-256 of the browser's reset token, and the code's HMAC is bound to the purpose
// `password-reset`, the account and that id: it verifies only for this account, in this browser.
//
// An address with no usable account gets the same record (the same writes, the same page), with
// a hash bound to another purpose, so no typed code can ever match it. Every change is a
// compare-and-swap on `version`: issuing and checking are the shared code challenge
// (src/mfa/code-challenge.ts); what stays here is the reset's own step, choosing the new password.
import { createHash } from 'node:crypto';
import type { CodePurpose } from '../mfa/code-challenge.js';
import { maskEmail } from '../mfa/channels/mask.js';
import type { Mfa } from '../mfa/index.js';
import type { VerifyOutcome } from '../mfa/otp/index.js';
import { unexpired } from '../store/models/expiry.js';
import type { Models } from '../store/models/index.js';

/** What this module needs from the composition root (src/app/). */
export interface PasswordResetResetChallengeDeps {
  mfa: Pick<Mfa, 'challenges'>;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
}

const PURPOSE: CodePurpose = 'password-reset';
/** Binds the hash of a request for an unknown address: no code typed for `password-reset` matches it. */
const VOID_PURPOSE: CodePurpose = 'password-reset-no-account';
export const NO_ACCOUNT = 'no-account';
/** After the right code, the new password must be chosen within this time. */
export const CHOOSE_PASSWORD_MS = 15 * 60_000;
const RETENTION_MS = 30 * 60_000;


export interface ResetView {
  /** The typed address, masked (the same for known and unknown addresses). */
  destination: string;
  state: 'active' | 'expired' | 'burned' | 'verified' | 'used';
  attemptsLeft: number;
}

export type ResetVerifyOutcome = VerifyOutcome | 'missing';

export function challengeId(token: string): string {
  return `reset:${createHash('sha256').update(token).digest('base64url')}`;
}

const binding = (purpose: CodePurpose, accountId: string, token: string) => ({ purpose, accountId, interactionId: challengeId(token) });

/**
 * Stores a new reset request and returns its code, which is to be sent only when `accountSub` is
 * given. For an unknown address the same work is done and the code is thrown away. The user's cap
 * on code messages is reserved when the email goes out, after the response (service.ts).
 */
export async function createResetChallenge(deps: PasswordResetResetChallengeDeps, token: string, typedEmail: string, accountSub: string | undefined): Promise<string> {
  const accountId = accountSub ?? NO_ACCOUNT;
  const issued = await deps.mfa.challenges.issue({
    id: challengeId(token), binding: binding(accountSub ? PURPOSE : VOID_PURPOSE, accountId, token),
    channel: 'email', destination: maskEmail(typedEmail), retentionMs: RETENTION_MS, reserveMessage: false,
  });
  // Every request has a fresh random token, so its record is new: nothing to throttle or cap here.
  if (issued.status !== 'issued') throw new Error('a password reset token was reused');
  return issued.code;
}

export async function findResetChallenge(deps: PasswordResetResetChallengeDeps, token: string): Promise<(ResetView & { accountId: string }) | undefined> {
  const doc = await deps.mfa.challenges.find(challengeId(token));
  if (!doc) return undefined;
  const { state, attemptsLeft, usedAt } = deps.mfa.challenges.stateOf(doc);
  const verified = usedAt !== undefined && deps.now() - usedAt < CHOOSE_PASSWORD_MS;
  return { destination: doc.destination, state: state === 'used' && verified ? 'verified' : state, attemptsLeft, accountId: doc.accountId };
}

/**
 * Checks a typed code; a wrong one counts toward burning the code. `locked`: the account is locked,
 * so no code may match, and the answer is that of a wrong code (the page must not tell a stranger
 * that the account exists and is locked).
 */
export async function verifyResetCode(deps: PasswordResetResetChallengeDeps, token: string, input: string, locked = false): Promise<{ outcome: ResetVerifyOutcome; attemptsLeft: number; accountId?: string }> {
  const purpose = locked ? VOID_PURPOSE : PURPOSE;
  const checked = await deps.mfa.challenges.check(challengeId(token), input, (doc) => binding(purpose, doc.accountId, token));
  if (checked.outcome === 'missing') return { outcome: 'missing', attemptsLeft: 0 };
  return { outcome: checked.outcome, attemptsLeft: checked.attemptsLeft, accountId: checked.doc.accountId };
}

/**
 * Takes the verified request for good (single use): resolves with the account's sub, or undefined
 * when the request is missing, not verified, too old, or already taken by a parallel request.
 */
export async function claimVerifiedReset(deps: PasswordResetResetChallengeDeps, token: string): Promise<string | undefined> {
  const claimed = await deps.models.OtpChallenge.findOneAndDelete({
    _id: challengeId(token),
    accountId: { $ne: NO_ACCOUNT },
    usedAt: { $gt: new Date(deps.now() - CHOOSE_PASSWORD_MS) },
    ...unexpired(deps.now()),
  }).lean();
  return claimed?.accountId;
}
