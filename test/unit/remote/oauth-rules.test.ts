/**
 * The authorization server's rules where they live: redirect URIs a client may register, the
 * addresses a metadata fetch may not reach, the codes and tokens of a grant (single use, PKCE,
 * rotation, expiry on an injected clock), and a consent page that shows a hostile client name
 * as text.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { REDIS_BIN, type RunningRedis, startRedis } from '../../../relay/cluster/redis-runner';
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
import { createRedisStateStore } from '../../../relay/remote/state/redis-state-store';
import { createMemoryStateStore, type StateStore } from '../../../relay/remote/state/state-store';

const VERIFIER = 'a'.repeat(43);
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const REDIRECT = 'https://assistant.example/callback';

/** The stores a grant may live in: this process's memory, and a real Redis when Debian's is here. */
const STORES: Array<[string, (now: () => number) => Promise<StateStore>]> = [
  ['memory', async (now) => createMemoryStateStore({ now })],
];
let redis: RunningRedis | null = null;
if (existsSync(REDIS_BIN)) {
  STORES.push([
    'Redis',
    async () => {
      redis ??= await startRedis(await mkdtemp(path.join(tmpdir(), 'hospiai-redis-')));
      return createRedisStateStore({
        url: redis.url,
        prefix: `t${randomUUID()}:`,
        onError: () => {},
      });
    },
  ]);
} else console.warn(`oauth-rules: the Redis store is not tested here: ${REDIS_BIN} is missing.`);
afterAll(() => redis?.stop());

async function storeAt(makeStore: (now: () => number) => Promise<StateStore>, start = 1_000_000) {
  let now = start;
  let tokens = 0;
  const clock = () => now;
  const state = await makeStore(clock);
  onTestFinished(() => state.close());
  /** Every value written to the store, to look for secrets in clear. */
  const written: string[] = [];
  const set = state.set.bind(state);
  state.set = (key, value, ttlMs) => {
    written.push(value);
    return set(key, value, ttlMs);
  };
  const store = createGrantStore({ sealer: createSealer(), store: state, now: clock });
  const code = () =>
    store.issueCode({
      clientId: 'c1',
      redirectUri: REDIRECT,
      codeChallenge: CHALLENGE,
      resource: 'https://mcp.example/mcp',
      scopes: ['read:data'],
      patientId: 'p1',
      portalToken: 'portal-token-of-p1',
      portalTokenId: `tok_${++tokens}`,
      portalExpiresAt: start + 3_600_000,
    });
  const redeem = async (value: string | Promise<string>, verifier = VERIFIER) =>
    store.redeemCode({
      code: await value,
      clientId: 'c1',
      redirectUri: REDIRECT,
      codeVerifier: verifier,
    });
  return { store, state, written, code, redeem, advance: (ms: number) => (now += ms) };
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

  it('a registration: public clients only, known grant types, checked redirect URIs', async () => {
    const registry = createClientRegistry({ store: createMemoryStateStore() });
    const { client_id } = await registry.register({ redirect_uris: [REDIRECT], client_name: 'X' });
    expect(client_id).toMatch(/^dcr_/);
    expect(await registry.resolve(client_id)).toMatchObject({
      clientName: 'X',
      kind: 'registered',
    });
    await expect(registry.resolve('dcr_unknown')).rejects.toThrow(/not known/);
    await expect(
      registry.register({
        redirect_uris: [REDIRECT],
        token_endpoint_auth_method: 'client_secret_basic',
      }),
    ).rejects.toThrow(/public clients/);
    await expect(
      registry.register({ redirect_uris: [REDIRECT], grant_types: ['password'] }),
    ).rejects.toThrow(/password/);
    await expect(registry.register({ redirect_uris: ['http://evil.example/cb'] })).rejects.toThrow(
      /loopback/,
    );
    await expect(registry.register({})).rejects.toThrow(/redirect_uris/);
  });

  it('a registration made on one replica is known on another sharing the store', async () => {
    const shared = createMemoryStateStore();
    const one = createClientRegistry({ store: shared });
    const other = createClientRegistry({ store: shared });
    const { client_id } = await one.register({ redirect_uris: [REDIRECT], client_name: 'Y' });
    expect((await other.resolve(client_id)).redirectUris).toEqual([REDIRECT]);
  });
});

describe('codes and tokens of a grant', () => {
  it('PKCE S256 only, compared exactly', () => {
    expect(pkceMatches(VERIFIER, CHALLENGE)).toBe(true);
    expect(pkceMatches('b'.repeat(43), CHALLENGE)).toBe(false);
    expect(pkceMatches(CHALLENGE, CHALLENGE)).toBe(false);
    expect(pkceMatches('short', CHALLENGE)).toBe(false);
  });
});

