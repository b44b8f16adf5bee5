/**
 * `npm run test:durations`: writes test/test-durations.json — each test file's wall time in the
 * last run's vitest report(s), in seconds (a report of part of the suite updates those files;
 * files that no longer exist are dropped) — which test-order.ts uses to hand the longest files
 * out first. vitest keeps such timings in its own cache, but a fresh clone (CI) has none, and
 * without them it orders by file size: a small file that waits on timers for 13 s then ran
 * last, with the machine idle. The figures need only be roughly right; re-run this after a full
 * `npm test` when files are added or change much (a file not listed goes first in its project).
 *
 * Usage: node --import tsx test/test-durations.ts [report.json…] (default: test-results/vitest.json)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DURATIONS_FILE = path.join(ROOT, 'test/test-durations.json');

const Report = z.object({
  testResults: z.array(z.object({ name: z.string(), startTime: z.number(), endTime: z.number() })),
});

/** The file's path in the repository (a report from another clone names its own root). */
function repoPath(file: string): string {
  const posix = file.split(path.sep).join('/');
  const root = ROOT.split(path.sep).join('/');
  return posix.startsWith(root)
    ? posix.slice(root.length)
    : posix.slice(posix.lastIndexOf('/test/') + 1);
}

/** Each file's recorded wall time in seconds, by its path in the repository ({} if none yet). */
export function readDurations(): Record<string, number> {
  if (!existsSync(DURATIONS_FILE)) return {};
  return z.record(z.string(), z.number()).parse(JSON.parse(readFileSync(DURATIONS_FILE, 'utf8')));
}

function main(reports: string[]): void {
  // A report of part of the suite (one project, one file) updates those files only.
  const seconds = Object.fromEntries(
    Object.entries(readDurations()).filter(([file]) => existsSync(path.join(ROOT, file))),
  );
  let updated = 0;
  for (const report of reports) {
    for (const file of Report.parse(JSON.parse(readFileSync(report, 'utf8'))).testResults) {
      seconds[repoPath(file.name)] = Math.round((file.endTime - file.startTime) / 100) / 10;
      updated += 1;
    }
  }
  const sorted = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(DURATIONS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(
    `${updated} files updated, ${Object.keys(sorted).length} recorded → ${path.relative(ROOT, DURATIONS_FILE)}`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const reports = process.argv.slice(2);
  main(reports.length > 0 ? reports : [path.join(ROOT, 'test-results/vitest.json')]);
}
