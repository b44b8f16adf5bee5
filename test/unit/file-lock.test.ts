import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { FileLockTimeoutError, withFileLock } from '../../relay/file-lock';
import { tempHome } from './bridge/bridge-fixture';

describe('withFileLock', () => {
  it('runs holders one at a time, so read-modify-write updates are never lost', async () => {
    const home = await tempHome();
    const lock = path.join(home, 'test.lock');
    const counter = path.join(home, 'counter');
    await writeFile(counter, '0');

    const increment = () =>
      withFileLock(lock, async () => {
        const value = Number(await readFile(counter, 'utf8'));
        // Holding the lock across a turn of the event loop lets the others try to take it.
        await sleep(1);
        await writeFile(counter, String(value + 1));
      });
    await Promise.all(Array.from({ length: 20 }, increment));

    expect(await readFile(counter, 'utf8')).toBe('20');
    expect(await readdir(home)).toEqual(['counter']);
  });

  it('releases the lock when the holder throws', async () => {
    const home = await tempHome();
    const lock = path.join(home, 'test.lock');
    await expect(
      withFileLock(lock, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');

    await expect(withFileLock(lock, async () => 'next')).resolves.toBe('next');
  });

  it('breaks a lock abandoned by a crashed process', async () => {
    const home = await tempHome();
    const lock = path.join(home, 'test.lock');
    await writeFile(lock, '99999:dead');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);

    await expect(withFileLock(lock, async () => 'got it', { staleMs: 5_000 })).resolves.toBe(
      'got it',
    );
    expect(await readdir(home)).toEqual([]);
  });

  it('waits for a fresh lock, then gives up with an actionable error', async () => {
    const home = await tempHome();
    const lock = path.join(home, 'test.lock');
    await writeFile(lock, '12345:alive');

    const error = await withFileLock(lock, async () => 'never', { timeoutMs: 100 }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(FileLockTimeoutError);
    expect((error as Error).message).toContain(lock);
    expect(await readFile(lock, 'utf8')).toBe('12345:alive');
  });
});
