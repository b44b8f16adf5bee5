import type { Signal } from '@preact/signals';
import { t } from '../../i18n/t';

interface AllowReadsToggleProps {
  allowReads: Signal<boolean>;
}

/** "Let my assistant read without asking me each time", for a consent or a captured token. */
export function AllowReadsToggle({ allowReads }: AllowReadsToggleProps) {
  return (
    <label>
      <input
        type="checkbox"
        checked={allowReads.value}
        onChange={() => (allowReads.value = !allowReads.value)}
      />{' '}
      {t('consent_allow_reads')}
    </label>
  );
}
