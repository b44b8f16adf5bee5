import { scopeLabel, t } from '../../i18n/t';
import { formatWhen } from '../format';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface TokenStatusProps {
  model: PopupModel;
}

/** The token in use: where it came from, what it allows, when it expires; and revoke. */
export function TokenStatus({ model }: TokenStatusProps) {
  const state = model.state.value;
  if (!state) return null;
  const { token } = state;
  return (
    <Section id="token" title={t('token_title')}>
      {token ? (
        <>
          <p data-token-state="active">
            {t(token.source === 'auto' ? 'token_active_auto' : 'token_active_capture', [
              formatWhen(token.expiresAt),
            ])}
          </p>
          <p class="muted">{token.scopes.map(scopeLabel).join(' · ')}</p>
          {state.renewing && <p role="status">{t('token_renewing')}</p>}
        </>
      ) : (
        <p data-token-state="none">{t('token_none')}</p>
      )}
      <button
        type="button"
        class="danger"
        disabled={!token || model.busy.value !== null}
        onClick={() => model.run('revoke')}
      >
        {t('action_revoke')}
      </button>
    </Section>
  );
}
