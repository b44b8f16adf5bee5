import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';
import {
  errorCode,
  errorDetails,
  fakeExtensionLink,
  startInMemoryRelay,
} from '../../support/in-memory-relay';

const camille = DEMO_PATIENTS[0]!;
const ALL_SCOPES = ['read:data', 'write:data', 'book:appointments'];

let portal: SandboxPortal;
beforeAll(async () => {
  portal = await startSandboxPortal();
});
afterAll(() => portal.close());
afterEach(() => portal.faults.reset());

async function relayWith(
  scopes = ALL_SCOPES,
  extra: Parameters<typeof startInMemoryRelay>[0] | object = {},
) {
  const { token } = await portal.issueToken({ email: camille.email, scopes });
  return startInMemoryRelay({ portalUrl: portal.url, token, ...extra });
}

function apiRequests(path: string) {
  return portal.requests.filter((r) => r.path.startsWith(`/api/mcp${path}`));
}

/** The next free slot of a doctor, from the portal itself. */
async function freeSlot(relay: Awaited<ReturnType<typeof relayWith>>) {
  const doctors = await relay.call('find_doctors', { name: 'Martin' });
  const doctor = (doctors.structuredContent as { doctors: { id: string }[] }).doctors[0]!;
  const from = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const slots = await relay.call('get_available_slots', {
    doctorId: doctor.id,
    date: from,
    days: 7,
  });
  const slot = (slots.structuredContent as { slots: { date: string; time: string }[] }).slots[0]!;
  return { doctorId: doctor.id, ...slot };
}

describe('tools on the sandbox portal', () => {
  it('lists every tool with schemas, annotations and its scope, and none takes a token or patient id', async () => {
    const relay = await relayWith();
    const { tools } = await relay.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual([
      'book_appointment',
      'cancel_appointment',
      'connect_extension',
      'connection_status',
      'find_doctors',
      'get_appointments',
      'get_available_slots',
      'get_medical_records',
    ]);
    for (const tool of tools) {
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(tool.annotations?.readOnlyHint, tool.name).toBeTypeOf('boolean');
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool._meta, tool.name).toHaveProperty('hospiai/scope');
      const params = Object.keys(tool.inputSchema.properties ?? {})
        .join(' ')
        .toLowerCase();
      expect(params, tool.name).not.toMatch(/token|patient|jwt|confirm/);
    }
    const annotations = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
    expect(annotations.cancel_appointment?.destructiveHint).toBe(true);
    expect(annotations.book_appointment?.readOnlyHint).toBe(false);
    // Pairing changes this computer only: no portal, nothing destructive.
    expect(annotations.connect_extension).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
      openWorldHint: false,
    });
    await relay.close();
  });

  it('answers “what are my next appointments?” with the patient’s structured appointments', async () => {
    const relay = await relayWith();
    const result = await relay.call('get_appointments', { limit: 5 });
    expect(result.isError).toBeFalsy();
    const { appointments } = result.structuredContent as {
      appointments: { date: string; doctor: { name: string } }[];
    };
    expect(appointments.length).toBeGreaterThan(0);
    expect(appointments.length).toBeLessThanOrEqual(5);
    expect(appointments[0]!.doctor.name).toMatch(/\S/);
    // The entry is handed to the audit log just after the answer (off the call's path).
    await vi.waitFor(() =>
      expect(relay.audit.at(-1)).toMatchObject({
        tool: 'get_appointments',
        outcome: 'ok',
        scopes: ['read:data'],
      }),
    );
    await relay.close();
  });

  it('reads records filtered by type, finds doctors by name and lists free slots', async () => {
    const relay = await relayWith();
    const labs = await relay.call('get_medical_records', { type: 'lab_result' });
    const { records } = labs.structuredContent as {
      records: { type: string; values?: unknown[] }[];
    };
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.type === 'lab_result')).toBe(true);
    expect(records.some((r) => (r.values?.length ?? 0) > 0)).toBe(true);

    const slot = await freeSlot(relay);
    expect(slot.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(slot.time).toMatch(/^\d{2}:\d{2}$/);
    await relay.close();
  });

  it('connection_status says who is connected with which scopes, never the token', async () => {
    const { token } = await portal.issueToken({ email: camille.email, scopes: ['read:data'] });
    const relay = await startInMemoryRelay({ portalUrl: portal.url, token });
    const result = await relay.call('connection_status');
    expect(result.structuredContent).toMatchObject({
      connected: true,
      tokenState: 'active',
      source: 'environment',
      scopes: ['read:data'],
      patient: { email: camille.email },
    });
    expect(JSON.stringify(result)).not.toContain(token);
    await relay.close();
  });
});

