import { describe, expect, it, vi } from 'vitest';
import { CAMILLE, call, useSandbox } from './sandbox-client';

const sandbox = useSandbox();

const tokenFor = async () =>
  (
    await sandbox.current.issueToken({
      email: CAMILLE.email,
      scopes: ['read:data', 'book:appointments'],
    })
  ).token;

describe('sandbox portal: fault knobs', () => {
  it('answers 429 rate_limited with Retry-After for the next N matching requests only', async () => {
    const token = await tokenFor();
    sandbox.current.faults.failNext({
      pathPrefix: '/api/mcp/appointments',
      status: 429,
      count: 2,
      retryAfterSeconds: 3,
    });
    const other = await call(sandbox.current, '/api/mcp/records', { token });
    expect(other.status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await call(sandbox.current, '/api/mcp/appointments', { token });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(res.body).toEqual({ error: expect.any(String), code: 'rate_limited' });
    }
    expect((await call(sandbox.current, '/api/mcp/appointments', { token })).status).toBe(200);
  });

  it('gives 429 a default Retry-After and answers 5xx with server_error', async () => {
    const token = await tokenFor();
    sandbox.current.faults.failNext({ pathPrefix: '/api/mcp', status: 429 });
    expect(
      (await call(sandbox.current, '/api/mcp/records', { token })).headers.get('retry-after'),
    ).toBe('1');
    for (const status of [500, 502, 503] as const) {
      sandbox.current.faults.failNext({ pathPrefix: '/api/mcp/records', status });
      const res = await call(sandbox.current, '/api/mcp/records', { token });
      expect(res.status).toBe(status);
      expect(res.body['code']).toBe('server_error');
    }
  });

  it('fails a booking before it happens (a retried 503 books once)', async () => {
    const token = await tokenFor();
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const slots = await call<{ slots: Array<{ date: string; time: string }> }>(
      sandbox.current,
      `/api/mcp/doctors/doc_8d3f5a19/slots?date=${tomorrow}&days=7`,
      { token },
    );
    const slot = slots.body.slots[0];
    sandbox.current.faults.failNext({ pathPrefix: '/api/mcp/book', status: 503 });
    const json = { date: slot?.date, time: slot?.time, doctorId: 'doc_8d3f5a19' };
    expect(
      (await call(sandbox.current, '/api/mcp/book', { method: 'POST', token, json })).status,
    ).toBe(503);
    expect(
      (await call(sandbox.current, '/api/mcp/book', { method: 'POST', token, json })).status,
    ).toBe(201);
  });

  // Delays and latencies far longer than any test waits: what shows them is whether a request
  // answers at all, never how fast (a loaded machine slows every request). A request that must
  // answer gives up after UNDELAYED_MS, so that a wrong delay fails with a clear error.
  const LONG_MS = 600_000;
  const UNDELAYED_MS = 10_000;

  it('delays matching requests so that clients time out', async () => {
    const token = await tokenFor();
    sandbox.current.faults.delayNext({ pathPrefix: '/api/mcp/records', ms: LONG_MS });
    const logged = sandbox.current.requests.length;
    const giveUp = new AbortController();
    const timedOut = call(sandbox.current, '/api/mcp/records', { token, signal: giveUp.signal });
    // The client gives up once the portal holds its request (a fixed timer could fire before
    // the request even arrived, on a loaded machine, and leave the delay for the next one).
    const held = await vi.waitFor(
      () => {
        const entry = sandbox.current.requests
          .slice(logged)
          .find((r) => r.path === '/api/mcp/records');
        if (!entry) throw new Error('the portal has not received the request yet');
        return entry;
      },
      { timeout: 10_000, interval: 20 },
    );
    expect(held.status).toBe(0);
    giveUp.abort();
    await expect(timedOut).rejects.toThrow();
    // The next one is not delayed: the delay was for one request.
    const next = await call(sandbox.current, '/api/mcp/records', {
      token,
      signal: AbortSignal.timeout(UNDELAYED_MS),
    });
    expect(next.status).toBe(200);
  });

  it('adds latencyMs to /api/mcp responses only, and reset() clears every knob', async () => {
    const token = await tokenFor();
    // A latency is a floor: load only adds to it.
    const latencyMs = 300;
    sandbox.current.faults.latencyMs = latencyMs;
    const started = Date.now();
    await call(sandbox.current, '/api/mcp/records', { token });
    expect(Date.now() - started).toBeGreaterThanOrEqual(latencyMs - 10);

    sandbox.current.faults.latencyMs = LONG_MS;
    const session = await call(sandbox.current, '/api/auth/session', {
      signal: AbortSignal.timeout(UNDELAYED_MS),
    });
    expect(session.status).toBeLessThan(500);

    sandbox.current.faults.failNext({ pathPrefix: '/api/mcp', status: 500, count: 5 });
    sandbox.current.faults.reset();
    const after = await call(sandbox.current, '/api/mcp/records', {
      token,
      signal: AbortSignal.timeout(UNDELAYED_MS),
    });
    expect(after.status).toBe(200);
  });
});

