/**
 * The latest tool calls reported by the relays (`audit` frames), newest first, for the popup.
 * Kept in `storage.session`: they name tools and outcomes, never medical content or tokens.
 *
 * Every relay of the home greets the extension with the same latest entries of the home's log,
 * then reports its own calls one by one: the log is a de-duplicated merge of all of them.
 */
import { z } from 'zod';
import { AuditEntry } from '../../relay/protocol/protocol';
import { storedValue } from '../storage/stored-value';
import { auditEntryKey } from './audit-entry-key';

export const AUDIT_LOG_SIZE = 50;

export const auditLog = storedValue('session:audit', z.array(AuditEntry).max(AUDIT_LOG_SIZE), []);

/** Merges new entries into the log: no duplicates, newest first, the latest fifty. */
export function mergeAuditEntries(log: AuditEntry[], incoming: AuditEntry[]): AuditEntry[] {
  const byKey = new Map<string, AuditEntry>();
  for (const entry of [...incoming, ...log]) {
    const key = auditEntryKey(entry);
    if (!byKey.has(key)) byKey.set(key, entry);
  }
  return [...byKey.values()]
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, AUDIT_LOG_SIZE);
}

let pending: Promise<unknown> = Promise.resolve();

/**
 * Adds entries to the stored log. Frames from several relays can arrive together: each merge
 * reads what the previous one wrote, so no entry is lost to an interleaved read and write.
 */
export function recordAuditEntries(incoming: AuditEntry[]): Promise<void> {
  const merged = pending.then(async () => {
    await auditLog.set(mergeAuditEntries(await auditLog.get(), incoming));
  });
  pending = merged.catch(() => {});
  return merged;
}
