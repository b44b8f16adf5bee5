/**
 * A read answered directly (relay/remote/direct-read.ts) answers what the SDK answers for the
 * same request — on the 2026-07-28 protocol and in a 2025 session, tool by tool, for two
 * patients, a portal refusal included — and every request that is not a plainly valid read still
 * reaches the SDK. Two dispatches over the same tools and portal, one with the direct reads and
 * one without; the 2026-07-28 ones count the servers they build, the sessions' SDK servers and
 * the direct reads audit to different logs, so a direct answer is known to be one.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../../../relay/i18n/messages';
import { createLogger, silentLogger } from '../../../relay/logger';
import { PortalClient } from '../../../relay/portal/portal-client';
import type { VerifiedBearer } from '../../../relay/remote/bearer';
import { createBearerVerifier } from '../../../relay/remote/bearer-verifier';
import { createQuestionStates } from '../../../relay/remote/input-required-confirmer';
import { createMcpDispatch } from '../../../relay/remote/mcp-dispatch';
import { createModernDispatch } from '../../../relay/remote/modern-dispatch';
import { remoteTranslator } from '../../../relay/remote/remote-messages';
import { createRevocationCheck } from '../../../relay/remote/revocation-check';
import { createSessionRegistry } from '../../../relay/remote/session-registry';
import { createMemoryStateStore } from '../../../relay/remote/state/state-store';
import {
  modernDirectReads,
  modernRequestServers,
  remoteSessionServers,
} from '../../../relay/tools/remote-session-server';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';
import { INITIALIZE, rawRequest } from '../../support/remote-http';

const MODERN = '2026-07-28';
const [camille, lucas] = DEMO_PATIENTS as [(typeof DEMO_PATIENTS)[0], (typeof DEMO_PATIENTS)[0]];

let portal: SandboxPortal;
let portalClient: PortalClient;
const servers: http.Server[] = [];
const endpoints: Record<'sdk' | 'direct', { url: string; built: number }> = {
  sdk: { url: '', built: 0 },
  direct: { url: '', built: 0 },
};

/** One 2026-07-28 dispatch behind a bare HTTP server. */
async function serveDispatch(which: 'sdk' | 'direct') {
  const t = remoteTranslator(translator('en'));
  const dependencies = {
    portal: portalClient,
    t,
    logger: silentLogger,
    questionStates: createQuestionStates(createMemoryStateStore()),
  };
  const newServer = modernRequestServers({ confirmationTimeoutMs: 60_000 });
  const dispatch = createModernDispatch({
    newServer: () => {
      endpoints[which].built++;
      return newServer(dependencies);
    },
    directReads:
      which === 'direct'
        ? modernDirectReads({ confirmationTimeoutMs: 60_000 })(dependencies)
        : undefined,
    maxBodyBytes: 1 << 20,
    onError: () => {},
  });
  endpoints[which].url = await listen(async (req, res, bearer, message) => {
    if (!(await dispatch.serveIfModern(req, res, bearer, message))) {
      res.writeHead(418).end('not a 2026-07-28 request');
    }
  });
}