describe.each(STORES)('codes and tokens of a grant, kept in %s', (_name, makeStore) => {
  it('a code gives one exchange, within 60 s, and a replay ends what it gave', async () => {
    const { store, code, redeem, advance } = await storeAt(makeStore);
    const first = await code();
    const tokens = await redeem(first);
    expect((await store.useAccessToken(tokens.access_token))?.portalToken).toBe(
      'portal-token-of-p1',
    );
    await expect(redeem(first)).rejects.toThrow(/already used/);
    expect(await store.useAccessToken(tokens.access_token)).toBeNull();
    const late = await code();
    advance(CODE_TTL_MS + 1);
    await expect(redeem(late)).rejects.toThrow(/unknown or expired/);
    const wrong = await code();
    await expect(redeem(wrong, 'c'.repeat(43))).rejects.toThrow(/code_verifier/);
    await expect(redeem(wrong)).rejects.toThrow(/unknown or expired/);
  });

  it('two exchanges of one code at once: the replay ends what the first makes — no access survives', async () => {
    const { store, code, redeem } = await storeAt(makeStore);
    const once = await code();
    const outcomes = await Promise.allSettled([redeem(once), redeem(once), redeem(once)]);
    const issued = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    expect(issued.length).toBeLessThanOrEqual(1);
    for (const tokens of issued) expect(await store.useAccessToken(tokens.access_token)).toBeNull();
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
    expect(refused.some((reason) => /already used/.test(reason))).toBe(true);
  });

  it('access tokens end after 10 minutes; refresh rotates, and a reused one ends the grant', async () => {
    const { store, code, redeem, advance } = await storeAt(makeStore);
    const first = await redeem(code());
    advance(ACCESS_TTL_MS + 1);
    expect(await store.useAccessToken(first.access_token)).toBeNull();
    const second = await store.refresh({ refreshToken: first.refresh_token, clientId: 'c1' });
    expect(await store.useAccessToken(second.access_token)).not.toBeNull();
    await expect(
      store.refresh({ refreshToken: second.refresh_token, clientId: 'other' }),
    ).rejects.toThrow(/another client/);
    await expect(
      store.refresh({ refreshToken: first.refresh_token, clientId: 'c1' }),
    ).rejects.toThrow(/already used/);
    expect(await store.useAccessToken(second.access_token)).toBeNull();
    await expect(
      store.refresh({ refreshToken: second.refresh_token, clientId: 'c1' }),
    ).rejects.toThrow();
  });

  it('two refreshes with one token at once: at most one pair comes out', async () => {
    const { store, code, redeem } = await storeAt(makeStore);
    const tokens = await redeem(code());
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map(() => store.refresh({ refreshToken: tokens.refresh_token, clientId: 'c1' })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeLessThanOrEqual(1);
  });

  it('a refresh cannot widen the scopes; revocation by another client changes nothing', async () => {
    const { store, code, redeem } = await storeAt(makeStore);
    const tokens = await redeem(code());
    await expect(
      store.refresh({
        refreshToken: tokens.refresh_token,
        clientId: 'c1',
        scope: 'read:data book:appointments',
      }),
    ).rejects.toThrow(/widen/);
    // The refused refresh left the token live, for its own client.
    const renewed = await store.refresh({ refreshToken: tokens.refresh_token, clientId: 'c1' });
    await store.revoke(renewed.access_token, 'someone-else');
    expect(await store.useAccessToken(renewed.access_token)).not.toBeNull();
    await store.revoke(renewed.access_token, 'c1');
    expect(await store.useAccessToken(renewed.access_token)).toBeNull();
  });

  it('tells whether the sign-in a portal token went to lives: waiting for its code, live, ended', async () => {
    const { store, code, redeem, advance } = await storeAt(makeStore);
    expect(await store.portalTokenInUse('tok_unknown')).toBe(false);
    const first = await code(); // tok_1
    expect(await store.portalTokenInUse('tok_1')).toBe(true);
    const tokens = await redeem(first);
    expect(await store.portalTokenInUse('tok_1')).toBe(true);
    await store.revoke(tokens.refresh_token, 'c1');
    expect(await store.portalTokenInUse('tok_1')).toBe(false);
    await code(); // tok_2, never exchanged
    advance(CODE_TTL_MS + 1);
    expect(await store.portalTokenInUse('tok_2')).toBe(false);
  });

  it('keeps no portal token in clear, and refuses a record it cannot read', async () => {
    const { store, state, written, code, redeem } = await storeAt(makeStore);
    const tokens = await redeem(code());
    await store.refresh({ refreshToken: tokens.refresh_token, clientId: 'c1' });
    // Codes, grants and tokens were written; none holds the portal token or a token in clear.
    expect(written.length).toBeGreaterThan(4);
    for (const value of written) {
      expect(value).not.toContain('portal-token-of-p1');
      expect(value).not.toContain(tokens.access_token);
      expect(value).not.toContain(tokens.refresh_token);
    }
    await state.set('oauth:access:x', '{not json', 60_000);
    expect(await store.useAccessToken('x')).toBeNull();
    expect((await store.useAccessToken(tokens.access_token))?.portalToken).toBe(
      'portal-token-of-p1',
    );
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
