/**
 * One process per data directory: a lock file created with O_EXCL holding the owner's pid.
 * A lock whose pid is alive is refused with a clear error; one left by a dead process (kill -9,
 * power loss) is taken over with a warning.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from './commands/context.js';

export const LOCK_FILE = 'store.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryCreate(path: string): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, String(process.pid));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function readOwner(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the directory's lock; returns the function that releases it. */
export function acquireLock(dir: string, logger: Logger): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreate(path)) {
      return () => {
        if (readOwner(path) === process.pid) unlinkSync(path);
      };
    }
    const owner = readOwner(path);
    if (owner !== undefined && isAlive(owner)) {
      throw new Error(`data directory ${dir} is in use by process ${owner}`);
    }
    logger.warn(`taking over stale lock in ${dir} (process ${owner ?? 'unknown'} is gone)`);
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  throw new Error(`could not acquire the lock on data directory ${dir}`);
}
