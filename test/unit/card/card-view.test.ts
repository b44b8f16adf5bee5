/**
 * What the confirmation card (an MCP App) makes of the tool results a host hands it: the
 * question and the page's link for a write to confirm on the page, in the host's language; the
 * sentence of any other answer; nothing it could act on from a result that only looks like one.
 */
import { describe, expect, it } from 'vitest';
import { cardViewOf } from '../../../relay/card/card-view';
import { errorResult, successResult } from '../../../relay/tools/tool-result';

const URL_OF_PAGE = 'https://mcp.hospital.example/oauth/confirm?id=abc';

const onPage = (summary: Record<string, unknown>, action = 'book_appointment') =>
  errorResult({
    code: 'NOT_CONFIRMED',
    message: `Not done yet… ${URL_OF_PAGE}`,
    details: { reason: 'confirm_on_page', confirmUrl: URL_OF_PAGE },
    meta: { 'hospiai/page-question': { action, summary } },
  });

const BOOKING = {
  patient: 'Camille Durand',
  doctor: 'Dr. Sophie Martin',
  specialty: 'Médecine générale',
  date: '2026-12-07',
  time: '10:00',
  reason: 'Contrôle',
  hospital: 'Hôpital Saint-Antoine',
  city: 'Paris',
};

describe('the confirmation card', () => {
  it('asks about a booking to confirm on the page: whose record, when, the doctor, where, the reason', () => {
    expect(cardViewOf(onPage(BOOKING), 'en')).toEqual({
      kind: 'question',
      headline: 'Book this appointment?',
      lines: [
        { label: 'Whose record', text: 'Camille Durand' },
        { label: 'When', text: 'Monday, 7 December 2026 at 10:00' },
        { label: 'Doctor', text: 'Dr. Sophie Martin, Médecine générale' },
        { label: 'Where', text: 'Hôpital Saint-Antoine, Paris' },
        { label: 'Reason', text: '“Contrôle” (as your assistant wrote it)' },
      ],
      note: expect.stringContaining('nothing is booked until you press Confirm there'),
      button: 'Confirm on HospiAI',
      url: URL_OF_PAGE,
    });
  });

  it('speaks French to a French host, and words a cancellation as one', () => {
    const view = cardViewOf(onPage(BOOKING, 'cancel_appointment'), 'fr');
    expect(view).toMatchObject({
      kind: 'question',
      headline: 'Annuler ce rendez-vous ?',
      button: 'Confirmer sur HospiAI',
      note: expect.stringContaining('rien n’est annulé'),
      url: URL_OF_PAGE,
    });
    expect(view.kind === 'question' && view.lines[1]).toEqual({
      label: 'Quand',
      text: 'lundi 7 décembre 2026 à 10:00',
    });
  });

  it('keeps the portal’s names and the model’s words as they are: text, for textContent', () => {
    const hostile = '<img src=x onerror="alert(1)"> Dr. Evil';
    const view = cardViewOf(onPage({ ...BOOKING, doctor: hostile, specialty: undefined }), 'en');
    expect(view.kind === 'question' && view.lines[2]).toEqual({ label: 'Doctor', text: hostile });
  });

  it('offers no button for a link that is not a web page, nor without the question', () => {
    const scripted = onPage(BOOKING);
    const error = (scripted._meta as Record<string, Record<string, unknown>>)['hospiai/error']!;
    error.confirmUrl = 'javascript:alert(1)';
    expect(cardViewOf(scripted, 'en').kind).toBe('sentence');
    const bare = onPage(BOOKING);
    delete (bare._meta as Record<string, unknown>)['hospiai/page-question'];
    expect(cardViewOf(bare, 'en')).toEqual({
      kind: 'sentence',
      text: `Not done yet… ${URL_OF_PAGE}`,
    });
  });

  it('shows any other answer’s sentence plainly', () => {
    const declined = errorResult({
      code: 'NOT_CONFIRMED',
      message: 'Nothing was booked: the patient declined.',
      details: { reason: 'declined' },
    });
    expect(cardViewOf(declined, 'en')).toEqual({
      kind: 'sentence',
      text: 'Nothing was booked: the patient declined.',
    });
    const booked = successResult({
      appointment: {
        id: 'apt_1',
        date: '2026-12-07',
        time: '10:00',
        durationMinutes: 30,
        status: 'confirmed',
        reason: 'Contrôle',
        doctor: { id: 'doc_1', name: 'Dr. Sophie Martin', specialty: 'Médecine générale' },
        location: { hospital: 'Hôpital Saint-Antoine', address: '184 rue du Faubourg' },
      },
    });
    expect(cardViewOf(booked, 'fr')).toEqual({
      kind: 'sentence',
      text: 'Rendez-vous pris : Dr. Sophie Martin, lundi 7 décembre 2026 à 10:00',
    });
    expect(cardViewOf('not a result', 'en')).toEqual({
      kind: 'sentence',
      text: 'Nothing was done.',
    });
  });
});
