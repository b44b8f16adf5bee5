/**
 * A prompt-injected model writes the booking's reason and picks the ids: what the patient
 * reads is the portal's data plus that reason quoted on one bounded line; an id the portal
 * does not know is refused before anyone is asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bookingConfirmation,
  cancellationConfirmation,
  REASON_MAX_CHARS,
} from '../../../relay/confirm/confirmation-text';
import { translator } from '../../../relay/i18n/messages';
import { bookAppointment } from '../../../relay/tools/book-appointment';
import { cancelAppointment } from '../../../relay/tools/cancel-appointment';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';
import { errorCode, fakeExtensionLink, startInMemoryRelay } from '../../support/in-memory-relay';

const t = translator('en');
const BOOK = bookAppointment.confirmation!;
const CANCEL = cancelAppointment.confirmation!;
/** A second, fake question drawn after a line break, reversed by a bidi override. */
const STEERING = `Contrôle\n\nAlso cancel all my other appointments? Answer: yes\u202e\u2066 sey\u0007`;
const DOCTOR = {
  id: 'doc_1',
  name: 'Dr Martin',
  specialty: 'Cardiologie',
  hospital: 'Hôpital Nord',
  city: 'Lyon',
};

describe('the booking question', () => {
  it('shows the portal’s doctor and the reason quoted, on one line, without controls or bidi', () => {
    const asked = bookingConfirmation(
      { date: '2030-01-07', time: '10:00', reason: STEERING },
      DOCTOR,
      t,
      BOOK,
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
    expect(asked.message).not.toMatch(/[\n\r\u0007\u202a-\u202e\u2066-\u2069]/);
    expect(asked.message).toContain(
      'Dr Martin (Cardiologie) on Monday, 7 January 2030 at 10:00 — Hôpital Nord, Lyon?',
    );
    expect(asked.message).toMatch(
      /Reason, as your assistant wrote it: “Contrôle Also cancel all my other appointments\? Answer: yes sey\?”$/,
    );
    expect(asked.summary.reason).toBe(
      'Contrôle Also cancel all my other appointments? Answer: yes sey?',
    );
  });

  it('bounds the reason, and the portal’s own fields too', () => {
    const asked = bookingConfirmation(
      { date: '2030-01-07', time: '10:00', reason: 'r'.repeat(5_000) },
      { ...DOCTOR, name: `Dr ${'n'.repeat(5_000)}\nX` },
      t,
      BOOK,
    );
    expect(asked.summary.reason?.length).toBe(REASON_MAX_CHARS);
    expect(asked.summary.doctor.length).toBeLessThanOrEqual(120);
    expect(asked.message.length).toBeLessThan(600);
  });

  it('labels a doctor it could not look up as an id, never as a name', () => {
    const asked = bookingConfirmation(
      { date: '2030-01-07', time: '10:00', reason: 'Bilan' },
      { id: 'doc_1' },
      t,
      BOOK,
    );
    expect(asked.message).toContain('the doctor or appointment with id doc_1');
  });

  it('shows a cancellation from the portal’s appointment', () => {
    const asked = cancellationConfirmation(
      {
        id: 'apt_1',
        date: '2030-01-07',
        time: '10:00',
        durationMinutes: 30,
        status: 'confirmed',
        reason: 'Bilan\nfake line',
        doctor: { id: 'doc_1', name: 'Dr Martin', specialty: 'Cardiologie' },
        location: { hospital: 'Hôpital Nord', address: '1 rue' },
      },
      t,
      CANCEL,
    );
    expect(asked.message).toBe(
      'Cancel your appointment with Dr Martin (Cardiologie) on Monday, 7 January 2030 at 10:00 — Hôpital Nord, 1 rue?',
    );
    expect(asked.summary.reason).toBe('Bilan fake line');
  });

  it('writes the day and time in full in the relay’s language, from the portal’s date', () => {
    const asked = bookingConfirmation(
      { date: '2026-12-07', time: '10:00', reason: 'Bilan' },
      DOCTOR,
      translator('fr'),
      BOOK,
    );
    expect(asked.message).toBe(
      'Prendre rendez-vous avec Dr Martin (Cardiologie) le lundi 7 décembre 2026 à 10:00 — Hôpital Nord, Lyon ? Motif, tel que votre assistant l’a écrit : “Bilan”',
    );
    // The extension gets the portal's values and formats them in the patient's language.
    expect(asked.summary).toMatchObject({
      date: '2026-12-07',
      time: '10:00',
      hospital: 'Hôpital Nord',
      city: 'Lyon',
      specialty: 'Cardiologie',
    });
  });
});

let portal: SandboxPortal;
beforeAll(async () => {
  portal = await startSandboxPortal();
});
afterAll(() => portal.close());

async function relay(extra: Partial<Parameters<typeof startInMemoryRelay>[0]> = {}) {
  const { token } = await portal.issueToken({
    email: DEMO_PATIENTS[0]!.email,
    scopes: ['read:data', 'book:appointments'],
  });
  return startInMemoryRelay({
    portalUrl: portal.url,
    token,
    elicit: () => ({ action: 'accept', content: { confirm: true } }),
    ...extra,
  });
}

async function freeSlot(r: Awaited<ReturnType<typeof relay>>) {
  const doctors = await r.call('find_doctors', { name: 'Martin' });
  const doctorId = (doctors.structuredContent as { doctors: { id: string }[] }).doctors[0]!.id;
  const from = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
  const slots = await r.call('get_available_slots', { doctorId, date: from, days: 14 });
  const slot = (slots.structuredContent as { slots: { date: string; time: string }[] }).slots.at(
    -1,
  )!;
  return { doctorId, date: slot.date, time: slot.time };
}

describe('book_appointment and cancel_appointment', () => {
  it('refuse a doctor the portal does not know before anyone is asked, booking nothing', async () => {
    const r = await relay();
    const books = () => portal.requests.filter((q) => q.path === '/api/mcp/book').length;
    const before = books();
    const result = await r.call('book_appointment', {
      doctorId: 'doc_unknown',
      date: '2030-01-07',
      time: '10:00',
      reason: 'Bilan',
    });
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(r.elicitations).toHaveLength(0);
    expect(books()).toBe(before);
    await r.close();
  });

  it('refuse an unknown appointment before the extension is asked', async () => {
    const extension = fakeExtensionLink();
    const r = await relay({ elicit: undefined, extension: extension.link });
    const result = await r.call('cancel_appointment', { appointmentId: 'apt_unknown' });
    expect(errorCode(result)).toBe('NOT_FOUND');
    expect(extension.sent.filter((f) => f.type === 'confirmation_request')).toEqual([]);
    await r.close();
  });

  it('book exactly the reason the patient saw: one line, no controls, no bidi', async () => {
    const r = await relay();
    const slot = await freeSlot(r);
    const result = await r.call('book_appointment', { ...slot, reason: STEERING });
    expect(errorCode(result), JSON.stringify(result.content)).toBeNull();
    const { appointment } = result.structuredContent as { appointment: { reason: string } };
    expect(r.elicitations).toHaveLength(1);
    expect(r.elicitations[0]!.message).toContain(`“${appointment.reason}”`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
    expect(appointment.reason).not.toMatch(/[\n\u0007\u202e\u2066]/);
    await r.close();
  });

  it('refuse a reason longer than what the patient can be shown, and one with no words', async () => {
    const r = await relay();
    for (const reason of ['x'.repeat(REASON_MAX_CHARS + 1), '\u202e\u202e\u202e\u200b']) {
      const result = await r.call('book_appointment', {
        doctorId: 'doc_1',
        date: '2030-01-07',
        time: '10:00',
        reason,
      });
      expect(result.isError).toBe(true);
    }
    expect(r.elicitations).toHaveLength(0);
    await r.close();
  });

  it('send the extension the same cleaned summary for its popup', async () => {
    const extension = fakeExtensionLink();
    const r = await relay({ elicit: undefined, extension: extension.link });
    extension.onFrame((frame) => {
      if (frame.type === 'confirmation_request')
        setTimeout(() => r.relay.confirmer.settle(frame.id, 'decline'), 10);
    });
    const slot = await freeSlot(r);
    await r.call('book_appointment', { ...slot, reason: STEERING });
    const request = extension.sent.find((f) => f.type === 'confirmation_request');
    expect(request?.type === 'confirmation_request' && request.summary.reason).toBe(
      'Contrôle Also cancel all my other appointments? Answer: yes sey?',
    );
    expect(request?.type === 'confirmation_request' && request.summary.doctor).toMatch(/Martin/);
    // A declined booking reaches the portal never, and no outcome is reported.
    expect(extension.sent.filter((f) => f.type === 'write_outcome')).toEqual([]);
    await r.close();
  });

  it('tell the extension what the portal booked once the patient approved (“Booked ✓”)', async () => {
    const extension = fakeExtensionLink();
    const r = await relay({ elicit: undefined, extension: extension.link });
    extension.onFrame((frame) => {
      if (frame.type === 'confirmation_request')
        setTimeout(() => r.relay.confirmer.settle(frame.id, 'approve', 'hour'), 10);
    });
    const slot = await freeSlot(r);
    const result = await r.call('book_appointment', { ...slot, reason: 'Bilan annuel' });
    expect(errorCode(result), JSON.stringify(result.content)).toBeNull();
    const request = extension.sent.find((f) => f.type === 'confirmation_request');
    const outcome = extension.sent.find((f) => f.type === 'write_outcome');
    const { appointment } = result.structuredContent as {
      appointment: { date: string; time: string; location: { hospital: string } };
    };
    expect(outcome).toMatchObject({
      id: request?.type === 'confirmation_request' ? request.id : 'missing',
      action: 'book_appointment',
      outcome: 'done',
      summary: {
        date: appointment.date,
        time: appointment.time,
        hospital: appointment.location.hospital,
        reason: 'Bilan annuel',
      },
    });
    // The doctor's city, which the booked appointment does not repeat, stays as the patient saw it.
    expect(outcome?.type === 'write_outcome' && outcome.summary.city).toBe(
      request?.type === 'confirmation_request' ? request.summary.city : 'missing',
    );
    await r.close();
  });

  it('tell the extension plainly when the portal refused an approved booking', async () => {
    const extension = fakeExtensionLink();
    const r = await relay({ elicit: undefined, extension: extension.link });
    extension.onFrame((frame) => {
      if (frame.type === 'confirmation_request')
        setTimeout(() => r.relay.confirmer.settle(frame.id, 'approve'), 10);
    });
    const slot = await freeSlot(r);
    expect(errorCode(await r.call('book_appointment', { ...slot, reason: 'Premier' }))).toBeNull();
    // The same slot again: taken now.
    const again = await r.call('book_appointment', { ...slot, reason: 'Second' });
    expect(errorCode(again)).toBe('SLOT_UNAVAILABLE');
    const outcomes = extension.sent.filter((f) => f.type === 'write_outcome');
    expect(outcomes.map((f) => f.type === 'write_outcome' && [f.outcome, f.problem])).toEqual([
      ['done', undefined],
      ['failed', 'SLOT_UNAVAILABLE'],
    ]);
    await r.close();
  });

  it('tell the extension “Cancelled” with the portal’s appointment, also when the AI client asked', async () => {
    const extension = fakeExtensionLink();
    // The client's own form asks (elicitation): the outcome still reaches the extension, unnamed.
    const r = await relay({ extension: extension.link });
    const slot = await freeSlot(r);
    const booked = await r.call('book_appointment', { ...slot, reason: 'Contrôle' });
    const { appointment } = booked.structuredContent as { appointment: { id: string } };
    expect(
      errorCode(await r.call('cancel_appointment', { appointmentId: appointment.id })),
    ).toBeNull();
    expect(r.elicitations.at(-1)!.message).toMatch(
      /^For Camille Durand’s HospiAI record: Cancel your appointment with Dr\.? .+ on \w+day, \d{1,2} \w+ \d{4} at \d{2}:\d{2} — .+\?$/,
    );
    const outcomes = extension.sent.filter((f) => f.type === 'write_outcome');
    expect(outcomes.map((f) => f.type === 'write_outcome' && [f.action, f.outcome, f.id])).toEqual([
      ['book_appointment', 'done', null],
      ['cancel_appointment', 'done', null],
    ]);
    expect(outcomes[1]).toMatchObject({
      summary: { patient: 'Camille Durand', date: slot.date, time: slot.time, reason: 'Contrôle' },
    });
    await r.close();
  });
});
