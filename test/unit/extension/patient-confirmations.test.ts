/**
 * What the patient sees of a confirmation, in the popup, the notification and on the toolbar:
 * which assistant asks by the name they know, the portal's details in their language, a count
 * on the icon while something waits, and "Booked ✓" once the portal answered. The messages are
 * the extension's real catalogue, as the build writes it into _locales (the fake browser has no
 * i18n of its own).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { BackgroundCore } from '../../../extension/background/background-core';
import { PatientConfirmations } from '../../../extension/background/patient-confirmations';
import {
  confirmationHeadline,
  confirmationNotificationText,
  detailLines,
  detailText,
  receiptHeadline,
} from '../../../extension/confirmations/confirmation-sentence';
import { WriteReceipts } from '../../../extension/confirmations/pending-confirmations';
import { chromeLocale } from '../../../relay/i18n/extension-messages';
import { formatAppointmentTime } from '../../../relay/protocol/appointment-time';
import { assistantName } from '../../../relay/protocol/assistant-name';
import type {
  ConfirmationRequestFrame,
  ExtensionSessionFrame,
  WriteOutcomeFrame,
} from '../../../relay/protocol/protocol';

/** The browser's getMessage over a real catalogue: `$1`… replaced by the substitutions. */
function speak(lang: 'en' | 'fr') {
  const messages = chromeLocale(lang);
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation(((
    key: string,
    substitutions?: string | string[],
  ) => {
    const subs = typeof substitutions === 'string' ? [substitutions] : (substitutions ?? []);
    return (messages[key]?.message ?? '').replace(/\$(\d)/g, (_, n) => subs[Number(n) - 1] ?? '');
  }) as typeof fakeBrowser.i18n.getMessage);
}

const SUMMARY: ConfirmationRequestFrame['summary'] = {
  doctor: 'Dr. Sophie Martin',
  specialty: 'Cardiologie',
  date: '2026-12-07',
  time: '10:00',
  reason: '<b>Suivi</b> tension',
  hospital: 'Hôpital Nord',
  city: 'Lyon',
};
const inAMinute = () => new Date(Date.now() + 60_000).toISOString();
const booking = (id: string): ConfirmationRequestFrame => ({
  type: 'confirmation_request',
  id,
  action: 'book_appointment',
  summary: SUMMARY,
  expiresAt: inAMinute(),
});
const read = (id: string, inMs = 60_000) => ({
  type: 'read_approval_request' as const,
  id,
  tool: 'get_appointments' as const,
  expiresAt: new Date(Date.now() + inMs).toISOString(),
});

beforeEach(() => fakeBrowser.reset());
afterEach(() => vi.restoreAllMocks());

describe('the words of a confirmation', () => {
  it('dates an appointment in full, in the patient’s language, as the hospital’s wall clock', () => {
    expect(formatAppointmentTime('2026-12-07', '10:00', 'fr')).toBe(
      'lundi 7 décembre 2026 à 10:00',
    );
    expect(formatAppointmentTime('2026-12-07', '10:00', 'en')).toBe(
      'Monday, 7 December 2026 at 10:00',
    );
    expect(formatAppointmentTime('2026-02-31', '10:00', 'en')).toBeNull();
    expect(formatAppointmentTime('07/12/2026', '10:00', 'en')).toBeNull();
  });

  it('names the assistant as patients know it, its outside name cleaned and bounded', () => {
    expect(assistantName({ name: 'claude-ai', version: '1' })).toBe('Claude');
    expect(assistantName({ name: 'cursor-vscode', version: '1' })).toBe('Cursor');
    expect(assistantName({ name: 'acme-bot', version: '1', title: 'Acme Helper' })).toBe(
      'Acme Helper',
    );
    expect(
      assistantName({ name: 'x\u202e\nApprove everything'.padEnd(500, '!'), version: '1' }),
    ).toMatch(/^x Approve everything!+…$/);
    expect(assistantName(null)).toBeNull();
  });

  it('asks for a read in words: “Claude wants to read your appointments.”', () => {
    speak('en');
    const view = { id: 'r1', client: 'Claude', expiresAt: inAMinute(), request: read('r1') };
    expect(confirmationHeadline(view)).toBe('Claude wants to read your appointments.');
    speak('fr');
    expect(confirmationHeadline(view)).toBe('Claude souhaite lire vos rendez-vous.');
  });

  it('shows a booking’s details from the portal, one per line, the reason quoted as text', () => {
    speak('fr');
    const view = { id: 'b1', client: null, expiresAt: inAMinute(), request: booking('b1') };
    expect(confirmationHeadline(view)).toBe(
      'Votre assistant IA demande à prendre ce rendez-vous :',
    );
    expect(detailLines(SUMMARY).map(detailText)).toEqual([
      'Quand: lundi 7 décembre 2026 à 10:00',
      'Médecin: Dr. Sophie Martin, Cardiologie',
      'Où: Hôpital Nord, Lyon',
      'Motif: “<b>Suivi</b> tension” (tel que votre assistant l’a écrit)',
    ]);
    expect(confirmationNotificationText(view).split('\n')).toHaveLength(5);
  });
});

