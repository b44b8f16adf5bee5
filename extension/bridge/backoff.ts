/**
 * Reconnection delays: exponential, capped, with "equal jitter" (half fixed, half random) so
 * that a restarted relay is found quickly but ten idle ports are not hammered in lock-step.
 */
export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const RELAY_RECONNECT_BACKOFF: BackoffPolicy = { initialMs: 500, maxMs: 10_000, factor: 2 };

/** Delay before retry number `attempt` (0 = first retry). `random` returns [0, 1). */
export function backoffDelay(
  attempt: number,
  policy: BackoffPolicy = RELAY_RECONNECT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.min(attempt, 30));
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.factor ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
