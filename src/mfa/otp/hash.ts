// Codes are stored only as a keyed hash bound to one purpose: HMAC-SHA256(key, [binding, code]).
// The binding names the interaction, the account and the purpose, so a code sent for another
// sign-in, another user or a password reset never verifies here, even with the same digits.
import { createHmac } from 'node:crypto';
import { CODE_LENGTH } from './code.js';

export const MIN_KEY_BYTES = 32;

export interface BindingParts {
  /** What the code is for, e.g. `sign-in`, `password-reset`. */
  readonly purpose: string;
  readonly accountId: string;
  /** The interaction (or reset request) the code was issued in. */
  readonly interactionId: string;
}

/** One unambiguous string for the parts (JSON, so no separator can be forged inside a part). */
export function codeBinding({ purpose, accountId, interactionId }: BindingParts): string {
  if (!purpose || !accountId || !interactionId) throw new TypeError('a code binding needs a purpose, an account and an interaction');
  return JSON.stringify(['otp-v1', purpose, accountId, interactionId]);
}

/** base64url HMAC-SHA256 of the binding and the (already normalized) code. */
export function hashCode(key: Uint8Array, binding: string, code: string): string {
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`the code hashing key must be at least ${MIN_KEY_BYTES} bytes`);
  if (!new RegExp(`^[0-9]{${CODE_LENGTH}}$`).test(code)) throw new TypeError('hashCode takes a normalized code');
  return createHmac('sha256', key).update(JSON.stringify([binding, code])).digest('base64url');
}
