/**
 * Remote multi-user mode as a hospital runs it: the built relay's `serve --http`, real HTTP, the
 * sandbox portal, SDK clients with each patient's bearer token (tools listed first, as real
 * clients do) — and raw requests for what a client would hide.
 */

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { bearer, INITIALIZE, initializeStatus, rawRequest } from '../support/remote-http';
import {
  connectRemoteClient,
  errorCodeOf,
  type RemoteServer,
  startRemoteServer,
  textOf,
} from '../support/remote-server';

const [camille, lucas] = DEMO_PATIENTS as [(typeof DEMO_PATIENTS)[0], (typeof DEMO_PATIENTS)[0]];
const ALL = ['read:data', 'book:appointments'];

let portal: SandboxPortal;
let server: RemoteServer;
/** A server with every default setting, for the default revocation cache and the SIGTERM. */
let defaults: Promise<RemoteServer> | undefined;
const withDefaults = () => {
  defaults ??= startRemoteServer({ portalUrl: portal.url });
  return defaults;
};
const tokens: string[] = [];

async function tokenFor(email: string, scopes = ALL, expiresInSeconds?: number) {
  const issued = await portal.issueToken({ email, scopes, expiresInSeconds });
  tokens.push(issued.token);
  return issued;
}

beforeAll(async () => {
  portal = await startSandboxPortal();
  server = await startRemoteServer({
    portalUrl: portal.url,
    args: ['--revocation-cache-ms', '1000'],
    env: { HOSPIAI_MCP_LOG_LEVEL: 'debug', HOSPIAI_MCP_CONFIRM_TIMEOUT_MS: '10000' },
  });
});
afterAll(async () => {
  await (await defaults)?.stop();
  await server?.stop();
  await portal?.close();
});

async function ownAppointmentIds(token: string): Promise<Set<string>> {
  const answer = await fetch(`${portal.url}/api/mcp/appointments?limit=100`, {
    headers: bearer(token),
  });
  const { appointments } = (await answer.json()) as { appointments: { id: string }[] };
  return new Set(appointments.map((a) => a.id));
}

async function freeSlot(
  call: (name: string, args?: Record<string, unknown>) => Promise<{ structuredContent?: unknown }>,
  name: string,
  offsetDays: number,
) {
  const doctors = await call('find_doctors', { name });
  const doctorId = (doctors.structuredContent as { doctors: { id: string }[] }).doctors[0]!.id;
  const from = new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  const slots = await call('get_available_slots', { doctorId, date: from, days: 7 });
  const slot = (slots.structuredContent as { slots: { date: string; time: string }[] }).slots[0]!;
  return { doctorId, date: slot.date, time: slot.time };
}

