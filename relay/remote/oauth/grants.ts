/**
 * What a patient's "Allow" creates, and every token that comes from it (OAuth 2.1):
 * - an authorization code: random, 60 s, single use, bound to the client, the exact redirect URI,
 *   the PKCE S256 challenge and the resource (RFC 8707). A code presented twice ends the grant
 *   it made (the first exchange may have been an attacker's);
 * - a grant: this client, this patient, the scopes they ticked, and their portal token (sealed);
 * - access tokens (10 min, never longer than the portal token) and refresh tokens that rotate:
 *   each refresh gives a new one and retires the old; a retired one presented again ends the
 *   grant (RFC 9700 §4.14: the family is revoked).
 * Tokens are random strings; only their SHA-256 is kept. In this process's memory: one replica
 * serves a grant (relay/docs/remote-mode.md, "Sign in with HospiAI").
 * (Over 250 lines: codes, grants and tokens are one state machine whose invariants — single use,
 * rotation, what ends a grant — read together.)
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { OAuthError } from './oauth-error';
import type { Sealed, Sealer } from './sealed-secret';

export const CODE_TTL_MS = 60_000;
export const ACCESS_TTL_MS = 10 * 60_000;
export const ACCESS_PREFIX = 'hao_';
const REFRESH_PREFIX = 'hro_';
const CODE_PREFIX = 'hac_';

export interface GrantRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
  scopes: string[];
  patientId: string;
  portalToken: string;
  /** When the portal token expires (ms): no token of the grant outlives it. */
  portalExpiresAt: number;
}

export interface Grant {
  id: string;
  clientId: string;
  patientId: string;
  scopes: string[];
  resource: string;
  portal: Sealed;
  portalExpiresAt: number;
}

/** A grant's live token digests: what ends with it. */
interface GrantTokens {
  access: Set<string>;
  liveRefresh: string | null;
  /** The refresh token the live one replaced: presented again, it ends the grant. */
  retiredRefresh: string | null;
}

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

interface PendingCode extends Omit<GrantRequest, 'portalToken'> {
  portal: Sealed;
  expiresAt: number;
  /** Set once exchanged: the grant a replay must end. */
  redeemedAs: string | null;
}

export interface GrantStoreOptions {
  sealer: Sealer;
  now?: () => number;
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');
const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/** RFC 7636 S256: BASE64URL(SHA256(verifier)) equals the challenge, compared in constant time. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}

export function createGrantStore(options: GrantStoreOptions) {
  const now = options.now ?? Date.now;
  const codes = new Map<string, PendingCode>();
  const grants = new Map<string, Grant>();
  const issued = new Map<string, GrantTokens>();
  const access = new Map<string, { grantId: string; expiresAt: number }>();
  /** Refresh token digest (live or just retired) → its grant. */
  const refresh = new Map<string, string>();

  function endGrant(grantId: string): void {
    grants.delete(grantId);
    const tokens = issued.get(grantId);
    issued.delete(grantId);
    if (!tokens) return;
    for (const key of tokens.access) access.delete(key);
    if (tokens.liveRefresh) refresh.delete(tokens.liveRefresh);
    if (tokens.retiredRefresh) refresh.delete(tokens.retiredRefresh);
  }

