import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import {
  type SetupChecklist as Checklist,
  type ChecklistStep,
  setupChecklist,
} from '../setup-checklist';

interface SetupChecklistProps {
  model: PopupModel;
}

const STEP_TITLES = {
  login: 'step_login',
  allow: 'step_allow',
  connect: 'step_connect',
} as const;

const STATUS_LABELS = {
  done: 'step_status_done',
  current: 'step_status_current',
  todo: 'step_status_todo',
} as const;

/**
 * The three steps to a working assistant, each done, current or to do, with the current one's
 * hint and the popup's one primary button; once all are done, one plain sentence.
 */
export function SetupChecklist({ model }: SetupChecklistProps) {
  const state = model.state.value;
  if (!state) return null;
  const checklist = setupChecklist(state);
  if (checklist.ready) {
    return (
      <section class="checklist-ready" data-section="checklist" data-ready-state="ready">
        <p class="ok">
          <span aria-hidden="true">✓ </span>
          <span data-ready-text>{t('checklist_ready')}</span>
        </p>
      </section>
    );
  }
  return (
    <section class="checklist" data-section="checklist" aria-labelledby="checklist-title">
      <h2 id="checklist-title">{t('checklist_title')}</h2>
      <ol>
        {checklist.steps.map((step) => (
          <Step key={step.id} step={step} patientName={state.login.patientName} />
        ))}
      </ol>
      <NextButton checklist={checklist} model={model} />
    </section>
  );
}

function Step({ step, patientName }: { step: ChecklistStep; patientName: string | null }) {
  const current = step.status === 'current';
  return (
    <li
      data-step={step.id}
      data-status={step.status}
      data-problem={step.status !== 'done' ? (step.problem ?? undefined) : undefined}
      aria-current={current ? 'step' : undefined}
    >
      <span class="step-title">{t(STEP_TITLES[step.id])}</span>{' '}
      <span class="step-status">{t(STATUS_LABELS[step.status])}</span>
      {current && <p class="step-hint">{t(hintKey(step))}</p>}
      {step.id === 'login' && step.status === 'done' && patientName && (
        <p class="step-hint muted">{t('step_login_done', [patientName])}</p>
      )}
    </li>
  );
}

/** The current step's sentence: what stands in its way, in the patient's words. */
function hintKey(step: ChecklistStep) {
  switch (step.problem) {
    case 'login_needed':
      return 'problem_login_needed';
    case 'access_revoked':
      return 'step_allow_again';
    case 'bridge_disabled':
      return 'step_connect_paused';
    case 'no_relay':
      return 'step_connect_not_running';
    default:
      return `${STEP_TITLES[step.id]}_hint` as const;
  }
}

function NextButton({ checklist, model }: { checklist: Checklist; model: PopupModel }) {
  const busy = model.busy.value !== null;
  switch (checklist.next) {
    case 'login':
      return (
        <button
          type="button"
          class="primary"
          disabled={busy}
          onClick={() => model.run('openPortal')}
        >
          {t('next_login')}
        </button>
      );
    case 'connect':
      return (
        <button
          type="button"
          class="primary"
          data-open="connect"
          onClick={() => (model.view.value = 'connect')}
        >
          {t('next_connect')}
        </button>
      );
    case 'resume':
      return (
        <button type="button" class="primary" disabled={busy} onClick={() => model.run('resume')}>
          {t('action_resume')}
        </button>
      );
    default:
      // Allow and capture: the panel below holds the button; a code on screen needs none.
      return null;
  }
}
