/**
 * What a patient's "Allow" creates, and every token that comes from it (OAuth 2.1):
 * - an authorization code: random, 60 s, single use, bound to the client, the exact redirect URI,
 *   the PKCE S256 challenge and the resource (RFC 8707). A code presented twice ends the grant
 *   it made (the first exchange may have been an attacker's);
 * - a grant: this client, this patient, the scopes they ticked, and their portal token (sealed);
 * - access tokens (10 min, never longer than the portal token) and refresh tokens that rotate:
 *   each refresh gives a new one and retires the old; a retired one presented again ends the
 *   grant (RFC 9700 §4.14: the family is revoked).
 * Tokens are random strings; only their SHA-256 is kept, as keys of a state store
 * (state/state-store.ts: this process's memory, or Redis shared by the replicas), each record
 * parsed back by its schema and expiring with what it stands for. Single use holds across
 * replicas: a code or a refresh token is `take`n (read and deleted at once), so two exchanges of
 * one cannot both succeed; an ended grant leaves a tombstone that a grant made in a race with
 * its end checks before it is used.
 * (Over 250 lines: codes, grants and tokens are one state machine whose invariants — single use,
 * rotation, what ends a grant — read together.)
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { parseStored, type StateStore } from '../state/state-store';
import { OAuthError } from './oauth-error';
import { SealedRecord, type Sealer } from './sealed-secret';

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
  /** The portal's id of that token: whoever made it may ask whether its grant lives. */
  portalTokenId: string;
  /** When the portal token expires (ms): no token of the grant outlives it. */
  portalExpiresAt: number;
}

const Grant = z.object({
  id: z.string(),
  clientId: z.string(),
  patientId: z.string(),
  scopes: z.array(z.string()),
  resource: z.string(),
  portal: SealedRecord,
  portalExpiresAt: z.number(),
});
export type Grant = z.infer<typeof Grant>;

export interface TokenAnswer {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

const PendingCode = z.object({
  clientId: z.string(),
  redirectUri: z.string(),
  codeChallenge: z.string(),
  resource: z.string(),
  scopes: z.array(z.string()),
  patientId: z.string(),
  portal: SealedRecord,
  portalExpiresAt: z.number(),
  /** The grant this code makes, named before it is made (so a replay can end it). */
  grantId: z.string(),
  expiresAt: z.number(),
});

const AccessRecord = z.object({ grantId: z.string(), expiresAt: z.number() });
/** A portal token → the grant it was given to (named before it is made), and its code's expiry. */
const PortalTokenRecord = z.object({ grantId: z.string(), codeExpiresAt: z.number() });
const RefreshRecord = z.object({ grantId: z.string() });

/** A code exchanged twice (or replayed while its first exchange was under way). */
const codeReused = () =>
  new OAuthError(
    'invalid_grant',
    'this authorization code was already used; the access it gave is revoked',
  );

/** The keys of the store, one family per record. */
const key = {
  code: (digest: string) => `oauth:code:${digest}`,
  /** A code once exchanged → the grant it made: presented again, it ends that grant. */
  usedCode: (digest: string) => `oauth:used-code:${digest}`,
  grant: (id: string) => `oauth:grant:${id}`,
  ended: (id: string) => `oauth:ended:${id}`,
  access: (digest: string) => `oauth:access:${digest}`,
  refresh: (digest: string) => `oauth:refresh:${digest}`,
  /** A refresh token that was rotated out: presented again, it ends its grant. */
  retired: (digest: string) => `oauth:retired:${digest}`,
  portalToken: (tokenId: string) => `oauth:portal-token:${digest(tokenId)}`,
};

/** The longest a grant lives (its portal token's lifetime caps it; the extension's is 30 days). */
const MAX_GRANT_MS = 90 * 24 * 3_600_000;

export interface GrantStoreOptions {
  sealer: Sealer;
  store: StateStore;
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
  const { store } = options;
  const until = (at: number) => at - now();

