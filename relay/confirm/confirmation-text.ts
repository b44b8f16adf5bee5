/**
 * What the patient approves, built from the portal's own data — the doctor or appointment as
 * the portal knows it — and, for the one piece of free text a model writes (a booking's
 * reason), quoted, single-line and bounded. No argument of a tool call reaches the question
 * unchecked: ids are strict (protocol/ids.ts), dates and times are patterns, and everything
 * else is the portal's, cleaned like any outside text. The date and time are written in full in
 * the relay's language (`APPOINTMENT_WHEN`, through Intl).
 */
import type { MessageKey, Translate } from '../i18n/messages';
import type { Appointment, Doctor } from '../portal/portal-schemas';
import type { WriteSummary } from '../protocol/protocol';
import { cleanText, quoteFreeText } from '../protocol/untrusted-text';
import type { ToConfirm } from './patient-confirmation';

/** A booking's reason: what the model may write, what the patient sees, what is booked. */
export const REASON_MAX_CHARS = 200;

/** The reason as it is shown and booked: single line, no controls or bidi, bounded. */
export function cleanReason(reason: string): string {
  return cleanText(reason, REASON_MAX_CHARS);
}

const name = (text: string) => cleanText(text, 120);
const place = (text: string) => cleanText(text, 120);

/** "Hôpital Nord, Lyon" — or '' when the portal's details could not be read. */
function placeOf(summary: WriteSummary): string {
  return [summary.hospital, summary.city ?? summary.address].filter(Boolean).join(', ');
}

export function bookingConfirmation(
  booking: { date: string; time: string; reason: string },
  /** The portal's doctor; a bare (validated) id when the token may not read doctors. */
  doctor: Doctor | { id: string },
  t: Translate,
  /** The tool's question: its key in the catalogue. */
  wording: MessageKey,
): Extract<ToConfirm, { kind: 'write' }> {
  const known = 'name' in doctor;
  const doctorLabel = known ? name(doctor.name) : t('CONFIRM_UNCHECKED_ID', { id: doctor.id });
  const summary: WriteSummary = {
    doctor: doctorLabel,
    specialty: known ? name(doctor.specialty) : undefined,
    date: booking.date,
    time: booking.time,
    reason: cleanReason(booking.reason),
    hospital: known ? place(doctor.hospital) : undefined,
    city: known ? place(doctor.city) : undefined,
  };
  return {
    kind: 'write',
    action: 'book_appointment',
    summary,
    message: t(wording, {
      doctor: doctorLabel,
      specialty: summary.specialty ?? '',
      when: t('APPOINTMENT_WHEN', { date: booking.date, time: booking.time }),
      place: placeOf(summary),
      reason: quoteFreeText(booking.reason, REASON_MAX_CHARS),
    }),
  };
}

export function cancellationConfirmation(
  /** The portal's appointment; a bare (validated) id when the token may not read them. */
  appointment: Appointment | { id: string },
  t: Translate,
  /** The tool's question: its key in the catalogue. */
  wording: MessageKey,
): Extract<ToConfirm, { kind: 'write' }> {
  const known = 'doctor' in appointment;
  const summary: WriteSummary = known
    ? appointmentSummary(appointment)
    : { doctor: t('CONFIRM_UNCHECKED_ID', { id: appointment.id }), date: '?', time: '?' };
  return {
    kind: 'write',
    action: 'cancel_appointment',
    summary,
    message: t(wording, {
      doctor: summary.doctor,
      specialty: summary.specialty ?? '',
      when: known ? t('APPOINTMENT_WHEN', { date: summary.date, time: summary.time }) : '?',
      place: placeOf(summary),
      reason: summary.reason ? quoteFreeText(summary.reason, REASON_MAX_CHARS) : '',
    }),
  };
}

/** An appointment as the portal describes it (a cancellation's question, a write's outcome). */
export function appointmentSummary(appointment: Appointment): WriteSummary {
  return {
    doctor: name(appointment.doctor.name),
    specialty: name(appointment.doctor.specialty),
    date: cleanText(appointment.date, 20),
    time: cleanText(appointment.time, 10),
    reason: cleanText(appointment.reason, REASON_MAX_CHARS) || undefined,
    hospital: place(appointment.location.hospital),
    address: cleanText(appointment.location.address, 200),
  };
}
