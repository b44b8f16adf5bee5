/**
 * What reaches the patient outside the popup: notifications — a relay waiting for their
 * confirmation (with Approve / Decline buttons where the browser has them), what the portal
 * answered to a write they approved, a renewal that needs a portal tab — and the count on the
 * toolbar icon of what waits for them. A notification never carries a token or medical records.
 */
import { type Browser, browser } from 'wxt/browser';
import { t } from '../i18n/t';

const CONFIRMATION_PREFIX = 'confirmation:';
export const RENEWAL_NOTIFICATION = 'renewal';

export const confirmationNotificationId = (id: string) => `${CONFIRMATION_PREFIX}${id}`;
const RECEIPT_PREFIX = 'receipt:';
export const receiptNotificationId = (key: string) => `${RECEIPT_PREFIX}${key}`;
export const isReceiptNotification = (notificationId: string) =>
  notificationId.startsWith(RECEIPT_PREFIX);

/** The toolbar badge's colour while something waits for the patient. */
const WAITING_BADGE_COLOR = '#b3261e';

/**
 * How many requests wait for the patient, on the toolbar icon; nothing when none waits.
 * (`action` in MV3; Firefox's MV2 build has `browserAction`, the same calls.)
 */
export async function showWaitingCount(count: number): Promise<void> {
  const action =
    browser.action ??
    (browser as unknown as { browserAction?: typeof browser.action }).browserAction;
  if (!action) return;
  await action.setBadgeText({ text: count > 0 ? String(count) : '' }).catch(() => {});
  if (count > 0)
    await action.setBadgeBackgroundColor({ color: WAITING_BADGE_COLOR }).catch(() => {});
}

/** The confirmation a notification is about, or null for other notifications. */
export function confirmationIdOf(notificationId: string): string | null {
  return notificationId.startsWith(CONFIRMATION_PREFIX)
    ? notificationId.slice(CONFIRMATION_PREFIX.length)
    : null;
}

export async function notifyPatient(
  id: string,
  title: string,
  message: string,
  options: { withAnswers?: boolean } = {},
): Promise<void> {
  const notification: Browser.notifications.NotificationCreateOptions = {
    type: 'basic',
    iconUrl: browser.runtime.getURL('/icon/128.png'),
    title,
    message,
  };
  if (options.withAnswers && !import.meta.env.FIREFOX) {
    // Firefox has no notification buttons: there, a click opens the popup page instead.
    notification.buttons = [{ title: t('confirm_approve') }, { title: t('confirm_decline') }];
    notification.requireInteraction = true;
  }
  await browser.notifications?.create(id, notification).catch(() => '');
}

export async function clearNotification(id: string): Promise<void> {
  await browser.notifications?.clear(id).catch(() => false);
}
