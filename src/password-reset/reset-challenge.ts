// The stored state of one reset request, over the pure one-time-code rules of src/mfa/otp/ (6 digits,
// 10 minutes, single use, burnt by the 5th wrong entry) and the one-time-code collection. The record's
// id is `reset:` + SHA-256 of the browser's reset token, and the code's HMAC is bound to the purpose
// `password-reset`, the account and that id: it verifies only for this account, in this browser.
//
// An address with no usable account gets the same record (the same writes, the same page), with
// a hash bound to another purpose, so no typed code can ever match it. Every change is a
// compare-and-swap on `version`, as in the sign-in code service.
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';
import { maskEmail } from '../mfa/channels/mask.js';
import { resolveOtpKey } from '../mfa/otp-key.js';
import { checkStoredCode, codeRecordOf } from '../mfa/stored-code.js';
import { codeBinding, issueCode, MAX_ATTEMPTS, type VerifyOutcome } from '../mfa/otp/index.js';
import { unexpired } from '../store/models/expiry.js';
import type { Models } from '../store/models/index.js';
import type { OtpChallenge } from '../store/models/otp-challenge.js';

/** What this module needs from the composition root (src/app/). */
export interface PasswordResetResetChallengeDeps {
  config: Config;
  models: Models;
  /** Milliseconds since the epoch (injected in tests). */
  now: () => number;
}

const PURPOSE = 'password-reset';
/** Binds the hash of a request for an unknown address: no code typed for `password-reset` matches it. */
const VOID_PURPOSE = 'password-reset-no-account';
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

const keys = new WeakMap<Models, Promise<Buffer>>();
function keyFor(deps: PasswordResetResetChallengeDeps): Promise<Buffer> {
  let key = keys.get(deps.models);
  if (!key) keys.set(deps.models, (key = resolveOtpKey(deps.config, deps.models, deps.now)));
  return key;
}

export function challengeId(token: string): string {
  return `reset:${createHash('sha256').update(token).digest('base64url')}`;
}

const binding = (purpose: string, accountId: string, token: string) => codeBinding({ purpose, accountId, interactionId: challengeId(token) });

/**
 * Stores a new reset request and returns its code, which is to be sent only when `accountSub` is
 * given. For an unknown address the same work is done and the code is thrown away.
 */
export async function createResetChallenge(deps: PasswordResetResetChallengeDeps, token: string, typedEmail: string, accountSub: string | undefined): Promise<string> {
  const accountId = accountSub ?? NO_ACCOUNT;
  const purpose = accountSub ? PURPOSE : VOID_PURPOSE;
  const { code, record } = issueCode({ randomBytes, key: await keyFor(deps), binding: binding(purpose, accountId, token), now: deps.now() });
  const issuedAt = new Date(record.issuedAt);
  await deps.models.OtpChallenge.create({
    _id: challengeId(token), accountId, channel: 'email', destination: maskEmail(typedEmail), hash: record.hash,
    issuedAt, codeExpiresAt: new Date(record.expiresAt), attempts: 0, sends: [issuedAt], version: 0,
    expiresAt: new Date(record.issuedAt + RETENTION_MS),
  });
  return code;
}

export async function findResetChallenge(deps: PasswordResetResetChallengeDeps, token: string): Promise<(ResetView & { accountId: string }) | undefined> {
  const doc = await deps.models.OtpChallenge.findOne({ _id: challengeId(token), ...unexpired(deps.now()) }).lean();
  return doc ? { ...view(doc, deps.now()), accountId: doc.accountId } : undefined;
}

/**
 * Checks a typed code; a wrong one counts toward burning the code. `locked`: the account is locked,
 * so no code may match, and the answer is that of a wrong code (the page must not tell a stranger
 * that the account exists and is locked).
 */
export async function verifyResetCode(deps: PasswordResetResetChallengeDeps, token: string, input: string, locked = false): Promise<{ outcome: ResetVerifyOutcome; attemptsLeft: number; accountId?: string }> {
  const { OtpChallenge } = deps.models;
  const key = await keyFor(deps);
  const purpose = locked ? VOID_PURPOSE : PURPOSE;
  const checked = await checkStoredCode(OtpChallenge, { _id: challengeId(token) }, { input, binding: (doc) => binding(purpose, doc.accountId, token), key, now: deps.now() });
  if (!checked) return { outcome: 'missing', attemptsLeft: 0 };
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

function view(doc: OtpChallenge, now: number): ResetView {
  const record = codeRecordOf(doc);
  const state = record.usedAt !== undefined ? (now - record.usedAt < CHOOSE_PASSWORD_MS ? 'verified' : 'used')
    : record.burnedAt !== undefined || record.attempts >= MAX_ATTEMPTS ? 'burned'
      : now >= record.expiresAt ? 'expired' : 'active';
  return { destination: doc.destination, state, attemptsLeft: Math.max(0, MAX_ATTEMPTS - record.attempts) };
}

