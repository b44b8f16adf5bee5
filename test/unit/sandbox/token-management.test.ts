import { describe, expect, it } from 'vitest';
import { CAMILLE, call, LUCAS, useSandbox } from './sandbox-client';

const sandbox = useSandbox();

interface Generated {
  message: string;
  token: {
    id: string;
    tokenMcp: string;
    name: string;
    scopes: string[];
    createdAt: string;
    expiresAt: string;
  };
}
interface Listed {
  tokens: Array<{
    id: string;
    name: string;
    scopes: string[];
    createdAt: string;
    expiresAt: string;
    lastUsedAt: null;
  }>;
}

async function generate(cookie: string, json: unknown) {
  return call<Generated>(sandbox.current, '/api/tokens/generate', {
    method: 'POST',
    json,
    headers: { cookie },
  });
}

describe('sandbox portal: token management (cookie routes)', () => {
  it('generates a token (201) whose secret is a working bearer token with the chosen scopes', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const res = await generate(cookie, {
      name: 'AI assistant (Chrome)',
      scopes: ['read:data'],
      expiresInDays: 7,
    });
    expect(res.status).toBe(201);
    const { token } = res.body;
    expect(token).toMatchObject({ name: 'AI assistant (Chrome)', scopes: ['read:data'] });
    expect(token.tokenMcp.split('.')).toHaveLength(3);
    const days = (Date.parse(token.expiresAt) - Date.parse(token.createdAt)) / 86_400_000;
    expect(days).toBe(7);
    const validate = await call(sandbox.current, '/api/mcp/validate', {
      method: 'POST',
      token: token.tokenMcp,
    });
    expect(validate.body['scopes']).toEqual(['read:data']);
  });

  it('defaults expiresInDays to 90', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const { body } = await generate(cookie, { name: 'default', scopes: ['read:data'] });
    expect((Date.parse(body.token.expiresAt) - Date.parse(body.token.createdAt)) / 86_400_000).toBe(
      90,
    );
  });

  it.each([
    [{ name: '', scopes: ['read:data'] }, 'name'],
    [{ name: 'x'.repeat(101), scopes: ['read:data'] }, 'name'],
    [{ name: 'ok', scopes: [] }, 'scopes'],
    [{ name: 'ok', scopes: ['admin:all'] }, 'scopes.0'],
    [{ name: 'ok', scopes: ['read:data'], expiresInDays: 0 }, 'expiresInDays'],
    [{ name: 'ok', scopes: ['read:data'], expiresInDays: 366 }, 'expiresInDays'],
  ])('refuses %j with 422 naming the field', async (json, field) => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const res = await generate(cookie, json);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      code: 'validation_error',
      details: [expect.objectContaining({ field })],
    });
  });

  it('needs a session (401 without one)', async () => {
    const res = await call(sandbox.current, '/api/tokens/generate', {
      method: 'POST',
      json: { name: 'x', scopes: ['read:data'] },
    });
    expect(res.status).toBe(401);
    expect(res.body['code']).toBe('unauthenticated');
    expect((await call(sandbox.current, '/api/tokens/mcp')).status).toBe(401);
  });

  it('lists only the patient’s own tokens, never the secret', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const { body } = await generate(cookie, {
      name: 'listed',
      scopes: ['read:data', 'book:appointments'],
    });
    await sandbox.current.issueToken({
      email: LUCAS.email,
      scopes: ['read:data'],
      name: 'lucas-only',
    });
    const listed = await call<Listed>(sandbox.current, '/api/tokens/mcp', { headers: { cookie } });
    expect(listed.status).toBe(200);
    const mine = listed.body.tokens.find((t) => t.id === body.token.id);
    expect(mine).toEqual({
      id: body.token.id,
      name: 'listed',
      scopes: ['read:data', 'book:appointments'],
      createdAt: body.token.createdAt,
      expiresAt: body.token.expiresAt,
      lastUsedAt: null,
    });
    expect(listed.body.tokens.map((t) => t.name)).not.toContain('lucas-only');
    expect(JSON.stringify(listed.body)).not.toContain(body.token.tokenMcp);
    expect(JSON.stringify(listed.body)).not.toContain('tokenMcp');
  });

  it('revokes with DELETE: gone from the list and refused at once by the bearer API', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const { body } = await generate(cookie, { name: 'to revoke', scopes: ['read:data'] });
    const del = await call(sandbox.current, `/api/tokens/mcp?id=${body.token.id}`, {
      method: 'DELETE',
      headers: { cookie },
    });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message: expect.any(String) });
    const listed = await call<Listed>(sandbox.current, '/api/tokens/mcp', { headers: { cookie } });
    expect(listed.body.tokens.map((t) => t.id)).not.toContain(body.token.id);
    const use = await call(sandbox.current, '/api/mcp/records', { token: body.token.tokenMcp });
    expect(use.status).toBe(401);
    expect(use.body['code']).toBe('token_revoked');
  });

  it('will not revoke another patient’s token (404) nor without an id (422)', async () => {
    const lucasToken = await sandbox.current.issueToken({
      email: LUCAS.email,
      scopes: ['read:data'],
    });
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const del = await call(sandbox.current, `/api/tokens/mcp?id=${lucasToken.id}`, {
      method: 'DELETE',
      headers: { cookie },
    });
    expect(del.status).toBe(404);
    expect(del.body['code']).toBe('not_found');
    expect(
      (await call(sandbox.current, '/api/mcp/records', { token: lucasToken.token })).status,
    ).toBe(200);
    const noId = await call(sandbox.current, '/api/tokens/mcp', {
      method: 'DELETE',
      headers: { cookie },
    });
    expect(noId.status).toBe(422);
  });
});

describe('sandbox portal: tokenLifetimeSeconds option', () => {
  const short = useSandbox({ tokenLifetimeSeconds: 60 });

  it('overrides expiresInDays for every generated token', async () => {
    const cookie = await short.current.login(CAMILLE.email, CAMILLE.password);
    const { body } = await call<Generated>(short.current, '/api/tokens/generate', {
      method: 'POST',
      json: { name: 'short', scopes: ['read:data'], expiresInDays: 30 },
      headers: { cookie },
    });
    expect((Date.parse(body.token.expiresAt) - Date.parse(body.token.createdAt)) / 1000).toBe(60);
    const issued = await short.current.issueToken({ email: CAMILLE.email, scopes: ['read:data'] });
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
  });
});
