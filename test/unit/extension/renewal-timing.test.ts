import { describe, expect, it } from 'vitest';
import { isExpired, renewalDelay, renewalDueAt } from '../../../extension/token/renewal-timing';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

describe('token renewal timing', () => {
  it('renews a one-day token two hours before it expires', () => {
    const token = { createdAt: '2025-01-01T00:00:00Z', expiresAt: '2025-01-02T00:00:00Z' };
    expect(renewalDueAt(token)).toBe(at('2025-01-02T00:00:00Z') - 2 * HOUR);
  });

  it('renews a short-lived token when a quarter of its life remains', () => {
    const token = { createdAt: '2025-01-01T00:00:00Z', expiresAt: '2025-01-01T00:00:40Z' };
    expect(renewalDueAt(token)).toBe(at('2025-01-01T00:00:30Z'));
  });

  it('never renews a token in its first seconds, even a very short one', () => {
    const token = { createdAt: '2025-01-01T00:00:00Z', expiresAt: '2025-01-01T00:00:02Z' };
    expect(renewalDueAt(token)).toBe(at('2025-01-01T00:00:05Z'));
  });

  it('counts down to the renewal and reports zero once it is due', () => {
    const token = { createdAt: '2025-01-01T00:00:00Z', expiresAt: '2025-01-01T00:00:40Z' };
    expect(renewalDelay(token, at('2025-01-01T00:00:10Z'))).toBe(20_000);
    expect(renewalDelay(token, at('2025-01-01T00:00:35Z'))).toBe(0);
  });

  it('treats a token as expired from its expiry instant on', () => {
    const token = { expiresAt: '2025-01-01T00:00:40Z' };
    expect(isExpired(token, at('2025-01-01T00:00:39.999Z'))).toBe(false);
    expect(isExpired(token, at('2025-01-01T00:00:40Z'))).toBe(true);
  });
});
