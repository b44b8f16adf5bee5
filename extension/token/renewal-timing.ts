/**
 * When to renew a token: early enough that no tool call ever meets an expired token, and with
 * room to ask the patient to open the portal when no portal tab is there to do it.
 */

/** Renew when this share of the lifetime remains… */
const RENEW_AT_REMAINING_SHARE = 0.25;
/** …but never with more than this left (a day-long token renews 2 h before it ends)… */
const MAX_RENEW_MARGIN_MS = 2 * 60 * 60 * 1000;
/** …and not sooner than this after creation, so a clock skew cannot cause a renewal storm. */
const MIN_TOKEN_AGE_MS = 5_000;

export interface TokenTimes {
  createdAt: string;
  expiresAt: string;
}

/** Epoch ms at which renewal should start. */
export function renewalDueAt(token: TokenTimes): number {
  const created = Date.parse(token.createdAt);
  const expires = Date.parse(token.expiresAt);
  const lifetime = Math.max(0, expires - created);
  const margin = Math.min(lifetime * RENEW_AT_REMAINING_SHARE, MAX_RENEW_MARGIN_MS);
  return Math.max(created + MIN_TOKEN_AGE_MS, expires - margin);
}

/** Milliseconds from `now` until renewal is due (0 when already due). */
export function renewalDelay(token: TokenTimes, now: number): number {
  return Math.max(0, renewalDueAt(token) - now);
}

export function isExpired(token: Pick<TokenTimes, 'expiresAt'>, now: number): boolean {
  return Date.parse(token.expiresAt) <= now;
}
