import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';

interface PortalStatusProps {
  model: PopupModel;
}

/** Whether the patient is logged into HospiAI, as whom, on which portal (in Details). */
export function PortalStatus({ model }: PortalStatusProps) {
  const state = model.state.value;
  if (!state) return null;
  const { login } = state;
  return (
    <div class="subsection" data-section="portal">
      <h3>{t('portal_title')}</h3>
      <p data-login={login.state}>
        {login.state === 'logged_in'
          ? t('portal_logged_in', [login.patientName ?? ''])
          : t(login.state === 'logged_out' ? 'portal_logged_out' : 'portal_unknown')}
      </p>
      <p class="muted">{state.portalOrigin}</p>
    </div>
  );
}
