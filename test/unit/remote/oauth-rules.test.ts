/**
 * The authorization server's rules where they live: redirect URIs a client may register, the
 * addresses a metadata fetch may not reach, the codes and tokens of a grant (single use, PKCE,
 * rotation, expiry on an injected clock), and a consent page that shows a hostile client name
 * as text.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  fetchClientMetadata,
  isInternalAddress,
} from '../../../relay/remote/oauth/client-metadata-fetch';
import {
  createClientRegistry,
  metadataDocumentUrl,
} from '../../../relay/remote/oauth/client-registry';
import { renderConsentPage } from '../../../relay/remote/oauth/consent-page';
import {
  ACCESS_TTL_MS,
  CODE_TTL_MS,
  createGrantStore,
  pkceMatches,
} from '../../../relay/remote/oauth/grants';
import { redirectUriProblem } from '../../../relay/remote/oauth/redirect-uris';
import { createSealer } from '../../../relay/remote/oauth/sealed-secret';

const VERIFIER = 'a'.repeat(43);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const REDIRECT = 'https://assistant.example/callback';

function storeAt(start = 1_000_000) {
  let now = start;
  const store = createGrantStore({ sealer: createSealer(), now: () => now });
  const code = () =>
    store.issueCode({
      clientId: 'c1',
      redirectUri: REDIRECT,
      codeChallenge: CHALLENGE,
      resource: 'https://mcp.example/mcp',
      scopes: ['read:data'],
      patientId: 'p1',
      portalToken: 'portal-token-of-p1',
      portalExpiresAt: start + 3_600_000,
    });
  const redeem = (value: string, verifier = VERIFIER) =>
    store.redeemCode({
      code: value,
      clientId: 'c1',
      redirectUri: REDIRECT,
      codeVerifier: verifier,
    });
  return { store, code, redeem, advance: (ms: number) => (now += ms) };
}

describe('redirect URIs a client may register', () => {
  it('takes https, http to the loopback and reverse-domain schemes; refuses what can leak a code', () => {
    for (const ok of [
      REDIRECT,
      'http://127.0.0.1:33418/cb',
      'http://localhost/cb',
      'http://[::1]:9/cb',
      'com.example.app:/oauth',
    ])
      expect(redirectUriProblem(ok), ok).toBeNull();
    for (const bad of [
      'http://assistant.example/cb',
      'javascript:alert(1)',
      'data:text/html,x',
      'https://a.example/cb#frag',
      'https://user:pw@a.example/cb',
      'myapp:/cb',
      '/relative',
      '',
    ])
      expect(redirectUriProblem(bad), bad).not.toBeNull();
  });
});

describe('client metadata documents', () => {
  it('are HTTPS URLs with a path', () => {
    expect(metadataDocumentUrl('https://claude.ai/oauth/client.json')?.host).toBe('claude.ai');
    for (const no of [
      'http://a.example/c.json',
      'https://a.example/',
      'dcr_x',
      'https://a.example/c#f',
    ])
      expect(metadataDocumentUrl(no), no).toBeNull();
  });

  it('are never fetched from internal addresses unless the operator allows it', async () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '169.254.169.254',
      '192.168.0.1',
      '::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
    ])
      expect(isInternalAddress(address), address).toBe(true);
    expect(isInternalAddress('93.184.216.34')).toBe(false);
    expect(isInternalAddress('::ffff:5db8:d822')).toBe(false);
    expect(isInternalAddress('2606:4700::1111')).toBe(false);
    await expect(
      fetchClientMetadata(new URL('https://169.254.169.254/latest/meta-data')),
    ).rejects.toThrow(/internal address/);
    await expect(fetchClientMetadata(new URL('https://localhost:1/client.json'))).rejects.toThrow(
      /internal address/,
    );
  });

  it('a registration: public clients only, known grant types, checked redirect URIs', () => {
    const registry = createClientRegistry();
    expect(registry.register({ redirect_uris: [REDIRECT], client_name: 'X' }).client_id).toMatch(
      /^dcr_/,
    );
    expect(() =>
      registry.register({
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    ).toThrow(/public clients/);
    expect(() =>
      registry.register({ redirect_uris: [REDIRECT], grant_types: ['password'] }),
    ).toThrow(/password/);
    expect(() => registry.register({ redirect_uris: ['http://evil.example/cb'] })).toThrow(
      /loopback/,
    );
    expect(() => registry.register({})).toThrow(/redirect_uris/);
  });
});

describe('codes and tokens of a grant', () => {
  it('PKCE S256 only, compared exactly', () => {
    expect(pkceMatches(VERIFIER, CHALLENGE)).toBe(true);
    expect(pkceMatches('b'.repeat(43), CHALLENGE)).toBe(false);
    expect(pkceMatches(CHALLENGE, CHALLENGE)).toBe(false);
    expect(pkceMatches('short', CHALLENGE)).toBe(false);
  });

  it('a code gives one exchange, within 60 s, and a replay ends what it gave', () => {
    const { store, code, redeem, advance } = storeAt();
    const first = code();
    const tokens = redeem(first);
    expect(store.useAccessToken(tokens.access_token)?.portalToken).toBe('portal-token-of-p1');
    expect(() => redeem(first)).toThrow(/already used/);
    expect(store.useAccessToken(tokens.access_token)).toBeNull();
    const late = code();
    advance(CODE_TTL_MS + 1);
    expect(() => redeem(late)).toThrow(/unknown or expired/);
    const wrong = code();
    expect(() => redeem(wrong, 'c'.repeat(43))).toThrow(/code_verifier/);
    expect(() => redeem(wrong)).toThrow(/unknown or expired/);
  });

  it('access tokens end after 10 minutes; refresh rotates, and a reused one ends the grant', () => {
    const { store, code, redeem, advance } = storeAt();
    const first = redeem(code());
    advance(ACCESS_TTL_MS + 1);
    expect(store.useAccessToken(first.access_token)).toBeNull();
    const second = store.refresh({ refreshToken: first.refresh_token, clientId: 'c1' });
    expect(store.useAccessToken(second.access_token)).not.toBeNull();
    expect(() => store.refresh({ refreshToken: second.refresh_token, clientId: 'other' })).toThrow(
      /another client/,
    );
    expect(() => store.refresh({ refreshToken: first.refresh_token, clientId: 'c1' })).toThrow(
      /already used/,
    );
    expect(store.useAccessToken(second.access_token)).toBeNull();
    expect(() => store.refresh({ refreshToken: second.refresh_token, clientId: 'c1' })).toThrow();
    expect(store.size).toBe(0);
  });

  it('a refresh cannot widen the scopes; revocation by another client changes nothing', () => {
    const { store, code, redeem } = storeAt();
    const tokens = redeem(code());
    expect(() =>
      store.refresh({
        refreshToken: tokens.refresh_token,
        clientId: 'c1',
        scope: 'read:data book:appointments',
      }),
    ).toThrow(/widen/);
    store.revoke(tokens.access_token, 'someone-else');
    expect(store.useAccessToken(tokens.access_token)).not.toBeNull();
    store.revoke(tokens.access_token, 'c1');
    expect(store.useAccessToken(tokens.access_token)).toBeNull();
    store.stop();
  });
});

describe('the consent page', () => {
  it('shows what a client says of itself as text, and says it is not verified', () => {
    const page = renderConsentPage({
      lang: 'fr',
      client: {
        clientId: 'dcr_x',
        clientName: '<script>alert(1)</script>Claude',
        redirectUris: [REDIRECT],
        kind: 'registered',
        verifiedHost: null,
      },
      redirectUri: REDIRECT,
      scopes: ['read:data', 'write:data'],
      ticked: ['read:data'],
      requestId: 'r1',
      portalUrl: 'https://portal.example',
      issuer: 'https://mcp.example',
    });
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;Claude');
    expect(page).toContain('il n’est pas vérifié');
    expect(page).toContain('assistant.example');
    expect(page).toContain('https://portal.example/dashboard/tokens');
    expect(page).toContain('value="read:data" checked');
    expect(page).toContain('value="write:data">');
    // The extension's path first, in French, to the portal's dashboard with the request in the
    // fragment (which the portal's server never receives).
    expect(page.indexOf('data-use-extension')).toBeLessThan(page.indexOf('<form'));
    expect(page).toContain('Utiliser l’extension HospiAI');
    const href = /data-use-extension href="([^"]+)"/.exec(page)?.[1] ?? '';
    const link = new URL(href);
    expect(`${link.origin}${link.pathname}${link.search}`).toBe('https://portal.example/dashboard');
    expect(
      JSON.parse(Buffer.from(link.hash.replace('#hospiai-connect=', ''), 'base64url').toString()),
    ).toEqual({ server: 'https://mcp.example', request: 'r1' });
  });
});
