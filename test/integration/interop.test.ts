/**
 * The built relay over stdio, driven by MCP client libraries from npm that nobody here wrote,
 * each as an AI client uses it (initialize, tools/list, then calls; with and without
 * elicitation): a read, each refusal code, a malformed argument, a booking confirmed and one
 * declined in the client, and the path of a client without elicitation.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { tools } from '../../relay/tools/index';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { connectToRelay, type Pairing, pairWithRelay } from '../support/bridge-test-client';
import { freePortRange } from '../support/free-ports';
import {
  type ElicitAnswer,
  INTEROP_LIBRARIES,
  type InteropClient,
  type InteropResult,
  type InteropStart,
} from '../support/interop-clients';
import { RELAY_BIN, startStdioRelay } from '../support/stdio-relay';

const camille = DEMO_PATIENTS[0]!;
const ALL_SCOPES = ['read:data', 'book:appointments'];

let portal: SandboxPortal;
let home: string;
let pairedHome: string;
let ports: Awaited<ReturnType<typeof freePortRange>>;
let soloPort: number;
let pairing: Pairing;

beforeAll(async () => {
  portal = await startSandboxPortal();
  home = await mkdtemp(path.join(tmpdir(), 'hospiai-interop-'));
  pairedHome = await mkdtemp(path.join(tmpdir(), 'hospiai-interop-paired-'));
  ports = await freePortRange(4);
  soloPort = (await freePortRange(1)).first;
  // A home with a pairing, for the "extension offline" case: pair once with a relay, then stop it.
  const relay = await startStdioRelay({
    env: { HOSPIAI_URL: portal.url, HOSPIAI_MCP_HOME: pairedHome, HOSPIAI_MCP_PORTS: ports.env },
  });
  const port = await vi.waitFor(
    () => {
      const match = /bridge listening on 127\.0\.0\.1:(\d+)/.exec(relay.stderr.join(''));
      if (!match) throw new Error('the relay has not said which port it took yet');
      return Number(match[1]);
    },
    { timeout: 15_000, interval: 20 },
  );
  const printed = execFileSync(process.execPath, [RELAY_BIN, 'pair', '--json'], {
    env: { PATH: process.env.PATH, HOSPIAI_MCP_HOME: pairedHome },
  }).toString();
  pairing = await pairWithRelay(port, (JSON.parse(printed) as { code: string }).code);
  await relay.close();
});
afterAll(async () => {
  portal.close();
  // Relays append their last audit entries as they exit: retry until the folders are free.
  const gone = { recursive: true, force: true, maxRetries: 10, retryDelay: 100 };
  await rm(home, gone);
  await rm(pairedHome, gone);
});

/** The relay's bridge listens a moment after `initialize` is answered. */
function connectWithRetries(port: number, with_: Pairing) {
  return vi.waitFor(() => connectToRelay(port, with_), { timeout: 15_000, interval: 50 });
}

async function issue(scopes = ALL_SCOPES, expiresInSeconds?: number) {
  return portal.issueToken({ email: camille.email, scopes, expiresInSeconds });
}

/** A relay with a HOSPIAI_TOKEN and no bridge, unless `env` says otherwise. */
function env(extra: Record<string, string>): Record<string, string> {
  return { HOSPIAI_URL: portal.url, HOSPIAI_MCP_HOME: home, HOSPIAI_MCP_PORTS: '0', ...extra };
}

const codeOf = (result: InteropResult) =>
  result.isError ? (/^([A-Z_]+): /.exec(result.text)?.[1] ?? 'not a relay error') : null;

function bookings(): number {
  return portal.requests.filter((r) => r.method === 'POST' && r.path === '/api/mcp/book').length;
}

async function freeSlot(client: InteropClient) {
  const found = await client.call('find_doctors', { name: 'Martin' });
  const doctorId = (found.structured as { doctors: { id: string }[] }).doctors[0]!.id;
  const from = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  const slots = await client.call('get_available_slots', { doctorId, date: from, days: 14 });
  const list = (slots.structured as { slots: { date: string; time: string }[] }).slots;
  // Each library books its own slot: the three run against one portal.
  const slot = list[INTEROP_LIBRARIES.length + Math.floor(Math.random() * (list.length - 4))]!;
  return { doctorId, date: slot.date, time: slot.time, reason: 'Annual check-up' };
}

