import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { AuditList } from './AuditList';
import { BridgeActions } from './BridgeActions';
import { CaptureOffer } from './CaptureOffer';
import { Confirmations } from './Confirmations';
import { ConnectAssistant } from './ConnectAssistant';
import { ConsentPanel } from './ConsentPanel';
import { NoticeBar } from './NoticeBar';
import { PairForm } from './PairForm';
import { PairingCode } from './PairingCode';
import { PortalStatus } from './PortalStatus';
import { ProblemList } from './ProblemList';
import { ReadPolicyPanel } from './ReadPolicyPanel';
import { RelayList } from './RelayList';
import { TokenStatus } from './TokenStatus';

interface AppProps {
  model: PopupModel;
}

/** The popup: what needs the patient first, then each link of the chain, then settings. */
export function App({ model }: AppProps) {
  const ready = model.state.value !== null;
  // Until the patient has said yes, the question comes first; afterwards, the status does.
  const consented = model.state.value?.consent.status === 'granted';
  return (
    <main class="popup" aria-busy={!ready} data-ready={ready}>
      <h1>{t('popup_title')}</h1>
      <NoticeBar model={model} />
      {ready && model.view.value === 'connect' ? (
        <ConnectAssistant model={model} />
      ) : ready ? (
        <>
          <ProblemList model={model} />
          <Confirmations model={model} />
          <CaptureOffer model={model} />
          {!consented && <ConsentPanel model={model} />}
          <PortalStatus model={model} />
          <TokenStatus model={model} />
          <RelayList model={model} />
          <AuditList model={model} />
          {consented && <ConsentPanel model={model} />}
          <ReadPolicyPanel model={model} />
          <PairingCode model={model} />
          <PairForm model={model} />
          <BridgeActions model={model} />
        </>
      ) : (
        <p role="status">{t('popup_loading')}</p>
      )}
    </main>
  );
}
