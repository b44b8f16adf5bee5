/**
 * Bearers whose signature and claims were verified, remembered for a short while: an assistant
 * sends the same token with every request, and an RS256 verification costs a tenth of a
 * replica's CPU under load. A hit is never more lenient than verifying again: an entry ends at
 * the token's `exp` (no clock tolerance) and after `maxAgeMs` at most (so a key the portal
 * withdrew stops being trusted that soon), and revocation is still checked on every request by
 * the caller. Keyed by the token's SHA-256: no second copy of any token is kept.
 */
import { createHash } from 'node:crypto';

export interface VerifiedSignaturesOptions<T> {
  maxEntries: number;
  maxAgeMs: number;
  /** Seconds since the epoch at which the verified claims stop being valid. */
  expiresAt: (claims: T) => number;
  now?: () => number;
}

export function createVerifiedSignatures<T>(options: VerifiedSignaturesOptions<T>) {
  const now = options.now ?? Date.now;
  const entries = new Map<string, { claims: T; until: number }>();
  const keyOf = (token: string) => createHash('sha256').update(token).digest('base64url');

  return {
    get(token: string): T | undefined {
      const key = keyOf(token);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (now() >= entry.until) {
        entries.delete(key);
        return undefined;
      }
      return entry.claims;
    },
    remember(token: string, claims: T): void {
      const until = Math.min(now() + options.maxAgeMs, options.expiresAt(claims) * 1000);
      if (until <= now()) return;
      const key = keyOf(token);
      entries.delete(key);
      // Oldest first out: a flood of distinct valid tokens cannot grow the map past its bound.
      while (entries.size >= options.maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
      entries.set(key, { claims, until });
    },
    get size() {
      return entries.size;
    },
  };
}
