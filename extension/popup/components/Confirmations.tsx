import { confirmationSentence } from '../../confirmations/confirmation-sentence';
import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface ConfirmationsProps {
  model: PopupModel;
}

/** What an AI client asked to do and waits for the patient's yes or no. */
export function Confirmations({ model }: ConfirmationsProps) {
  const pending = model.state.value?.confirmations ?? [];
  if (pending.length === 0) return null;
  return (
    <Section id="confirmations" title={t('confirm_title')}>
      {pending.map((confirmation) => (
        <div key={confirmation.id} class="confirmation" data-confirmation={confirmation.id}>
          <p>{confirmationSentence(confirmation)}</p>
          {confirmation.request.type === 'confirmation_request' &&
            confirmation.request.summary.reason && (
              <p class="reason">{t('confirm_reason', [confirmation.request.summary.reason])}</p>
            )}
          <div class="actions">
            <button
              type="button"
              onClick={() => model.run('confirm', { id: confirmation.id, decision: 'decline' })}
            >
              {t('confirm_decline')}
            </button>
            <button
              type="button"
              class="primary"
              onClick={() => model.run('confirm', { id: confirmation.id, decision: 'approve' })}
            >
              {t('confirm_approve')}
            </button>
          </div>
        </div>
      ))}
    </Section>
  );
}
