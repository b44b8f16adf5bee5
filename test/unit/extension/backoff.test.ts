import { describe, expect, it } from 'vitest';
import { backoffDelay, RELAY_RECONNECT_BACKOFF } from '../../../extension/bridge/backoff';

const policy = { initialMs: 500, maxMs: 10_000, factor: 2 };

describe('relay reconnection backoff', () => {
  it('doubles the delay with each failed attempt', () => {
    const noJitter = () => 1;
    expect([0, 1, 2, 3].map((attempt) => backoffDelay(attempt, policy, noJitter))).toEqual([
      500, 1000, 2000, 4000,
    ]);
  });

  it('never waits longer than the cap, however many attempts failed', () => {
    expect(backoffDelay(50, policy, () => 0.999)).toBeLessThanOrEqual(policy.maxMs);
    expect(backoffDelay(1_000_000, policy, () => 0.999)).toBeLessThanOrEqual(policy.maxMs);
  });

  it('jitters within the upper half of the window so relays are not hit in lock-step', () => {
    expect(backoffDelay(3, policy, () => 0)).toBe(2000);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(3000);
    const delays = new Set(Array.from({ length: 20 }, () => backoffDelay(3, policy)));
    expect(delays.size).toBeGreaterThan(1);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(2000);
      expect(delay).toBeLessThanOrEqual(4000);
    }
  });

  it('finds a restarted relay within seconds: the default cap is ten seconds', () => {
    expect(backoffDelay(100, RELAY_RECONNECT_BACKOFF, () => 0.999)).toBeLessThanOrEqual(10_000);
  });
});
