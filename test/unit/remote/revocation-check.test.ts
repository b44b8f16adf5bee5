/**
 * The remote mode's revocation check, with the portal's /validate faked and the clock injected:
 * a verdict lasts its TTL (at most 30 s), concurrent checks share one portal request, and a
 * portal that cannot answer refuses the request without caching anything (fail closed).
 */
import { describe, expect, it } from 'vitest';
import { ErrorCode, RelayError } from '../../../relay/errors';
import type { PortalClient } from '../../../relay/portal/portal-client';
import { BearerRefused } from '../../../relay/remote/bearer';
import { createRevocationCheck } from '../../../relay/remote/revocation-check';

function fakePortal(answer: () => Promise<unknown>) {
  const asked: string[] = [];
  const portal = {
    async call(request: { token?: string }) {
      asked.push(request.token ?? '');
      return answer();
    },
  } as unknown as PortalClient;
  return { portal, asked };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error as BearerRefused,
  );

describe('revocation check (remote mode)', () => {
  it('asks the portal once per token id within the TTL, and again after it', async () => {
    const clock = { now: 0 };
    const { portal, asked } = fakePortal(async () => ({ valid: true }));
    const check = createRevocationCheck({ portal, ttlMs: 10_000, now: () => clock.now });
    await Promise.all([check.check('t1', 'tok_1'), check.check('t1', 'tok_1')]);
    await check.check('t1', 'tok_1');
    expect(asked).toEqual(['t1']);
    clock.now = 10_001;
    await check.check('t1', 'tok_1');
    expect(asked).toEqual(['t1', 't1']);
  });

  it('remembers a revocation for the TTL: the token stays refused', async () => {
    const clock = { now: 0 };
    let revoked = false;
    const { portal, asked } = fakePortal(async () => {
      if (revoked) throw new RelayError(ErrorCode.TOKEN_REVOKED, 'revoked');
      return { valid: true };
    });
    const check = createRevocationCheck({ portal, ttlMs: 1_000, now: () => clock.now });
    await check.check('t1', 'tok_1');
    revoked = true;
    clock.now = 1_500;
    const first = await refusal(check.check('t1', 'tok_1'));
    expect(first).toBeInstanceOf(BearerRefused);
    expect(first?.reason).toBe('the token was revoked');
    clock.now = 2_000;
    expect((await refusal(check.check('t1', 'tok_1')))?.reason).toBe('the token was revoked');
    expect(asked).toHaveLength(2);
  });

  it('fails closed when the portal cannot answer, and caches nothing', async () => {
    let reachable = false;
    const { portal, asked } = fakePortal(async () => {
      if (!reachable) throw new RelayError(ErrorCode.PORTAL_UNREACHABLE, 'down');
      return { valid: true };
    });
    const check = createRevocationCheck({ portal, ttlMs: 10_000, now: () => 0 });
    const refused = await refusal(check.check('t1', 'tok_1'));
    expect(refused).toMatchObject({ error: 'temporarily_unavailable' });
    reachable = true;
    await expect(check.check('t1', 'tok_1')).resolves.toBeUndefined();
    expect(asked).toHaveLength(2);
  });

  it('never keeps a verdict longer than 30 s, whatever it is configured with', () => {
    const { portal } = fakePortal(async () => ({ valid: true }));
    expect(createRevocationCheck({ portal, ttlMs: 600_000 }).ttlMs).toBe(30_000);
  });
});