describe('sandbox portal: request log', () => {
  it('records method, path, auth kind and status, and never a token, a cookie or a query', async () => {
    const token = await tokenFor();
    const cookie = await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    const from = sandbox.current.requests.length;
    await call(sandbox.current, `/api/mcp/appointments?limit=3&secret=${token}`, { token });
    await call(sandbox.current, '/api/tokens/mcp', { headers: { cookie } });
    await call(sandbox.current, `/api/mcp/${token}`, { token: 'bogus' });
    const generated = await call<{ token: { tokenMcp: string } }>(
      sandbox.current,
      '/api/tokens/generate',
      {
        method: 'POST',
        json: { name: 'log', scopes: ['read:data'] },
        headers: { cookie },
      },
    );
    const entries = sandbox.current.requests.slice(from);
    expect(entries.slice(0, 2)).toEqual([
      { method: 'GET', path: '/api/mcp/appointments', auth: 'bearer', status: 200 },
      { method: 'GET', path: '/api/tokens/mcp', auth: 'cookie', status: 200 },
    ]);
    expect(entries[2]).toMatchObject({ auth: 'bearer', status: 404 });
    expect(entries[3]).toEqual({
      method: 'POST',
      path: '/api/tokens/generate',
      auth: 'cookie',
      status: 201,
    });
    const logged = JSON.stringify(sandbox.current.requests);
    for (const secret of [token, generated.body.token.tokenMcp, cookie.split('=')[1] ?? 'x']) {
      expect(logged).not.toContain(secret);
    }
    expect(logged).not.toMatch(/eyJ[A-Za-z0-9_-]+\./);
  });

  it('does not count in-process helpers as requests', async () => {
    const from = sandbox.current.requests.length;
    await sandbox.current.issueToken({ email: CAMILLE.email, scopes: ['read:data'] });
    await sandbox.current.login(CAMILLE.email, CAMILLE.password);
    expect(sandbox.current.requests.length).toBe(from);
  });
});

describe('sandbox portal: routing errors', () => {
  it('answers JSON 404 not_found for unknown API routes', async () => {
    const res = await call(sandbox.current, '/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: expect.any(String), code: 'not_found' });
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const res = await call(sandbox.current, '/api/mcp/appointments', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(res.body['code']).toBe('method_not_allowed');
  });

  it('answers 400 to malformed JSON and 422 to a body of the wrong shape', async () => {
    const token = await tokenFor();
    const malformed = await call(sandbox.current, '/api/mcp/book', {
      method: 'POST',
      token,
      headers: { 'content-type': 'application/json' },
      body: '{"date": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body['code']).toBe('validation_error');
    const wrongShape = await call(sandbox.current, '/api/mcp/book', {
      method: 'POST',
      token,
      json: [1, 2],
    });
    expect(wrongShape.status).toBe(422);
  });

  it('refuses bodies over 64 KB with 413', async () => {
    const token = await tokenFor();
    const res = await call(sandbox.current, '/api/mcp/book', {
      method: 'POST',
      token,
      json: { reason: 'x'.repeat(70 * 1024) },
    });
    expect(res.status).toBe(413);
  });

  it('serves an HTML 404 page for unknown pages', async () => {
    const res = await fetch(`${sandbox.current.url}/nowhere`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('data-portal="hospiai"');
  });
});
