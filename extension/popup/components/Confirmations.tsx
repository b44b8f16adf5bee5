import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface ConfirmationsProps {
  model: PopupModel;
}

/** Bookings and cancellations an AI client asked for, waiting for the patient's yes or no. */
export function Confirmations({ model }: ConfirmationsProps) {
  const pending = model.state.value?.confirmations ?? [];
  if (pending.length === 0) return null;
  return (
    <Section id="confirmations" title={t('confirm_title')}>
      {pending.map((request) => (
        <div key={request.id} class="confirmation" data-confirmation={request.id}>
          <p>
            {t(request.action === 'book_appointment' ? 'confirm_book' : 'confirm_cancel', [
              request.summary.doctor,
              request.summary.date,
              request.summary.time,
            ])}
          </p>
          <div class="actions">
            <button type="button" onClick={() => model.run('confirm', request.id, 'decline')}>
              {t('confirm_decline')}
            </button>
            <button
              type="button"
              class="primary"
              onClick={() => model.run('confirm', request.id, 'approve')}
            >
              {t('confirm_approve')}
            </button>
          </div>
        </div>
      ))}
    </Section>
  );
}
