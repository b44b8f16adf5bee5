/**
 * The 2026-07-28 protocol in remote mode: a client that negotiates it (the SDK v2 client, as
 * shipped, `versionNegotiation: auto`) lists the tools, reads, and books with the patient's yes
 * asked through an input-required result — no server request, no session. Then raw requests do
 * what a hostile client would with the echoed `requestState`: forge it, answer without it, move
 * it to another booking or another patient, replay it. None of them books anything.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import {
  answerConsent,
  openConfirmation,
  pressOnConfirmation,
  ScriptedOAuthClient,
  startSignIn,
} from '../support/oauth-patient';
import { bearer, rawRequest } from '../support/remote-http';
import { type RemoteServer, startRemoteServer } from '../support/remote-server';

const [camille, lucas] = DEMO_PATIENTS as [(typeof DEMO_PATIENTS)[0], (typeof DEMO_PATIENTS)[0]];
const ALL = ['read:data', 'book:appointments'];
const MODERN = '2026-07-28';

let portal: SandboxPortal;
let server: RemoteServer;

beforeAll(async () => {
  portal = await startSandboxPortal();
  server = await startRemoteServer({ portalUrl: portal.url });
});
afterAll(async () => {
  await server?.stop();
  await portal?.close();
});

const tokenFor = async (email: string) => (await portal.issueToken({ email, scopes: ALL })).token;

/** The patient's appointments as the portal holds them. */
async function appointments(token: string) {
  const answer = await fetch(`${portal.url}/api/mcp/appointments?limit=100`, {
    headers: bearer(token),
  });
  return ((await answer.json()) as { appointments: { id: string; date: string; time: string }[] })
    .appointments;
}

/** The first doctor and two of their free slots, read as the portal gives them. */
async function doctorAndSlots(token: string) {
  const doctors = (await (
    await fetch(`${portal.url}/api/mcp/doctors`, { headers: bearer(token) })
  ).json()) as { doctors: { id: string }[] };
  const doctor = doctors.doctors[0] as { id: string };
  const from = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const slots = (await (
    await fetch(`${portal.url}/api/mcp/doctors/${doctor.id}/slots?date=${from}&days=7`, {
      headers: bearer(token),
    })
  ).json()) as { slots: { date: string; time: string }[] };
  return { doctorId: doctor.id, slots: slots.slots };
}

/** The SDK v2 client negotiating the protocol itself; `answer` is the patient at its form. */
async function modernClient(token: string, answer?: (message: string) => boolean) {
  const asked: string[] = [];
  const client = new Client(
    { name: 'modern-client', version: '1.0.0' },
    {
      capabilities: answer ? { elicitation: { form: {} } } : {},
      versionNegotiation: { mode: 'auto' },
    },
  );
  if (answer) {
    client.setRequestHandler('elicitation/create', async (request) => {
      const { message } = request.params as { message: string };
      asked.push(message);
      return answer(message)
        ? { action: 'accept', content: { confirm: true } }
        : { action: 'decline' };
    });
  }
  await client.connect(
    new StreamableHTTPClientTransport(new URL(server.mcpUrl), {
      requestInit: { headers: bearer(token) },
    }),
  );
  await client.listTools();
  return { client, asked };
}