describe('serve --http: the seven tools over Streamable HTTP', () => {
  it('serves every tool to an SDK client with a bearer token, and books and cancels only with the patient’s yes through elicitation', async () => {
    const { token } = await tokenFor(camille.email);
    const asked: string[] = [];
    const remote = await connectRemoteClient({
      url: server.mcpUrl,
      token,
      name: 'vscode-test',
      capabilities: { capabilities: { elicitation: { form: {} } } },
    });
    remote.client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    try {
      expect(remote.tools.map((t) => t.name).sort()).toEqual([
        'book_appointment',
        'cancel_appointment',
        'connection_status',
        'find_doctors',
        'get_appointments',
        'get_available_slots',
        'get_medical_records',
      ]);
      const status = await remote.call('connection_status');
      expect(status.structuredContent).toMatchObject({
        connected: true,
        patient: { id: camille.id },
        scopes: ALL,
      });
      const appointments = await remote.call('get_appointments', { limit: 20 });
      const mine = await ownAppointmentIds(token);
      const listed = (appointments.structuredContent as { appointments: { id: string }[] })
        .appointments;
      expect(listed.length).toBeGreaterThan(0);
      for (const a of listed) expect(mine.has(a.id)).toBe(true);
      const records = await remote.call('get_medical_records', { type: 'lab_result' });
      expect((records.structuredContent as { records: { type: string }[] }).records[0]?.type).toBe(
        'lab_result',
      );

      const slot = await freeSlot(remote.call, 'Martin', 8);
      const booked = await remote.call('book_appointment', { ...slot, reason: 'Contrôle annuel' });
      expect(booked.isError, JSON.stringify(booked.content)).toBeFalsy();
      const appointment = (
        booked.structuredContent as { appointment: { id: string; time: string } }
      ).appointment;
      expect(appointment.time).toBe(slot.time);
      expect(asked[0]).toContain(slot.time);
      expect((await ownAppointmentIds(token)).has(appointment.id)).toBe(true);

      const cancelled = await remote.call('cancel_appointment', { appointmentId: appointment.id });
      expect(cancelled.isError, JSON.stringify(cancelled.content)).toBeFalsy();
      expect(cancelled.structuredContent).toMatchObject({
        appointment: { id: appointment.id, status: 'cancelled' },
      });
      expect(asked).toHaveLength(2);
    } finally {
      await remote.close();
    }
  });

  it('books nothing for a client without elicitation, and says what to do instead', async () => {
    const { token } = await tokenFor(lucas.email);
    const remote = await connectRemoteClient({ url: server.mcpUrl, token, name: 'no-elicitation' });
    try {
      const slot = await freeSlot(remote.call, 'Martin', 9);
      const booksBefore = portal.requests.filter((r) => r.path === '/api/mcp/book').length;
      const refused = await remote.callExpectingError('book_appointment', {
        ...slot,
        reason: 'Certificat médical',
        confirm: true,
      });
      expect(refused.isError).toBe(true);
      expect(errorCodeOf(refused)).toBe('NOT_CONFIRMED');
      expect(textOf(refused)).toMatch(/elicitation/);
      expect(textOf(refused)).toMatch(/HospiAI portal/);
      expect(portal.requests.filter((r) => r.path === '/api/mcp/book').length).toBe(booksBefore);
    } finally {
      await remote.close();
    }
  });

  it('answers a client that can be asked on a stream, and one that cannot in plain JSON', async () => {
    const { token } = await tokenFor(lucas.email);
    const contentTypes: Record<string, string | undefined> = {};
    for (const [who, capabilities] of [
      ['asks', { elicitation: { form: {} } }],
      ['cannot ask', {}],
    ] as const) {
      const init = await rawRequest(server.mcpUrl, {
        body: { ...INITIALIZE, params: { ...INITIALIZE.params, capabilities } },
        headers: bearer(token),
      });
      const session = {
        ...bearer(token),
        'mcp-session-id': String(init.headers['mcp-session-id']),
      };
      await rawRequest(server.mcpUrl, {
        body: { jsonrpc: '2.0', method: 'notifications/initialized' },
        headers: session,
      });
      const listed = await rawRequest(server.mcpUrl, {
        body: { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        headers: session,
      });
      expect(listed.status).toBe(200);
      expect(listed.body).toContain('get_appointments');
      contentTypes[who] = listed.headers['content-type'];
    }
    expect(contentTypes['asks']).toMatch(/^text\/event-stream/);
    expect(contentTypes['cannot ask']).toMatch(/^application\/json/);
  });

  it('a declined elicitation books nothing', async () => {
    const { token } = await tokenFor(camille.email);
    const remote = await connectRemoteClient({
      url: server.mcpUrl,
      token,
      capabilities: { capabilities: { elicitation: { form: {} } } },
    });
    remote.client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'decline' }));
    try {
      const slot = await freeSlot(remote.call, 'Lefèvre', 10);
      const booksBefore = portal.requests.filter((r) => r.path === '/api/mcp/book').length;
      const refused = await remote.callExpectingError('book_appointment', {
        ...slot,
        reason: 'Bilan',
      });
      expect(errorCodeOf(refused)).toBe('NOT_CONFIRMED');
      expect(portal.requests.filter((r) => r.path === '/api/mcp/book').length).toBe(booksBefore);
    } finally {
      await remote.close();
    }
  });
});

