import { type Signal, useSignal } from '@preact/signals';
import { t } from '../i18n/t';
import type { ConfigSettings, ConfigView } from '../messaging/protocol-map';

export interface OptionsFormProps {
  config: ConfigView;
  /** Asks for the origin's permission if needed (inside the click), then saves. */
  save: (config: ConfigSettings) => Promise<string | null>;
}

/** Which HospiAI portal to use (production, or another address); the relays' ports, folded. */
export function OptionsForm({ config, save }: OptionsFormProps) {
  const origin = useSignal(config.portalOrigin);
  const first = useSignal(String(config.firstPort));
  const last = useSignal(String(config.lastPort));
  const status = useSignal<{ error: boolean; text: string } | null>(null);
  // A range set earlier stays in view: the patient (or their helper) chose it.
  const portsChanged =
    config.firstPort !== config.defaultFirstPort || config.lastPort !== config.defaultLastPort;
  const submit = async (event: Event) => {
    event.preventDefault();
    status.value = null;
    const problem = await save({
      portalOrigin: origin.value,
      firstPort: Number(first.value),
      lastPort: Number(last.value),
    });
    status.value = problem
      ? { error: true, text: t(`options_error_${problem}` as 'options_error_invalid_origin') }
      : { error: false, text: t('options_saved') };
  };
  return (
    <form class="options" onSubmit={submit}>
      <h1>{t('options_title')}</h1>
      <label for="portal-origin">{t('options_portal_label')}</label>
      <input
        id="portal-origin"
        type="url"
        required
        value={origin.value}
        onInput={(e) => (origin.value = e.currentTarget.value)}
      />
      <p class="muted">{t('options_portal_help', [config.productionOrigin])}</p>
      {/* Rarely changed, and only with the assistants' own setting: folded, explained. */}
      <details data-advanced open={portsChanged || undefined}>
        <summary>{t('options_advanced')}</summary>
        <fieldset>
          <legend>{t('options_ports_legend')}</legend>
          <p class="muted">{t('options_ports_help')}</p>
          <PortInput id="first-port" label={t('options_first_port')} value={first} />
          <PortInput id="last-port" label={t('options_last_port')} value={last} />
        </fieldset>
      </details>
      <button type="submit">{t('options_save')}</button>
      {status.value && (
        <p
          role={status.value.error ? 'alert' : 'status'}
          id="options-status"
          data-error={status.value.error}
        >
          {status.value.text}
        </p>
      )}
    </form>
  );
}

/** One end of the port range: a number a patient's helper may type, bounded like the relay's. */
function PortInput({ id, label, value }: { id: string; label: string; value: Signal<string> }) {
  return (
    <>
      <label for={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={1024}
        max={65535}
        value={value.value}
        onInput={(e) => (value.value = e.currentTarget.value)}
      />
    </>
  );
}
