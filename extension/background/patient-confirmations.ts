/**
 * The patient's confirmations: a relay waits for a yes or no (a booking, a cancellation, or a
 * read the patient chose to approve each time). The question reaches the patient where they
 * are — a notification, with Approve / Decline where the browser has buttons, the popup, and a
 * count on the toolbar icon — and the answer goes back to the relay that asked, at most once,
 * until the request expires. Once the portal answered an approved write, the patient sees it:
 * "Booked ✓" (or why not), with the portal's details.
 */
import { browser } from 'wxt/browser';
import { assistantName } from '../../relay/protocol/assistant-name';
import type { Decision, ReadGrant, WriteOutcomeFrame } from '../../relay/protocol/protocol';
import {
  confirmationNotificationText,
  detailLines,
  detailText,
  receiptHeadline,
  receiptProblem,
} from '../confirmations/confirmation-sentence';
import {
  type ConfirmationRequest,
  type ConfirmationView,
  PendingConfirmations,
  type WriteReceipt,
  WriteReceipts,
} from '../confirmations/pending-confirmations';
import { t } from '../i18n/t';
import type { ActionResult } from '../messaging/protocol-map';
import { safeConfirmationView, safeWriteReceipt } from '../state/popup-text';
import type { BackgroundCore } from './background-core';
import {
  clearNotification,
  confirmationIdOf,
  confirmationNotificationId,
  isReceiptNotification,
  notifyPatient,
  receiptNotificationId,
  showWaitingCount,
} from './patient-notifications';

/** Timers may fire a little early against Date.now(): an expired request is looked at after. */
const EXPIRY_MARGIN_MS = 50;

export class PatientConfirmations {
  private readonly pending = new PendingConfirmations();
  private readonly receipts = new WriteReceipts();

  constructor(private readonly core: BackgroundCore) {
    // A restarted worker has forgotten what waited (the relays stopped waiting for it too): the
    // browser keeps the badge, so it must not go on counting requests that are gone.
    void showWaitingCount(0);
  }

  list(): ConfirmationView[] {
    return this.pending.list();
  }

  listReceipts(): WriteReceipt[] {
    return this.receipts.list();
  }

  /** A relay waits for the patient: tell them, where they are (notification) and in the popup. */
  async ask(port: number, request: ConfirmationRequest): Promise<void> {
    // The notification shows what the popup shows: every outside text through forPopup.
    const view = safeConfirmationView(this.pending.add(port, request, this.assistantOn(port)));
    this.expireWhenDue(request.expiresAt);
    await this.changed();
    await notifyPatient(
      confirmationNotificationId(request.id),
      t('confirm_notification_title'),
      confirmationNotificationText(view),
      { withAnswers: true },
    );
  }

  /**
   * The patient's answer, from the popup or a notification button. A read approved "for this
   * conversation" or "for one hour" carries that grant to the relay; a write never does.
   */
  async answer(id: string, decision: Decision, readGrant?: ReadGrant): Promise<ActionResult> {
    const asked = this.pending.settle(id);
    await clearNotification(confirmationNotificationId(id));
    await this.changed();
    if (!asked) return { ok: false, problem: 'confirmation_expired' };
    const grant =
      decision === 'approve' && asked.request.type === 'read_approval_request'
        ? readGrant
        : undefined;
    const sent = this.core.pool.send(asked.port, {
      type: 'confirmation_result',
      id,
      decision,
      ...(grant ? { readGrant: grant } : {}),
    });
    return sent ? { ok: true } : { ok: false, problem: 'no_relay' };
  }

  /** The portal answered a write the patient approved: "Booked ✓" (or why not), in view a while. */
  async written(port: number, frame: WriteOutcomeFrame): Promise<void> {
    const receipt = safeWriteReceipt(this.receipts.add(frame, this.assistantOn(port)));
    this.core.popups.changed();
    const problem = receiptProblem(receipt);
    await notifyPatient(
      receiptNotificationId(receipt.key),
      receiptHeadline(receipt),
      [...(problem ? [problem] : []), ...detailLines(receipt.summary).map(detailText)].join('\n'),
    );
  }

  dismissReceipt(key: string): ActionResult {
    this.receipts.dismiss(key);
    void clearNotification(receiptNotificationId(key));
    this.core.popups.changed();
    return { ok: true };
  }

  /** A click on a confirmation's or an outcome's notification opens the popup page; false for others. */
  onNotificationClicked(notificationId: string): boolean {
    if (!confirmationIdOf(notificationId) && !isReceiptNotification(notificationId)) return false;
    void browser.tabs.create({ url: browser.runtime.getURL('/popup.html') });
    return true;
  }

  /** Chrome's notification buttons: approve (0) or decline (1) without opening anything. */
  onNotificationButton(notificationId: string, index: number): void {
    const id = confirmationIdOf(notificationId);
    if (id) void this.answer(id, index === 0 ? 'approve' : 'decline');
  }

  /** The assistant of the relay on `port`, by the name patients know it by. */
  private assistantOn(port: number): string | null {
    return assistantName(this.core.pool.views().find((view) => view.port === port)?.client ?? null);
  }

  /** The popup and the toolbar badge follow every add, answer and expiry. */
  private async changed(): Promise<void> {
    this.core.popups.changed();
    await showWaitingCount(this.pending.count());
  }

  /**
   * The relay gives up at `expiresAt` without a word (no answer = not done): the popup, the
   * badge and the notification then stop offering a choice that no longer counts.
   */
  private expireWhenDue(expiresAt: string): void {
    const delay = Math.max(0, Date.parse(expiresAt) - Date.now()) + EXPIRY_MARGIN_MS;
    setTimeout(() => {
      const expired = this.pending.dropExpired();
      for (const id of expired) void clearNotification(confirmationNotificationId(id));
      if (expired.length > 0) void this.changed();
    }, delay);
  }
}
