/**
 * The portal's error contract: every API error is `{error, code}` JSON (HOSPIAI-API.md §4).
 * Handlers throw `PortalError`; the router turns it into the response.
 */
export interface FieldIssue {
  field: string;
  message: string;
}

export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra JSON members (`details`, `alternatives`) and response headers. */
    readonly extra: { body?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'PortalError';
  }

  toJson(): Record<string, unknown> {
    return { error: this.message, code: this.code, ...this.extra.body };
  }
}

export const notFound = (message = 'Not found') => new PortalError(404, 'not_found', message);

export const validationError = (details: FieldIssue[], message = 'Invalid request') =>
  new PortalError(422, 'validation_error', message, { body: { details } });

export const unauthenticated = () =>
  new PortalError(401, 'unauthenticated', 'Not logged in: sign in to the HospiAI dashboard first');

/** Bearer failures carry the RFC 6750 challenge so clients can tell what went wrong. */
export const bearerError = (
  code: 'invalid_token' | 'token_expired' | 'token_revoked',
  message: string,
) =>
  new PortalError(401, code, message, {
    headers: { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message}"` },
  });

export const insufficientScope = (scope: string) =>
  new PortalError(
    403,
    'insufficient_scope',
    `Insufficient permissions: this needs the "${scope}" scope`,
    {
      headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
    },
  );

export const csrfRejected = () =>
  new PortalError(403, 'csrf_rejected', 'Cross-site request refused');