describe('serve --http: authorization as a resource server', () => {
  const metadataPointer = () =>
    `resource_metadata="${new URL('/.well-known/oauth-protected-resource/mcp', server.localUrl).href}"`;

  it('publishes RFC 9728 metadata at both locations, naming its own sign-in and the scopes', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource',
      '/.well-known/oauth-protected-resource/mcp',
    ]) {
      const answer = await rawRequest(new URL(path, server.localUrl).href);
      expect(answer.status).toBe(200);
      const metadata = JSON.parse(answer.body);
      expect(metadata).toMatchObject({
        resource: server.mcpUrl,
        authorization_servers: [new URL(server.mcpUrl).origin],
        bearer_methods_supported: ['header'],
      });
      expect(metadata.scopes_supported).toEqual(
        expect.arrayContaining(['read:data', 'book:appointments']),
      );
    }
  });

  it('answers 401 with the metadata pointer for no token', async () => {
    const answer = await rawRequest(server.mcpUrl, { body: INITIALIZE });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer /);
    expect(answer.headers['www-authenticate']).toContain(metadataPointer());
  });

  it('answers 401 for a forged signature, alg none, HS256 with the public key, a wrong audience or issuer, an expired or not-yet-valid token', async () => {
    const good = await tokenFor(camille.email);
    const [header, payload] = good.token.split('.') as [string, string];
    const now = Math.floor(Date.now() / 1000);
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

    const otherKey = await generateKeyPair('RS256');
    const kid = JSON.parse(Buffer.from(header, 'base64url').toString()).kid as string;
    const forged = await new SignJWT({ sub: camille.id, scope: 'read:data', email: camille.email })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer('hospiai-api')
      .setAudience('hospiai-mcp')
      .setJti(good.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(otherKey.privateKey);
    const jwks = (await (await fetch(`${portal.url}/.well-known/jwks.json`)).json()) as {
      keys: object[];
    };
    const hsWithPublicKey = await new SignJWT({ sub: camille.id, scope: 'read:data' })
      .setProtectedHeader({ alg: 'HS256', kid })
      .setIssuer('hospiai-api')
      .setAudience('hospiai-mcp')
      .setJti(good.id)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
    const registered = { jti: good.id, iat: now, exp: now + 600 };
    const claims = { sub: camille.id, email: camille.email, scope: 'read:data' };
    const cases: Record<string, string> = {
      forged: forged,
      'tampered payload': `${header}.${b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: lucas.id })}.${good.token.split('.')[2]}`,
      'alg none': `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`,
      'HS256 with the public key': hsWithPublicKey,
      'wrong audience': await portal.signToken(claims, { ...registered, aud: 'another-api' }),
      'wrong issuer': await portal.signToken(claims, { ...registered, iss: 'someone-else' }),
      expired: (await tokenFor(camille.email, ALL, -120)).token,
      'not yet valid': await portal.signToken({ ...claims, nbf: now + 3600 }, registered),
      garbage: 'not-a-jwt',
    };
    for (const [name, token] of Object.entries(cases)) {
      const answer = await rawRequest(server.mcpUrl, { body: INITIALIZE, headers: bearer(token) });
      expect(answer.status, name).toBe(401);
      expect(answer.headers['www-authenticate'], name).toContain(metadataPointer());
      expect(answer.headers['www-authenticate'], name).toContain('error="invalid_token"');
    }
    // The same request with the real token passes: the cases above fail for their flaw alone.
    expect(
      (await rawRequest(server.mcpUrl, { body: INITIALIZE, headers: bearer(good.token) })).status,
    ).toBe(200);
  });

  it('refuses a token revoked at the portal within the revocation cache time', async () => {
    const issued = await tokenFor(lucas.email);
    expect(
      (await rawRequest(server.mcpUrl, { body: INITIALIZE, headers: bearer(issued.token) })).status,
    ).toBe(200);
    portal.revokeToken(issued.id);
    const revokedAt = Date.now();
    await expect
      .poll(async () => initializeStatus(server.mcpUrl, issued.token), {
        timeout: 5_000,
        interval: 100,
      })
      .toBe(401);
    // --revocation-cache-ms 1000 here (plus one request's time).
    expect(Date.now() - revokedAt).toBeLessThan(2_500);
  });

  it('with the default cache, a revoked token stops working within 30 s', {
    timeout: 45_000,
  }, async () => {
    const own = await withDefaults();
    const issued = await tokenFor(camille.email);
    expect(
      (await rawRequest(own.mcpUrl, { body: INITIALIZE, headers: bearer(issued.token) })).status,
    ).toBe(200);
    portal.revokeToken(issued.id);
    const revokedAt = Date.now();
    await expect
      .poll(async () => initializeStatus(own.mcpUrl, issued.token), {
        timeout: 35_000,
        interval: 500,
      })
      .toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(30_000);
  });

  it('answers 403 insufficient_scope, naming the scope, for a tool the token may not use — before any portal call', async () => {
    const { token } = await tokenFor(camille.email, ['read:data']);
    const before = portal.requests.filter((r) => r.path === '/api/mcp/book').length;
    const answer = await rawRequest(server.mcpUrl, {
      headers: bearer(token),
      body: {
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: {
          name: 'book_appointment',
          arguments: { doctorId: 'doc_x', date: '2030-01-07', time: '10:00', reason: 'Bilan' },
        },
      },
    });
    expect(answer.status).toBe(403);
    expect(answer.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(answer.headers['www-authenticate']).toContain('scope="book:appointments"');
    expect(answer.headers['www-authenticate']).toContain(metadataPointer());
    expect(portal.requests.filter((r) => r.path === '/api/mcp/book').length).toBe(before);

    // The same token reads; an SDK client sees the refusal as an error, not as a result.
    const remote = await connectRemoteClient({ url: server.mcpUrl, token });
    try {
      expect((await remote.call('get_medical_records')).isError).toBeFalsy();
      await expect(
        remote.call('cancel_appointment', { appointmentId: 'apt_c1a4' }),
      ).rejects.toThrow(/insufficient_scope/);
    } finally {
      await remote.close();
    }
  });

  it('answers 403 for a foreign Host or Origin before looking at the token', async () => {
    const { token } = await tokenFor(camille.email);
    const validates = () => portal.requests.filter((r) => r.path === '/api/mcp/validate').length;
    const before = validates();
    const port = new URL(server.localUrl).port;
    const foreign: Record<string, string>[] = [
      { host: `evil.example:${port}` },
      { host: `127.0.0.1.nip.io:${port}` },
      { origin: 'https://evil.example' },
      { origin: 'null' },
    ];
    for (const headers of foreign) {
      const answer = await rawRequest(server.mcpUrl, {
        body: INITIALIZE,
        headers: { ...bearer(token), ...headers },
      });
      expect(answer.status, JSON.stringify(headers)).toBe(403);
    }
    expect(validates()).toBe(before);
    const allowed = await rawRequest(server.mcpUrl, {
      body: INITIALIZE,
      headers: { ...bearer(token), origin: new URL(server.mcpUrl).origin },
    });
    expect(allowed.status).toBe(200);
  });
});

