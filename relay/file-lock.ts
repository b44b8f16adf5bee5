/**
 * A lock file shared by every relay process of one home (each AI client starts its own relay):
 * the pairing files and the audit log are updated under it. Created with O_EXCL; a lock whose
 * owner died (same host, pid gone) or that is older than `staleMs` is broken, so a crash never
 * blocks the home for good. Holders keep it for milliseconds.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FileLockOptions {
  /** Give up waiting after this long (default 5 s). */
  timeoutMs?: number;
  /** A lock older than this is abandoned (default 10 s; a holder keeps it for milliseconds). */
  staleMs?: number;
}

interface LockOwner {
  pid: number;
  host: string;
  id: string;
}

export class FileLockTimeoutError extends Error {
  constructor(lockPath: string, owner: string) {
    super(
      `a file lock is held by another process (${owner}); if no hospiai-mcp is running, delete ${lockPath}`,
    );
    this.name = 'FileLockTimeoutError';
  }
}

export async function withFileLock<T>(
  lockPath: string,
  task: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const id = await acquire(lockPath, options.timeoutMs ?? 5_000, options.staleMs ?? 10_000);
  try {
    return await task();
  } finally {
    await release(lockPath, id);
  }
}

async function acquire(lockPath: string, timeoutMs: number, staleMs: number): Promise<string> {
  const owner: LockOwner = {
    pid: process.pid,
    host: hostname(),
    id: randomBytes(8).toString('hex'),
  };
  const deadline = Date.now() + timeoutMs;
  let delay = 2;
  let lastSeen = 'unknown owner';
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      return owner.id;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    const held = await readLock(lockPath);
    if (held && isStale(held, staleMs)) {
      await breakLock(lockPath, held.text);
      continue;
    }
    if (held)
      lastSeen = held.owner ? `pid ${held.owner.pid} on ${held.owner.host}` : 'unknown owner';
    if (Date.now() >= deadline) throw new FileLockTimeoutError(lockPath, lastSeen);
    await sleep(delay + Math.random() * delay);
    delay = Math.min(delay * 2, 50);
  }
}

interface HeldLock {
  text: string;
  owner: LockOwner | null;
  ageMs: number;
}

async function readLock(lockPath: string): Promise<HeldLock | null> {
  try {
    const [info, text] = await Promise.all([stat(lockPath), readFile(lockPath, 'utf8')]);
    return { text, owner: parseOwner(text), ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return null; // released meanwhile: try again
    throw error;
  }
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { pid, host, id } = value as Record<string, unknown>;
    if (typeof pid === 'number' && typeof host === 'string' && typeof id === 'string') {
      return { pid, host, id };
    }
  } catch {
    // empty or partly written: judged by age alone
  }
  return null;
}

function isStale(held: HeldLock, staleMs: number): boolean {
  if (held.ageMs > staleMs) return true;
  if (held.owner && held.owner.host === hostname()) return !processExists(held.owner.pid);
  return false;
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM'); // alive, owned by someone else
  }
}

/**
 * Moves the stale lock aside before deleting it, and checks that what was moved is the lock
 * judged stale: two processes breaking the same lock at once then cannot delete a fresh one.
 */
async function breakLock(lockPath: string, staleText: string): Promise<void> {
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  const moved = await readFile(aside, 'utf8').catch(() => staleText);
  if (moved !== staleText) {
    // A fresh lock was taken in between: put it back (link fails if yet another one exists).
    await link(aside, lockPath).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function release(lockPath: string, id: string): Promise<void> {
  const held = await readLock(lockPath).catch(() => null);
  // Only our own lock: if it was broken as stale, the file now belongs to someone else.
  if (held?.owner?.id === id) await unlink(lockPath).catch(() => undefined);
}

export function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