/**
 * The relays a library's tests share when their environment is the same (a token with every
 * scope, the sandbox portal): `plain` declares no elicitation, `asking` does and answers as the
 * running test says. Starting a relay costs ~0.3 s of CPU, and this file runs on Node 20, 22
 * and 24; a test about start-up or about its own environment still starts its own.
 */
type Shared = 'plain' | 'asking';

interface Refusal {
  code: string;
  /** The words of the sentence that say what to do. */
  says: RegExp;
  /** Its own relay, for a refusal that comes from the relay's environment. */
  start?: () => Promise<InteropStart>;
  /** Else the shared relay it runs on (the refusal comes from the portal or the call). */
  on?: Shared;
  call: [string, Record<string, unknown>];
  /** Portal faults to inject once the client is connected. */
  before?: () => void;
  /** The paired extension connects (with no token to give). */
  extensionConnected?: true;
}

const yes = (): ElicitAnswer => ({ action: 'accept', content: { confirm: true } });

const REFUSALS: Refusal[] = [
  {
    code: 'NO_TOKEN',
    says: /dashboard/i,
    // Paired, the extension connected, but it has no token to give (the patient is logged out).
    start: async () => ({
      env: env({ HOSPIAI_MCP_HOME: pairedHome, HOSPIAI_MCP_PORTS: `${soloPort}-${soloPort}` }),
    }),
    extensionConnected: true,
    call: ['get_appointments', {}],
  },
  {
    code: 'NOT_PAIRED',
    says: /hospiai-mcp pair/,
    start: async () => ({ env: env({ HOSPIAI_MCP_PORTS: ports.env }) }),
    call: ['get_appointments', {}],
  },
  {
    code: 'EXTENSION_OFFLINE',
    says: /browser/i,
    start: async () => ({
      env: env({ HOSPIAI_MCP_HOME: pairedHome, HOSPIAI_MCP_PORTS: ports.env }),
    }),
    call: ['get_appointments', {}],
  },
  {
    code: 'INSUFFICIENT_SCOPE',
    says: /book:appointments/,
    start: async () => ({
      env: env({ HOSPIAI_TOKEN: (await issue(['read:data'])).token }),
      elicit: yes,
    }),
    call: ['cancel_appointment', { appointmentId: 'apt_12345678' }],
  },
  {
    code: 'TOKEN_EXPIRED',
    says: /dashboard/i,
    start: async () => ({ env: env({ HOSPIAI_TOKEN: (await issue(ALL_SCOPES, -60)).token }) }),
    call: ['get_medical_records', {}],
  },
  {
    code: 'TOKEN_REVOKED',
    says: /dashboard/i,
    start: async () => {
      const issued = await issue();
      portal.revokeToken(issued.id);
      return { env: env({ HOSPIAI_TOKEN: issued.token }) };
    },
    call: ['get_appointments', {}],
  },
  {
    code: 'TOKEN_INVALID',
    says: /token/i,
    start: async () => ({
      env: env({
        HOSPIAI_TOKEN: `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ scope: 'read:data', exp: 4102444800 })).toString('base64url')}.c2lnbmF0dXJl`,
      }),
    }),
    call: ['get_appointments', {}],
  },
  {
    code: 'PORTAL_UNREACHABLE',
    says: /connection|HOSPIAI_URL/i,
    start: async () => ({
      env: env({ HOSPIAI_URL: 'http://127.0.0.1:9', HOSPIAI_TOKEN: (await issue()).token }),
    }),
    call: ['find_doctors', {}],
  },
  {
    code: 'PORTAL_ERROR',
    says: /try again in a few minutes/i,
    on: 'plain',
    before: () =>
      portal.faults.failNext({ pathPrefix: '/api/mcp/doctors', status: 500, count: 10 }),
    call: ['find_doctors', {}],
  },
  {
    code: 'RATE_LIMITED',
    says: /120/,
    on: 'plain',
    before: () =>
      portal.faults.failNext({
        pathPrefix: '/api/mcp/records',
        status: 429,
        count: 10,
        retryAfterSeconds: 120,
      }),
    call: ['get_medical_records', {}],
  },
  {
    code: 'NOT_FOUND',
    says: /appointment/i,
    on: 'asking',
    call: ['cancel_appointment', { appointmentId: 'apt_00000000' }],
  },
  {
    code: 'INVALID_REQUEST',
    says: /date|past/i,
    on: 'asking',
    call: [
      'book_appointment',
      { doctorId: 'doc_5d1c7a20', date: '2020-01-06', time: '09:00', reason: 'Check-up' },
    ],
  },
];