describe('serve --http: the 2026-07-28 protocol', () => {
  /** A 2026-07-28 request as its client sends it; no answer within 5 s fails it (a hang). */
  const modern = (
    token: string,
    id: number | string,
    method: string,
    params: { name?: string } & Record<string, unknown> = {},
  ) =>
    fetch(server.mcpUrl, {
      method: 'POST',
      signal: AbortSignal.timeout(5_000),
      headers: {
        ...bearer(token),
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': method,
        ...(params.name ? { 'mcp-name': params.name } : {}),
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id,
        method,
        params: {
          ...params,
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'raw-modern', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      }),
    });

  it('refuses subscriptions/listen at once (method not found: it sends no notifications), and still serves calls', async () => {
    const { token } = await tokenFor(camille.email);
    // Each listen used to hold a stream open for good (no headers, ever), and with it one of the
    // SDK's subscriptions, until the process ran out of them: several in a row answer the same.
    for (const id of [1, 2, 3]) {
      const answer = await modern(token, id, 'subscriptions/listen', {
        notifications: { toolsListChanged: true },
      });
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await answer.json()).toEqual({
        jsonrpc: '2.0',
        id,
        error: { code: -32601, message: expect.stringMatching(/subscriptions\/listen/) },
      });
    }
    const call = await modern(token, 4, 'tools/call', { name: 'connection_status', arguments: {} });
    expect(call.status).toBe(200);
    expect(JSON.stringify(await call.json())).toContain('"connected":true');

    // The SDK's v2 client opens a listen itself after discovery when asked to follow tool list
    // changes: it connects all the same, its listen() fails at once, and its calls are served.
    const errors: string[] = [];
    const client = new Client(
      { name: 'modern-listener', version: '1.0.0' },
      {
        versionNegotiation: { mode: 'auto' },
        listChanged: { tools: { onChanged: () => {} } },
      },
    );
    client.onerror = (error) => errors.push(error.message);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.mcpUrl), {
        requestInit: { headers: bearer(token) },
      }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    expect(errors.join('\n')).toContain('-32601');
    await expect(client.listen({ toolsListChanged: true }, { timeout: 5_000 })).rejects.toThrow(
      /-32601/,
    );
    const result = await client.callTool({ name: 'connection_status', arguments: {} });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    await client.close();
  });
});

