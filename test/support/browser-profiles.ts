import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * vitest globalSetup of the e2e project: one folder for every browser profile of the run. The
 * e2e workers keep their shared Chromium as long as they live (browser.ts), and vitest stops a
 * worker with a signal, not a hook, so its browser and profile cannot be put away from inside:
 * it is done here, in the main process, once every worker has stopped — a browser still shutting
 * down in that folder is given a moment, then killed, and the folder removed.
 */
export const PROFILES_ENV = 'HOSPIAI_TEST_PROFILES';

export default function setup() {
  const folder = mkdtempSync(path.join(tmpdir(), 'hospiai-e2e-profiles-'));
  // Set before vitest starts the workers, which inherit it.
  process.env[PROFILES_ENV] = folder;
  return async () => {
    delete process.env[PROFILES_ENV];
    const deadline = Date.now() + 3_000;
    while (browsersUsing(folder).length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const pid of browsersUsing(folder)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone in between.
      }
    }
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };
}

/** Where a test's browser profile goes: the run's folder, or the system's temporary one. */
export function profilesFolder(): string {
  return process.env[PROFILES_ENV] ?? tmpdir();
}

/** Processes whose command line names the folder (a browser and its helpers), on Linux. */
function browsersUsing(folder: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(folder)) pids.push(Number(entry));
    } catch {
      // Exited while being read.
    }
  }
  return pids;
}
