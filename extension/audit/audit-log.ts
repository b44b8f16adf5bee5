/**
 * The latest tool calls reported by the relays (`audit` frames), newest first, for the popup.
 * Kept in `storage.session`: they name tools and outcomes, never medical content or tokens.
 */
import { z } from 'zod';
import { AuditEntry } from '../../relay/protocol/protocol';
import { storedValue } from '../storage/stored-value';

export const AUDIT_LOG_SIZE = 50;

export const auditLog = storedValue('session:audit', z.array(AuditEntry).max(AUDIT_LOG_SIZE), []);

const keyOf = (entry: AuditEntry) => `${entry.at}|${entry.client ?? ''}|${entry.tool}`;

/** Merges new entries into the log: no duplicates (relays resend), newest first, capped. */
export function mergeAuditEntries(log: AuditEntry[], incoming: AuditEntry[]): AuditEntry[] {
  const byKey = new Map<string, AuditEntry>();
  for (const entry of [...incoming, ...log])
    if (!byKey.has(keyOf(entry))) byKey.set(keyOf(entry), entry);
  return [...byKey.values()]
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, AUDIT_LOG_SIZE);
}
