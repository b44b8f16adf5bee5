import { t } from '../../i18n/t';
import { formatWhen } from '../format';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

interface AuditListProps {
  model: PopupModel;
}

/** The latest tool calls the AI clients made, as the relays reported them. */
export function AuditList({ model }: AuditListProps) {
  const audit = model.state.value?.audit ?? [];
  return (
    <Section id="audit" title={t('audit_title')}>
      {audit.length === 0 ? (
        <p>{t('audit_none')}</p>
      ) : (
        <ul class="audit">
          {audit.map((entry) => (
            <li
              key={`${entry.at}-${entry.tool}`}
              data-tool={entry.tool}
              data-outcome={entry.outcome}
            >
              <span class="muted">{formatWhen(entry.at)}</span> <code>{entry.tool}</code>{' '}
              {entry.client && <span>({entry.client})</span>}{' '}
              <span class={entry.outcome === 'ok' ? 'ok' : 'bad'}>{entry.outcome}</span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