describe('errors people can act on', () => {
  it('refuses a tool whose scope the token lacks, naming the scope, with no portal request', async () => {
    const relay = await relayWith(['read:data']);
    const before = portal.requests.length;
    const result = await relay.call('book_appointment', {
      doctorId: 'any',
      date: '2030-01-07',
      time: '10:00',
      reason: 'Contrôle annuel',
    });
    expect(errorCode(result)).toBe('INSUFFICIENT_SCOPE');
    expect(JSON.stringify(result.content)).toContain('book:appointments');
    expect(portal.requests.length).toBe(before);
    await relay.close();
  });

  it('without any token says how to connect: NO_TOKEN, NOT_PAIRED or EXTENSION_OFFLINE', async () => {
    const alone = await startInMemoryRelay({ portalUrl: portal.url });
    expect(errorCode(await alone.call('get_appointments'))).toBe('NO_TOKEN');
    await alone.close();

    const unpaired = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: false, connections: 0 }).link,
    });
    const notPaired = await unpaired.call('get_appointments');
    expect(errorCode(notPaired)).toBe('NOT_PAIRED');
    expect(JSON.stringify(notPaired.content)).toContain('hospiai-mcp pair');
    await unpaired.close();

    const offline = await startInMemoryRelay({
      portalUrl: portal.url,
      extension: fakeExtensionLink({ paired: true, connections: 0 }).link,
    });
    expect(errorCode(await offline.call('get_appointments'))).toBe('EXTENSION_OFFLINE');
    await offline.close();
  });

  it('after the patient withdraws access, every tool answers TOKEN_REVOKED “you withdrew access”, without the portal', async () => {
    const { token, id } = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
    // An environment token too: a withdrawal must not fall back to it.
    const relay = await startInMemoryRelay({ portalUrl: portal.url, token });
    relay.vault.setFromExtension({ token, tokenId: id });
    expect(errorCode(await relay.call('get_appointments'))).toBeNull();
    relay.vault.revokeByPatient('withdrawn');
    const before = portal.requests.length;
    for (const tool of ['get_appointments', 'get_medical_records', 'find_doctors']) {
      const result = await relay.call(tool);
      expect(errorCode(result)).toBe('TOKEN_REVOKED');
      expect(JSON.stringify(result.content)).toContain('You withdrew');
    }
    expect(portal.requests.length).toBe(before);
    await relay.close();

    const french = await startInMemoryRelay({ portalUrl: portal.url, lang: 'fr' });
    french.vault.setFromExtension({ token, tokenId: id });
    french.vault.revokeByPatient('withdrawn');
    expect(JSON.stringify((await french.call('get_appointments')).content)).toContain(
      'Vous avez retiré',
    );
    await french.close();
  });

  it('while the patient has paused the assistants, says so and how to resume, without the portal', async () => {
    const { token, id } = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
    const relay = await startInMemoryRelay({ portalUrl: portal.url, token });
    relay.vault.setFromExtension({ token, tokenId: id });
    relay.vault.revokeByPatient('paused');
    const before = portal.requests.length;
    const result = await relay.call('get_appointments');
    expect(errorCode(result)).toBe('NO_TOKEN');
    expect(JSON.stringify(result.content)).toContain('You paused');
    expect(JSON.stringify(result.content)).not.toContain('withdrew');
    expect(portal.requests.length).toBe(before);
    // Resume delivers the token again: tools work, with no new consent.
    relay.vault.setFromExtension({ token, tokenId: id });
    expect(errorCode(await relay.call('get_appointments'))).toBeNull();
    await relay.close();
  });

  it('when the portal session merely ended, says how to reconnect (NO_TOKEN), not “you withdrew”', async () => {
    const { token, id } = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
    const relay = await startInMemoryRelay({ portalUrl: portal.url });
    relay.vault.setFromExtension({ token, tokenId: id });
    relay.vault.revokeByPatient('session_ended');
    expect(errorCode(await relay.call('get_appointments'))).toBe('NO_TOKEN');
    await relay.close();
  });

  it('reports an expired token before calling the portal', async () => {
    // Issued already past its expiry (the sandbox's negative lifetime): no wait for a clock.
    const { token } = await portal.issueToken({
      email: camille.email,
      scopes: ALL_SCOPES,
      expiresInSeconds: -1,
    });
    const relay = await startInMemoryRelay({ portalUrl: portal.url, token });
    const before = apiRequests('/appointments').length;
    expect(errorCode(await relay.call('get_appointments'))).toBe('TOKEN_EXPIRED');
    expect(apiRequests('/appointments').length).toBe(before);
    await relay.close();
  });

  it('reports a token revoked in the dashboard, then stops using it', async () => {
    const { token, id } = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
    const relay = await startInMemoryRelay({ portalUrl: portal.url, token });
    expect(errorCode(await relay.call('get_appointments'))).toBeNull();
    portal.revokeToken(id);
    expect(errorCode(await relay.call('get_appointments'))).toBe('TOKEN_REVOKED');
    const before = portal.requests.length;
    expect(errorCode(await relay.call('get_medical_records'))).toBe('TOKEN_REVOKED');
    expect(portal.requests.length).toBe(before);
    await relay.close();
  });

  it('says “Token invalide” for a token the portal does not recognise', async () => {
    const forged = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ scope: 'read:data', exp: 4102444800 })).toString('base64url')}.c2lnbmF0dXJl`;
    const relay = await startInMemoryRelay({ portalUrl: portal.url, token: forged });
    const result = await relay.call('get_appointments');
    expect(errorCode(result)).toBe('TOKEN_INVALID');
    expect(JSON.stringify(result.content)).toContain('Token invalide');
    await relay.close();
  });

  it('says the portal is unreachable when nothing listens at HOSPIAI_URL', async () => {
    const { token } = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
    const relay = await startInMemoryRelay({ portalUrl: 'http://127.0.0.1:9', token });
    const result = await relay.call('get_appointments');
    expect(errorCode(result)).toBe('PORTAL_UNREACHABLE');
    expect(JSON.stringify(result.content)).toContain('http://127.0.0.1:9');
    await relay.close();
  });

  it('maps a taken slot to SLOT_UNAVAILABLE with alternatives, and a past date to INVALID_REQUEST', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    const slot = await freeSlot(relay);
    const booking = {
      doctorId: slot.doctorId,
      date: slot.date,
      time: slot.time,
      reason: 'Douleurs thoraciques',
    };
    expect(errorCode(await relay.call('book_appointment', booking))).toBeNull();
    const again = await relay.call('book_appointment', booking);
    expect(errorCode(again)).toBe('SLOT_UNAVAILABLE');
    expect(again.structuredContent).toBeUndefined();
    expect((errorDetails(again).alternatives as unknown[]).length).toBeGreaterThan(0);

    const past = await relay.call('book_appointment', { ...booking, date: '2020-01-06' });
    expect(errorCode(past)).toBe('INVALID_REQUEST');
    await relay.close();
  });

  it('answers NOT_FOUND for an appointment that is not the patient’s, before asking anything', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    expect(
      errorCode(await relay.call('cancel_appointment', { appointmentId: 'no-such-appointment' })),
    ).toBe('NOT_FOUND');
    expect(relay.elicitations).toHaveLength(0);
    await relay.close();
  });

  it('answers NOT_FOUND for a doctor the portal does not list, naming the id, before asking anything', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    const slot = await freeSlot(relay);
    const result = await relay.call('book_appointment', {
      doctorId: 'no-such-doctor',
      date: slot.date,
      time: slot.time,
      reason: 'Douleurs thoraciques',
    });
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(errorDetails(result)).toMatchObject({ doctorId: 'no-such-doctor' });
    expect(relay.elicitations).toHaveLength(0);
    await relay.close();
  });

  it('turns a bug into INTERNAL_ERROR in the relay’s language, without the error’s own text', async () => {
    const { token } = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
    const relay = await startInMemoryRelay({
      portalUrl: portal.url,
      token,
      lang: 'fr',
      withVault: (vault) => {
        vault.info = () => {
          throw new TypeError('cannot read secret-detail of undefined');
        };
      },
    });
    const result = await relay.call('get_appointments');
    expect(errorCode(result)).toBe('INTERNAL_ERROR');
    const text = JSON.stringify(result.content);
    expect(text).toContain('problème inattendu');
    expect(text).not.toContain('secret-detail');
    await relay.close();
  });

  it('answers in French when the relay runs in French', async () => {
    const relay = await startInMemoryRelay({ portalUrl: portal.url, lang: 'fr' });
    const result = await relay.call('get_appointments');
    expect(JSON.stringify(result.content)).toContain('Non connecté');
    await relay.close();
  });
});

describe('reliability of portal calls', () => {
  it('retries a GET on 429, honouring Retry-After, and succeeds', async () => {
    const relay = await relayWith();
    const before = apiRequests('/appointments').length;
    portal.faults.failNext({
      pathPrefix: '/api/mcp/appointments',
      status: 429,
      count: 1,
      retryAfterSeconds: 1,
    });
    const started = Date.now();
    expect(errorCode(await relay.call('get_appointments'))).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(apiRequests('/appointments').length - before).toBe(2);
    await relay.close();
  });

  it('gives up after the retries on repeated 5xx with PORTAL_ERROR', async () => {
    const relay = await relayWith();
    const before = apiRequests('/records').length;
    portal.faults.failNext({ pathPrefix: '/api/mcp/records', status: 503, count: 10 });
    expect(errorCode(await relay.call('get_medical_records'))).toBe('PORTAL_ERROR');
    expect(apiRequests('/records').length - before).toBe(3);
    await relay.close();
  });

  it('does not wait for a Retry-After longer than it allows: RATE_LIMITED with the wait', async () => {
    const relay = await relayWith();
    portal.faults.failNext({
      pathPrefix: '/api/mcp/records',
      status: 429,
      count: 5,
      retryAfterSeconds: 120,
    });
    const result = await relay.call('get_medical_records');
    expect(errorCode(result)).toBe('RATE_LIMITED');
    expect(JSON.stringify(result.content)).toContain('120');
    await relay.close();
  });

  it('times out a hanging portal and retries the GET', async () => {
    // The hanging request never answers within the test; the retried one must answer within
    // the timeout, also on a loaded machine (200 ms was not enough there: a third request).
    const relay = await relayWith(ALL_SCOPES, { portal: { timeoutMs: 2_000 } });
    const before = apiRequests('/doctors').length;
    portal.faults.delayNext({ pathPrefix: '/api/mcp/doctors', ms: 600_000, count: 1 });
    expect(errorCode(await relay.call('find_doctors', { name: 'Martin' }))).toBeNull();
    expect(apiRequests('/doctors').length - before).toBe(2);
    await relay.close();
  });

  it('never retries a write without its idempotency key, and a retried booking books once', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    const slot = await freeSlot(relay);
    const before = apiRequests('/book').length;
    portal.faults.failNext({ pathPrefix: '/api/mcp/book', status: 503, count: 1 });
    const result = await relay.call('book_appointment', {
      doctorId: slot.doctorId,
      date: slot.date,
      time: slot.time,
      reason: 'Suivi tension artérielle',
    });
    expect(errorCode(result)).toBeNull();
    expect(apiRequests('/book').length - before).toBe(2);
    const list = await relay.call('get_appointments', { limit: 100 });
    const booked = (
      list.structuredContent as { appointments: { date: string; time: string; status: string }[] }
    ).appointments.filter(
      (a) => a.date === slot.date && a.time === slot.time && a.status !== 'cancelled',
    );
    expect(booked).toHaveLength(1);
    await relay.close();
  });
});

describe('writes need the patient, not the model', () => {
  it('books after the patient accepts the elicitation, showing details the relay fetched', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    const slot = await freeSlot(relay);
    const result = await relay.call('book_appointment', { ...slot, reason: 'Bilan cardiologique' });
    expect(errorCode(result)).toBeNull();
    expect(relay.elicitations).toHaveLength(1);
    expect(relay.elicitations[0]!.message).toContain('Martin');
    expect(relay.elicitations[0]!.message).toContain(slot.time);
    await relay.close();
  });

  it('books nothing when the patient declines', async () => {
    const relay = await relayWith(ALL_SCOPES, { elicit: () => ({ action: 'decline' }) });
    const slot = await freeSlot(relay);
    const before = apiRequests('/book').length;
    const result = await relay.call('book_appointment', { ...slot, reason: 'Bilan' });
    expect(errorCode(result)).toBe('NOT_CONFIRMED');
    expect(apiRequests('/book').length).toBe(before);
    await relay.close();
  });

  it('books nothing when accepted without ticking the confirmation', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      elicit: () => ({ action: 'accept', content: { confirm: false } }),
    });
    const slot = await freeSlot(relay);
    expect(errorCode(await relay.call('book_appointment', { ...slot, reason: 'Bilan' }))).toBe(
      'NOT_CONFIRMED',
    );
    await relay.close();
  });

  it('answers NOT_CONFIRMED when neither the client nor the extension can ask, even with confirm: true', async () => {
    const relay = await relayWith();
    const slot = await freeSlot(relay);
    const before = apiRequests('/book').length;
    const result = await relay.call('book_appointment', {
      ...slot,
      reason: 'Bilan',
      confirm: true,
      confirmed: true,
    });
    expect(errorCode(result)).toBe('NOT_CONFIRMED');
    expect(JSON.stringify(result.content)).toMatch(/extension/i);
    expect(apiRequests('/book').length).toBe(before);
    expect(
      errorCode(await relay.call('cancel_appointment', { appointmentId: 'x', confirm: true })),
    ).not.toBeNull();
    await relay.close();
  });

  it('asks the extension when the client cannot elicit, and books on approve only', async () => {
    const extension = fakeExtensionLink({ paired: true, connections: 1 });
    const relay = await relayWith(ALL_SCOPES, { extension: extension.link });
    extension.onFrame((frame) => {
      if (frame.type === 'confirmation_request') {
        setTimeout(() => relay.relay.confirmer.settle(frame.id, 'approve'), 10);
      }
    });
    const slot = await freeSlot(relay);
    expect(
      errorCode(await relay.call('book_appointment', { ...slot, reason: 'Vaccin grippe' })),
    ).toBeNull();
    const request = extension.sent.find((f) => f.type === 'confirmation_request');
    expect(request).toMatchObject({
      action: 'book_appointment',
      summary: { date: slot.date, time: slot.time },
    });
    await relay.close();
  });

  it('treats no answer from the extension in time as not done', async () => {
    const extension = fakeExtensionLink({ paired: true, connections: 1 });
    const relay = await relayWith(ALL_SCOPES, {
      extension: extension.link,
      confirmationTimeoutMs: 200,
    });
    const slot = await freeSlot(relay);
    const before = apiRequests('/book').length;
    const result = await relay.call('book_appointment', { ...slot, reason: 'Vaccin' });
    expect(errorCode(result)).toBe('NOT_CONFIRMED');
    expect(errorDetails(result).reason).toBe('timeout');
    expect(apiRequests('/book').length).toBe(before);
    await relay.close();
  });

  it('cancels an appointment after confirmation and shows it cancelled', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    const slot = await freeSlot(relay);
    const booked = await relay.call('book_appointment', { ...slot, reason: 'Contrôle' });
    const { appointment } = booked.structuredContent as { appointment: { id: string } };
    const cancelled = await relay.call('cancel_appointment', { appointmentId: appointment.id });
    expect(cancelled.structuredContent).toMatchObject({
      appointment: { id: appointment.id, status: 'cancelled' },
    });
    expect(relay.elicitations.at(-1)!.message).toContain(slot.time);
    await relay.close();
  });
});

describe('token renewal through the extension', () => {
  it('asks the extension once on an expired token and retries with the fresh one', async () => {
    const extension = fakeExtensionLink();
    const relay = await startInMemoryRelay({ portalUrl: portal.url, extension: extension.link });
    const old = await portal.issueToken({
      email: camille.email,
      scopes: ALL_SCOPES,
      expiresInSeconds: -1,
    });
    relay.vault.setFromExtension({ token: old.token });
    let renewals = 0;
    extension.onFrame((frame) => {
      if (frame.type !== 'renew_request') return;
      renewals++;
      void portal
        .issueToken({ email: camille.email, scopes: ALL_SCOPES })
        .then(({ token }) => relay.vault.setFromExtension({ token }));
    });
    expect(errorCode(await relay.call('get_appointments'))).toBeNull();
    expect(renewals).toBe(1);
    await relay.close();
  });

  it('a call in flight when a renewal delivers the next token and revokes its own is retried with the new one, which stays alive', async () => {
    const extension = fakeExtensionLink();
    const relay = await startInMemoryRelay({ portalUrl: portal.url, extension: extension.link });
    const old = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
    relay.vault.setFromExtension({ token: old.token });
    // The portal holds the call long enough for the renewal to land in between.
    portal.faults.delayNext({ pathPrefix: '/api/mcp/appointments', ms: 400 });
    const before = apiRequests('/appointments').length;
    const inFlight = relay.call('get_appointments');
    // The portal holds it: the renewal lands while it is on its way.
    await expect.poll(() => apiRequests('/appointments').length).toBeGreaterThan(before);
    const next = await portal.issueToken({ email: camille.email, scopes: ALL_SCOPES });
    relay.vault.setFromExtension({ token: next.token });
    portal.revokeToken(old.id);

    expect(errorCode(await inFlight)).toBeNull();
    expect(relay.vault.info()).toMatchObject({ state: 'active', tokenId: next.id });
    expect(errorCode(await relay.call('get_appointments'))).toBeNull();
    await relay.close();
  });

  it('does not loop when the renewed token is refused too', async () => {
    const extension = fakeExtensionLink();
    const relay = await startInMemoryRelay({ portalUrl: portal.url, extension: extension.link });
    const forged = (jti: string) =>
      `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ scope: 'read:data', exp: 4102444800, jti })).toString('base64url')}.c2ln`;
    relay.vault.setFromExtension({ token: forged('a') });
    let renewals = 0;
    extension.onFrame((frame) => {
      if (frame.type !== 'renew_request') return;
      renewals++;
      relay.vault.setFromExtension({ token: forged(`b${renewals}`) });
    });
    const before = apiRequests('/appointments').length;
    expect(errorCode(await relay.call('get_appointments'))).toBe('TOKEN_INVALID');
    expect(renewals).toBe(1);
    expect(apiRequests('/appointments').length - before).toBe(2);
    await relay.close();
  });
});

describe('the patient’s read policy', () => {
  it('asks before a read the patient set to “always ask”, and reads nothing when declined', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      reads: { get_medical_records: 'ask', get_appointments: 'allow' },
      elicit: () => ({ action: 'decline' }),
    });
    const before = apiRequests('/records').length;
    const declined = await relay.call('get_medical_records');
    expect(errorCode(declined)).toBe('NOT_CONFIRMED');
    expect(apiRequests('/records').length).toBe(before);
    expect(relay.elicitations[0]!.message).toContain('medical records');

    expect(errorCode(await relay.call('get_appointments'))).toBeNull();
    expect(relay.elicitations).toHaveLength(1);
    await relay.close();
  });

  it('asks through the extension when the client cannot elicit, and reads once approved', async () => {
    const extension = fakeExtensionLink();
    const relay = await relayWith(ALL_SCOPES, {
      extension: extension.link,
      reads: { get_appointments: 'ask' },
    });
    extension.onFrame((frame) => {
      if (frame.type === 'read_approval_request') relay.relay.confirmer.settle(frame.id, 'approve');
    });
    expect(errorCode(await relay.call('get_appointments'))).toBeNull();
    expect(extension.sent.find((f) => f.type === 'read_approval_request')).toMatchObject({
      tool: 'get_appointments',
    });
    await relay.close();
  });

  it('still asks before every write, whatever the read policy allows', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      reads: {
        get_appointments: 'allow',
        find_doctors: 'allow',
        get_available_slots: 'allow',
        get_medical_records: 'allow',
      },
    });
    const slot = await freeSlot(relay);
    expect(errorCode(await relay.call('book_appointment', { ...slot, reason: 'Bilan' }))).toBe(
      'NOT_CONFIRMED',
    );
    await relay.close();
  });
});

describe('a booking whose answer is lost', () => {
  it('is retried with the same Idempotency-Key and books once', async () => {
    const relay = await relayWith(ALL_SCOPES, {
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    const slot = await freeSlot(relay);
    const before = apiRequests('/book').length;
    portal.faults.loseAnswerNext({ pathPrefix: '/api/mcp/book' });
    const result = await relay.call('book_appointment', { ...slot, reason: 'Contrôle tension' });
    expect(errorCode(result), JSON.stringify(result.content)).toBeNull();
    expect(apiRequests('/book').length - before).toBe(2);
    const list = await relay.call('get_appointments', { limit: 100 });
    const same = (
      list.structuredContent as { appointments: { date: string; time: string; status: string }[] }
    ).appointments.filter(
      (a) => a.date === slot.date && a.time === slot.time && a.status !== 'cancelled',
    );
    expect(same).toHaveLength(1);
    await relay.close();
  });
});
