// The audit keys: the chain's links and the checkpoints are HMAC-SHA256 under a key that lives in
// the configuration, never in the database, so someone who can write the database cannot re-link
// the chain after changing it. Each entry names its key by id (`kid`); rotation = a new current key
// while the old ones stay configured for verification.
//
// A key id is derived from the secret (HMAC of a fixed label, 16 hex), so an operator cannot name
// two keys alike, and the id says nothing usable about the secret.
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.js';

export interface AuditKey {
  id: string;
  secret: Buffer;
}

export interface AuditKeys {
  /** New entries and checkpoints are keyed with this one. */
  current: AuditKey;
  /** The key of an id (current or previous), for verification. */
  byId(id: string): AuditKey | undefined;
}

/** Where development keeps its generated key: beside the embedded store's files, not in any collection. */
export const DEV_KEY_FILE = 'audit-key';

export function auditKeyId(secret: Buffer): string {
  return createHmac('sha256', secret).update('ehr-idp audit key id').digest('hex').slice(0, 16);
}

export function auditKeys(current: string | Buffer, previous: readonly (string | Buffer)[] = []): AuditKeys {
  const keyOf = (secret: string | Buffer): AuditKey => {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    return { id: auditKeyId(bytes), secret: bytes };
  };
  const first = keyOf(current);
  const all = new Map([first, ...previous.map(keyOf)].map((key) => [key.id, key]));
  return { current: first, byId: (id) => all.get(id) };
}

/**
 * AUDIT_KEY (and AUDIT_PREVIOUS_KEYS) from the configuration; in development and tests without
 * one, a key generated once into <DATA_DIR>/audit-key (mode 0600). Production refuses to start
 * without AUDIT_KEY (src/config/schema.ts).
 */
export function resolveAuditKeys(config: Config): AuditKeys {
  if (config.audit.key) return auditKeys(config.audit.key, config.audit.previousKeys);
  if (config.production) throw new Error('AUDIT_KEY is required in production');
  const path = join(config.store.dataDir, DEV_KEY_FILE);
  let secret: string;
  try {
    secret = readFileSync(path, 'utf8').trim();
  } catch {
    mkdirSync(config.store.dataDir, { recursive: true });
    secret = randomBytes(32).toString('base64url');
    try {
      writeFileSync(path, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      secret = readFileSync(path, 'utf8').trim(); // another process made it first
    }
    chmodSync(path, 0o600);
  }
  return auditKeys(secret, config.audit.previousKeys);
}
