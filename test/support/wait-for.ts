/**
 * `vi.waitFor`'s contract — run `check` until it stops throwing, else throw its last error —
 * for the page objects the `npm start` demo shares with the tests: the demo runs outside vitest,
 * whose `vi` cannot be used there. Tests themselves use `expect.poll`/`vi.waitFor`.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor<T>(
  check: () => T | Promise<T>,
  options: { timeout: number; interval: number },
): Promise<T> {
  const deadline = Date.now() + options.timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
    }
    await sleep(options.interval);
  }
}
