import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * vitest globalSetup of the e2e project: one folder for every browser profile of the run. The
 * e2e workers keep their shared Chromium as long as they live (browser.ts), and vitest stops a
 * worker with a signal, not a hook, so its profile cannot be removed from inside: the run's
 * folder is removed here, in the main process, once every worker has stopped.
 */
export const PROFILES_ENV = 'HOSPIAI_TEST_PROFILES';

export default function setup() {
  const folder = mkdtempSync(path.join(tmpdir(), 'hospiai-e2e-profiles-'));
  // Set before vitest starts the workers, which inherit it.
  process.env[PROFILES_ENV] = folder;
  return () => {
    // A browser whose worker was just stopped may still be writing its profile as it exits.
    rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    delete process.env[PROFILES_ENV];
  };
}

/** Where a test's browser profile goes: the run's folder, or the system's temporary one. */
export function profilesFolder(): string {
  return process.env[PROFILES_ENV] ?? tmpdir();
}
