import { describe, expect, it } from 'vitest';
import { CAMILLE, call, FORM_HEADERS, form, page, useSandbox } from './sandbox-client';

const sandbox = useSandbox();

async function formLogin(email: string, password: string) {
  return page(sandbox.current, '/api/auth/login', {
    method: 'POST',
    headers: FORM_HEADERS,
    body: form([
      ['email', email],
      ['password', password],
    ]),
  });
}

const cookieOf = (headers: Headers) => (headers.get('set-cookie') ?? '').split(';')[0] ?? '';

describe('sandbox portal: login, session, logout', () => {
  it('serves a real login form without a patient id on the body', async () => {
    const { status, html } = await page(sandbox.current, '/login');
    expect(status).toBe(200);
    expect(html).toContain('<form id="login-form" method="post" action="/api/auth/login">');
    expect(html).toContain('name="email"');
    expect(html).toContain('name="password"');
    expect(html).toContain('<body data-portal="hospiai">');
    expect(html).not.toContain('data-patient-id');
  });

  it('logs in with the form, sets the Auth.js cookie and redirects 303 to the dashboard', async () => {
    const res = await formLogin(CAMILLE.email, CAMILLE.password);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^authjs\.session-token=[A-Za-z0-9_-]{20,};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).toContain(`Max-Age=${7 * 24 * 3600}`);

    const session = await call(sandbox.current, '/api/auth/session', {
      headers: { cookie: cookieOf(res.headers) },
    });
    expect(session.body).toMatchObject({
      user: { id: CAMILLE.id, email: CAMILLE.email, name: CAMILLE.name },
    });
    const expires = Date.parse(String(session.body['expires']));
    expect(expires - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
  });

  it('sends wrong credentials back to the login page with the error shown', async () => {
    const res = await formLogin(CAMILLE.email, 'wrong');
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toBeNull();
    const back = await page(sandbox.current, res.headers.get('location') ?? '');
    expect(back.html).toContain('id="login-error"');
    expect(back.html).toContain('mot de passe incorrect');
  });

  it('accepts a JSON login and answers 401 JSON to wrong credentials', async () => {
    const ok = await call(sandbox.current, '/api/auth/login', {
      method: 'POST',
      json: { email: CAMILLE.email, password: CAMILLE.password },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ user: { id: CAMILLE.id } });
    expect(ok.headers.get('set-cookie')).toContain('authjs.session-token=');

    const bad = await call(sandbox.current, '/api/auth/login', {
      method: 'POST',
      json: { email: CAMILLE.email, password: 'nope' },
    });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: expect.any(String), code: 'invalid_credentials' });
  });

  it('answers {} from /api/auth/session without a session', async () => {
    const res = await call(sandbox.current, '/api/auth/session');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it('redirects / and /dashboard pages to /login when logged out, / to /dashboard when logged in', async () => {
    for (const path of ['/', '/dashboard', '/dashboard/tokens', '/dashboard/anything']) {
      const res = await page(sandbox.current, path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location'), path).toBe('/login');
    }
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const home = await page(sandbox.current, '/', { headers: { cookie } });
    expect(home.headers.get('location')).toBe('/dashboard');
  });

  it('renders the dashboard with the patient id, name, upcoming appointments and the Tokens API link', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const { status, html } = await page(sandbox.current, '/dashboard', { headers: { cookie } });
    expect(status).toBe(200);
    expect(html).toContain(`<body data-portal="hospiai" data-patient-id="${CAMILLE.id}">`);
    expect(html).toContain(`<span id="patient-name">${CAMILLE.name}</span>`);
    expect(html).toContain('<main id="dashboard">');
    expect(html).toContain('<a href="/dashboard/tokens">Tokens API</a>');
    expect(html.match(/<li data-appointment-id="/g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).not.toContain('data-status="cancelled"');
    expect(html).not.toContain('data-status="completed"');
  });

  it('ends the session on logout (form and JSON)', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const out = await page(sandbox.current, '/api/auth/logout', {
      method: 'POST',
      headers: { cookie },
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect(
      (await call(sandbox.current, '/api/auth/session', { headers: { cookie } })).body,
    ).toEqual({});
    expect((await page(sandbox.current, '/dashboard', { headers: { cookie } })).status).toBe(303);

    const second = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const json = await call(sandbox.current, '/api/auth/logout', {
      method: 'POST',
      json: {},
      headers: { cookie: second },
    });
    expect(json.body).toEqual({ message: expect.any(String) });
    expect(
      (await call(sandbox.current, '/api/auth/session', { headers: { cookie: second } })).body,
    ).toEqual({});
  });

  it('refuses programmatic login with wrong credentials', async () => {
    await expect(sandbox.current.login(CAMILLE.email, 'wrong')).rejects.toThrow(/Wrong/);
  });
});
