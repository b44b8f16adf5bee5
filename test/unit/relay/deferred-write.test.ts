/**
 * A write confirmed later (remote mode's confirmation page: relay/tools/require-confirmation.ts)
 * carries one Idempotency-Key however often it is run — a page answered twice, a retried run —
 * so the portal applies it once and answers each run with the same booking.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfirmationAnswer } from '../../../relay/confirm/patient-confirmation';
import { translator } from '../../../relay/i18n/messages';
import { silentLogger } from '../../../relay/logger';
import { PortalClient } from '../../../relay/portal/portal-client';
import type { WriteSummary } from '../../../relay/protocol/protocol';
import { bookAppointment } from '../../../relay/tools/book-appointment';
import { cancelAppointment } from '../../../relay/tools/cancel-appointment';
import type { ToolCallContext } from '../../../relay/tools/define-tool';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';

const camille = DEMO_PATIENTS[0]!;
const t = translator('en');

let portal: SandboxPortal;
let client: PortalClient;
let token: string;
beforeAll(async () => {
  portal = await startSandboxPortal();
  client = new PortalClient({ baseUrl: portal.url, t, logger: silentLogger, retryBaseMs: 10 });
  ({ token } = await portal.issueToken({
    email: camille.email,
    scopes: ['read:data', 'book:appointments'],
  }));
});
afterAll(async () => {
  client.close();
  await portal.close();
});

/**
 * A tool's context for a client that cannot ask (the write is deferred, as to the page), its
 * portal calls made with the patient's token; the deferred run and each call's key are kept.
 */
function deferringContext() {
  const keys: Array<string | undefined> = [];
  let later: (() => Promise<WriteSummary>) | null = null;
  const context = {
    t,
    vault: { info: () => ({ scopes: ['book:appointments'] }) },
    confirmer: {
      confirm: async (): Promise<ConfirmationAnswer> => ({ outcome: 'unsupported', id: null }),
      deferWrite: (_question: unknown, run: () => Promise<WriteSummary>) => {
        later = run;
        return 'https://hospiai.example/oauth/confirm?id=r0.test';
      },
      reportWrite: () => {},
    },
    asPatient: async () => ({
      patient: null,
      displayName: async () => null,
      call: (_scope: string, call: { idempotencyKey?: string }) => {
        keys.push(call.idempotencyKey);
        return client.call({ ...(call as Parameters<PortalClient['call']>[0]), token });
      },
    }),
  } as unknown as ToolCallContext;
  return { context, keys, later: () => later };
}

/** A free slot of the first doctor, from the portal itself. */
async function freeSlot() {
  const doctors = (await (
    await fetch(`${portal.url}/api/mcp/doctors`, { headers: { authorization: `Bearer ${token}` } })
  ).json()) as { doctors: { id: string }[] };
  const doctorId = doctors.doctors[0]!.id;
  const date = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
  const slots = (await (
    await fetch(`${portal.url}/api/mcp/doctors/${doctorId}/slots?date=${date}&days=7`, {
      headers: { authorization: `Bearer ${token}` },
    })
  ).json()) as { slots: { date: string; time: string }[] };
  return { doctorId, ...slots.slots[0]! };
}

describe('a write confirmed on the page', () => {
  it('run twice books once, with one Idempotency-Key, and both runs name the same booking', async () => {
    const { context, keys, later } = deferringContext();
    const slot = await freeSlot();
    await expect(
      bookAppointment.handle(
        { ...slot, reason: 'Suivi tension artérielle' } as Parameters<
          typeof bookAppointment.handle
        >[0],
        context,
      ),
    ).rejects.toMatchObject({ code: 'NOT_CONFIRMED' });
    const run = later();
    expect(run).not.toBeNull();
    const first = await run!();
    const second = await run!();
    expect(second).toEqual(first);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    const listed = (await (
      await fetch(`${portal.url}/api/mcp/appointments?limit=100`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { appointments: { date: string; time: string; status: string }[] };
    expect(
      listed.appointments.filter(
        (a) => a.date === slot.date && a.time === slot.time && a.status !== 'cancelled',
      ),
    ).toHaveLength(1);
  });

  it('a cancellation run twice carries one Idempotency-Key', async () => {
    const { context, keys, later } = deferringContext();
    await expect(
      cancelAppointment.handle(
        { appointmentId: 'apt_any' } as Parameters<typeof cancelAppointment.handle>[0],
        context,
      ),
    ).rejects.toMatchObject({ code: 'NOT_CONFIRMED' });
    const run = later();
    // The sandbox has no such appointment: what matters is what each run sent.
    await run!().catch(() => {});
    await run!().catch(() => {});
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
  });
});
