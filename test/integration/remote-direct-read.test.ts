/**
 * The reads `serve --http` answers directly (relay/remote/direct-read.ts) are the reads real
 * clients make: the SDK's v1 client in a session without elicitation and its v2 client on the
 * 2026-07-28 protocol — tools listed first, each answer checked by the client against the tool's
 * output schema — are answered that way (the server's debug log says so, call by call), while a
 * session that can be asked questions (answers on a stream) and a write keep the SDK's path.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { bearer } from '../support/remote-http';
import {
  connectRemoteClient,
  type RemoteServer,
  startRemoteServer,
} from '../support/remote-server';

const camille = DEMO_PATIENTS[0]!;

let portal: SandboxPortal;
let server: RemoteServer;
let token: string;

beforeAll(async () => {
  portal = await startSandboxPortal();
  server = await startRemoteServer({
    portalUrl: portal.url,
    env: { HOSPIAI_MCP_LOG_LEVEL: 'debug' },
  });
  token = (
    await portal.issueToken({ email: camille.email, scopes: ['read:data', 'book:appointments'] })
  ).token;
});
afterAll(async () => {
  await server?.stop();
  await portal?.close();
});

/** The lines after `from`, once the last call's line has come through the server's stderr. */
const directSince = (from: number, count: number) =>
  vi.waitFor(
    () => {
      const lines = answeredDirectly().slice(from);
      if (lines.length < count) throw new Error(`${lines.length} of ${count} lines so far`);
      return lines;
    },
    { timeout: 5_000, interval: 20 },
  );

/** The server's "answered directly" debug lines so far, as `tool era` pairs. */
function answeredDirectly(): string[] {
  return server.stderr
    .join('')
    .split('\n')
    .filter((line) => line.includes('read answered directly'))
    .map((line) => {
      const fields = JSON.parse(line.slice(line.indexOf('{'))) as { tool: string; era: string };
      return `${fields.tool} ${fields.era}`;
    });
}

type Invoke = (
  name: string,
  args: Record<string, unknown>,
) => Promise<{ isError?: unknown; content?: unknown; structuredContent?: unknown }>;

/** A client's call, checked: not an error, and with the structured output its schema asked for. */
function checkedCall(invoke: Invoke) {
  return async (name: string, args: Record<string, unknown> = {}) => {
    const result = await invoke(name, args);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(result.structuredContent).toBeDefined();
    return result;
  };
}

/** The reads `readCalls` makes, in its order. */
const READS = [
  'find_doctors',
  'get_appointments',
  'get_medical_records',
  'get_available_slots',
  'connection_status',
];

/** The log lines of those reads answered directly on `era`. */
const directLines = (era: string) => READS.map((name) => `${name} ${era}`);

/** What each read is called with; the slots' doctor is read first. */
async function readCalls(call: (name: string, args?: Record<string, unknown>) => Promise<unknown>) {
  const doctors = (await call('find_doctors')) as {
    structuredContent: { doctors: { id: string }[] };
  };
  const doctorId = doctors.structuredContent.doctors[0]?.id as string;
  const date = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  return [
    ['get_appointments', { limit: 5 }],
    ['get_medical_records', {}],
    ['get_available_slots', { doctorId, date, days: 2 }],
    ['connection_status', {}],
  ] as const;
}

describe('reads real clients make are answered directly', () => {
  it('the SDK v1 client in a session without elicitation (answers as JSON)', async () => {
    const remote = await connectRemoteClient({ url: server.mcpUrl, token });
    const before = answeredDirectly().length;
    const call = checkedCall((name, args) => remote.call(name, args));
    for (const [name, args] of await readCalls(call)) await call(name, args);
    expect(await directSince(before, 5)).toEqual(directLines('session'));
    // A write is the SDK's: without elicitation it books nothing and says so.
    const booking = await remote.call('cancel_appointment', { appointmentId: 'apt_none' });
    expect(booking.isError).toBe(true);
    // A read after it marks where the log stands: the write added no line before it.
    await call('connection_status');
    const lines = await directSince(before, 6);
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe('connection_status session');
    await remote.close();
  });

  it('the SDK v2 client on the 2026-07-28 protocol', async () => {
    const client = new Client(
      { name: 'modern-reader', version: '1.0.0' },
      {
        versionNegotiation: { mode: 'auto' },
      },
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(server.mcpUrl), {
        requestInit: { headers: bearer(token) },
      }),
    );
    expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
    await client.listTools();
    const before = answeredDirectly().length;
    const call = checkedCall((name, args) => client.callTool({ name, arguments: args }));
    for (const [name, args] of await readCalls(call)) await call(name, args);
    expect(await directSince(before, 5)).toEqual(directLines('2026-07-28'));
    await client.close();
  });

  it('not in a session that can be asked questions: its answers stay on the SDK’s stream', async () => {
    const remote = await connectRemoteClient({
      url: server.mcpUrl,
      token,
      capabilities: { capabilities: { elicitation: { form: {} } } },
    });
    const before = answeredDirectly().length;
    const result = await remote.call('get_appointments', { limit: 5 });
    expect(result.isError).toBeFalsy();
    // A read in a JSON session afterwards marks where the log stands.
    const marker = await connectRemoteClient({ url: server.mcpUrl, token });
    await marker.call('connection_status');
    expect(await directSince(before, 1)).toEqual(['connection_status session']);
    await marker.close();
    await remote.close();
  });
});
