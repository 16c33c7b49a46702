/**
 * The running store's address, kept in `<dataDir>/store.uri` while it listens. Only one process
 * may own a data directory, so an operator command started beside a running provider reads this
 * file and connects to the store over the wire instead of failing on the lock.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ADDRESS_FILE = 'store.uri';

export function advertiseAddress(dir: string, uri: string): () => void {
  const path = join(dir, ADDRESS_FILE);
  writeFileSync(path, `${uri}\n`, { mode: 0o600 });
  return () => rmSync(path, { force: true });
}

/** The base URI of the store running on `dir`, if one advertises itself there. */
export function readAdvertisedAddress(dir: string): string | undefined {
  try {
    const uri = readFileSync(join(dir, ADDRESS_FILE), 'utf8').trim();
    return uri.startsWith('mongodb://') ? uri : undefined;
  } catch {
    return undefined;
  }
}