const textOf = (result: { content?: unknown }) =>
  ((result.content ?? []) as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');

describe('the 2026-07-28 protocol in remote mode', () => {
  it('an SDK v2 client negotiates it, reads, and books once the patient says yes in its form', async () => {
    const token = await tokenFor(camille.email);
    const { client, asked } = await modernClient(token, () => true);
    expect(client.getNegotiatedProtocolVersion()).toBe(MODERN);
    expect(client.getInstructions()).toMatch(/confirmed by the patient/);
    const read = await client.callTool({ name: 'get_appointments', arguments: {} });
    expect(read.isError).toBeFalsy();
    expect(asked).toEqual([]);

    const { doctorId, slots } = await doctorAndSlots(token);
    const slot = slots[0] as { date: string; time: string };
    const booked = await client.callTool({
      name: 'book_appointment',
      arguments: { doctorId, date: slot.date, time: slot.time, reason: 'Bilan annuel' },
    });
    expect(booked.isError, textOf(booked)).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(camille.name);
    expect(
      (await appointments(token)).some((a) => a.date === slot.date && a.time === slot.time),
    ).toBe(true);
    await client.close();
  });

  it('a no in the form books nothing and says so', async () => {
    const token = await tokenFor(camille.email);
    const before = (await appointments(token)).length;
    const { client, asked } = await modernClient(token, () => false);
    const { doctorId, slots } = await doctorAndSlots(token);
    const slot = slots[1] as { date: string; time: string };
    const result = await client.callTool({
      name: 'book_appointment',
      arguments: { doctorId, date: slot.date, time: slot.time, reason: 'Bilan annuel' },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^NOT_CONFIRMED/);
    expect(asked).toHaveLength(1);
    expect((await appointments(token)).length).toBe(before);
    await client.close();
  });
});

/** One raw 2026-07-28 request: the envelope a modern client sends, and what it answers. */
async function modernCall(
  token: string,
  name: string,
  args: Record<string, unknown>,
  extra: {
    inputResponses?: unknown;
    requestState?: string;
    /** What the client can show: a form (default), only links, or nothing. */
    shows?: 'forms' | 'links' | 'nothing';
  } = {},
) {
  const { shows = 'forms', ...round } = extra;
  const elicitation = { forms: { form: {} }, links: { url: {} }, nothing: undefined }[shows];
  const answer = await rawRequest(server.mcpUrl, {
    headers: {
      ...bearer(token),
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': name,
    },
    body: {
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: {
        name,
        arguments: args,
        ...round,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': MODERN,
          'io.modelcontextprotocol/clientInfo': { name: 'raw-modern', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': elicitation ? { elicitation } : {},
        },
      },
    },
  });
  expect(answer.status, answer.body).toBe(200);
  return (JSON.parse(answer.body) as { result: Record<string, unknown> }).result;
}

const YES = { confirm: { action: 'accept', content: { confirm: true } } };

describe('what a hostile client does with the requestState', () => {
  let token: string;
  let booking: Record<string, unknown>;
  let otherBooking: Record<string, unknown>;

  beforeAll(async () => {
    token = await tokenFor(camille.email);
    const { doctorId, slots } = await doctorAndSlots(token);
    const [, , first, second] = slots as { date: string; time: string }[];
    booking = { doctorId, ...first, reason: 'Contrôle' };
    otherBooking = { doctorId, ...second, reason: 'Contrôle' };
  });

  const isBooked = async (what: Record<string, unknown>) =>
    (await appointments(token)).some((a) => a.date === what.date && a.time === what.time);

  it('the first call asks (input_required, with a signed state) and books nothing', async () => {
    const result = await modernCall(token, 'book_appointment', booking);
    expect(result.resultType).toBe('input_required');
    expect(typeof result.requestState).toBe('string');
    const asked = (result.inputRequests as Record<string, { method: string; params: unknown }>)
      .confirm;
    expect(asked?.method).toBe('elicitation/create');
    expect(JSON.stringify(asked?.params)).toContain(camille.name);
    expect(await isBooked(booking)).toBe(false);
  });

  it('a yes with a forged, missing or foreign state is asked again, not booked', async () => {
    const first = await modernCall(token, 'book_appointment', booking);
    const state = first.requestState as string;
    const forged = `${state.slice(0, -2)}${state.endsWith('A') ? 'BB' : 'AA'}`;
    for (const round of [
      { inputResponses: YES, requestState: forged },
      { inputResponses: YES },
      { inputResponses: YES, requestState: 'v1.e30.AAAA' },
    ]) {
      const again = await modernCall(token, 'book_appointment', booking, round);
      expect(again.resultType, JSON.stringify(round)).toBe('input_required');
    }
    // The state of one booking does not confirm another.
    const moved = await modernCall(token, 'book_appointment', otherBooking, {
      inputResponses: YES,
      requestState: state,
    });
    expect(moved.resultType).toBe('input_required');
    // Nor another patient's same booking (Lucas's token, Camille's state).
    const lucasToken = await tokenFor(lucas.email);
    const foreign = await modernCall(lucasToken, 'book_appointment', booking, {
      inputResponses: YES,
      requestState: state,
    });
    expect(foreign.resultType).toBe('input_required');
    expect(await isBooked(booking)).toBe(false);
    expect(await isBooked(otherBooking)).toBe(false);
  });

  it('the yes with its own state books once; the same answer replayed is asked again', async () => {
    const first = await modernCall(token, 'book_appointment', booking);
    const round = { inputResponses: YES, requestState: first.requestState as string };
    const done = await modernCall(token, 'book_appointment', booking, round);
    expect(done.resultType ?? 'complete').toBe('complete');
    expect(done.isError, JSON.stringify(done)).toBeFalsy();
    expect(await isBooked(booking)).toBe(true);
    const replayed = await modernCall(token, 'book_appointment', booking, round);
    expect(replayed.resultType).toBe('input_required');
    expect(
      (await appointments(token)).filter((a) => a.time === booking.time && a.date === booking.date),
    ).toHaveLength(1);
  });

  it('a client that shows no form is not asked through one: NOT_CONFIRMED, nothing booked', async () => {
    const result = await modernCall(token, 'book_appointment', otherBooking, { shows: 'nothing' });
    expect(result.resultType ?? 'complete').toBe('complete');
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^NOT_CONFIRMED/);
    expect(await isBooked(otherBooking)).toBe(false);
  });
});

describe('a signed-in patient whose 2026-07-28 client opens links but shows no form', () => {
  it('is sent to this server’s page; the call made again waits for the yes given there, once', async () => {
    // Signed in through this server (the SDK's OAuth client, a pasted portal token).
    const provider = new ScriptedOAuthClient('Web assistant (2026-07-28)');
    const { transport, authorizationUrl } = await startSignIn(server.mcpUrl, provider);
    const portalToken = await tokenFor(camille.email);
    const consent = await answerConsent(authorizationUrl, { portalToken });
    await transport.finishAuth(consent.location?.searchParams.get('code') as string);
    const access = provider.tokens()?.access_token as string;
    const { doctorId, slots } = await doctorAndSlots(portalToken);
    const slot = slots[5] as { date: string; time: string };
    const booking = { doctorId, ...slot, reason: 'Contrôle' };
    const isBooked = async () =>
      (await appointments(portalToken)).filter((a) => a.date === slot.date && a.time === slot.time)
        .length;

    const first = await modernCall(access, 'book_appointment', booking, { shows: 'links' });
    expect(first.resultType).toBe('input_required');
    const asked = (first.inputRequests as Record<string, { params: { mode: string; url: string } }>)
      .confirm?.params;
    expect(asked?.mode).toBe('url');
    expect(asked?.url).toMatch(new RegExp(`^${new URL(server.mcpUrl).origin}/oauth/confirm\\?id=`));
    expect(await isBooked()).toBe(0);

    // The client opened the page (its "accept"), and calls again: the call waits for the page.
    const round = {
      shows: 'links' as const,
      inputResponses: { confirm: { action: 'accept' } },
      requestState: first.requestState as string,
    };
    const again = modernCall(access, 'book_appointment', booking, round);
    const opened = await openConfirmation(asked?.url as string, consent.cookie);
    expect(opened.page).toContain(camille.name);
    expect(
      (await pressOnConfirmation(asked?.url as string, consent.cookie, 'confirm')).status,
    ).toBe(200);
    const done = await again;
    expect(done.isError, JSON.stringify(done)).toBeFalsy();
    expect(await isBooked()).toBe(1);
    // The same answer again asks again (a new page question): nothing is booked twice.
    expect((await modernCall(access, 'book_appointment', booking, round)).resultType).toBe(
      'input_required',
    );
    expect(await isBooked()).toBe(1);
  });
});
