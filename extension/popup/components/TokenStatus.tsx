import { scopeLabel, t } from '../../i18n/t';
import { formatWhen } from '../format';
import type { PopupModel } from '../popup-model';

interface TokenStatusProps {
  model: PopupModel;
}

/** The token in use: where it came from, what it allows, when it expires (in Details). */
export function TokenStatus({ model }: TokenStatusProps) {
  const state = model.state.value;
  if (!state) return null;
  const { token } = state;
  return (
    <div class="subsection" data-section="token">
      <h3>{t('token_title')}</h3>
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
    </div>
  );
}
