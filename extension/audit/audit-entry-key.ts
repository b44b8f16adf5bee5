import type { AuditEntry } from '../../relay/protocol/protocol';

/**
 * One tool call, whichever relay reported it: every relay of the home sends the same entries
 * of the home's log, so equal keys are the same call. (No zod here: the popup uses it too.)
 */
export function auditEntryKey(entry: AuditEntry): string {
  return [entry.at, entry.tool, entry.client ?? '', entry.outcome, entry.durationMs].join('|');
}
