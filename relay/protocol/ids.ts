/**
 * The ids tools accept, as strict schemas: the portal's id alphabet only. An id reaches a URL
 * path, and `encodeURIComponent` leaves `.` and `..` alone, so anything looser lets a model's
 * argument walk to another portal endpoint.
 */
import { z } from 'zod';

/** HospiAI ids are opaque: letters, digits, `_` and `-` (e.g. `doc_5d1c7a20`, a UUID, a cuid). */
export const PORTAL_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const PortalId = z
  .string()
  .regex(PORTAL_ID_PATTERN, 'an id as HospiAI gives it: 1–64 letters, digits, “_” or “-”');

export const DoctorId = PortalId.describe('The doctor’s id, from find_doctors.');
export const AppointmentId = PortalId.describe('The appointment’s id, from get_appointments.');

export function isPortalId(value: string): boolean {
  return PORTAL_ID_PATTERN.test(value);
}
