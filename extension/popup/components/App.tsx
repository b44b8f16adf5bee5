import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { setupChecklist } from '../setup-checklist';
import { AssistantStatus } from './AssistantStatus';
import { AuditList } from './AuditList';
import { CaptureOffer } from './CaptureOffer';
import { Confirmations } from './Confirmations';
import { ConnectAssistant } from './ConnectAssistant';
import { ConsentPanel } from './ConsentPanel';
import { NoticeBar } from './NoticeBar';
import { PairForm } from './PairForm';
import { PairingCode } from './PairingCode';
import { PauseAndStop } from './PauseAndStop';
import { ProblemList } from './ProblemList';
import { ReadPolicyPanel } from './ReadPolicyPanel';
import { SetupChecklist } from './SetupChecklist';
import { SignInRequest, SignInTokens } from './SignInRequest';
import { TechnicalDetails } from './TechnicalDetails';

interface AppProps {
  model: PopupModel;
}

/**
 * The popup: the checklist and its one next action first, what waits for the patient, the
 * assistants in plain words, what they did, the permissions and the two off-switches; the
 * technical view folded under Details.
 */
export function App({ model }: AppProps) {
  const state = model.state.value;
  return (
    <main class="popup" aria-busy={!state} data-ready={state !== null}>
      <h1>{t('popup_title')}</h1>
      <NoticeBar model={model} />
      {state && model.view.value === 'connect' ? (
        <ConnectAssistant model={model} />
      ) : state ? (
        <MainView model={model} />
      ) : (
        <p role="status">{t('popup_loading')}</p>
      )}
    </main>
  );
}

function MainView({ model }: AppProps) {
  const state = model.state.value;
  if (!state) return null;
  const checklist = setupChecklist(state);
  const consented = state.consent.status === 'granted';
  const codeShown = state.pendingPairing !== null;
  return (
    <>
      <SignInRequest model={model} />
      <SetupChecklist model={model} />
      <Confirmations model={model} />
      <CaptureOffer model={model} />
      {!consented && <ConsentPanel model={model} primary={checklist.next === 'allow'} />}
      {codeShown && <PairingCode model={model} />}
      <ProblemList model={model} />
      <AssistantStatus model={model} />
      {!state.paired && <PairForm model={model} folded />}
      <AuditList model={model} />
      <SignInTokens model={model} />
      {consented && <ConsentPanel model={model} primary={false} />}
      <ReadPolicyPanel model={model} />
      <PauseAndStop model={model} />
      <TechnicalDetails model={model} />
    </>
  );
}
