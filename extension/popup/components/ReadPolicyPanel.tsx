import type { ReadPolicies } from '../../consent/read-policy';
import { t } from '../../i18n/t';
import type { PopupModel } from '../popup-model';

interface ReadPolicyPanelProps {
  model: PopupModel;
}

/** For each kind of read, whether the AI client must ask first (bookings always ask). */
export function ReadPolicyPanel({ model }: ReadPolicyPanelProps) {
  const state = model.state.value;
  if (state?.consent.status !== 'granted') return null;
  const policy = state.readPolicy;
  // The tools come from the state: importing the protocol's list would pull zod into the popup.
  const tools = Object.keys(policy) as (keyof ReadPolicies)[];
  const toggle = (tool: keyof ReadPolicies) =>
    model.run('setReadPolicy', {
      reads: { ...policy, [tool]: policy[tool] === 'ask' ? 'allow' : 'ask' },
    });
  return (
    // Folded: set once, rarely changed; the popup stays short.
    <details class="section" data-section="read-policy">
      <summary>{t('read_policy_title')}</summary>
      <p class="muted">{t('read_policy_help')}</p>
      {tools.map((tool) => (
        <label key={tool}>
          <input
            type="checkbox"
            value={tool}
            checked={policy[tool] === 'ask'}
            onChange={() => toggle(tool)}
          />{' '}
          {t(`tool_${tool}`)}
        </label>
      ))}
    </details>
  );
}
