import { t } from '../../i18n/t';
import { formatClock } from '../format';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface PairingCodeProps {
  model: PopupModel;
  /** "Show a code" is the primary button of the "Connect an AI assistant" view. */
  primary?: boolean;
}

/**
 * (Nothing from the background's modules is imported at run time: they carry zod.)
 *
 * Pairing with no terminal: the code the patient gives their AI assistant (its form, or in the
 * chat). The background watches for the relay that knows it; this shows where it stands.
 */
export function PairingCode({ model, primary = false }: PairingCodeProps) {
  const state = model.state.value;
  const pending = state?.pendingPairing ?? null;
  // Paired, it is offered again only for an assistant whose relay does not know this browser.
  const unpairedRelay = state?.relays.some((relay) => relay.state === 'not_paired') ?? false;
  if (!state || (state.paired && !pending && !unpairedRelay)) return null;
  const busy = model.busy.value !== null;
  const newCode = (
    <button
      type="button"
      class={primary ? 'primary' : undefined}
      data-start-code
      disabled={busy}
      onClick={() => void model.run('startPairingCode')}
    >
      {pending ? t('pairing_code_new') : t('pairing_code_start')}
    </button>
  );

  if (!pending) {
    return (
      <Section id="pairing-code" title={t('pairing_code_title')}>
        <p class="muted">{t('pairing_code_intro')}</p>
        {newCode}
      </Section>
    );
  }
  const waiting = pending.status === 'waiting';
  return (
    <Section id="pairing-code" title={t('pairing_code_title')}>
      {waiting ? (
        <>
          <p class="pairing-code">
            <span class="muted">{t('pairing_code_label')}</span>{' '}
            <output data-testid="pairing-code" aria-live="polite">
              {pending.code}
            </output>
          </p>
          <p>{t('pairing_code_give', [pending.code])}</p>
          <p class="muted">
            {t('pairing_code_until', [formatClock(pending.expiresAt), String(pending.triesLeft)])}
          </p>
          <p role="status" data-testid="pairing-code-status">
            {pending.refused
              ? t('pairing_code_mismatch', [String(pending.triesLeft)])
              : t('pairing_code_waiting')}
          </p>
          <button type="button" disabled={busy} onClick={() => void model.run('cancelPairingCode')}>
            {t('pairing_code_cancel')}
          </button>
        </>
      ) : (
        <>
          <p role="alert" data-testid="pairing-code-status">
            {pending.status === 'locked' ? t('pairing_code_locked') : t('pairing_code_expired')}
          </p>
          {newCode}
        </>
      )}
    </Section>
  );
}
