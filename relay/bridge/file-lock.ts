/**
 * A cross-process lock on a file created with O_EXCL, so that every relay of the same home
 * (one per AI client) sees a consistent pending code and pairings file. Holders keep it for
 * milliseconds; a lock older than `staleMs` belongs to a crashed process and is broken.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isErrnoException } from '../home';

export interface FileLockOptions {
  /** A lock file older than this is considered abandoned. */
  staleMs?: number;
  /** Give up waiting after this long. */
  timeoutMs?: number;
}

export class LockTimeoutError extends Error {
  constructor(readonly lockPath: string) {
    super(
      `Another HospiAI relay has held ${lockPath} for too long. If no relay is running, delete it.`,
    );
    this.name = 'LockTimeoutError';
  }
}

export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const owner = await acquire(lockPath, options.staleMs ?? 5_000, options.timeoutMs ?? 5_000);
  try {
    return await fn();
  } finally {
    await release(lockPath, owner);
  }
}

async function acquire(lockPath: string, staleMs: number, timeoutMs: number): Promise<string> {
  const owner = `${process.pid}:${randomBytes(8).toString('hex')}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(owner, 'utf8');
      } finally {
        await handle.close();
      }
      return owner;
    } catch (error) {
      if (!isErrnoException(error) || error.code !== 'EEXIST') throw error;
    }
    const seen = await inspect(lockPath);
    if (seen && Date.now() - seen.mtimeMs > staleMs) {
      await breakStaleLock(lockPath, seen.owner);
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(lockPath);
    await sleep(5 + Math.random() * 20);
  }
}

async function inspect(lockPath: string): Promise<{ owner: string; mtimeMs: number } | null> {
  try {
    const [info, owner] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    return { owner, mtimeMs: info.mtimeMs };
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Moves the lock aside atomically, then checks it was the stale one we looked at: if another
 * process replaced it in between, its fresh lock is put back (link fails if yet another exists).
 */
async function breakStaleLock(lockPath: string, staleOwner: string): Promise<void> {
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return;
    throw error;
  }
  const owner = await readFile(aside, 'utf8').catch(() => staleOwner);
  if (owner !== staleOwner) await link(aside, lockPath).catch(() => {});
  await unlink(aside).catch(() => {});
}

async function release(lockPath: string, owner: string): Promise<void> {
  // Only remove our own lock: if we were so slow that it was broken, it is someone else's now.
  const current = await readFile(lockPath, 'utf8').catch(() => null);
  if (current === owner) await unlink(lockPath).catch(() => {});
}
