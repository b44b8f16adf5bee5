/**
 * The relay’s tools by the confirmation they need, GENERATED from relay/tools by `npm run docs`:
 * do not edit (test/unit/docs fails when this and the tool definitions drift). Shared with the
 * extension, which cannot import the definitions themselves (they are Node code).
 */

/** Tools that read patient data: the patient may approve each call, or let them run. */
export const READ_TOOLS = [
  'get_appointments',
  'get_medical_records',
  'find_doctors',
  'get_available_slots',
] as const;

/** Tools that change something (book, cancel): the patient always confirms. */
export const WRITE_TOOLS = ['book_appointment', 'cancel_appointment'] as const;
