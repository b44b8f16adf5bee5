/**
 * What the patient approves, built from the portal's own data — the doctor or appointment as
 * the portal knows it — and, for the one piece of free text a model writes (a booking's
 * reason), quoted, single-line and bounded. No argument of a tool call reaches the question
 * unchecked: ids are strict (protocol/ids.ts), dates and times are patterns, and everything
 * else is the portal's, cleaned like any outside text.
 */
import type { Translate, Wording } from '../i18n/messages';
import type { Appointment, Doctor } from '../portal/portal-schemas';
import type { ConfirmationRequestFrame } from '../protocol/protocol';
import { cleanText, quoteFreeText } from '../protocol/untrusted-text';
import type { ToConfirm } from './patient-confirmation';

/** A booking's reason: what the model may write, what the patient sees, what is booked. */
export const REASON_MAX_CHARS = 200;

/** The reason as it is shown and booked: single line, no controls or bidi, bounded. */
export function cleanReason(reason: string): string {
  return cleanText(reason, REASON_MAX_CHARS);
}

type Summary = ConfirmationRequestFrame['summary'];
const name = (text: string) => cleanText(text, 120);

export function bookingConfirmation(
  booking: { date: string; time: string; reason: string },
  /** The portal's doctor; a bare (validated) id when the token may not read doctors. */
  doctor: Doctor | { id: string },
  t: Translate,
  /** The tool's own wording of the question. */
  wording: Wording,
): Extract<ToConfirm, { kind: 'write' }> {
  const known = 'name' in doctor;
  const doctorLabel = known ? name(doctor.name) : t('CONFIRM_UNCHECKED_ID', { id: doctor.id });
  const summary: Summary = {
    doctor: doctorLabel,
    specialty: known ? name(doctor.specialty) : undefined,
    date: booking.date,
    time: booking.time,
    reason: cleanReason(booking.reason),
    location: known ? cleanText(`${doctor.hospital}, ${doctor.city}`, 200) : undefined,
  };
  return {
    kind: 'write',
    action: 'book_appointment',
    summary,
    message: t(wording, {
      doctor: doctorLabel,
      specialty: summary.specialty ?? '?',
      date: booking.date,
      time: booking.time,
      reason: quoteFreeText(booking.reason, REASON_MAX_CHARS),
    }),
  };
}

export function cancellationConfirmation(
  /** The portal's appointment; a bare (validated) id when the token may not read them. */
  appointment: Appointment | { id: string },
  t: Translate,
  /** The tool's own wording of the question. */
  wording: Wording,
): Extract<ToConfirm, { kind: 'write' }> {
  const known = 'doctor' in appointment;
  const doctorLabel = known
    ? name(appointment.doctor.name)
    : t('CONFIRM_UNCHECKED_ID', { id: appointment.id });
  const date = known ? cleanText(appointment.date, 20) : '?';
  const time = known ? cleanText(appointment.time, 10) : '?';
  return {
    kind: 'write',
    action: 'cancel_appointment',
    summary: {
      doctor: doctorLabel,
      specialty: known ? name(appointment.doctor.specialty) : undefined,
      date,
      time,
      reason: known ? cleanText(appointment.reason, REASON_MAX_CHARS) : undefined,
      location: known
        ? cleanText(`${appointment.location.hospital}, ${appointment.location.address}`, 200)
        : undefined,
    },
    message: t(wording, { doctor: doctorLabel, date, time }),
  };
}
