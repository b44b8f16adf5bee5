import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface PortalStatusProps {
  model: PopupModel;
}

/** Whether the patient is logged into HospiAI, as whom, on which portal. */
export function PortalStatus({ model }: PortalStatusProps) {
  const state = model.state.value;
  if (!state) return null;
  const { login } = state;
  return (
    <Section id="portal" title={t('portal_title')}>
      <p data-login={login.state}>
        {login.state === 'logged_in'
          ? t('portal_logged_in', [login.patientName ?? ''])
          : t(login.state === 'logged_out' ? 'portal_logged_out' : 'portal_unknown')}
      </p>
      <p class="muted">{state.portalOrigin}</p>
    </Section>
  );
}