describe.each(INTEROP_LIBRARIES)('$name $version drives the built relay', (library) => {
  const started: InteropClient[] = [];
  afterEach(() => Promise.allSettled(started.splice(0).map((client) => client.close())));

  async function start(options: InteropStart): Promise<InteropClient> {
    const client = await library.start(options);
    started.push(client);
    return client;
  }

  /** What the `asking` relay's elicitations get: set by each test that uses it. */
  let answer: (message: string) => ElicitAnswer = () => ({ action: 'cancel' });
  const shared = new Map<Shared, Promise<InteropClient>>();
  afterAll(async () => {
    await Promise.allSettled([...shared.values()].map(async (client) => (await client).close()));
  });
  async function sharedClient(kind: Shared): Promise<InteropClient> {
    let client = shared.get(kind);
    if (!client) {
      const token = (await issue()).token;
      client = library.start({
        env: env({ HOSPIAI_TOKEN: token }),
        ...(kind === 'asking' ? { elicit: (message: string) => answer(message) } : {}),
      });
      shared.set(kind, client);
    }
    return client;
  }

  it('is the version relay/docs/clients.md names', () => {
    const manifest = new URL(`../../node_modules/${library.name}/package.json`, import.meta.url);
    expect(JSON.parse(readFileSync(manifest, 'utf8')).version).toBe(library.version);
  });

  it('lists every tool and reads the patient’s appointments', async () => {
    const client = await sharedClient('plain');
    expect(client.toolNames.sort()).toEqual(tools.map((tool) => tool.name).sort());
    const result = await client.call('get_appointments', { limit: 5 });
    expect(result.isError).toBe(false);
    const { appointments } = result.structured as { appointments: { id: string }[] };
    expect(appointments.length).toBeGreaterThan(0);
    expect(result.text).toContain(appointments[0]!.id);
  });

  it('books when the patient says yes in the client', async () => {
    const messages: string[] = [];
    answer = (message) => {
      messages.push(message);
      return yes();
    };
    const client = await sharedClient('asking');
    const booking = await freeSlot(client);
    const before = bookings();
    const result = await client.call('book_appointment', booking);
    expect(result.isError, result.text).toBe(false);
    const { appointment } = result.structured as { appointment: { id: string; date: string } };
    expect(appointment.date).toBe(booking.date);
    expect(bookings()).toBe(before + 1);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(booking.time);

    const again = await client.call('book_appointment', booking);
    expect(codeOf(again)).toBe('SLOT_UNAVAILABLE');
    expect(again.text).toMatch(/get_available_slots/);
    expect(again.structured).toBeUndefined();
  });

  it('books nothing when the patient declines in the client', async () => {
    const messages: string[] = [];
    answer = (message) => {
      messages.push(message);
      return { action: 'decline' };
    };
    const client = await sharedClient('asking');
    const booking = await freeSlot(client);
    const before = bookings();
    const result = await client.call('book_appointment', booking);
    expect(codeOf(result)).toBe('NOT_CONFIRMED');
    expect(result.text).toMatch(/declined/i);
    expect(messages).toHaveLength(1);
    expect(bookings()).toBe(before);
  });

  it('without elicitation (and no extension to ask), books nothing and says so; reads still work', async () => {
    const client = await sharedClient('plain');
    const booking = await freeSlot(client);
    const before = bookings();
    const result = await client.call('book_appointment', booking);
    expect(codeOf(result)).toBe('NOT_CONFIRMED');
    expect(result.text).toMatch(/extension|confirm/i);
    expect(bookings()).toBe(before);
    expect((await client.call('get_medical_records', {})).isError).toBe(false);
  });

  it('refuses a malformed argument with an error that names it', async () => {
    const client = await sharedClient('plain');
    const result = await client.call('get_available_slots', {
      doctorId: 'doc_5d1c7a20',
      date: 'next tuesday',
    });
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(/date/);
  });

  for (const refusal of REFUSALS) {
    it(`passes ${refusal.code} and its sentence through to the model`, async () => {
      answer = yes;
      const client = refusal.on
        ? await sharedClient(refusal.on)
        : await start(await refusal.start!());
      refusal.before?.();
      const extension = refusal.extensionConnected
        ? await connectWithRetries(soloPort, pairing)
        : null;
      try {
        const result = await client.call(...refusal.call);
        expect(codeOf(result), result.text).toBe(refusal.code);
        expect(result.text).toMatch(refusal.says);
        expect(result.structured).toBeUndefined();
      } finally {
        portal.faults.reset();
        await extension?.close();
      }
    });
  }
});
