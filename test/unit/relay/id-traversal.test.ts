/**
 * A prompt-injected model sends path-traversal ids: what reaches the portal is checked byte
 * for byte (method and raw request target), on a stand-in portal that records every request.
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';
import { HOSTILE_IDS } from '../../support/hostile-inputs';
import { startInMemoryRelay } from '../../support/in-memory-relay';
import { type PortalAnswer, startRecordingPortal } from '../../support/recording-portal';

const APPOINTMENT = {
  id: 'apt_c1a4',
  date: '2030-01-07',
  time: '10:00',
  durationMinutes: 30,
  status: 'confirmed',
  reason: 'Contrôle',
  doctor: { id: 'doc_5d1c7a20', name: 'Dr Martin', specialty: 'Médecine générale' },
  location: { hospital: 'Hôpital', address: '1 rue' },
};

function answer(req: IncomingMessage): PortalAnswer {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/api/mcp/appointments')
    return { status: 200, body: { appointments: [APPOINTMENT] } };
  if (path === '/api/mcp/appointments/apt_c1a4/cancel')
    return { status: 200, body: { appointment: { ...APPOINTMENT, status: 'cancelled' } } };
  if (path === '/api/mcp/doctors/doc_5d1c7a20/slots') return { status: 200, body: { slots: [] } };
  return { status: 404, body: { error: 'no such route', code: 'not_found' } };
}

let sandbox: SandboxPortal;
let token: string;
beforeAll(async () => {
  // The sandbox only mints a realistic token (its claims name the scopes).
  sandbox = await startSandboxPortal();
  ({ token } = await sandbox.issueToken({
    email: DEMO_PATIENTS[0]!.email,
    scopes: ['read:data', 'book:appointments'],
  }));
});
afterAll(() => sandbox.close());

async function relayOn(url: string) {
  return startInMemoryRelay({
    portalUrl: url,
    token,
    elicit: () => ({ action: 'accept', content: { confirm: true } }),
  });
}

describe('ids that try to leave their path segment', () => {
  it('never reach the portal: get_available_slots and cancel_appointment refuse them', async () => {
    const portal = await startRecordingPortal(answer);
    const relay = await relayOn(portal.url);
    for (const id of HOSTILE_IDS) {
      const slots = await relay.call('get_available_slots', { doctorId: id, date: '2030-01-07' });
      expect(slots.isError, JSON.stringify(id)).toBe(true);
      const cancel = await relay.call('cancel_appointment', { appointmentId: id });
      expect(cancel.isError, JSON.stringify(id)).toBe(true);
    }
    expect(portal.requests).toEqual([]);
    expect(relay.elicitations).toEqual([]);
    await relay.close();
  });

  it('a valid id reaches exactly its own endpoint, with the method it needs', async () => {
    const portal = await startRecordingPortal(answer);
    const relay = await relayOn(portal.url);
    const slots = await relay.call('get_available_slots', {
      doctorId: 'doc_5d1c7a20',
      date: '2030-01-07',
      days: 3,
    });
    expect(slots.isError).toBeFalsy();
    const cancel = await relay.call('cancel_appointment', { appointmentId: 'apt_c1a4' });
    expect(cancel.isError).toBeFalsy();
    // The question's details and who the patient is are asked side by side: in any order.
    const byTarget = (a: { target: string }, b: { target: string }) =>
      a.target.localeCompare(b.target);
    expect(portal.requests.slice(0, 1)).toEqual([
      { method: 'GET', target: '/api/mcp/doctors/doc_5d1c7a20/slots?date=2030-01-07&days=3' },
    ]);
    expect(portal.requests.slice(1, 3).sort(byTarget)).toEqual([
      { method: 'GET', target: '/api/mcp/appointments?limit=100' },
      { method: 'POST', target: '/api/mcp/validate' },
    ]);
    expect(portal.requests.slice(3)).toEqual([
      { method: 'POST', target: '/api/mcp/appointments/apt_c1a4/cancel' },
    ]);
    await relay.close();
  });
});
