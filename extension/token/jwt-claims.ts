/**
 * Reads the claims of a HospiAI token without verifying it. The extension only uses them to
 * check that a token belongs to the logged-in patient and carries what the portal said; the
 * portal verifies the signature on every use.
 */
import { z } from 'zod';
import { fromBase64Url } from '../../relay/protocol/handshake-crypto';

const Claims = z.object({
  sub: z.string().min(1),
  scope: z.string().optional(),
  exp: z.number().optional(),
  jti: z.string().optional(),
});

export interface TokenClaims {
  patientId: string;
  scopes: string[];
  /** ISO time, or null when the token has no `exp`. */
  expiresAt: string | null;
  tokenId: string | null;
}

export function readTokenClaims(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const json = new TextDecoder().decode(fromBase64Url(parts[1]));
    const claims = Claims.parse(JSON.parse(json));
    return {
      patientId: claims.sub,
      scopes: claims.scope ? claims.scope.split(' ').filter(Boolean) : [],
      expiresAt: claims.exp ? new Date(claims.exp * 1000).toISOString() : null,
      tokenId: claims.jti ?? null,
    };
  } catch {
    return null;
  }
}
