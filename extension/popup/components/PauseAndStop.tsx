import { useSignal } from '@preact/signals';
import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { setupChecklist } from '../setup-checklist';
import { Section } from './Section';

interface PauseAndStopProps {
  model: PopupModel;
}

/**
 * The two off-switches: Pause (the assistants are disconnected; consent, access and the
 * connection are kept, Resume brings them back) and Stop and revoke (everything undone, after
 * the patient has read what that means).
 */
export function PauseAndStop({ model }: PauseAndStopProps) {
  const confirming = useSignal(false);
  const state = model.state.value;
  if (!state) return null;
  const canStop = state.consent.status === 'granted' || state.token !== null || state.paired;
  if (!canStop) return null;
  const busy = model.busy.value !== null;
  const paused = state.paired && !state.bridgeEnabled;
  // While paused, Resume is the checklist's primary button when connecting is the next step.
  const resumeInChecklist = setupChecklist(state).next === 'resume';
  return (
    <Section id="switches" title={t('switches_title')}>
      {state.paired && !paused && (
        <div class="switch">
          <button type="button" disabled={busy} onClick={() => model.run('pause')}>
            {t('action_pause')}
          </button>
          <p class="muted">{t('pause_explain')}</p>
        </div>
      )}
      {paused && !resumeInChecklist && (
        <div class="switch">
          <button type="button" disabled={busy} onClick={() => model.run('resume')}>
            {t('action_resume')}
          </button>
        </div>
      )}
      {canStop &&
        (confirming.value ? (
          <fieldset class="stop-confirm" data-stop-confirm>
            <legend>{t('stop_confirm_title')}</legend>
            <ul>
              <li>{t('stop_confirm_revoke')}</li>
              <li>{t('stop_confirm_consent')}</li>
              <li>{t('stop_confirm_forget')}</li>
            </ul>
            <p class="muted">{t('stop_confirm_after')}</p>
            <div class="actions">
              <button type="button" onClick={() => (confirming.value = false)}>
                {t('stop_keep')}
              </button>
              <button
                type="button"
                class="danger"
                data-confirm-stop
                disabled={busy}
                onClick={() => {
                  confirming.value = false;
                  void model.run('stopAndRevoke');
                }}
              >
                {t('stop_confirm_yes')}
              </button>
            </div>
          </fieldset>
        ) : (
          <div class="switch">
            <button
              type="button"
              class="danger"
              disabled={busy}
              onClick={() => (confirming.value = true)}
            >
              {t('action_stop')}
            </button>
            <p class="muted">{t('stop_explain')}</p>
          </div>
        ))}
    </Section>
  );
}
