import { appointmentSummary, cancellationConfirmation } from '../confirm/confirmation-text';
import type { MessageKey } from '../i18n/messages';
import { portalPath } from '../portal/portal-path';
import { Appointment, AppointmentResponse, AppointmentsResponse } from '../portal/portal-schemas';
import { AppointmentId } from '../protocol/ids';
import { defineTool } from './define-tool';
import { confirmedWrite, recordToConfirm } from './require-confirmation';

/** What the patient is asked (the extension words its own card from `confirm_write_cancel_appointment`). */
const CONFIRMATION = 'CONFIRM_CANCEL_APPOINTMENT' satisfies MessageKey;

export const cancelAppointment = defineTool({
  name: 'cancel_appointment',
  title: 'Cancel an appointment',
  description:
    'Cancels one of the patient’s appointments. The patient is always asked to confirm (in the AI client or in the HospiAI browser extension) before anything is cancelled; if they decline or do not answer, nothing changes. Get the appointmentId from get_appointments.',
  scope: 'book:appointments',
  kind: 'destructive',
  confirmation: CONFIRMATION,
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
          CONFIRMATION,
        ),
      write: (as, idempotencyKey) =>
        as.call('book:appointments', {
          method: 'POST',
          path: portalPath`/appointments/${appointmentId}/cancel`,
          idempotencyKey,
          schema: AppointmentResponse,
        }),
      describe: (cancelled) => appointmentSummary(cancelled.appointment),
    });
    return { structured: { appointment }, resourceIds: [appointment.id] };
  },
});
