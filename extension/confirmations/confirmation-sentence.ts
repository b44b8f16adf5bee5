/**
 * The question put to the patient for one pending confirmation, the same in the popup and in
 * the notification: a read names the AI client and what it would read (`tool_<tool>`), a write
 * says what would change (`confirm_<tool>`, one message per write tool in _locales).
 */
import { t } from '../i18n/t';
import type { ConfirmationView } from './pending-confirmations';

export function confirmationSentence({ request, client }: ConfirmationView): string {
  if (request.type === 'read_approval_request') {
    return t('approve_read', [client ?? t('relays_unnamed'), t(`tool_${request.tool}`)]);
  }
  const { doctor, date, time } = request.summary;
  return t(`confirm_${request.action}`, [doctor, date, time]);
}