  async function readGrant(grantId: string): Promise<Grant | null> {
    const grant = parseStored(Grant, await store.get(key.grant(grantId)));
    return grant && grant.portalExpiresAt > now() ? grant : null;
  }

  /** Ends a grant: its record goes, and a tombstone stays for as long as it could have lived. */
  async function endGrant(grantId: string): Promise<void> {
    await store.set(key.ended(grantId), '1', MAX_GRANT_MS);
    await store.delete(key.grant(grantId));
  }

  async function tokensFor(grant: Grant, retiring: string | null): Promise<TokenAnswer> {
    const accessToken = newToken(ACCESS_PREFIX);
    const expiresAt = Math.min(now() + ACCESS_TTL_MS, grant.portalExpiresAt);
    const refreshToken = newToken(REFRESH_PREFIX);
    const grantLeft = until(grant.portalExpiresAt);
    await store.set(
      key.access(digest(accessToken)),
      JSON.stringify({ grantId: grant.id, expiresAt }),
      until(expiresAt),
    );
    // Rotation: the presented refresh token is retired (kept to catch its reuse).
    if (retiring) await store.set(key.retired(retiring), grant.id, grantLeft);
    await store.set(
      key.refresh(digest(refreshToken)),
      JSON.stringify({ grantId: grant.id }),
      grantLeft,
    );
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: Math.max(1, Math.floor((expiresAt - now()) / 1000)),
      refresh_token: refreshToken,
      scope: grant.scopes.join(' '),
    };
  }

