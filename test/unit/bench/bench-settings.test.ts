/** The benchmarks' knobs: a value that is not a positive number stops the run, by name. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { positiveNumberFromEnv } from '../../bench/bench-settings';

describe('benchmark settings from the environment', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('takes the default when unset or empty, and the value when it is a positive number', () => {
    vi.stubEnv('BENCH_PACED_RATE', '');
    expect(positiveNumberFromEnv('BENCH_PACED_RATE', 1000)).toBe(1000);
    vi.stubEnv('BENCH_PACED_RATE', '250.5');
    expect(positiveNumberFromEnv('BENCH_PACED_RATE', 1000, { integer: false })).toBe(250.5);
    vi.stubEnv('BENCH_CALLS', '2000');
    expect(positiveNumberFromEnv('BENCH_CALLS', 10_000)).toBe(2000);
  });

  it('refuses what is not a positive number, naming the setting and the value', () => {
    for (const raw of ['abc', '0', '-5', 'Infinity', '1e999']) {
      vi.stubEnv('BENCH_PACED_RATE', raw);
      expect(() => positiveNumberFromEnv('BENCH_PACED_RATE', 1000, { integer: false })).toThrow(
        `BENCH_PACED_RATE must be a positive number, not "${raw}"`,
      );
    }
    vi.stubEnv('BENCH_CALLS', '10.5');
    expect(() => positiveNumberFromEnv('BENCH_CALLS', 10_000)).toThrow(
      'BENCH_CALLS must be a positive whole number, not "10.5"',
    );
  });
});
