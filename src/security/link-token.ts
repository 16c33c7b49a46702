// The secret of a link we email (an invitation to set a first password, the confirmation of a new
// sign-in address, "report this change"): 32 bytes from the CSPRNG, base64url, of which the store
// keeps only the SHA-256, so a leaked store opens no link. One helper for every emailed link.
import { createHash, randomBytes } from 'node:crypto';

const LINK_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new link secret and the hash to store in its place. */
export function newLinkToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashLinkToken(token) };
}

/** The stored form of a link secret (look a link up by this, never by the secret). */
export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Whether `token` has the shape of a link secret (anything else is refused before any lookup). */
export function isLinkToken(token: string): boolean {
  return LINK_TOKEN.test(token);
}
