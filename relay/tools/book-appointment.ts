import { z } from 'zod';
import {
  appointmentSummary,
  bookingConfirmation,
  cleanReason,
  REASON_MAX_CHARS,
} from '../confirm/confirmation-text';
import type { MessageKey } from '../i18n/messages';
import { portalPath } from '../portal/portal-path';
import {
  Appointment,
  AppointmentResponse,
  ClockTime,
  DoctorsResponse,
  IsoDate,
} from '../portal/portal-schemas';
import { DoctorId } from '../protocol/ids';
import { defineTool } from './define-tool';
import { confirmedWrite, recordToConfirm } from './require-confirmation';

/** What the patient is asked (the extension words its own card from `confirm_write_book_appointment`). */
const CONFIRMATION = 'CONFIRM_BOOK_APPOINTMENT' satisfies MessageKey;

export const bookAppointment = defineTool({
  name: 'book_appointment',
  title: 'Book an appointment',
  description:
    'Books an appointment with a doctor at a free slot. The patient is always asked to confirm (in the AI client or in the HospiAI browser extension) before anything is booked; if they decline or do not answer, nothing is booked. Get doctorId from find_doctors and a free date/time from get_available_slots first.',
  scope: 'book:appointments',
  kind: 'write',
  confirmation: CONFIRMATION,
  input: {
    doctorId: DoctorId,
    date: IsoDate.describe('Day of the appointment, YYYY-MM-DD.'),
    time: ClockTime.describe('Start time, HH:MM (24 h), from get_available_slots.'),
    reason: z
      .string()
      .trim()
      .min(3)
      .max(REASON_MAX_CHARS)
      .refine((reason) => cleanReason(reason).length >= 3, 'a reason in words')
      .describe('Reason for the visit, in the patient’s words (one line).'),
  },
  output: { appointment: Appointment },
  async handle({ doctorId, date, time, reason }, context) {
    const { appointment } = await confirmedWrite(context, {
      // The patient approves the portal's doctor and the reason exactly as it will be booked.
      question: async (as) =>
        bookingConfirmation(
          { date, time, reason },
          await recordToConfirm(context, 'doctor', doctorId, async () => {
            const { doctors } = await as.call('read:data', {
              method: 'GET',
              path: portalPath`/doctors`,
              schema: DoctorsResponse,
            });
            return doctors;
          }),
          context.t,
          CONFIRMATION,
        ),
      write: (as, idempotencyKey) =>
        as.call('book:appointments', {
          method: 'POST',
          path: portalPath`/book`,
          body: { date, time, doctorId, reason: cleanReason(reason) },
          // One key per approved booking (confirmedWrite's): retries can never book twice.
          idempotencyKey,
          schema: AppointmentResponse,
        }),
      describe: (booked) => appointmentSummary(booked.appointment),
    });
    return { structured: { appointment }, resourceIds: [appointment.id, doctorId] };
  },
});
