import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Wording } from '../i18n/messages';
import {
  Appointment,
  AppointmentResponse,
  ClockTime,
  type Doctor,
  DoctorsResponse,
  IsoDate,
} from '../portal/portal-schemas';
import { defineTool, type ToolContext } from './define-tool';
import { canReadDetails, requirePatientConfirmation } from './require-confirmation';

/** What the AI client asks the patient (the extension words it from `confirm_<tool>` in _locales). */
const CONFIRM_BOOK: Wording = {
  en: (p) =>
    `Book an appointment with ${p.doctor} (${p.specialty}) on ${p.date} at ${p.time}? Reason: ${p.reason}.`,
  fr: (p) =>
    `Prendre rendez-vous avec ${p.doctor} (${p.specialty}) le ${p.date} à ${p.time} ? Motif : ${p.reason}.`,
};

export const bookAppointment = defineTool({
  name: 'book_appointment',
  title: 'Book an appointment',
  description:
    'Books an appointment with a doctor at a free slot. The patient is always asked to confirm (in the AI client or in the HospiAI browser extension) before anything is booked; if they decline or do not answer, nothing is booked. Get doctorId from find_doctors and a free date/time from get_available_slots first.',
  scope: 'book:appointments',
  kind: 'write',
  confirmation: CONFIRM_BOOK,
  input: {
    doctorId: z.string().trim().min(1).max(100).describe('The doctor’s id, from find_doctors.'),
    date: IsoDate.describe('Day of the appointment, YYYY-MM-DD.'),
    time: ClockTime.describe('Start time, HH:MM (24 h), from get_available_slots.'),
    reason: z
      .string()
      .trim()
      .min(3)
      .max(500)
      .describe('Reason for the visit, in the patient’s words.'),
  },
  output: { appointment: Appointment },
  async handle({ doctorId, date, time, reason }, context) {
    const doctor = await lookUpDoctor(doctorId, context);
    await requirePatientConfirmation(
      {
        kind: 'write',
        action: 'book_appointment',
        summary: {
          doctor: doctor?.name ?? doctorId,
          specialty: doctor?.specialty,
          date,
          time,
          reason,
          location: doctor ? `${doctor.hospital}, ${doctor.city}` : undefined,
        },
        message: context.t(CONFIRM_BOOK, {
          doctor: doctor?.name ?? doctorId,
          specialty: doctor?.specialty ?? '?',
          date,
          time,
          reason,
        }),
      },
      context,
    );
    const { appointment } = await context.call({
      method: 'POST',
      path: '/book',
      body: { date, time, doctorId, reason },
      // One key per approved booking: retries of this call can never book twice.
      idempotencyKey: randomUUID(),
      schema: AppointmentResponse,
    });
    return { structured: { appointment }, resourceIds: [appointment.id, doctorId] };
  },
});

/** The doctor as the portal knows it, so the patient confirms a name, not an id. */
async function lookUpDoctor(doctorId: string, context: ToolContext): Promise<Doctor | null> {
  if (!canReadDetails(context)) return null;
  const { doctors } = await context.api.call('read:data', {
    method: 'GET',
    path: '/doctors',
    schema: DoctorsResponse,
  });
  return doctors.find((d) => d.id === doctorId) ?? null;
}