/** A bare HTTP server in front of a dispatch: the body parsed, the bearer verified, as serve does. */
async function listen(
  handle: (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    bearer: VerifiedBearer,
    message: unknown,
  ) => Promise<unknown>,
): Promise<string> {
  const verifier = createBearerVerifier({
    portalUrl: portal.url,
    revocation: createRevocationCheck({ portal: portalClient }),
  });
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bearer = await verifier.verify(req.headers.authorization);
    const body = Buffer.concat(chunks).toString('utf8');
    await handle(req, res, bearer, body ? JSON.parse(body) : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`;
}

/** Which side's tools audited each call: the sessions' SDK servers or the direct reads. */
const audited: Array<'sdk' | 'direct'> = [];
const auditingLogger = (side: 'sdk' | 'direct') =>
  createLogger({
    write: (line) => {
      if (line.includes('tool call')) audited.push(side);
    },
  });
const sessionEndpoints: Record<'sdk' | 'direct', string> = { sdk: '', direct: '' };

/** The 2025 sessions' dispatch behind a bare HTTP server, with or without the direct reads. */
async function serveSessions(which: 'sdk' | 'direct') {
  const t = remoteTranslator(translator('en'));
  const dispatch = createMcpDispatch({
    sessions: createSessionRegistry({ replicaId: 'r0', idleMs: 60_000, maxPerPatient: 20 }),
    replicaId: 'r0',
    newServer: () =>
      remoteSessionServers({ confirmationTimeoutMs: 60_000 })({
        portal: portalClient,
        t,
        logger: auditingLogger('sdk'),
      }),
    directReads:
      which === 'direct'
        ? modernDirectReads({ confirmationTimeoutMs: 60_000 })({
            portal: portalClient,
            t,
            logger: auditingLogger('direct'),
            questionStates: createQuestionStates(createMemoryStateStore()),
          })
        : undefined,
  });
  sessionEndpoints[which] = await listen((req, res, bearer, message) =>
    dispatch.post(req, res, bearer, message, req.headers['mcp-session-id'] as string | undefined),
  );
}

beforeAll(async () => {
  portal = await startSandboxPortal();
  portalClient = new PortalClient({
    baseUrl: portal.url,
    t: remoteTranslator(translator('en')),
    logger: silentLogger,
  });
  await serveDispatch('sdk');
  await serveDispatch('direct');
  await serveSessions('sdk');
  await serveSessions('direct');
});
afterAll(async () => {
  for (const server of servers) server.close();
  portalClient?.close();
  await portal?.close();
});

const tokenFor = async (email: string, scopes = ['read:data', 'book:appointments']) =>
  (await portal.issueToken({ email, scopes })).token;

interface Call {
  name: string;
  args?: unknown;
  params?: Record<string, unknown>;
  headers?: Record<string, string | undefined>;
}

/** The same raw request a 2026-07-28 client sends, to one endpoint: status, type, JSON. */
async function ask(which: 'sdk' | 'direct', token: string, call: Call) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    'mcp-protocol-version': MODERN,
    'mcp-method': 'tools/call',
    'mcp-name': call.name,
  };
  for (const [name, value] of Object.entries(call.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  const answer = await rawRequest(endpoints[which].url, {
    headers,
    body: {
      jsonrpc: '2.0',
      id: 'call-1',
      method: 'tools/call',
      params: {
        name: call.name,
        arguments: call.args ?? {},
        ...call.params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientInfo': { name: 'raw-modern', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': {},
        },
      },
    },
  });
  return {
    status: answer.status,
    type: answer.headers['content-type'],
    body: answer.body ? JSON.parse(answer.body) : null,
  };
}

/** Asks both endpoints; how many servers each built for it. */
async function both(token: string, call: Call) {
  const before = { sdk: endpoints.sdk.built, direct: endpoints.direct.built };
  const sdk = await ask('sdk', token, call);
  const direct = await ask('direct', token, call);
  return {
    sdk,
    direct,
    built: {
      sdk: endpoints.sdk.built - before.sdk,
      direct: endpoints.direct.built - before.direct,
    },
  };
}

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe('a plainly valid 2026-07-28 read, answered without the SDK’s per-request server', () => {
  it('answers what the SDK answers, tool by tool, for each patient', async () => {
    for (const patient of [camille, lucas]) {
      const token = await tokenFor(patient.email);
      const doctors = await ask('sdk', token, { name: 'find_doctors' });
      const doctorId = doctors.body.result.structuredContent.doctors[0].id as string;
      const calls: Call[] = [
        { name: 'get_appointments' },
        { name: 'get_appointments', args: { limit: 2 } },
        { name: 'get_medical_records' },
        { name: 'find_doctors', args: { specialty: 'Cardio' } },
        { name: 'get_available_slots', args: { doctorId, date: tomorrow(), days: 3 } },
        { name: 'connection_status' },
      ];
      for (const call of calls) {
        const { sdk, direct, built } = await both(token, call);
        const what = `${patient.email} ${JSON.stringify(call)}`;
        expect(sdk.status, what).toBe(200);
        expect(sdk.body.result.isError, what).toBeFalsy();
        expect(built, what).toEqual({ sdk: 1, direct: 0 });
        expect(direct, what).toEqual(sdk);
      }
    }
  });

  it('a portal refusal is the same tool error both ways (a token without the scope)', async () => {
    const token = await tokenFor(camille.email, ['book:appointments']);
    const { sdk, direct, built } = await both(token, { name: 'get_medical_records' });
    expect(sdk.body.result.isError).toBe(true);
    expect(built).toEqual({ sdk: 1, direct: 0 });
    expect(direct).toEqual(sdk);
  });

  it('the answer belongs to the bearer of its own request, calls running side by side', async () => {
    const [camilleToken, lucasToken] = await Promise.all([
      tokenFor(camille.email),
      tokenFor(lucas.email),
    ]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        ask('direct', i % 2 ? lucasToken : camilleToken, { name: 'connection_status' }),
      ),
    );
    answers.forEach((answer, i) => {
      expect(answer.body.result.structuredContent.patient.id).toBe((i % 2 ? lucas : camille).id);
    });
  });
});

describe('every other request still reaches the SDK, which answers it as ever', () => {
  const cases: Array<[string, Call]> = [
    ['arguments the schema refuses', { name: 'get_appointments', args: { limit: 'ten' } }],
    ['an unknown tool', { name: 'delete_everything' }],
    ['a write', { name: 'cancel_appointment', args: { appointmentId: 'apt_none' } }],
    [
      'an Mcp-Name that names another tool',
      { name: 'get_appointments', headers: { 'mcp-name': 'find_doctors' } },
    ],
    ['no Mcp-Name header', { name: 'get_appointments', headers: { 'mcp-name': undefined } }],
    ['no Mcp-Method header', { name: 'get_appointments', headers: { 'mcp-method': undefined } }],
    [
      'another protocol version in the header',
      { name: 'get_appointments', headers: { 'mcp-protocol-version': '2026-12-01' } },
    ],
    [
      'a parameter beyond a plain call',
      { name: 'get_appointments', params: { task: { ttl: 1000 } } },
    ],
    ['a text/plain body', { name: 'get_appointments', headers: { 'content-type': 'text/plain' } }],
  ];
  for (const [what, call] of cases) {
    it(what, async () => {
      const token = await tokenFor(camille.email);
      const { sdk, direct, built } = await both(token, call);
      // Refused before a server is built, or served by one: either way the SDK's, both sides.
      expect(built.direct).toBe(built.sdk);
      expect(direct).toEqual(sdk);
    });
  }

  it('those answers are the SDK’s refusals, not results', async () => {
    const token = await tokenFor(camille.email);
    const invalid = await ask('direct', token, { name: 'get_appointments', args: { limit: 'x' } });
    expect(JSON.stringify(invalid.body)).toMatch(/Input validation error|Invalid arguments/);
    const mismatch = await ask('direct', token, {
      name: 'get_appointments',
      headers: { 'mcp-name': 'find_doctors' },
    });
    expect(mismatch.status).toBe(400);
  });
});

/** A 2025 session opened as a client without elicitation opens it (its answers: JSON). */
async function openSession(which: 'sdk' | 'direct', token: string) {
  const url = sessionEndpoints[which];
  const headers = { authorization: `Bearer ${token}` };
  const init = await rawRequest(url, { headers, body: INITIALIZE });
  expect(init.status, init.body).toBe(200);
  const sessionId = init.headers['mcp-session-id'] as string;
  const session = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
  const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
  expect((await rawRequest(url, { headers: session, body: initialized })).status).toBe(202);
  return {
    sessionId,
    async call(call: Call & { id?: unknown }) {
      const answer = await rawRequest(url, {
        headers: Object.fromEntries(
          Object.entries({ ...session, ...call.headers }).filter(([, v]) => v !== undefined),
        ) as Record<string, string>,
        body: {
          jsonrpc: '2.0',
          id: call.id ?? 5,
          method: 'tools/call',
          params: { name: call.name, arguments: call.args ?? {}, ...call.params },
        },
      });
      return {
        status: answer.status,
        type: answer.headers['content-type'],
        session: answer.headers['mcp-session-id'] === sessionId,
        body: answer.body ? JSON.parse(answer.body) : null,
      };
    },
  };
}

/** The same call in a session of each endpoint; which side's tools ran it. */
async function bothSessions(token: string, call: Call & { id?: unknown }) {
  const [sdkSession, directSession] = await Promise.all([
    openSession('sdk', token),
    openSession('direct', token),
  ]);
  audited.length = 0;
  const sdk = await sdkSession.call(call);
  const sdkRan = [...audited];
  audited.length = 0;
  const direct = await directSession.call(call);
  return { sdk, direct, ran: { sdk: sdkRan, direct: [...audited] } };
}

describe('a plainly valid read in a 2025 session that answers as JSON', () => {
  it('answers what the session’s SDK transport answers, tool by tool, for each patient', async () => {
    for (const patient of [camille, lucas]) {
      const token = await tokenFor(patient.email);
      const calls: Call[] = [
        { name: 'get_appointments', args: { limit: 3 } },
        { name: 'get_medical_records' },
        { name: 'find_doctors', args: { specialty: 'Cardio' } },
        { name: 'connection_status' },
      ];
      for (const call of calls) {
        const { sdk, direct, ran } = await bothSessions(token, call);
        const what = `${patient.email} ${JSON.stringify(call)}`;
        expect(sdk.status, what).toBe(200);
        expect(sdk.session, what).toBe(true);
        expect(sdk.body.result.isError, what).toBeFalsy();
        expect(ran, what).toEqual({ sdk: ['sdk'], direct: ['direct'] });
        expect(direct, what).toEqual(sdk);
      }
    }
  });

  it('a portal refusal is the same tool error both ways', async () => {
    const token = await tokenFor(camille.email, ['book:appointments']);
    const { sdk, direct, ran } = await bothSessions(token, { name: 'get_medical_records' });
    expect(sdk.body.result.isError).toBe(true);
    expect(ran.direct).toEqual(['direct']);
    expect(direct).toEqual(sdk);
  });

  const others: Array<[string, Call & { id?: unknown }]> = [
    ['arguments the schema refuses', { name: 'get_appointments', args: { limit: 'ten' } }],
    ['an unknown tool', { name: 'delete_everything' }],
    ['a write', { name: 'cancel_appointment', args: { appointmentId: 'apt_none' } }],
    [
      'an unsupported protocol version',
      { name: 'get_appointments', headers: { 'mcp-protocol-version': '2031-01-01' } },
    ],
    [
      'an Accept without event streams',
      { name: 'get_appointments', headers: { accept: 'application/json' } },
    ],
    ['a fractional id', { name: 'get_appointments', id: 1.5 }],
    [
      'a parameter beyond a plain call',
      { name: 'get_appointments', params: { task: { ttl: 1000 } } },
    ],
  ];
  for (const [what, call] of others) {
    it(`the session’s SDK transport still answers ${what}`, async () => {
      const token = await tokenFor(camille.email);
      const { sdk, direct, ran } = await bothSessions(token, call);
      expect(ran.direct).not.toContain('direct');
      expect(direct).toEqual(sdk);
    });
  }
});
