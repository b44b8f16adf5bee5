import { randomUUID } from 'node:crypto';
import { appointmentSummary, cancellationConfirmation } from '../confirm/confirmation-text';
import type { Wording } from '../i18n/messages';
import { portalPath } from '../portal/portal-path';
import { Appointment, AppointmentResponse, AppointmentsResponse } from '../portal/portal-schemas';
import { AppointmentId } from '../protocol/ids';
import { defineTool } from './define-tool';
import { confirmedWrite, recordToConfirm } from './require-confirmation';

/** What the AI client asks the patient (the extension words it from `confirm_<tool>` in _locales). */
const CONFIRM_CANCEL: Wording = {
  en: (p) =>
    `Cancel your appointment with ${p.doctor}${p.specialty ? ` (${p.specialty})` : ''} on ${p.when}${p.place ? ` — ${p.place}` : ''}?`,
  fr: (p) =>
    `Annuler votre rendez-vous avec ${p.doctor}${p.specialty ? ` (${p.specialty})` : ''} le ${p.when}${p.place ? ` — ${p.place}` : ''} ?`,
};

export const cancelAppointment = defineTool({
  name: 'cancel_appointment',
  title: 'Cancel an appointment',
  description:
    'Cancels one of the patient’s appointments. The patient is always asked to confirm (in the AI client or in the HospiAI browser extension) before anything is cancelled; if they decline or do not answer, nothing changes. Get the appointmentId from get_appointments.',
  scope: 'book:appointments',
  kind: 'destructive',
  confirmation: CONFIRM_CANCEL,
  input: {
    appointmentId: AppointmentId,
  },
  output: { appointment: Appointment },
  async handle({ appointmentId }, context) {
    const { appointment } = await confirmedWrite(context, {
      question: async (as) =>
        cancellationConfirmation(
          await recordToConfirm(context, 'appointment', appointmentId, async () => {
            const { appointments } = await as.call('read:data', {
              method: 'GET',
              path: portalPath`/appointments`,
              query: { limit: 100 },
              schema: AppointmentsResponse,
            });
            return appointments;
          }),
          context.t,
          CONFIRM_CANCEL,
        ),
      write: (as) =>
        as.call('book:appointments', {
          method: 'POST',
          path: portalPath`/appointments/${appointmentId}/cancel`,
          idempotencyKey: randomUUID(),
          schema: AppointmentResponse,
        }),
      describe: (cancelled) => appointmentSummary(cancelled.appointment),
    });
    return { structured: { appointment }, resourceIds: [appointment.id] };
  },
});
