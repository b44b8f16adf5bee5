/**
 * Who is logged in and whose a token is come from the portal's answers to the extension's own
 * requests: a page cannot forge them, and anything short of a clear answer names nobody.
 */
import { describe, expect, it } from 'vitest';
import { fetchPortalLogin, vouchForToken } from '../../../extension/portal/session-identity';

const ORIGIN = 'http://127.0.0.1:47600';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jwt = (claims: Record<string, unknown>) =>
  `${b64({ alg: 'RS256' })}.${b64(claims)}.c2lnbmF0dXJl`;

function fakeFetch(status: number, body: unknown) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

describe('the portal login, asked by the extension', () => {
  it('names the patient of the session, with the cookie, following no redirect', async () => {
    const { fetchImpl, calls } = fakeFetch(200, {
      user: { id: 'pat_1', email: 'c@d.fr', name: 'Camille Durand' },
      expires: '2030-01-01T00:00:00.000Z',
    });
    expect(await fetchPortalLogin(ORIGIN, fetchImpl)).toEqual({
      state: 'logged_in',
      patientId: 'pat_1',
      patientName: 'Camille Durand',
    });
    expect(calls[0]?.url).toBe(`${ORIGIN}/api/auth/session`);
    expect(calls[0]?.init).toMatchObject({ credentials: 'include', redirect: 'error' });
  });

  it('says logged out for `{}`, and unknown for anything unclear', async () => {
    expect((await fetchPortalLogin(ORIGIN, fakeFetch(200, {}).fetchImpl)).state).toBe('logged_out');
    for (const [status, body] of [
      [500, { user: { id: 'pat_1' } }],
      [200, 'not json'],
      [200, { user: { id: '' } }],
      [200, { user: 'pat_1' }],
      [200, { extra: true }],
    ] as const) {
      expect(
        await fetchPortalLogin(ORIGIN, fakeFetch(status, body).fetchImpl),
        String(body),
      ).toEqual({ state: 'unknown', patientId: null, patientName: null });
    }
    const failing = (async () => {
      throw new TypeError('network');
    }) as typeof fetch;
    expect((await fetchPortalLogin(ORIGIN, failing)).state).toBe('unknown');
  });
});

describe('a token shown on the page', () => {
  const own = jwt({ sub: 'pat_1', scope: 'read:data', jti: 'tok_9', exp: 4_000_000_000 });
  const verdict = (userId: string, tokenId: string) => ({
    valid: true,
    user: { id: userId, email: 'c@d.fr' },
    token: { id: tokenId, name: 'x', scopes: ['read:data'], expiresAt: '2030-01-01T00:00:00.000Z' },
    scopes: ['read:data'],
  });

  it('is accepted when the portal vouches for it and its sub is the session’s patient', async () => {
    const { fetchImpl, calls } = fakeFetch(200, verdict('pat_1', 'tok_9'));
    expect(
      await vouchForToken(ORIGIN, { token: own, tokenId: 'tok_9' }, 'pat_1', fetchImpl),
    ).toEqual({
      token: own,
      tokenId: 'tok_9',
      patientId: 'pat_1',
      scopes: ['read:data'],
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(calls[0]?.url).toBe(`${ORIGIN}/api/mcp/validate`);
    // The token alone is tested: no session cookie rides along.
    expect(calls[0]?.init).toMatchObject({ method: 'POST', credentials: 'omit' });
  });

  it('is refused, without asking the portal, when its sub is another patient', async () => {
    const planted = jwt({ sub: 'pat_2', scope: 'read:data', jti: 'tok_8', exp: 4_000_000_000 });
    const { fetchImpl, calls } = fakeFetch(200, verdict('pat_2', 'tok_8'));
    expect(
      await vouchForToken(ORIGIN, { token: planted, tokenId: 'tok_8' }, 'pat_1', fetchImpl),
    ).toBeNull();
    expect(calls).toEqual([]);
  });

  it('is refused when the portal names another patient or token, or does not vouch', async () => {
    for (const [status, body] of [
      [200, verdict('pat_2', 'tok_9')],
      [200, verdict('pat_1', 'tok_other')],
      [401, { error: 'Token invalide', code: 'invalid_token' }],
      [200, { valid: false }],
    ] as const) {
      const { fetchImpl } = fakeFetch(status, body);
      expect(
        await vouchForToken(ORIGIN, { token: own, tokenId: 'tok_9' }, 'pat_1', fetchImpl),
        JSON.stringify(body),
      ).toBeNull();
    }
  });
});
