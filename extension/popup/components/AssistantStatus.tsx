import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { assistantStatus, setupChecklist } from '../setup-checklist';
import { Section } from './Section';

interface AssistantStatusProps {
  model: PopupModel;
}

const SENTENCES = {
  paused: 'assistant_paused',
  waiting: 'assistant_waiting',
  none: 'assistant_none',
} as const;

/** Whether the patient's assistants are connected, in plain words; the technical view is in Details. */
export function AssistantStatus({ model }: AssistantStatusProps) {
  const state = model.state.value;
  if (!state) return null;
  const status = assistantStatus(state);
  // The checklist's primary button already opens the view while connecting is the next step.
  const offerConnect = setupChecklist(state).next !== 'connect';
  return (
    <Section id="assistants" title={t('assistant_title')}>
      {status.kind === 'connected' ? (
        <>
          <p data-assistant-status="connected">
            {t(status.withAccess ? 'assistant_connected' : 'assistant_connected_no_access')}
          </p>
          {status.names.length > 0 && (
            <ul class="assistants">
              {status.names.map((name, index) => (
                // Two assistants may share a name: the index keeps the keys apart.
                <li key={`${name}-${index}`} data-assistant={name}>
                  {t('relays_calls_itself', [name])}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <p data-assistant-status={status.kind}>{t(SENTENCES[status.kind])}</p>
      )}
      {offerConnect && (
        <button
          type="button"
          class="link view-link"
          data-open="connect"
          onClick={() => (model.view.value = 'connect')}
        >
          {t(state.paired ? 'connect_another' : 'connect_title')}
        </button>
      )}
    </Section>
  );
}
