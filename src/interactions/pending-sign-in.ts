// A sign-in whose password is proven while the second factor the risk rules demanded is not yet
// given. It is signed in nowhere: the browser session gets no account until every factor is given
// (the `login` prompt stays pending), so /account, /admin, SSO to any module and prompt=none all
// see no sign-in. What the password step proved is kept server-side on the interaction, in its
// `result` (stored with the interaction, never written by the browser; the interaction itself is
// reachable only with this browser's interaction cookie), and the code page is shown in place of
// the login page until the code completes the `login` prompt with the MFA acr and amr.
//
// It stops counting when the interaction ends (cancel, expiry), when the person chooses "Use
// another account", and when the user's password changes or the account is deactivated meanwhile
// (checked again at every code step).
import { createHash } from 'node:crypto';
import type { InteractionResults } from 'oidc-provider';
import type { RiskReason } from '../mfa/risk/index.js';
import type { Models } from '../store/models/index.js';
import type { InteractionDetails } from './context.js';

const KEY = 'pendingSecondFactor';

export interface PendingSignIn {
  /** The sub of the user whose password was proven. */
  accountId: string;
  /** Why the risk rules asked for a code (shown on the page, audited). */
  reasons: RiskReason[];
  /** A digest of the password hash the password was checked against: a change since voids it. */
  password: string;
  /** The practice being entered (its rules asked for the code); absent while it is still to be chosen. */
  practiceId?: string;
}

/** The password-proven sign-in this interaction holds, if any. */
export function pendingSignIn(details: InteractionDetails): PendingSignIn | undefined {
  if (details.prompt.name !== 'login') return undefined;
  const held = (details.result as Record<string, unknown> | undefined)?.[KEY] as Partial<PendingSignIn> | undefined;
  if (typeof held?.accountId !== 'string' || typeof held.password !== 'string' || !Array.isArray(held.reasons)) return undefined;
  return { accountId: held.accountId, reasons: held.reasons, password: held.password, ...(typeof held.practiceId === 'string' ? { practiceId: held.practiceId } : {}) };
}

/**
 * The held record, to keep beside the completed login result: a code replayed on this interaction
 * after it completed still reaches the code step and is told it was already used.
 */
export function heldRecord(details: InteractionDetails): Record<string, PendingSignIn> {
  const pending = pendingSignIn(details);
  return pending ? { [KEY]: pending } : {};
}

/** Keeps the proven password on the interaction; the `login` prompt stays pending. */
export async function holdForSecondFactor(details: InteractionDetails, user: { sub: string; passwordHash?: string; practiceId?: { toHexString(): string } }, reasons: readonly RiskReason[]): Promise<void> {
  const pending: PendingSignIn = { accountId: user.sub, reasons: [...reasons], password: passwordDigest(user.passwordHash), ...(user.practiceId ? { practiceId: user.practiceId.toHexString() } : {}) };
  details.result = { [KEY]: pending } as InteractionResults;
  await details.save(details.exp - Math.floor(Date.now() / 1000));
}

/**
 * Forgets the proven password and the code sent for it: the interaction shows the login page
 * again, and nothing of the previous person's attempt can be resumed or completed.
 */
export async function dropPendingSignIn(details: InteractionDetails, models: Models): Promise<void> {
  delete details.result;
  await Promise.all([
    details.save(details.exp - Math.floor(Date.now() / 1000)),
    models.OtpChallenge.deleteOne({ _id: details.uid }),
  ]);
}

/** Is this still the password the pending sign-in proved? */
export function samePassword(pending: PendingSignIn, user: { passwordHash?: string }): boolean {
  return pending.password === passwordDigest(user.passwordHash);
}

// A digest, not the hash: the interaction record need not carry the password hash itself.
function passwordDigest(hash: string | undefined): string {
  return createHash('sha256').update(hash ?? '').digest('base64url').slice(0, 22);
}
