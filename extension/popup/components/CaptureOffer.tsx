import { useSignal } from '@preact/signals';
import { scopeLabel, t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { AllowReadsToggle } from './AllowReadsToggle';
import { Section } from './Section';

interface CaptureOfferProps {
  model: PopupModel;
}

/**
 * A token the patient just generated on the portal's Tokens page, which the portal vouched for:
 * handed to the AI assistants only on a yes given here, where the page cannot draw or script.
 */
export function CaptureOffer({ model }: CaptureOfferProps) {
  const offer = model.state.value?.captureOffer;
  const allowReads = useSignal(false);
  if (!offer) return null;
  return (
    <Section id="capture" title={t('capture_title')}>
      <p>{t('capture_what')}</p>
      <p>{t('capture_offer_scopes', [offer.scopes.map(scopeLabel).join(', ')])}</p>
      <p>{t('capture_where')}</p>
      <AllowReadsToggle allowReads={allowReads} />
      <div class="actions">
        <button type="button" onClick={() => model.run('ignoreCapture')}>
          {t('capture_ignore')}
        </button>
        <button
          type="button"
          class="primary"
          disabled={model.busy.value !== null}
          onClick={() => model.run('capture', { allowReads: allowReads.value })}
        >
          {t('capture_use')}
        </button>
      </div>
    </Section>
  );
}
