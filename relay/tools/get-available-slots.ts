import { z } from 'zod';
import { portalPath } from '../portal/portal-path';
import { IsoDate, Slot, SlotsResponse } from '../portal/portal-schemas';
import { DoctorId } from '../protocol/ids';
import { defineTool } from './define-tool';

export const getAvailableSlots = defineTool({
  name: 'get_available_slots',
  title: 'Get a doctor’s free slots',
  description:
    'Lists the free appointment slots of one doctor from a date, over 1–14 days. Get the doctorId from find_doctors first. Use it before book_appointment to propose times that are really free.',
  scope: 'read:data',
  kind: 'read',
  confirmation: 'READ_GET_AVAILABLE_SLOTS',
  input: {
    doctorId: DoctorId,
    date: IsoDate.describe('First day to look at, YYYY-MM-DD.'),
    days: z
      .number()
      .int()
      .min(1)
      .max(14)
      .default(7)
      .describe('How many days to look at (1–14, default 7).'),
  },
  output: { doctorId: z.string(), slots: z.array(Slot) },
  async handle({ doctorId, date, days }, { call }) {
    const { slots } = await call({
      method: 'GET',
      path: portalPath`/doctors/${doctorId}/slots`,
      query: { date, days },
      schema: SlotsResponse,
    });
    return { structured: { doctorId, slots }, resourceIds: [doctorId] };
  },
});
