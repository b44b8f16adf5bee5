import { describe, expect, it } from 'vitest';
import { readTokenClaims } from '../../../relay/protocol/token-claims';

describe('token claims', () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

  it('reads patient, scopes, expiry and id from a portal token', () => {
    const token = `${b64({ alg: 'RS256' })}.${b64({ sub: 'pat_1', scope: 'read:data book:appointments', exp: 1_800_000_000, jti: 'tok_1' })}.sig`;
    expect(readTokenClaims(token)).toEqual({
      subject: 'pat_1',
      scopes: ['read:data', 'book:appointments'],
      expiresAt: new Date(1_800_000_000_000).toISOString(),
      tokenId: 'tok_1',
    });
  });

  it('reads nothing from what is not a token', () => {
    expect(readTokenClaims('not-a-token')).toBeNull();
    expect(readTokenClaims(`${b64({})}.${b64('not an object')}.sig`)).toBeNull();
    expect(readTokenClaims('a.%%%.c')).toBeNull();
  });

  it('says when a token names no patient, so that no patient check can pass', () => {
    expect(readTokenClaims(`${b64({})}.${b64({ scope: 'read:data' })}.sig`)?.subject).toBeNull();
  });
});
