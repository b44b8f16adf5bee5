/**
 * Per-patient request budget (token bucket): one patient's assistant cannot starve the others.
 * Keyed by patient id; a bucket holds only counters, and idle full buckets are dropped.
 */
export interface RateLimit {
  /** Requests a patient may send at once. */
  burst: number;
  /** Requests per second added back. */
  perSecond: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { burst: 60, perSecond: 20 };

export function createPatientRateLimiter(limit: RateLimit, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();

  function refill(bucket: { tokens: number; at: number }, t: number) {
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond,
    );
    bucket.at = t;
  }

  return {
    /** 0 when the request may go, else the seconds to wait (for `Retry-After`). */
    take(patientId: string): number {
      const t = now();
      let bucket = buckets.get(patientId);
      if (!bucket) {
        if (buckets.size >= 50_000) {
          for (const [id, b] of buckets) {
            refill(b, t);
            if (b.tokens >= limit.burst) buckets.delete(id);
          }
        }
        bucket = { tokens: limit.burst, at: t };
        buckets.set(patientId, bucket);
      }
      refill(bucket, t);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    },
  };
}
