import { describe, expect, it } from 'vitest';
import { CAMILLE, call, FORM_HEADERS, form, LUCAS, page, useSandbox } from './sandbox-client';

const sandbox = useSandbox();

const SECRET = /<code id="new-token-secret" data-token-id="(tok_[0-9a-f]+)">([^<]+)<\/code>/;

async function submitGenerate(cookie: string, fields: Array<[string, string]>) {
  return page(sandbox.current, '/dashboard/tokens', {
    method: 'POST',
    headers: {
      cookie,
      ...FORM_HEADERS,
      origin: sandbox.current.url,
      'sec-fetch-site': 'same-origin',
    },
    body: form(fields),
  });
}

describe('sandbox portal: Tokens API page', () => {
  it('keeps the DOM contract the extension relies on', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const { status, html } = await page(sandbox.current, '/dashboard/tokens', {
      headers: { cookie },
    });
    expect(status).toBe(200);
    expect(html).toContain(`<body data-portal="hospiai" data-patient-id="${CAMILLE.id}">`);
    expect(html).toContain(`<span id="patient-name">${CAMILLE.name}</span>`);
    expect(html).toContain('<main id="tokens-page">');
    expect(html).toContain(
      '<form id="generate-token-form" method="post" action="/dashboard/tokens">',
    );
    expect(html).toMatch(/<input type="text" name="name"/);
    for (const scope of ['read:data', 'write:data', 'book:appointments']) {
      expect(html).toContain(`<input type="checkbox" name="scopes" value="${scope}">`);
    }
    expect(html).toMatch(/<input type="number" name="expiresInDays"/);
    expect(html).toMatch(/<button type="submit">/);
    expect(html).toContain('<table id="tokens">');
    expect(html).not.toContain('id="new-token"');
  });

  it('shows a newly generated secret once, as a working token, and not on reload', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const res = await submitGenerate(cookie, [
      ['name', 'Mon assistant'],
      ['scopes', 'read:data'],
      ['scopes', 'book:appointments'],
      ['expiresInDays', '30'],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/tokens');
    expect(res.html).toBe('');

    const shown = await page(sandbox.current, '/dashboard/tokens', { headers: { cookie } });
    expect(shown.html).toContain('<section id="new-token">');
    expect(shown.html).toContain('Copy it now, it will not be shown again.');
    const [, id, secret] = SECRET.exec(shown.html) ?? [];
    expect(secret?.split('.')).toHaveLength(3);
    expect(shown.html).toContain(`<tr data-token-id="${id}">`);

    const validate = await call(sandbox.current, '/api/mcp/validate', {
      method: 'POST',
      token: secret,
    });
    expect(validate.body['token']).toMatchObject({
      id,
      name: 'Mon assistant',
      scopes: ['read:data', 'book:appointments'],
    });

    const reload = await page(sandbox.current, '/dashboard/tokens', { headers: { cookie } });
    expect(reload.html).not.toContain('id="new-token-secret"');
    expect(reload.html).not.toContain(secret);
    expect(reload.html).toContain(`<tr data-token-id="${id}">`);
  });

  it('shows the secret only to the session that generated it', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const otherTab = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    await submitGenerate(cookie, [
      ['name', 'one session'],
      ['scopes', 'read:data'],
    ]);
    const other = await page(sandbox.current, '/dashboard/tokens', {
      headers: { cookie: otherTab },
    });
    expect(other.html).not.toContain('id="new-token-secret"');
    expect(
      (await page(sandbox.current, '/dashboard/tokens', { headers: { cookie } })).html,
    ).toContain('id="new-token-secret"');
  });

  it('lists each token with name, scopes, dates, status and a revoke form', async () => {
    const cookie = await sandbox.current.login(LUCAS.email, LUCAS.password);
    const issued = await sandbox.current.issueToken({
      email: LUCAS.email,
      scopes: ['read:data'],
      name: 'Cursor',
    });
    const { html } = await page(sandbox.current, '/dashboard/tokens', { headers: { cookie } });
    const row =
      new RegExp(`<tr data-token-id="${issued.id}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
    expect(row).toContain('<td data-field="name">Cursor</td>');
    expect(row).toContain('<code>read:data</code>');
    expect(row).toContain('<td data-field="lastUsedAt">jamais</td>');
    expect(row).toContain('<td data-field="status">actif</td>');
    expect(row).toContain('<form method="post" action="/dashboard/tokens/revoke">');
    expect(row).toContain(`<input type="hidden" name="id" value="${issued.id}">`);
    expect(row).toContain('<button type="submit" data-action="revoke">');
    expect(html).not.toContain(issued.token);
  });

  it('revokes from the row form: redirect back, row gone, token refused', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const issued = await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['read:data'],
    });
    const res = await page(sandbox.current, '/dashboard/tokens/revoke', {
      method: 'POST',
      headers: { cookie, ...FORM_HEADERS, 'sec-fetch-site': 'same-origin' },
      body: form([['id', issued.id]]),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard/tokens');
    const { html } = await page(sandbox.current, '/dashboard/tokens', { headers: { cookie } });
    expect(html).not.toContain(`data-token-id="${issued.id}"`);
    expect(
      (await call(sandbox.current, '/api/mcp/records', { token: issued.token })).body['code'],
    ).toBe('token_revoked');
  });

  it('re-renders the form with an error (422) and creates nothing when the form is invalid', async () => {
    const cookie = await sandbox.current.login(LUCAS.email, LUCAS.password);
    const before = await call<{ tokens: unknown[] }>(sandbox.current, '/api/tokens/mcp', {
      headers: { cookie },
    });
    const res = await submitGenerate(cookie, [
      ['name', 'no scopes'],
      ['expiresInDays', '30'],
    ]);
    expect(res.status).toBe(422);
    expect(res.html).toContain('id="form-error"');
    expect(res.html).toContain('scopes');
    expect(res.html).not.toContain('id="new-token"');
    const after = await call<{ tokens: unknown[] }>(sandbox.current, '/api/tokens/mcp', {
      headers: { cookie },
    });
    expect(after.body.tokens).toHaveLength(before.body.tokens.length);
  });

  it('escapes token names in the page', async () => {
    const cookie = await sandbox.current.login(LUCAS.email, LUCAS.password);
    await sandbox.current.issueToken({
      email: LUCAS.email,
      scopes: ['read:data'],
      name: '<img src=x onerror=alert(1)>',
    });
    const { html } = await page(sandbox.current, '/dashboard/tokens', { headers: { cookie } });
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
  });
});
