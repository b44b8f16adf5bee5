/**
 * The hash chain of the audit log, independent of files: how one line is written, read back and
 * checked. Each line is `{...entry, prev, hash}` with `hash = sha256(prev + canonicalJson(entry))`
 * and `prev` the hash of the line before it (GENESIS_HASH for the very first entry).
 */
import { createHash } from 'node:crypto';
import { AuditEntry } from '../protocol/protocol';
import { canonicalJson } from './canonical-json';

export const GENESIS_HASH = '0'.repeat(64);

const HASH = /^[0-9a-f]{64}$/;

export function chainHash(prev: string, entry: AuditEntry): string {
  return createHash('sha256')
    .update(prev + canonicalJson(entry))
    .digest('hex');
}

/** The JSON line (without newline) for an already validated entry, and its hash. */
export function formatLine(entry: AuditEntry, prev: string): { line: string; hash: string } {
  const hash = chainHash(prev, entry);
  return { line: JSON.stringify({ ...entry, prev, hash }), hash };
}

export type ParsedLine =
  | { ok: true; entry: AuditEntry; prev: string; hash: string }
  | { ok: false; reason: string };

/** Reads one line back and checks that it is a well-formed entry whose hash matches its content. */
export function parseLine(text: string): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'the line is not JSON (damaged or partly written)' };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, reason: 'the line is not a JSON object' };
  }
  const { prev, hash, ...rest } = json as Record<string, unknown>;
  if (
    typeof prev !== 'string' ||
    !HASH.test(prev) ||
    typeof hash !== 'string' ||
    !HASH.test(hash)
  ) {
    return { ok: false, reason: 'the line has no valid prev/hash fields' };
  }
  const entry = AuditEntry.safeParse(rest);
  if (!entry.success) {
    return { ok: false, reason: `the line is not an audit entry (${describeIssues(entry.error)})` };
  }
  if (chainHash(prev, entry.data) !== hash) {
    return { ok: false, reason: 'the entry was modified after it was written (hash mismatch)' };
  }
  return { ok: true, entry: entry.data, prev, hash };
}

/** The stated hash of a line, without validating it: what the next entry chains to. */
export function statedHash(text: string): string | null {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json === 'object' && json !== null && 'hash' in json) {
      const hash = (json as { hash: unknown }).hash;
      if (typeof hash === 'string' && HASH.test(hash)) return hash;
    }
  } catch {
    // a damaged line: the caller looks further back
  }
  return null;
}

/**
 * Paths and issue codes only: never the rejected values, which could be exactly the medical
 * content the schema keeps out.
 */
export function describeIssues(error: {
  issues: ReadonlyArray<{ path: PropertyKey[]; code: string; message: string }>;
}): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'entry';
      return issue.code === 'unrecognized_keys' ? issue.message : `${where}: ${issue.code}`;
    })
    .join('; ');
}
