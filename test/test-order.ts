/**
 * The order vitest hands files to its workers: the longest first, so that the run does not end
 * waiting on one slow file with the machine idle. The real-browser files take longest, then the
 * integration files; the unit files, most a second or less, fill the gaps. Within a project,
 * files go by the wall time test/test-durations.json records for them (`npm run
 * test:durations` rewrites it from the last report): vitest's own timings live in a cache that a
 * fresh clone (CI) does not have, and without them it goes by file size — a small unit file that
 * waits 13 s on real timers then started last. A file not listed yet goes first in its project
 * (it may be long), in vitest's order.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { readDurations } from './test-durations';

const PROJECT_RANK: Record<string, number> = { e2e: 0, integration: 1, unit: 2 };

/** The recorded durations; none (vitest's order) if the file cannot be read. */
function recordedSeconds(): Map<string, number> {
  try {
    return new Map(Object.entries(readDurations()));
  } catch {
    return new Map();
  }
}

/** Files (in vitest's order) sorted: by project, then longest recorded first, unknown first. */
export function longestFirst<T extends { project: string; file: string }>(
  files: readonly T[],
  recorded: ReadonlyMap<string, number>,
): T[] {
  const position = new Map(files.map((entry, index) => [entry, index]));
  const rank = (entry: T) => PROJECT_RANK[entry.project] ?? 3;
  const seconds = (entry: T) => recorded.get(entry.file) ?? Number.POSITIVE_INFINITY;
  // Infinity − Infinity is NaN, which counts as a tie (falsy) and falls through to vitest's order.
  return [...files].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      seconds(b) - seconds(a) ||
      (position.get(a) ?? 0) - (position.get(b) ?? 0),
  );
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const entries = (await super.sort(files)).map((spec) => ({
      spec,
      project: spec.project.name,
      file: path.relative(spec.project.config.root, spec.moduleId).split(path.sep).join('/'),
    }));
    const ordered = longestFirst(entries, recordedSeconds()).map((entry) => entry.spec);
    // HOSPIAI_TEST_ORDER=reverse (.ci/run's second background run): the same files the other way
    // round, so that two runs side by side do not wait on timers in the same files at once.
    return process.env.HOSPIAI_TEST_ORDER === 'reverse' ? ordered.reverse() : ordered;
  }
}
