import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { portalPath } from '../portal/portal-path';
import {
  Appointment,
  AppointmentResponse,
  ClockTime,
  type Doctor,
  DoctorsResponse,
  IsoDate,
} from '../portal/portal-schemas';
import { DoctorId } from '../protocol/ids';
import { defineTool, type ToolContext } from './define-tool';
import { canReadDetails, requirePatientApproval } from './patient-approval';

export const bookAppointment = defineTool({
  name: 'book_appointment',
  title: 'Book an appointment',
  description:
    'Books an appointment with a doctor at a free slot. The patient is always asked to confirm (in the AI client or in the HospiAI browser extension) before anything is booked; if they decline or do not answer, nothing is booked. Get doctorId from find_doctors and a free date/time from get_available_slots first.',
  scope: 'book:appointments',
  kind: 'write',
  input: {
    doctorId: DoctorId,
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
    await requirePatientApproval(
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
        message: context.t('CONFIRM_BOOK', {
          doctor: doctor?.name ?? doctorId,
          specialty: doctor?.specialty ?? '?',
          date,
          time,
          reason,
        }),
      },
      context,
    );
    const { appointment } = await context.api.call('book:appointments', {
      method: 'POST',
      path: portalPath`/book`,
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
    path: portalPath`/doctors`,
    schema: DoctorsResponse,
  });
  return doctors.find((d) => d.id === doctorId) ?? null;
}
