import { describe, expect, it } from 'vitest';
import { CAMILLE, call, FORM_HEADERS, form, page, useSandbox } from './sandbox-client';

const sandbox = useSandbox();

const crossSite = [
  ['a foreign Origin', { origin: 'https://evil.example' }],
  ['a null Origin', { origin: 'null' }],
  ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
  ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
  [
    'a same-origin Sec-Fetch-Site with a foreign Origin',
    { 'sec-fetch-site': 'same-origin', origin: 'http://127.0.0.1:1' },
  ],
] as const;

describe('sandbox portal: cross-site refusal on cookie routes', () => {
  it.each(crossSite)(
    'refuses token generation with %s (403 csrf_rejected)',
    async (_label, headers) => {
      const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
      const res = await call(sandbox.current, '/api/tokens/generate', {
        method: 'POST',
        json: { name: 'csrf', scopes: ['read:data'] },
        headers: { cookie, ...headers },
      });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: expect.any(String), code: 'csrf_rejected' });
    },
  );

  it('refuses cross-site listing, revocation and dashboard forms, and revokes nothing', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const issued = await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['read:data'],
    });
    const evil = { cookie, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    const attempts = [
      call(sandbox.current, '/api/tokens/mcp', { headers: evil }),
      call(sandbox.current, `/api/tokens/mcp?id=${issued.id}`, { method: 'DELETE', headers: evil }),
      call(sandbox.current, '/dashboard/tokens/revoke', {
        method: 'POST',
        headers: { ...evil, ...FORM_HEADERS },
        body: form([['id', issued.id]]),
      }),
      call(sandbox.current, '/dashboard/tokens', {
        method: 'POST',
        headers: { ...evil, ...FORM_HEADERS },
        body: form([
          ['name', 'x'],
          ['scopes', 'read:data'],
        ]),
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body['code']).toBe('csrf_rejected');
    }
    expect((await call(sandbox.current, '/api/mcp/records', { token: issued.token })).status).toBe(
      200,
    );
  });

  it('refuses a cross-site login form post (login CSRF)', async () => {
    const res = await page(sandbox.current, '/api/auth/login', {
      method: 'POST',
      headers: { ...FORM_HEADERS, origin: 'https://evil.example' },
      body: form([
        ['email', CAMILLE.email],
        ['password', CAMILLE.password],
      ]),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('accepts same-origin requests (the portal’s own Origin, Sec-Fetch-Site: same-origin)', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    for (const origin of [sandbox.current.url, `http://localhost:${sandbox.current.port}`]) {
      const res = await call(sandbox.current, '/api/tokens/generate', {
        method: 'POST',
        json: { name: 'same-origin', scopes: ['read:data'] },
        headers: { cookie, origin, 'sec-fetch-site': 'same-origin' },
      });
      expect(res.status, origin).toBe(201);
    }
  });

  it('accepts non-browser requests that carry neither Origin nor Sec-Fetch-Site', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const res = await call(sandbox.current, '/api/tokens/mcp', { headers: { cookie } });
    expect(res.status).toBe(200);
  });
});
