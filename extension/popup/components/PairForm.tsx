import { useSignal } from '@preact/signals';
import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface PairFormProps {
  model: PopupModel;
}

/** The code printed by `hospiai-mcp pair`, typed once to pair this browser with the relays. */
export function PairForm({ model }: PairFormProps) {
  const code = useSignal('');
  const paired = model.state.value?.paired ?? false;
  const submit = (event: Event) => {
    event.preventDefault();
    void model.run('pair', { code: code.value }).then(() => {
      code.value = '';
    });
  };
  const form = (
    <form class="pair" onSubmit={submit}>
      <label for="pair-code">{t('pair_label')}</label>
      <input
        id="pair-code"
        name="code"
        autoComplete="off"
        spellcheck={false}
        placeholder="XXXX-XXXX"
        value={code.value}
        onInput={(event) => (code.value = event.currentTarget.value)}
      />
      <button
        type="submit"
        class="primary"
        disabled={code.value.trim() === '' || model.busy.value !== null}
      >
        {model.busy.value === 'pair' ? t('pair_working') : t('pair_submit')}
      </button>
    </form>
  );
  // Once paired, pairing again is rare: keep it folded so the popup stays short.
  return paired ? (
    <details class="section pair-details" data-section="pair">
      <summary>{t('pair_title_again')}</summary>
      <p class="muted">{t('pair_help')}</p>
      {form}
    </details>
  ) : (
    <Section id="pair" title={t('pair_title')}>
      <p class="muted">{t('pair_help')}</p>
      {form}
    </Section>
  );
}
