import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { AuditList } from './AuditList';
import { BridgeActions } from './BridgeActions';
import { Confirmations } from './Confirmations';
import { ConsentPanel } from './ConsentPanel';
import { NoticeBar } from './NoticeBar';
import { PairForm } from './PairForm';
import { PortalStatus } from './PortalStatus';
import { ProblemList } from './ProblemList';
import { ReadPolicyPanel } from './ReadPolicyPanel';
import { RelayList } from './RelayList';
import { TokenStatus } from './TokenStatus';

interface AppProps {
  model: PopupModel;
}

/** The popup: problems first, then each link of the chain, then the history. */
export function App({ model }: AppProps) {
  const ready = model.state.value !== null;
  return (
    <main class="popup" aria-busy={!ready} data-ready={ready}>
      <h1>{t('popup_title')}</h1>
      <NoticeBar model={model} />
      {ready ? (
        <>
          <ProblemList model={model} />
          <Confirmations model={model} />
          <PortalStatus model={model} />
          <ConsentPanel model={model} />
          <ReadPolicyPanel model={model} />
          <TokenStatus model={model} />
          <RelayList model={model} />
          <PairForm model={model} />
          <AuditList model={model} />
          <BridgeActions model={model} />
        </>
      ) : (
        <p role="status">{t('popup_loading')}</p>
      )}
    </main>
  );
}
