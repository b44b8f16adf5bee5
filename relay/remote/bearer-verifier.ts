/**
 * Verifies the bearer of every remote request as MCP's authorization spec asks of a resource
 * server: an RS256 JWT signed by one of the portal's keys (JWKS, cached, re-fetched when a token
 * names an unknown `kid`), `iss` hospiai-api, `aud` hospiai-mcp, `exp`/`nbf`, and not revoked
 * (the portal's `/validate`, through a short cache). The token itself is never logged.
 */
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { KNOWN_SCOPES } from '../protocol/protocol';
import { BearerRefused, type VerifiedBearer } from './bearer';
import type { RevocationCheck } from './revocation-check';
import { createVerifiedSignatures } from './verified-signatures';

export const TOKEN_ISSUER = 'hospiai-api';
export const TOKEN_AUDIENCE = 'hospiai-mcp';

const Claims = z.object({
  sub: z.string().min(1).max(200),
  jti: z.string().min(1).max(200),
  exp: z.number(),
  scope: z.string().max(1000).optional(),
});

export interface BearerVerifierOptions {
  portalUrl: string;
  revocation: RevocationCheck;
  /** How long fetched keys are trusted before a refresh (jose's cacheMaxAge). */
  keysMaxAgeMs?: number;
  /** How long a verified signature is trusted for the same token (default 60 s). */
  verifiedMaxAgeMs?: number;
  now?: () => number;
}

export function createBearerVerifier(options: BearerVerifierOptions) {
  const jwks = createRemoteJWKSet(new URL(`${options.portalUrl}/.well-known/jwks.json`), {
    timeoutDuration: 5_000,
    // An unknown kid re-fetches the set at most this often (a rotated key is picked up at once).
    cooldownDuration: 10_000,
    cacheMaxAge: options.keysMaxAgeMs ?? 10 * 60_000,
  });
  const verified = createVerifiedSignatures<z.infer<typeof Claims>>({
    maxEntries: 10_000,
    maxAgeMs: options.verifiedMaxAgeMs ?? 60_000,
    expiresAt: (claims) => claims.exp,
    now: options.now,
  });

  async function claimsOf(token: string): Promise<z.infer<typeof Claims>> {
    const known = verified.get(token);
    if (known) return known;
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        // Pinned: `none` and HS* (a public key used as an HMAC secret) are refused.
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'jti', 'exp'],
        clockTolerance: 5,
        currentDate: options.now ? new Date(options.now()) : undefined,
      }));
    } catch (error) {
      throw refusal(error);
    }
    const claims = Claims.safeParse(payload);
    if (!claims.success)
      throw new BearerRefused('invalid_token', 'the token lacks sub, jti or exp');
    verified.remember(token, claims.data);
    return claims.data;
  }

  async function verify(authorization: string | undefined): Promise<VerifiedBearer> {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(authorization ?? '');
    if (!match?.[1]) throw new BearerRefused('invalid_token', 'a Bearer token is required');
    const token = match[1];
    const { sub, jti, exp, scope } = await claimsOf(token);
    // The portal has the last word on revocation (a token deleted in the dashboard).
    await options.revocation.check(token, jti);
    return {
      token,
      patientId: sub,
      tokenId: jti,
      scopes: (scope ?? '')
        .split(' ')
        .filter((s) => (KNOWN_SCOPES as readonly string[]).includes(s)),
      expiresAt: new Date(exp * 1000).toISOString(),
    };
  }

  return {
    verify,
    /** Fetches the key set now (readiness); throws when the portal cannot give it. */
    async loadKeys(): Promise<void> {
      await jwks.reload();
    },
    /** Whether keys have been fetched and are still fresh. */
    keysLoaded(): boolean {
      return jwks.fresh;
    },
  };
}

export type BearerVerifier = ReturnType<typeof createBearerVerifier>;

function refusal(error: unknown): BearerRefused {
  if (error instanceof BearerRefused) return error;
  if (error instanceof errors.JWTExpired)
    return new BearerRefused('invalid_token', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed)
    return new BearerRefused(
      'invalid_token',
      `the token's ${error.claim} claim is not accepted here`,
    );
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new BearerRefused('invalid_token', 'only RS256 tokens are accepted');
  if (error instanceof errors.JWKSNoMatchingKey)
    return new BearerRefused('invalid_token', 'the token is not signed by a HospiAI key');
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return new BearerRefused('invalid_token', 'the token signature is invalid');
  if (error instanceof errors.JWKSTimeout || error instanceof TypeError)
    return new BearerRefused('temporarily_unavailable', 'the portal keys could not be fetched');
  if (error instanceof errors.JOSEError)
    return new BearerRefused('invalid_token', 'the token is malformed');
  return new BearerRefused('temporarily_unavailable', 'the token could not be checked');
}