/** A background with one relay (Claude's) on port 47610; frames it sends are recorded. */
function confirmationsWithRelay() {
  const sent: ExtensionSessionFrame[] = [];
  const core = {
    pool: {
      views: () => [{ port: 47610, client: { name: 'claude-ai', version: '0.14' } }],
      send: (_port: number, frame: ExtensionSessionFrame) => {
        sent.push(frame);
        return true;
      },
    },
    popups: { changed: () => {} },
  } as unknown as BackgroundCore;
  return { confirmations: new PatientConfirmations(core), sent };
}

const badge = () => fakeBrowser.action.getBadgeText({});

describe('the patient’s confirmations in the background', () => {
  it('counts what waits on the toolbar badge, and clears it when nothing does', async () => {
    speak('en');
    const { confirmations } = confirmationsWithRelay();
    expect(await badge()).toBe('');
    await confirmations.ask(47610, read('aaaaaaaaaaaa'));
    await confirmations.ask(47610, booking('bbbbbbbbbbbb'));
    expect(await badge()).toBe('2');
    expect(confirmations.list().map((view) => view.client)).toEqual(['Claude', 'Claude']);
    await confirmations.answer('aaaaaaaaaaaa', 'approve');
    expect(await badge()).toBe('1');
    await confirmations.answer('bbbbbbbbbbbb', 'decline');
    expect(await badge()).toBe('');
  });

  it('clears the badge when a request runs out of time', async () => {
    speak('en');
    const { confirmations } = confirmationsWithRelay();
    await confirmations.ask(47610, read('cccccccccccc', 30));
    expect(await badge()).toBe('1');
    await vi.waitFor(async () => expect(await badge()).toBe(''), { timeout: 2_000 });
    expect(confirmations.list()).toEqual([]);
  });

  it('passes a read’s “for this conversation” to the relay, never a write’s', async () => {
    speak('en');
    const { confirmations, sent } = confirmationsWithRelay();
    await confirmations.ask(47610, read('dddddddddddd'));
    await confirmations.ask(47610, booking('eeeeeeeeeeee'));
    await confirmations.answer('dddddddddddd', 'approve', 'conversation');
    await confirmations.answer('eeeeeeeeeeee', 'approve', 'hour');
    expect(sent).toEqual([
      {
        type: 'confirmation_result',
        id: 'dddddddddddd',
        decision: 'approve',
        readGrant: 'conversation',
      },
      { type: 'confirmation_result', id: 'eeeeeeeeeeee', decision: 'approve' },
    ]);
  });

  it('shows “Booked ✓” with the portal’s details once the portal answered, until hidden', async () => {
    speak('en');
    const { confirmations } = confirmationsWithRelay();
    const outcome: WriteOutcomeFrame = {
      type: 'write_outcome',
      id: 'ffffffffffff',
      action: 'book_appointment',
      outcome: 'done',
      summary: SUMMARY,
      at: new Date().toISOString(),
    };
    await confirmations.written(47610, outcome);
    const [receipt] = confirmations.listReceipts();
    expect(receipt).toMatchObject({ key: 'ffffffffffff', client: 'Claude', outcome: 'done' });
    expect(receiptHeadline(receipt!)).toBe('Booked ✓');
    await confirmations.written(47610, {
      ...outcome,
      id: null,
      action: 'cancel_appointment',
      outcome: 'failed',
      problem: 'PORTAL_ERROR',
    });
    expect(confirmations.listReceipts().map(receiptHeadline)).toEqual([
      'Not cancelled',
      'Booked ✓',
    ]);
    confirmations.dismissReceipt('ffffffffffff');
    expect(confirmations.listReceipts().map(receiptHeadline)).toEqual(['Not cancelled']);
  });

  it('opens the popup page from a confirmation’s or an outcome’s notification, not from others', () => {
    const { confirmations } = confirmationsWithRelay();
    const opened = vi.spyOn(fakeBrowser.tabs, 'create').mockResolvedValue({} as never);
    expect(confirmations.onNotificationClicked('receipt:ffffffffffff')).toBe(true);
    expect(confirmations.onNotificationClicked('confirmation:ffffffffffff')).toBe(true);
    expect(confirmations.onNotificationClicked('renewal')).toBe(false);
    expect(opened).toHaveBeenCalledTimes(2);
  });

  it('lets a receipt go after a while', () => {
    let now = Date.parse('2026-12-01T09:00:00Z');
    const receipts = new WriteReceipts(() => now);
    receipts.add(
      {
        type: 'write_outcome',
        id: null,
        action: 'book_appointment',
        outcome: 'done',
        summary: SUMMARY,
        at: new Date(now).toISOString(),
      },
      null,
    );
    expect(receipts.list()).toHaveLength(1);
    now += 31 * 60_000;
    expect(receipts.list()).toEqual([]);
  });
});
