/**
 * Notifications that reach the patient outside the popup: a relay waiting for their confirmation
 * (with Approve / Decline buttons where the browser has them), or a renewal that needs a portal
 * tab. A notification never carries a token or medical content.
 */
import { type Browser, browser } from 'wxt/browser';
import { t } from '../i18n/t';

const CONFIRMATION_PREFIX = 'confirmation:';
export const RENEWAL_NOTIFICATION = 'renewal';

export const confirmationNotificationId = (id: string) => `${CONFIRMATION_PREFIX}${id}`;

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
