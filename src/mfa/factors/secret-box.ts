// AES-256-GCM for a factor's secret at rest. The additional data binds the sealed value to one
// factor of one user, so a sealed secret copied onto another record does not open.
// Format: v1.<iv>.<ciphertext>.<tag>, each base64url.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export function seal(key: Uint8Array, plaintext: string, boundTo: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(boundTo, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, body, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** The plaintext, or undefined when the value is damaged, sealed with another key or bound elsewhere. */
export function open(key: Uint8Array, sealed: string, boundTo: string): string | undefined {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== 'v1' || !iv || !body || !tag) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(boundTo, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
