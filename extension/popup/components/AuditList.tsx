import type { AuditEntry } from '../../../relay/protocol/protocol';
import { auditEntryKey } from '../../audit/audit-entry-key';
import { type AuditExportFormat, exportAudit } from '../../audit/audit-export';
import { t } from '../../i18n/t';
import { downloadFile } from '../download-file';
import { formatWhen } from '../format';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

/** The latest calls in view; the others (up to fifty) folded below them. */
const VISIBLE_ROWS = 8;

interface AuditListProps {
  model: PopupModel;
}

/** The latest tool calls the AI clients made, as the relays reported them; and their export. */
export function AuditList({ model }: AuditListProps) {
  const audit = model.state.value?.audit ?? [];
  const save = (format: AuditExportFormat) => {
    const file = exportAudit(audit, format);
    downloadFile(file.fileName, file.mimeType, file.text);
  };
  const recent = audit.slice(0, VISIBLE_ROWS);
  const earlier = audit.slice(VISIBLE_ROWS);
  return (
    <Section id="audit" title={t('audit_title')}>
      {audit.length === 0 ? (
        <p>{t('audit_none')}</p>
      ) : (
        <>
          <AuditRows entries={recent} />
          {earlier.length > 0 && (
            <details class="audit-earlier">
              <summary>{t('audit_earlier', [String(earlier.length)])}</summary>
              <AuditRows entries={earlier} />
            </details>
          )}
          <div class="actions">
            <button type="button" data-export="json" onClick={() => save('json')}>
              {t('audit_export_json')}
            </button>
            <button type="button" data-export="csv" onClick={() => save('csv')}>
              {t('audit_export_csv')}
            </button>
          </div>
        </>
      )}
    </Section>
  );
}

function AuditRows({ entries }: { entries: AuditEntry[] }) {
  return (
    <ul class="audit">
      {entries.map((entry) => (
        <AuditRow key={auditEntryKey(entry)} entry={entry} />
      ))}
    </ul>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  return (
    <li data-tool={entry.tool} data-outcome={entry.outcome}>
      <span class="muted">{formatWhen(entry.at)}</span> <code>{entry.tool}</code>{' '}
      {entry.client && <span>({entry.client})</span>}{' '}
      <span class={entry.outcome === 'ok' ? 'ok' : 'bad'}>{entry.outcome}</span>
    </li>
  );
}
