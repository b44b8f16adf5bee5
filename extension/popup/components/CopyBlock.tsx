import { useSignal } from '@preact/signals';
import { t } from '../../i18n/t';
import { copyText } from '../copy-text';

interface CopyBlockProps {
  /** Names the block for tests and styles (`data-copy-block`). */
  name: string;
  text: string;
  /** The button's label, saying what it copies. */
  label: string;
}

/** Text to paste elsewhere, shown exactly, with a button that copies it. */
export function CopyBlock({ name, text, label }: CopyBlockProps) {
  const outcome = useSignal<'copied' | 'failed' | null>(null);
  const copy = async () => {
    outcome.value = (await copyText(text)) ? 'copied' : 'failed';
  };
  return (
    <div class="copy-block" data-copy-block={name}>
      <pre>
        <code>{text}</code>
      </pre>
      <div class="actions">
        <button type="button" onClick={copy}>
          {label}
        </button>
        <span role="status" class={outcome.value === 'failed' ? 'bad' : 'ok'}>
          {outcome.value &&
            t(outcome.value === 'copied' ? 'connect_copied' : 'connect_copy_failed')}
        </span>
      </div>
    </div>
  );
}
