import { describe, expect, it } from 'vitest';
import { AUDIT_LOG_SIZE, mergeAuditEntries } from '../../../extension/audit/audit-log';
import { readTokenClaims } from '../../../extension/token/jwt-claims';
import type { AuditEntry } from '../../../relay/protocol/protocol';

const entry = (second: number, tool = 'get_appointments'): AuditEntry => ({
  at: new Date(Date.UTC(2025, 2, 1, 10, 0, second)).toISOString(),
  client: 'Claude Desktop',
  tool,
  scopes: ['read:data'],
  resourceIds: [],
  outcome: 'ok',
  durationMs: 12,
});

describe('latest tool calls', () => {
  it('keeps them newest first without duplicates when a relay resends', () => {
    const merged = mergeAuditEntries([entry(1), entry(2)], [entry(2), entry(3)]);
    expect(merged.map((e) => e.at.slice(17, 19))).toEqual(['03', '02', '01']);
  });

  it('keeps only the latest fifty', () => {
    const many = Array.from({ length: 60 }, (_, i) => entry(i % 60, `tool_${i}`));
    const merged = mergeAuditEntries([], many);
    expect(merged).toHaveLength(AUDIT_LOG_SIZE);
    expect(merged[0]?.tool).toBe('tool_59');
  });
});

describe('token claims', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  it('reads patient, scopes, expiry and id from a portal token', () => {
    const token = `${b64({ alg: 'RS256' })}.${b64({ sub: 'pat_1', scope: 'read:data book:appointments', exp: 1_800_000_000, jti: 'tok_1' })}.sig`;
    expect(readTokenClaims(token)).toEqual({
      patientId: 'pat_1',
      scopes: ['read:data', 'book:appointments'],
      expiresAt: new Date(1_800_000_000_000).toISOString(),
      tokenId: 'tok_1',
    });
  });

  it('reads nothing from what is not a token', () => {
    expect(readTokenClaims('not-a-token')).toBeNull();
    expect(readTokenClaims(`${b64({})}.${b64({ scope: 'read:data' })}.sig`)).toBeNull();
    expect(readTokenClaims('a.%%%.c')).toBeNull();
  });
});
