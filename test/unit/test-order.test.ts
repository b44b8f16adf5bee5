/** The order the test run hands files out (test/test-order.ts): longest recorded first. */
import { describe, expect, it } from 'vitest';
import { longestFirst } from '../test-order';

describe('the test files’ order', () => {
  const recorded = new Map([
    ['test/unit/waits-on-timers.test.ts', 13],
    ['test/unit/quick.test.ts', 0.1],
    ['test/e2e/short-story.test.ts', 5],
    ['test/e2e/long-story.test.ts', 52],
    ['test/integration/relays.test.ts', 15],
  ]);

  it('goes by project (browsers, then processes, then units), then longest recorded first', () => {
    const files = [
      { project: 'unit', file: 'test/unit/quick.test.ts' },
      { project: 'unit', file: 'test/unit/waits-on-timers.test.ts' },
      { project: 'integration', file: 'test/integration/relays.test.ts' },
      { project: 'e2e', file: 'test/e2e/short-story.test.ts' },
      { project: 'e2e', file: 'test/e2e/long-story.test.ts' },
    ];
    expect(longestFirst(files, recorded).map((entry) => entry.file)).toEqual([
      'test/e2e/long-story.test.ts',
      'test/e2e/short-story.test.ts',
      'test/integration/relays.test.ts',
      'test/unit/waits-on-timers.test.ts',
      'test/unit/quick.test.ts',
    ]);
  });

  it('puts a file with no recorded time first in its project, keeping vitest’s order among them', () => {
    const files = [
      { project: 'unit', file: 'test/unit/quick.test.ts' },
      { project: 'unit', file: 'test/unit/new-b.test.ts' },
      { project: 'unit', file: 'test/unit/waits-on-timers.test.ts' },
      { project: 'unit', file: 'test/unit/new-a.test.ts' },
    ];
    expect(longestFirst(files, recorded).map((entry) => entry.file)).toEqual([
      'test/unit/new-b.test.ts',
      'test/unit/new-a.test.ts',
      'test/unit/waits-on-timers.test.ts',
      'test/unit/quick.test.ts',
    ]);
  });
});