  function tokensFor(grant: Grant): TokenAnswer {
    const tokens = issued.get(grant.id) ?? {
      access: new Set<string>(),
      liveRefresh: null,
      retiredRefresh: null,
    };
    issued.set(grant.id, tokens);
    const accessToken = newToken(ACCESS_PREFIX);
    const expiresAt = Math.min(now() + ACCESS_TTL_MS, grant.portalExpiresAt);
    const accessKey = digest(accessToken);
    access.set(accessKey, { grantId: grant.id, expiresAt });
    tokens.access.add(accessKey);
    // Rotation: the live refresh token is retired (kept to catch its reuse), the one it had
    // replaced is forgotten.
    if (tokens.retiredRefresh) refresh.delete(tokens.retiredRefresh);
    tokens.retiredRefresh = tokens.liveRefresh;
    const refreshToken = newToken(REFRESH_PREFIX);
    tokens.liveRefresh = digest(refreshToken);
    refresh.set(tokens.liveRefresh, grant.id);
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: Math.max(1, Math.floor((expiresAt - now()) / 1000)),
      refresh_token: refreshToken,
      scope: grant.scopes.join(' '),
    };
  }

  function sweep() {
    const at = now();
    for (const [key, code] of codes) if (code.expiresAt <= at) codes.delete(key);
    for (const [key, entry] of access)
      if (entry.expiresAt <= at) {
        access.delete(key);
        issued.get(entry.grantId)?.access.delete(key);
      }
    for (const [id, grant] of grants) if (grant.portalExpiresAt <= at) endGrant(id);
  }
  const sweeper = setInterval(sweep, 60_000);
  sweeper.unref();

  return {
    /** The patient said yes: a code for the client to exchange. */
    issueCode(request: GrantRequest): string {
      const { portalToken, ...rest } = request;
      const code = newToken(CODE_PREFIX);
      codes.set(digest(code), {
        ...rest,
        portal: options.sealer.seal(portalToken),
        expiresAt: now() + CODE_TTL_MS,
        redeemedAs: null,
      });
      return code;
    },

    /** `grant_type=authorization_code`. */
    redeemCode(input: {
      code: string;
      clientId: string;
      redirectUri: string;
      codeVerifier: string;
      resource?: string;
    }): TokenAnswer {
      const key = digest(input.code);
      const pending = codes.get(key);
      if (!pending || pending.expiresAt <= now())
        throw new OAuthError('invalid_grant', 'this authorization code is unknown or expired');
      if (pending.redeemedAs) {
        // A second exchange of one code: whoever made the first may not be the client.
        endGrant(pending.redeemedAs);
        codes.delete(key);
        throw new OAuthError(
          'invalid_grant',
          'this authorization code was already used; the access it gave is revoked',
        );
      }
      // Any mismatch spends the code: it gets one exchange, right or wrong.
      const refuse = (error: string, description: string) => {
        codes.delete(key);
        return new OAuthError(error, description);
      };
      if (pending.clientId !== input.clientId)
        throw refuse('invalid_grant', 'this code was issued to another client');
      if (pending.redirectUri !== input.redirectUri)
        throw refuse('invalid_grant', 'redirect_uri differs from the authorization request');
      if (!pkceMatches(input.codeVerifier, pending.codeChallenge))
        throw refuse('invalid_grant', 'code_verifier does not match the code_challenge');
      if (input.resource !== undefined && input.resource !== pending.resource)
        throw refuse('invalid_target', 'resource differs from the authorization request');
      const grant: Grant = {
        id: randomBytes(12).toString('base64url'),
        clientId: pending.clientId,
        patientId: pending.patientId,
        scopes: pending.scopes,
        resource: pending.resource,
        portal: pending.portal,
        portalExpiresAt: pending.portalExpiresAt,
      };
      grants.set(grant.id, grant);
      pending.redeemedAs = grant.id;
      return tokensFor(grant);
    },

    /** `grant_type=refresh_token`: a new pair; the presented refresh token is retired. */
    refresh(input: {
      refreshToken: string;
      clientId: string;
      scope?: string;
      resource?: string;
    }): TokenAnswer {
      const key = digest(input.refreshToken);
      const grantId = refresh.get(key);
      const grant = grantId ? grants.get(grantId) : undefined;
      if (!grant) throw new OAuthError('invalid_grant', 'this refresh token is not valid');
      if (issued.get(grant.id)?.liveRefresh !== key) {
        endGrant(grant.id);
        throw new OAuthError(
          'invalid_grant',
          'this refresh token was already used; the access it belonged to is revoked',
        );
      }
      if (grant.clientId !== input.clientId)
        throw new OAuthError('invalid_grant', 'this refresh token was issued to another client');
      if (input.resource !== undefined && input.resource !== grant.resource)
        throw new OAuthError('invalid_target', 'resource differs from the grant');
      if (grant.portalExpiresAt <= now()) {
        endGrant(grant.id);
        throw new OAuthError('invalid_grant', 'the HospiAI access behind this grant has expired');
      }
      if (input.scope !== undefined) {
        const asked = input.scope.split(' ').filter(Boolean);
        if (asked.some((scope) => !grant.scopes.includes(scope)))
          throw new OAuthError('invalid_scope', 'a refresh cannot widen the scopes granted');
      }
      return tokensFor(grant);
    },

    /** The grant an access token belongs to, and the portal token to call with; null if none. */
    useAccessToken(token: string): { grant: Grant; portalToken: string; expiresAt: number } | null {
      const entry = access.get(digest(token));
      if (!entry || entry.expiresAt <= now()) return null;
      const grant = grants.get(entry.grantId);
      if (!grant) return null;
      return { grant, portalToken: options.sealer.open(grant.portal), expiresAt: entry.expiresAt };
    },

    /** RFC 7009: an access or refresh token of this client ends its grant; unknown ones are ignored. */
    revoke(token: string, clientId: string): void {
      const key = digest(token);
      const grantId = access.get(key)?.grantId ?? refresh.get(key);
      if (grantId && grants.get(grantId)?.clientId === clientId) endGrant(grantId);
    },

    endGrant,

    isLive: (grantId: string) => {
      const grant = grants.get(grantId);
      return grant !== undefined && grant.portalExpiresAt > now();
    },

    /** Live grants, for the metrics and the tests of memory. */
    get size() {
      return grants.size;
    },

    stop(): void {
      clearInterval(sweeper);
    },
  };
}

export type GrantStore = ReturnType<typeof createGrantStore>;
