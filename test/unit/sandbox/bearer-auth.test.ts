import {
  createLocalJWKSet,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { CAMILLE, call, useSandbox } from './sandbox-client';

const sandbox = useSandbox();
const ALL = ['read:data', 'write:data', 'book:appointments'];

describe('sandbox portal: bearer authentication of /api/mcp', () => {
  it('validates a token: the patient, the token and its scopes', async () => {
    const issued = await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['read:data'],
      name: 'Claude',
    });
    const res = await call(sandbox.current, '/api/mcp/validate', {
      method: 'POST',
      token: issued.token,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      user: { id: CAMILLE.id, email: CAMILLE.email, firstname: 'Camille', surname: 'Durand' },
      token: { id: issued.id, name: 'Claude', scopes: ['read:data'], expiresAt: issued.expiresAt },
      scopes: ['read:data'],
    });
  });

  it('answers 401 invalid_token without a bearer token, with an RFC 6750 challenge', async () => {
    const res = await call(sandbox.current, '/api/mcp/appointments');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: expect.any(String), code: 'invalid_token' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('answers 401 invalid_token to a malformed token', async () => {
    const res = await call(sandbox.current, '/api/mcp/appointments', { token: 'not-a-jwt' });
    expect(res.status).toBe(401);
    expect(res.body['code']).toBe('invalid_token');
    expect(res.body['error']).toBe('Token invalide');
  });

  it('answers 401 invalid_token to a token signed by another key', async () => {
    const issued = await sandbox.current.issueToken({ email: CAMILLE.email, scopes: ALL });
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: CAMILLE.id, scope: ALL.join(' ') })
      .setProtectedHeader({ alg: 'RS256', kid: decodeProtectedHeader(issued.token).kid })
      .setIssuer('hospiai-api')
      .setAudience('hospiai-mcp')
      .setJti(issued.id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    const res = await call(sandbox.current, '/api/mcp/validate', { method: 'POST', token: forged });
    expect(res.status).toBe(401);
    expect(res.body['code']).toBe('invalid_token');
  });

  it('answers 401 token_expired past exp', async () => {
    const issued = await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ALL,
      expiresInSeconds: -5,
    });
    const res = await call(sandbox.current, '/api/mcp/appointments', { token: issued.token });
    expect(res.status).toBe(401);
    expect(res.body['code']).toBe('token_expired');
  });

  it('answers 401 token_revoked as soon as the token is revoked', async () => {
    const issued = await sandbox.current.issueToken({ email: CAMILLE.email, scopes: ALL });
    expect(
      (await call(sandbox.current, '/api/mcp/appointments', { token: issued.token })).status,
    ).toBe(200);
    sandbox.current.revokeToken(issued.id);
    const res = await call(sandbox.current, '/api/mcp/appointments', { token: issued.token });
    expect(res.status).toBe(401);
    expect(res.body['code']).toBe('token_revoked');
  });

  it('answers 403 insufficient_scope naming the missing scope in WWW-Authenticate', async () => {
    const readOnly = await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['read:data'],
    });
    const book = await call(sandbox.current, '/api/mcp/book', {
      method: 'POST',
      token: readOnly.token,
      json: { date: '2099-01-05', time: '10:00', doctorId: 'doc_5d1c7a20', reason: 'x' },
    });
    expect(book.status).toBe(403);
    expect(book.body).toEqual({
      error: expect.stringContaining('book:appointments'),
      code: 'insufficient_scope',
    });
    expect(book.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", scope="book:appointments"',
    );

    const cancel = await call(sandbox.current, '/api/mcp/appointments/apt_c1a4/cancel', {
      method: 'POST',
      token: readOnly.token,
    });
    expect(cancel.status).toBe(403);

    const bookOnly = await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['book:appointments'],
    });
    for (const path of [
      '/appointments',
      '/records',
      '/doctors',
      '/doctors/doc_5d1c7a20/slots?date=2099-01-05',
    ]) {
      const res = await call(sandbox.current, `/api/mcp${path}`, { token: bookOnly.token });
      expect(res.status, path).toBe(403);
      expect(res.headers.get('www-authenticate'), path).toBe(
        'Bearer error="insufficient_scope", scope="read:data"',
      );
    }
  });

  it('accepts a token carrying an unknown scope for the scopes it has', async () => {
    const issued = await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['read:data', 'admin:everything'],
    });
    const res = await call(sandbox.current, '/api/mcp/validate', {
      method: 'POST',
      token: issued.token,
    });
    expect(res.body['scopes']).toEqual(['read:data', 'admin:everything']);
    expect((await call(sandbox.current, '/api/mcp/records', { token: issued.token })).status).toBe(
      200,
    );
  });

  it('records lastUsedAt when a token is used', async () => {
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const issued = await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['read:data'],
    });
    const listed = async () => {
      const { body } = await call<{ tokens: Array<{ id: string; lastUsedAt: string | null }> }>(
        sandbox.current,
        '/api/tokens/mcp',
        { headers: { cookie } },
      );
      return body.tokens.find((t) => t.id === issued.id);
    };
    expect((await listed())?.lastUsedAt).toBeNull();
    const before = Date.now();
    await call(sandbox.current, '/api/mcp/records', { token: issued.token });
    expect(Date.parse((await listed())?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
  });

  it('publishes a JWKS that verifies its tokens with the documented claims', async () => {
    const jwks = await call<{ keys: Array<Record<string, string>> }>(
      sandbox.current,
      '/.well-known/jwks.json',
    );
    expect(jwks.status).toBe(200);
    const [key] = jwks.body.keys;
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(key).not.toHaveProperty('d');

    const issued = await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['read:data', 'book:appointments'],
    });
    expect(decodeProtectedHeader(issued.token)).toMatchObject({ alg: 'RS256', kid: key?.['kid'] });
    const { payload } = await jwtVerify(issued.token, createLocalJWKSet(jwks.body), {
      issuer: 'hospiai-api',
      audience: 'hospiai-mcp',
    });
    expect(payload).toMatchObject({
      sub: CAMILLE.id,
      email: CAMILLE.email,
      scope: 'read:data book:appointments',
      jti: issued.id,
    });
    expect(payload.exp).toBe(Date.parse(issued.expiresAt) / 1000);
    expect(payload.iat).toEqual(expect.any(Number));
  });
});
