import type { ApprovalView } from '../../confirmations/pending-approvals';
import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface ConfirmationsProps {
  model: PopupModel;
}

/** What an AI client asked to do and waits for the patient's yes or no. */
export function Confirmations({ model }: ConfirmationsProps) {
  const pending = model.state.value?.approvals ?? [];
  if (pending.length === 0) return null;
  return (
    <Section id="approvals" title={t('confirm_title')}>
      {pending.map((approval) => (
        <div key={approval.id} class="confirmation" data-approval={approval.id}>
          <p>{describe(approval)}</p>
          {approval.request.type === 'confirmation_request' && approval.request.summary.reason && (
            <p class="reason">{t('confirm_reason', [approval.request.summary.reason])}</p>
          )}
          <div class="actions">
            <button type="button" onClick={() => model.run('confirm', approval.id, 'decline')}>
              {t('confirm_decline')}
            </button>
            <button
              type="button"
              class="primary"
              onClick={() => model.run('confirm', approval.id, 'approve')}
            >
              {t('confirm_approve')}
            </button>
          </div>
        </div>
      ))}
    </Section>
  );
}

function describe({ request, client }: ApprovalView): string {
  if (request.type === 'read_approval_request') {
    return t('approve_read', [client ?? t('relays_unnamed'), t(`tool_${request.tool}`)]);
  }
  const { doctor, date, time } = request.summary;
  return t(request.action === 'book_appointment' ? 'confirm_book' : 'confirm_cancel', [
    doctor,
    date,
    time,
  ]);
}
