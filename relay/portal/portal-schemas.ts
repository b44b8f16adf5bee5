/**
 * The shapes of the HospiAI MCP API (shared/HOSPIAI-API.md §2). Portal answers are parsed with
 * these before use (unknown fields are dropped), and the tools reuse them as output schemas.
 */
import { z } from 'zod';

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
export const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM (24 h)');

export const AppointmentStatus = z.enum(['pending', 'confirmed', 'cancelled', 'completed']);

export const Appointment = z.object({
  id: z.string(),
  date: z.string(),
  time: z.string(),
  durationMinutes: z.number(),
  status: AppointmentStatus,
  reason: z.string(),
  doctor: z.object({ id: z.string(), name: z.string(), specialty: z.string() }),
  location: z.object({ hospital: z.string(), address: z.string() }),
});
export type Appointment = z.infer<typeof Appointment>;

export const RecordType = z.enum([
  'consultation',
  'lab_result',
  'prescription',
  'imaging',
  'vaccination',
]);

export const MedicalRecord = z.object({
  id: z.string(),
  type: RecordType,
  date: z.string(),
  title: z.string(),
  summary: z.string(),
  doctor: z.object({ id: z.string(), name: z.string() }).optional(),
  values: z
    .array(
      z.object({
        name: z.string(),
        value: z.union([z.string(), z.number()]),
        unit: z.string(),
        referenceRange: z.string().optional(),
      }),
    )
    .optional(),
});
export type MedicalRecord = z.infer<typeof MedicalRecord>;

export const Doctor = z.object({
  id: z.string(),
  name: z.string(),
  specialty: z.string(),
  hospital: z.string(),
  city: z.string(),
});
export type Doctor = z.infer<typeof Doctor>;

export const Slot = z.object({ date: z.string(), time: z.string(), durationMinutes: z.number() });
export type Slot = z.infer<typeof Slot>;

export const AppointmentsResponse = z.object({ appointments: z.array(Appointment) });
export const AppointmentResponse = z.object({ appointment: Appointment });
export const RecordsResponse = z.object({ records: z.array(MedicalRecord) });
export const DoctorsResponse = z.object({ doctors: z.array(Doctor) });
export const SlotsResponse = z.object({ slots: z.array(Slot) });

export const ValidateResponse = z.object({
  valid: z.literal(true),
  user: z.object({
    id: z.string(),
    email: z.string(),
    firstname: z.string().optional(),
    surname: z.string().optional(),
  }),
  token: z.object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    expiresAt: z.string(),
  }),
  scopes: z.array(z.string()),
});
export type ValidateResponse = z.infer<typeof ValidateResponse>;

/** `{"error": "...", "code": "..."}` plus the extras some codes carry. */
export const PortalErrorBody = z.object({
  error: z.string().optional(),
  code: z.string().optional(),
  details: z.unknown().optional(),
  alternatives: z.array(z.object({ date: z.string(), time: z.string() })).optional(),
});
export type PortalErrorBody = z.infer<typeof PortalErrorBody>;
