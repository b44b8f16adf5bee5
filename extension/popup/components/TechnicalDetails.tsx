import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { AuditExport } from './AuditList';
import { PairForm } from './PairForm';
import { PortalStatus } from './PortalStatus';
import { RelayList } from './RelayList';
import { TokenStatus } from './TokenStatus';

interface TechnicalDetailsProps {
  model: PopupModel;
}

/**
 * Everything technical, folded under one "Details", closed by default: the portal's address,
 * the access token and its expiry, each assistant's relay and port, the pairing, the export.
 */
export function TechnicalDetails({ model }: TechnicalDetailsProps) {
  const state = model.state.value;
  if (!state) return null;
  return (
    <details class="section details" data-section="details">
      <summary>{t('details_title')}</summary>
      <PortalStatus model={model} />
      <TokenStatus model={model} />
      <RelayList model={model} />
      <div class="subsection" data-section="pairing">
        <h3>{t('details_pairing_title')}</h3>
        <p data-paired={state.paired}>
          {t(state.paired ? 'details_paired' : 'details_not_paired')}
        </p>
        {state.paired && <PairForm model={model} />}
      </div>
      <AuditExport model={model} />
    </details>
  );
}
