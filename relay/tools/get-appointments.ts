import { z } from 'zod';
import { portalPath } from '../portal/portal-path';
import { Appointment, AppointmentStatus, AppointmentsResponse } from '../portal/portal-schemas';
import { defineTool } from './define-tool';

export const getAppointments = defineTool({
  name: 'get_appointments',
  title: 'Get my appointments',
  description:
    "Lists the patient's HospiAI appointments, upcoming first (date, time, doctor, place, status, reason). Use it for questions like “what are my next appointments?”. Filter by status to see only confirmed, pending, cancelled or past (completed) ones.",
  scope: 'read:data',
  kind: 'read',
  confirmation: 'READ_GET_APPOINTMENTS',
  input: {
    limit: z
      .number()
      .int()
      .min(1)
      .max(100)
      .default(10)
      .describe('How many appointments to return (1–100, default 10).'),
    status: AppointmentStatus.optional().describe('Only appointments with this status.'),
  },
  output: { appointments: z.array(Appointment) },
  async handle({ limit, status }, { call }) {
    const { appointments } = await call({
      method: 'GET',
      path: portalPath`/appointments`,
      query: { limit, status },
      schema: AppointmentsResponse,
    });
    return { structured: { appointments }, resourceIds: appointments.map((a) => a.id) };
  },
});