describe('serve --http: isolation and limits', () => {
  it('two patients in parallel only ever see their own data, and one cannot use the other’s session', async () => {
    const a = await tokenFor(camille.email);
    const b = await tokenFor(lucas.email);
    const [mineA, mineB] = await Promise.all([
      ownAppointmentIds(a.token),
      ownAppointmentIds(b.token),
    ]);
    const [clientA, clientB] = await Promise.all([
      connectRemoteClient({ url: server.mcpUrl, token: a.token }),
      connectRemoteClient({ url: server.mcpUrl, token: b.token }),
    ]);
    try {
      const runs = Array.from({ length: 20 }, (_, i) => {
        const [client, mine, id] =
          i % 2 === 0 ? [clientA, mineA, camille.id] : [clientB, mineB, lucas.id];
        return (async () => {
          const [appointments, status] = await Promise.all([
            client.call('get_appointments', { limit: 50 }),
            client.call('connection_status'),
          ]);
          const ids = (
            appointments.structuredContent as { appointments: { id: string }[] }
          ).appointments.map((x) => x.id);
          expect(ids.length).toBeGreaterThan(0);
          for (const x of ids) expect(mine.has(x)).toBe(true);
          expect((status.structuredContent as { patient: { id: string } }).patient.id).toBe(id);
        })();
      });
      await Promise.all(runs);

      // Lucas's token on Camille's session: not found, not Camille's data.
      const hijack = await rawRequest(server.mcpUrl, {
        headers: {
          ...bearer(b.token),
          'mcp-session-id': clientA.transport.sessionId ?? '',
          'mcp-protocol-version': '2025-06-18',
        },
        body: {
          jsonrpc: '2.0',
          id: 9,
          method: 'tools/call',
          params: { name: 'get_appointments', arguments: {} },
        },
      });
      expect(hijack.status).toBe(404);
      expect(hijack.body).not.toContain('apt_c');
    } finally {
      await Promise.all([clientA.close(), clientB.close()]);
    }
  });

  it('limits each patient’s request rate with Retry-After, and the request body size', async () => {
    const limited = await startRemoteServer({
      portalUrl: portal.url,
      // A burst of 3, then one request back every 20 s: on a loaded machine the five calls
      // below may take seconds, which a faster refill turned into a sixth allowed one.
      args: ['--rate-limit', '3/0.05', '--max-body-bytes', '2048'],
    });
    try {
      const camilleToken = (await tokenFor(camille.email)).token;
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let i = 0; i < 5; i++) {
        const answer = await rawRequest(limited.mcpUrl, {
          body: INITIALIZE,
          headers: bearer(camilleToken),
        });
        statuses.push(answer.status);
        retryAfter ??= answer.headers['retry-after'] as string | undefined;
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      // Another patient is not slowed down by Camille.
      const lucasToken = (await tokenFor(lucas.email)).token;
      expect(
        (await rawRequest(limited.mcpUrl, { body: INITIALIZE, headers: bearer(lucasToken) }))
          .status,
      ).toBe(200);
      const big = { ...INITIALIZE, params: { ...INITIALIZE.params, padding: 'x'.repeat(4096) } };
      expect(
        (await rawRequest(limited.mcpUrl, { body: big, headers: bearer(lucasToken) })).status,
      ).toBe(413);
    } finally {
      await limited.stop();
    }
  });

  it('answers /healthz and /readyz, and a SIGTERM lets an in-flight call finish', async () => {
    // The server of the default-cache test (it stops here, so this test comes last to use it).
    const own = await withDefaults();
    expect((await rawRequest(`${own.localUrl}/healthz`)).status).toBe(200);
    expect(JSON.parse((await rawRequest(`${own.localUrl}/readyz`)).body)).toMatchObject({
      ready: true,
    });
    const { token } = await tokenFor(camille.email);
    const remote = await connectRemoteClient({ url: own.mcpUrl, token });
    portal.faults.delayNext({ pathPrefix: '/api/mcp/records', ms: 1_500 });
    const inFlight = remote.call('get_medical_records');
    // In flight: the portal holds the request (logged on arrival, answered 1.5 s later).
    await expect
      .poll(() => portal.requests.some((r) => r.path.startsWith('/api/mcp/records') && !r.status))
      .toBe(true);
    const exited = own.stop();
    const result = await inFlight;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(await exited).toBe(0);
    await remote.close().catch(() => {});
  });

  it('never writes a token to its output', () => {
    const output = server.stdout.join('') + server.stderr.join('');
    expect(output).toContain('tool call');
    expect(tokens.length).toBeGreaterThan(5);
    for (const token of tokens) expect(output).not.toContain(token);
  });
});
