import { t } from '../../i18n/t';
import { formatClock } from '../format';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface PairingCodeProps {
  model: PopupModel;
  /** "Show a code" is the primary button of the "Connect an AI assistant" view. */
  primary?: boolean;
}

type Pending = NonNullable<NonNullable<PopupModel['state']['value']>['pendingPairing']>;

const ENDED = {
  conflict: 'pairing_code_conflict',
  declined: 'pairing_code_declined',
  confirm_failed: 'pairing_code_confirm_failed',
  expired: 'pairing_code_expired',
} as const;

/**
 * (Nothing from the background's modules is imported at run time: they carry zod.)
 *
 * Pairing with no terminal, through the chat: the code the patient tells their AI assistant.
 * The background watches for the relay that proves it; that relay is only a candidate, whose
 * check value the patient compares with what their assistant shows — their yes here, and only
 * here, pairs.
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
  if (pending.status === 'check' && pending.candidate) {
    return (
      <Section id="pairing-code" title={t('pairing_code_title')}>
        <CheckValue model={model} candidate={pending.candidate} busy={busy} />
      </Section>
    );
  }
  return (
    <Section id="pairing-code" title={t('pairing_code_title')}>
      {pending.status === 'waiting' ? (
        <Waiting model={model} pending={pending} busy={busy} />
      ) : (
        <>
          <p role="alert" data-testid="pairing-code-status" data-status={pending.status}>
            {t(ENDED[pending.status as keyof typeof ENDED] ?? 'pairing_code_expired')}
          </p>
          {newCode}
        </>
      )}
    </Section>
  );
}

function Waiting({ model, pending, busy }: { model: PopupModel; pending: Pending; busy: boolean }) {
  return (
    <>
      <p class="pairing-code">
        <span class="muted">{t('pairing_code_label')}</span>{' '}
        <output data-testid="pairing-code" aria-live="polite">
          {pending.code}
        </output>
      </p>
      <p>{t('pairing_code_give', [pending.code])}</p>
      <p class="muted">{t('pairing_code_until', [formatClock(pending.expiresAt)])}</p>
      <p role="status" data-testid="pairing-code-status" data-status="waiting">
        {pending.refusedPort !== null ? t('pairing_code_refused') : t('pairing_code_waiting')}
      </p>
      <button type="button" disabled={busy} onClick={() => void model.run('cancelPairingCode')}>
        {t('pairing_code_cancel')}
      </button>
    </>
  );
}

/** The one decision that pairs: the patient compares the value with their assistant's. */
function CheckValue({
  model,
  candidate,
  busy,
}: {
  model: PopupModel;
  candidate: NonNullable<Pending['candidate']>;
  busy: boolean;
}) {
  return (
    <fieldset data-testid="pairing-check" class="pairing-check">
      <legend>{t('pairing_code_check_title')}</legend>
      <p class="check-value">
        <output data-testid="pairing-check-value" aria-live="polite">
          {candidate.checkValue}
        </output>
      </p>
      <p class="muted">{t('pairing_code_check_help')}</p>
      {candidate.client && (
        <p class="muted" data-testid="pairing-check-client">
          {t('pairing_code_check_client', [candidate.client])}
        </p>
      )}
      <div class="actions">
        <button
          type="button"
          class="primary"
          data-check="match"
          disabled={busy}
          onClick={() => void model.run('confirmPairingCheck')}
        >
          {t('pairing_code_check_match')}
        </button>
        <button
          type="button"
          data-check="differs"
          disabled={busy}
          onClick={() => void model.run('declinePairingCheck')}
        >
          {t('pairing_code_check_differs')}
        </button>
      </div>
    </fieldset>
  );
}
