/**
 * The patient's confirmations: a relay waits for a yes or no (a booking, a cancellation, or a
 * read the patient chose to approve each time). The question reaches the patient where they
 * are — a notification, with Approve / Decline where the browser has buttons, and the popup —
 * and the answer goes back to the relay that asked, at most once, until the request expires.
 */
import { browser } from 'wxt/browser';
import type { Decision } from '../../relay/protocol/protocol';
import { confirmationSentence } from '../confirmations/confirmation-sentence';
import {
  type ConfirmationRequest,
  type ConfirmationView,
  PendingConfirmations,
} from '../confirmations/pending-confirmations';
import { t } from '../i18n/t';
import type { ActionResult } from '../messaging/protocol-map';
import { safeConfirmationView } from '../state/popup-text';
import type { BackgroundCore } from './background-core';
import {
  clearNotification,
  confirmationIdOf,
  confirmationNotificationId,
  notifyPatient,
} from './patient-notifications';

/** Timers may fire a little early against Date.now(): an expired request is looked at after. */
const EXPIRY_MARGIN_MS = 50;

export class PatientConfirmations {
  private readonly pending = new PendingConfirmations();

  constructor(private readonly core: BackgroundCore) {}

  list(): ConfirmationView[] {
    return this.pending.list();
  }

  /** A relay waits for the patient: tell them, where they are (notification) and in the popup. */
  async ask(port: number, request: ConfirmationRequest): Promise<void> {
    const { pool, popups } = this.core;
    const client = pool.views().find((view) => view.port === port)?.client?.name ?? null;
    // The notification shows what the popup shows: every outside text through forPopup.
    const view = safeConfirmationView(this.pending.add(port, request, client));
    this.expireWhenDue(request.expiresAt);
    await notifyPatient(
      confirmationNotificationId(request.id),
      t('confirm_notification_title'),
      confirmationSentence(view),
      { withAnswers: true },
    );
    popups.changed();
  }

  /** The patient's answer, from the popup or a notification button. */
  async answer(id: string, decision: Decision): Promise<ActionResult> {
    const asked = this.pending.settle(id);
    await clearNotification(confirmationNotificationId(id));
    this.core.popups.changed();
    if (!asked) return { ok: false, problem: 'confirmation_expired' };
    const sent = this.core.pool.send(asked.port, { type: 'confirmation_result', id, decision });
    return sent ? { ok: true } : { ok: false, problem: 'no_relay' };
  }

  /** A click on a confirmation's notification opens the popup page; false for others. */
  onNotificationClicked(notificationId: string): boolean {
    if (!confirmationIdOf(notificationId)) return false;
    void browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
    return true;
  }

  /** Chrome's notification buttons: approve (0) or decline (1) without opening anything. */
  onNotificationButton(notificationId: string, index: number): void {
    const id = confirmationIdOf(notificationId);
    if (id) void this.answer(id, index === 0 ? 'approve' : 'decline');
  }

  /**
   * The relay gives up at `expiresAt` without a word (no answer = not done): the popup and the
   * notification then stop offering a choice that no longer counts.
   */
  private expireWhenDue(expiresAt: string): void {
    const delay = Math.max(0, Date.parse(expiresAt) - Date.now()) + EXPIRY_MARGIN_MS;
    setTimeout(() => {
      const expired = this.pending.dropExpired();
      for (const id of expired) void clearNotification(confirmationNotificationId(id));
      if (expired.length > 0) this.core.popups.changed();
    }, delay);
  }
}
