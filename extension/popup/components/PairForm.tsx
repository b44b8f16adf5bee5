import { useSignal } from '@preact/signals';
import { type MessageKey, t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { NoticeText } from './NoticeBar';

interface PairFormProps {
  model: PopupModel;
  /** Folded under its question (the main view, before pairing); open inside Details. */
  folded?: boolean;
  /** What the open form says above the field (default: pairing again from a terminal). */
  help?: MessageKey;
}

/**
 * The code printed by `hospiai-mcp pair`, typed once to pair this browser with the relays. What
 * went wrong is said right beside the field, with the tries left, and what was typed stays.
 */
export function PairForm({ model, folded = false, help = 'pair_help_again' }: PairFormProps) {
  const code = useSignal('');
  const notice = model.notice.value?.besidePairForm ? model.notice.value : null;
  const submit = (event: Event) => {
    event.preventDefault();
    void model.run('pair', { code: code.value }).then(() => {
      // Kept after a failure, so a typo can be corrected rather than typed again.
      if (!model.notice.value?.besidePairForm) code.value = '';
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
        aria-invalid={notice ? true : undefined}
        aria-describedby={notice ? 'pair-error' : undefined}
        value={code.value}
        onInput={(event) => (code.value = event.currentTarget.value)}
      />
      <button type="submit" disabled={code.value.trim() === '' || model.busy.value !== null}>
        {model.busy.value === 'pair' ? t('pair_working') : t('pair_submit')}
      </button>
      {notice && (
        <div id="pair-error" class="pair-error">
          <NoticeText notice={notice} />
        </div>
      )}
    </form>
  );
  return folded ? (
    <details class="section pair-details" data-section="pair" open={notice !== null || undefined}>
      <summary>{t('pair_title')}</summary>
      <p class="muted">{t('pair_help')}</p>
      {form}
    </details>
  ) : (
    <div class="pair-again" data-section="pair">
      <p class="muted">{t(help)}</p>
      {form}
    </div>
  );
}
