import type { WriteSummary } from '../../../relay/protocol/protocol';
import {
  confirmationHeadline,
  detailLines,
  detailValue,
  receiptHeadline,
  receiptProblem,
} from '../../confirmations/confirmation-sentence';
import type { ConfirmationView, WriteReceipt } from '../../confirmations/pending-confirmations';
import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface ConfirmationsProps {
  model: PopupModel;
}

/**
 * What an AI assistant asked to do and waits for the patient's yes or no — then what the portal
 * answered to what they approved ("Booked ✓"), until hidden.
 */
export function Confirmations({ model }: ConfirmationsProps) {
  const pending = model.state.value?.confirmations ?? [];
  const receipts = model.state.value?.receipts ?? [];
  if (pending.length === 0 && receipts.length === 0) return null;
  return (
    <>
      {pending.length > 0 && (
        <Section id="confirmations" title={t('confirm_title')}>
          {pending.map((confirmation) => (
            <ConfirmationCard key={confirmation.id} model={model} confirmation={confirmation} />
          ))}
        </Section>
      )}
      {receipts.length > 0 && (
        <Section id="receipts" title={t('receipts_title')}>
          {receipts.map((receipt) => (
            <ReceiptCard key={receipt.key} model={model} receipt={receipt} />
          ))}
        </Section>
      )}
    </>
  );
}

function ConfirmationCard({
  model,
  confirmation,
}: {
  model: PopupModel;
  confirmation: ConfirmationView;
}) {
  const { id, request } = confirmation;
  const answer = (decision: 'approve' | 'decline', readGrant?: 'conversation' | 'hour') =>
    model.run('confirm', readGrant ? { id, decision, readGrant } : { id, decision });
  return (
    <div class="confirmation" data-confirmation={id} data-kind={request.type}>
      <p class="headline">{confirmationHeadline(confirmation)}</p>
      {request.type === 'confirmation_request' && <Details summary={request.summary} />}
      {request.type === 'read_approval_request' ? (
        <>
          <div class="actions">
            <button type="button" data-answer="decline" onClick={() => answer('decline')}>
              {t('confirm_decline')}
            </button>
            <button type="button" data-answer="once" onClick={() => answer('approve')}>
              {t('confirm_allow_once')}
            </button>
          </div>
          <div class="actions">
            <button
              type="button"
              class="primary"
              data-answer="conversation"
              onClick={() => answer('approve', 'conversation')}
            >
              {t('confirm_allow_conversation')}
            </button>
            <button type="button" data-answer="hour" onClick={() => answer('approve', 'hour')}>
              {t('confirm_allow_hour')}
            </button>
          </div>
          <p class="muted">{t('confirm_allow_help')}</p>
        </>
      ) : (
        <div class="actions">
          <button type="button" data-answer="decline" onClick={() => answer('decline')}>
            {t('confirm_decline')}
          </button>
          <button
            type="button"
            class="primary"
            data-answer="approve"
            onClick={() => answer('approve')}
          >
            {t('confirm_approve')}
          </button>
        </div>
      )}
    </div>
  );
}

function ReceiptCard({ model, receipt }: { model: PopupModel; receipt: WriteReceipt }) {
  const problem = receiptProblem(receipt);
  return (
    <div class="receipt" data-receipt={receipt.key} data-outcome={receipt.outcome}>
      <p class={`headline ${receipt.outcome === 'done' ? 'ok' : 'bad'}`}>
        {receiptHeadline(receipt)}
      </p>
      {problem && <p>{problem}</p>}
      <Details summary={receipt.summary} />
      <div class="actions">
        <button type="button" onClick={() => model.run('dismissReceipt', { key: receipt.key })}>
          {t('receipt_dismiss')}
        </button>
      </div>
    </div>
  );
}

/** The portal's details, one per line; the reason quoted as the assistant's words. */
function Details({ summary }: { summary: WriteSummary }) {
  return (
    <dl class="facts">
      {detailLines(summary).map((line) => (
        <div key={line.label} data-detail={line.label}>
          <dt>{t(line.label)}</dt>
          <dd>{detailValue(line)}</dd>
        </div>
      ))}
    </dl>
  );
}
