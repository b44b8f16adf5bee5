import { assistantName } from '../../../relay/protocol/assistant-name';
import type { AuditEntry } from '../../../relay/protocol/protocol';
import { auditEntryKey } from '../../audit/audit-entry-key';
import { type AuditExportFormat, exportAudit } from '../../audit/audit-export';
import { type MessageKey, t } from '../../i18n/t';
import { downloadFile } from '../download-file';
import { formatWhen } from '../format';
import type { PopupModel } from '../popup-model';
import { Section } from './Section';

/** The latest calls in view; the others (up to fifty) folded below them. */
const VISIBLE_ROWS = 8;

/** What each tool did, in the patient's words (a newer relay's unknown tool: "another request"). */
const TOOL_WORDS: Record<string, MessageKey> = {
  get_appointments: 'audit_tool_get_appointments',
  get_medical_records: 'audit_tool_get_medical_records',
  find_doctors: 'audit_tool_find_doctors',
  get_available_slots: 'audit_tool_get_available_slots',
  book_appointment: 'audit_tool_book_appointment',
  cancel_appointment: 'audit_tool_cancel_appointment',
  connection_status: 'audit_tool_connection_status',
  connect_extension: 'audit_tool_connect_extension',
};

/** How it ended: done, not done because the patient said no (or did not answer), or failed. */
function outcomeWords(outcome: string): { key: MessageKey; ok: boolean } {
  if (outcome === 'ok' || outcome === 'already_paired')
    return { key: 'audit_outcome_ok', ok: true };
  if (outcome === 'NOT_CONFIRMED') return { key: 'audit_outcome_declined', ok: false };
  return { key: 'audit_outcome_failed', ok: false };
}

interface AuditListProps {
  model: PopupModel;
}

/** What the assistants did lately, in the patient's words, as the relays reported it. */
export function AuditList({ model }: AuditListProps) {
  const audit = model.state.value?.audit ?? [];
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
        </>
      )}
    </Section>
  );
}

/** The whole list, for the patient's records (in Details). */
export function AuditExport({ model }: AuditListProps) {
  const audit = model.state.value?.audit ?? [];
  if (audit.length === 0) return null;
  const save = (format: AuditExportFormat) => {
    const file = exportAudit(audit, format);
    downloadFile(file.fileName, file.mimeType, file.text);
  };
  return (
    <div class="subsection" data-section="audit-export">
      <h3>{t('audit_export_title')}</h3>
      <div class="actions">
        <button type="button" data-export="json" onClick={() => save('json')}>
          {t('audit_export_json')}
        </button>
        <button type="button" data-export="csv" onClick={() => save('csv')}>
          {t('audit_export_csv')}
        </button>
      </div>
    </div>
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
  const outcome = outcomeWords(entry.outcome);
  return (
    <li data-tool={entry.tool} data-outcome={entry.outcome}>
      <span class="muted">{formatWhen(entry.at)}</span>{' '}
      {entry.client && <strong>{assistantName({ name: entry.client })}</strong>}{' '}
      {t(TOOL_WORDS[entry.tool] ?? 'audit_tool_other')}{' '}
      <span class={outcome.ok ? 'ok' : 'bad'}>{t(outcome.key)}</span>
    </li>
  );
}
