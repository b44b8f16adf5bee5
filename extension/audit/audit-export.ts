/**
 * The latest tool calls as a file the patient can keep or show someone: JSON (every field, as
 * the relays reported them) or CSV (for a spreadsheet). Pure text; the popup downloads it.
 * Entries hold no medical content and no token, so neither does the file.
 */
import type { AuditEntry } from '../../relay/protocol/protocol';
import { forCsvCell } from '../../relay/protocol/untrusted-text';

export type AuditExportFormat = 'json' | 'csv';

export interface AuditExport {
  fileName: string;
  mimeType: string;
  text: string;
}

const CSV_COLUMNS = [
  'at',
  'client',
  'tool',
  'scopes',
  'resourceIds',
  'outcome',
  'durationMs',
] as const;

export function exportAudit(
  entries: readonly AuditEntry[],
  format: AuditExportFormat,
  now: Date = new Date(),
): AuditExport {
  // `2025-03-01T10-04-05Z`: sortable, and valid in a file name on every OS.
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  const fileName = `hospiai-ai-requests-${stamp}.${format}`;
  return format === 'json'
    ? { fileName, mimeType: 'application/json', text: auditJson(entries, now) }
    : { fileName, mimeType: 'text/csv', text: auditCsv(entries) };
}

export function auditJson(entries: readonly AuditEntry[], now: Date = new Date()): string {
  return `${JSON.stringify({ exportedAt: now.toISOString(), entries }, null, 2)}\n`;
}

/**
 * RFC 4180: a header line, CRLF line ends, every cell quoted and made inert (forCsvCell): a
 * client names itself, and a spreadsheet must never read a formula in that name.
 */
export function auditCsv(entries: readonly AuditEntry[]): string {
  const rows = entries.map((entry) =>
    [
      entry.at,
      entry.client ?? '',
      entry.tool,
      entry.scopes.join(' '),
      entry.resourceIds.join(' '),
      entry.outcome,
      String(entry.durationMs),
    ].map((cell) => forCsvCell(cell)),
  );
  return [
    CSV_COLUMNS.map((column) => forCsvCell(column)).join(','),
    ...rows.map((row) => row.join(',')),
  ]
    .map((line) => `${line}\r\n`)
    .join('');
}
