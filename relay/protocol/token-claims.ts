/**
 * Reads a HospiAI token's claims without verifying it — shared by the relay (scope and expiry
 * checks before calling the portal) and the extension (is this token the logged-in patient's?).
 * The portal verifies the signature on every use. Browser-safe: no Node API.
 */
import { z } from 'zod';
import { fromBase64Url } from './handshake-crypto';

const Claims = z.object({
  sub: z.string().min(1).optional(),
  scope: z.string().optional(),
  exp: z.number().optional(),
  jti: z.string().optional(),
});

export interface TokenClaims {
  /** The patient (`sub`), or null when the token names none. */
  subject: string | null;
  scopes: string[];
  /** ISO time, or null when the token has no `exp`. */
  expiresAt: string | null;
  tokenId: string | null;
}

/** null when `token` is not a JWT with a JSON payload. */
export function readTokenClaims(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const claims = Claims.parse(JSON.parse(new TextDecoder().decode(fromBase64Url(parts[1]))));
    return {
      subject: claims.sub ?? null,
      scopes: claims.scope ? claims.scope.split(' ').filter(Boolean) : [],
      expiresAt: claims.exp ? new Date(claims.exp * 1000).toISOString() : null,
      tokenId: claims.jti ?? null,
    };
  } catch {
    return null;
  }
}
