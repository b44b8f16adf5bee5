import { useSignal } from '@preact/signals';
import { scopeLabel, t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { AllowReadsToggle } from './AllowReadsToggle';
import { Section } from './Section';

interface ConsentPanelProps {
  model: PopupModel;
  /** Its button is the popup's one primary button while allowing is the next step. */
  primary: boolean;
}

/** What the extension does, and which scopes the patient allows: consent, or change them. */
export function ConsentPanel({ model, primary }: ConsentPanelProps) {
  const state = model.state.value;
  const granted = state?.consent.status === 'granted';
  const chosen = useSignal<string[] | null>(null);
  const allowReads = useSignal(false);
  if (!state) return null;
  const remembered = granted || state.consent.status === 'paused';
  const scopes = chosen.value ?? (remembered ? state.consent.scopes : ['read:data']);
  const toggle = (scope: string) =>
    (chosen.value = scopes.includes(scope)
      ? scopes.filter((s) => s !== scope)
      : [...scopes, scope]);
  return (
    <Section id="consent" title={t(granted ? 'consent_title_granted' : 'consent_title')}>
      <p>{t(granted ? 'consent_granted' : 'consent_what')}</p>
      <fieldset>
        <legend>{t('consent_scopes_legend')}</legend>
        {state.offeredScopes.map((scope) => (
          <label key={scope}>
            <input
              type="checkbox"
              value={scope}
              checked={scopes.includes(scope)}
              onChange={() => toggle(scope)}
            />{' '}
            {scopeLabel(scope)}
          </label>
        ))}
      </fieldset>
      {!granted && <AllowReadsToggle allowReads={allowReads} />}
      <div class="actions">
        <button
          type="button"
          class={primary ? 'primary' : undefined}
          disabled={scopes.length === 0 || model.busy.value !== null}
          onClick={() => model.run('consent', { scopes, allowReads: allowReads.value })}
        >
          {t(granted ? 'consent_change' : 'consent_allow')}
        </button>
      </div>
    </Section>
  );
}
