/**
 * Reads a HospiAI token's claims without verifying it: the relay only uses them to check scopes
 * and expiry before calling the portal, which verifies the token itself on every request.
 */
import { z } from 'zod';

const Claims = z.object({
  sub: z.string().optional(),
  email: z.string().optional(),
  scope: z.string().optional(),
  exp: z.number().optional(),
  jti: z.string().optional(),
});

export interface TokenClaims {
  subject: string | null;
  scopes: string[];
  /** Expiry in ms since the epoch, or null when the token has none. */
  expiresAt: number | null;
  tokenId: string | null;
}

export function readTokenClaims(token: string): TokenClaims | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = Buffer.from(payload, 'base64url').toString('utf8');
    const claims = Claims.parse(JSON.parse(json));
    return {
      subject: claims.sub ?? null,
      scopes: claims.scope ? claims.scope.split(' ').filter(Boolean) : [],
      expiresAt: claims.exp ? claims.exp * 1000 : null,
      tokenId: claims.jti ?? null,
    };
  } catch {
    return null;
  }
}
