import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';

interface BridgeActionsProps {
  model: PopupModel;
}

/** Stop or resume handing the token to the AI clients, or forget the pairing altogether. */
export function BridgeActions({ model }: BridgeActionsProps) {
  const state = model.state.value;
  if (!state?.paired) return null;
  return (
    <footer class="actions">
      {state.bridgeEnabled ? (
        <button type="button" onClick={() => model.run('disconnect')}>
          {t('action_disconnect')}
        </button>
      ) : (
        <button type="button" class="primary" onClick={() => model.run('connect')}>
          {t('action_connect')}
        </button>
      )}
      <button type="button" onClick={() => model.run('forgetPairing')}>
        {t('action_forget_pairing')}
      </button>
    </footer>
  );
}
