/**
 * A token bucket per connection, on both sides of the bridge: bursts up to `perSecond` frames,
 * refilled at `perSecond` frames per second. A peer that floods it is cut off instead of
 * queueing work.
 */
export interface RateLimiter {
  /** Takes one frame's allowance; false when the peer is over its rate. */
  take(): boolean;
}

export function createRateLimiter(
  perSecond: number,
  now: () => number = () => performance.now(),
): RateLimiter {
  let tokens = perSecond;
  let last = now();
  return {
    take() {
      const at = now();
      tokens = Math.min(perSecond, tokens + ((at - last) / 1000) * perSecond);
      last = at;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
