/**
 * What the patient reads about one confirmation or one write's outcome, the same in the popup
 * and in the notification: which assistant asks (by the name patients know it by), what it would
 * do in words ("Claude wants to read your appointments"), and, for a booking or cancellation,
 * the portal's details one per line — the full date and time in the patient's language, the
 * doctor and specialty, the hospital and city, the reason quoted as the assistant wrote it.
 * Everything here is text: the popup renders it as text nodes, never as HTML.
 */
import { displayLangOf, formatAppointmentTime } from '../../relay/protocol/appointment-time';
import type { WriteSummary } from '../../relay/protocol/protocol';
import { type MessageKey, t } from '../i18n/t';
import type { ConfirmationView, WriteReceipt } from './pending-confirmations';

/** One labelled line of a confirmation card. */
export interface DetailLine {
  label: MessageKey;
  text: string;
  /** The model's own words: shown quoted, apart from the portal's data. */
  quoted?: boolean;
}

const assistant = (client: string | null) => client ?? t('confirm_assistant_unnamed');

/** "Claude wants to read your appointments." / "Claude asks to book this appointment:" */
export function confirmationHeadline({ request, client }: ConfirmationView): string {
  if (request.type === 'read_approval_request') {
    return t('confirm_read_question', [assistant(client), t(`read_${request.tool}`)]);
  }
  return t(`confirm_write_${request.action}`, [assistant(client)]);
}

/** The full date and time in the language of the popup's messages (fr or en). */
export function appointmentWhen(summary: Pick<WriteSummary, 'date' | 'time'>): string {
  const lang = displayLangOf(t('date_locale'));
  return (
    formatAppointmentTime(summary.date, summary.time, lang) ?? `${summary.date} ${summary.time}`
  );
}

/** The portal's details, one line each (what is unknown is left out). */
export function detailLines(summary: WriteSummary): DetailLine[] {
  const doctor = summary.specialty ? `${summary.doctor}, ${summary.specialty}` : summary.doctor;
  const place = [summary.hospital, summary.city ?? summary.address].filter(Boolean).join(', ');
  const lines: DetailLine[] = [
    // Whose record: a portal session that changed hands meanwhile must not go unnoticed.
    ...(summary.patient ? [{ label: 'confirm_patient' as const, text: summary.patient }] : []),
    { label: 'confirm_when', text: appointmentWhen(summary) },
    { label: 'confirm_doctor', text: doctor },
  ];
  if (place) lines.push({ label: 'confirm_where', text: place });
  if (summary.reason) lines.push({ label: 'confirm_reason', text: summary.reason, quoted: true });
  return lines;
}

/** A detail as the patient reads it: the model's words quoted, and said to be its words. */
export function detailValue(line: DetailLine): string {
  return line.quoted ? `“${line.text}” (${t('confirm_reason_source')})` : line.text;
}

/** One line of text: `Label: text`. */
export function detailText(line: DetailLine): string {
  return `${t(line.label)}: ${detailValue(line)}`;
}

/** The notification's text for a pending request. */
export function confirmationNotificationText(view: ConfirmationView): string {
  const { request } = view;
  const details = request.type === 'confirmation_request' ? detailLines(request.summary) : [];
  return [confirmationHeadline(view), ...details.map(detailText)].join('\n');
}

/** "Booked ✓", "Cancelled ✓", or "Not booked". */
export function receiptHeadline(receipt: WriteReceipt): string {
  return t(`receipt_${receipt.outcome === 'done' ? 'done' : 'failed'}_${receipt.action}`);
}

/** Why a write failed, in words (the code names it for the assistant, not the patient). */
export function receiptProblem(receipt: WriteReceipt): string | null {
  if (receipt.outcome === 'done') return null;
  return receipt.problem === 'SLOT_UNAVAILABLE'
    ? t('receipt_problem_slot_unavailable')
    : t('receipt_problem_other');
}