  return {
    /** The patient said yes: a code for the client to exchange. */
    async issueCode(request: GrantRequest): Promise<string> {
      const { portalToken, portalTokenId, ...rest } = request;
      const code = newToken(CODE_PREFIX);
      const pending: z.infer<typeof PendingCode> = {
        ...rest,
        portal: options.sealer.seal(portalToken),
        grantId: randomBytes(12).toString('base64url'),
        expiresAt: now() + CODE_TTL_MS,
      };
      await store.set(key.code(digest(code)), JSON.stringify(pending), CODE_TTL_MS);
      await store.set(
        key.portalToken(portalTokenId),
        JSON.stringify({ grantId: pending.grantId, codeExpiresAt: pending.expiresAt }),
        Math.max(CODE_TTL_MS, until(request.portalExpiresAt)),
      );
      return code;
    },

    /** `grant_type=authorization_code`. */
    async redeemCode(input: {
      code: string;
      clientId: string;
      redirectUri: string;
      codeVerifier: string;
      resource?: string;
    }): Promise<TokenAnswer> {
      const codeKey = digest(input.code);
      // Taken: any outcome spends the code (it gets one exchange, right or wrong).
      const taken = parseStored(PendingCode, await store.take(key.code(codeKey)));
      const pending = taken && taken.expiresAt > now() ? taken : null;
      if (!pending) {
        const madeGrant = await store.get(key.usedCode(codeKey));
        if (madeGrant !== null) {
          // A second exchange of one code: whoever made the first may not be the client.
          await endGrant(madeGrant);
          throw codeReused();
        }
        throw new OAuthError('invalid_grant', 'this authorization code is unknown or expired');
      }
      if (pending.clientId !== input.clientId)
        throw new OAuthError('invalid_grant', 'this code was issued to another client');
      if (pending.redirectUri !== input.redirectUri)
        throw new OAuthError(
          'invalid_grant',
          'redirect_uri differs from the authorization request',
        );
      if (!pkceMatches(input.codeVerifier, pending.codeChallenge))
        throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
      if (input.resource !== undefined && input.resource !== pending.resource)
        throw new OAuthError('invalid_target', 'resource differs from the authorization request');
      await store.set(key.usedCode(codeKey), pending.grantId, CODE_TTL_MS);
      const grant: Grant = {
        id: pending.grantId,
        clientId: pending.clientId,
        patientId: pending.patientId,
        scopes: pending.scopes,
        resource: pending.resource,
        portal: pending.portal,
        portalExpiresAt: pending.portalExpiresAt,
      };
      await store.set(key.grant(grant.id), JSON.stringify(grant), until(grant.portalExpiresAt));
      // A replay of the code may have ended this grant while it was being made.
      if ((await store.get(key.ended(grant.id))) !== null) {
        await store.delete(key.grant(grant.id));
        throw codeReused();
      }
      return tokensFor(grant, null);
    },

    /** `grant_type=refresh_token`: a new pair; the presented refresh token is retired. */
    async refresh(input: {
      refreshToken: string;
      clientId: string;
      scope?: string;
      resource?: string;
    }): Promise<TokenAnswer> {
      const refreshKey = digest(input.refreshToken);
      const live = parseStored(RefreshRecord, await store.take(key.refresh(refreshKey)));
      if (!live) {
        const retiredOf = await store.get(key.retired(refreshKey));
        if (retiredOf !== null) {
          await endGrant(retiredOf);
          throw new OAuthError(
            'invalid_grant',
            'this refresh token was already used; the access it belonged to is revoked',
          );
        }
        throw new OAuthError('invalid_grant', 'this refresh token is not valid');
      }
      const grant = await readGrant(live.grantId);
      if (!grant) {
        await endGrant(live.grantId);
        throw new OAuthError('invalid_grant', 'the HospiAI access behind this grant has ended');
      }
      // A refusal below leaves the token as it was: live, for its own client.
      const keep = async (error: OAuthError) => {
        await store.set(
          key.refresh(refreshKey),
          JSON.stringify({ grantId: grant.id }),
          until(grant.portalExpiresAt),
        );
        return error;
      };
      if (grant.clientId !== input.clientId)
        throw await keep(
          new OAuthError('invalid_grant', 'this refresh token was issued to another client'),
        );
      if (input.resource !== undefined && input.resource !== grant.resource)
        throw await keep(new OAuthError('invalid_target', 'resource differs from the grant'));
      if (input.scope !== undefined) {
        const asked = input.scope.split(' ').filter(Boolean);
        if (asked.some((scope) => !grant.scopes.includes(scope)))
          throw await keep(
            new OAuthError('invalid_scope', 'a refresh cannot widen the scopes granted'),
          );
      }
      return tokensFor(grant, refreshKey);
    },

    /** The grant an access token belongs to, and the portal token to call with; null if none. */
    async useAccessToken(
      token: string,
    ): Promise<{ grant: Grant; portalToken: string; expiresAt: number } | null> {
      const entry = parseStored(AccessRecord, await store.get(key.access(digest(token))));
      if (!entry || entry.expiresAt <= now()) return null;
      const grant = await readGrant(entry.grantId);
      if (!grant) return null;
      return { grant, portalToken: options.sealer.open(grant.portal), expiresAt: entry.expiresAt };
    },

    /** RFC 7009: an access or refresh token of this client ends its grant; unknown ones are ignored. */
    async revoke(token: string, clientId: string): Promise<void> {
      const tokenKey = digest(token);
      const grantId =
        parseStored(AccessRecord, await store.get(key.access(tokenKey)))?.grantId ??
        parseStored(RefreshRecord, await store.get(key.refresh(tokenKey)))?.grantId;
      if (!grantId) return;
      if ((await readGrant(grantId))?.clientId === clientId) await endGrant(grantId);
    },

    endGrant,

    /**
     * Whether the sign-in a portal token was given to lives: its code still waits for its
     * exchange, or its grant is live. The extension that made a dedicated token asks, and
     * revokes it at the portal once this says no (the portal lets only the patient revoke).
     */
    async portalTokenInUse(portalTokenId: string): Promise<boolean> {
      const record = parseStored(
        PortalTokenRecord,
        await store.get(key.portalToken(portalTokenId)),
      );
      if (!record) return false;
      if ((await readGrant(record.grantId)) !== null) return true;
      const ended = (await store.get(key.ended(record.grantId))) !== null;
      return !ended && record.codeExpiresAt > now();
    },

    isLive: async (grantId: string) => (await readGrant(grantId)) !== null,
  };
}

export type GrantStore = ReturnType<typeof createGrantStore>;
