/**
 * Stable error codes of the relay. Each failure a tool can meet is one of these, with a sentence
 * (relay/i18n/messages.ts) that tells the patient what to do. The code is what clients, tests
 * and the popup key on; the sentence is for people.
 */
export const ErrorCode = {
  NOT_PAIRED: 'NOT_PAIRED',
  NO_TOKEN: 'NO_TOKEN',
  EXTENSION_OFFLINE: 'EXTENSION_OFFLINE',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  TOKEN_REVOKED: 'TOKEN_REVOKED',
  TOKEN_INVALID: 'TOKEN_INVALID',
  INSUFFICIENT_SCOPE: 'INSUFFICIENT_SCOPE',
  PORTAL_UNREACHABLE: 'PORTAL_UNREACHABLE',
  PORTAL_ERROR: 'PORTAL_ERROR',
  RATE_LIMITED: 'RATE_LIMITED',
  SLOT_UNAVAILABLE: 'SLOT_UNAVAILABLE',
  NOT_FOUND: 'NOT_FOUND',
  INVALID_REQUEST: 'INVALID_REQUEST',
  NOT_CONFIRMED: 'NOT_CONFIRMED',
  RESULT_TOO_LARGE: 'RESULT_TOO_LARGE',
  /** A bug in the relay, not an answer of the portal: logged, and told plainly. */
  INTERNAL_ERROR: 'INTERNAL_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A failure with a stable code and an actionable sentence, safe to show to the model. */
export class RelayError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Machine-readable extras (required scope, alternatives, retry-after…). Never secrets. */
    readonly details: Record<string, unknown> = {},
    /** What the client's view shows beside the sentence (tool-result.ts `meta`). Never secrets. */
    readonly meta: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RelayError';
  }
}
