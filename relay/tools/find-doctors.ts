import { z } from 'zod';
import { portalPath } from '../portal/portal-path';
import { Doctor, DoctorsResponse } from '../portal/portal-schemas';
import { defineTool } from './define-tool';

export const findDoctors = defineTool({
  name: 'find_doctors',
  title: 'Find a doctor',
  description:
    'Searches HospiAI doctors by name and/or specialty and returns their ids, specialty, hospital and city. Use it to turn “Dr. Martin” or “a cardiologist” into the doctorId that get_available_slots and book_appointment need.',
  scope: 'read:data',
  kind: 'read',
  confirmation: 'READ_FIND_DOCTORS',
  input: {
    name: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Part of the doctor’s name, e.g. “Martin”.'),
    specialty: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('A specialty, e.g. “cardiologie” or “dermatologie”.'),
  },
  output: { doctors: z.array(Doctor) },
  async handle({ name, specialty }, { call }) {
    const { doctors } = await call({
      method: 'GET',
      path: portalPath`/doctors`,
      query: { q: name, specialty },
      schema: DoctorsResponse,
    });
    return { structured: { doctors }, resourceIds: doctors.map((d) => d.id) };
  },
});
