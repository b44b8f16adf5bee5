import { describe, expect, it } from 'vitest';
import { PortalError } from '../../sandbox/errors';
import { PATIENTS } from '../../sandbox/seed-data';
import { TokenService } from '../../sandbox/token-service';

const patient = PATIENTS[0]!;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return error instanceof PortalError ? error.code : `unexpected ${String(error)}`;
  }
}

describe('sandbox token service', () => {
  it('rejects its own signature with the wrong issuer or audience as invalid_token', async () => {
    const service = await TokenService.create();
    const { record } = await service.issue({
      patient,
      name: 't',
      scopes: ['read:data'],
      expiresInSeconds: 600,
    });
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: patient.id, scope: 'read:data' };
    const base = { jti: record.id, iat: now, exp: now + 600 };
    expect(await codeOf(service.verify(await service.sign(claims, base)))).toBe('accepted');
    expect(await codeOf(service.verify(await service.sign(claims, { ...base, iss: 'evil' })))).toBe(
      'invalid_token',
    );
    expect(
      await codeOf(service.verify(await service.sign(claims, { ...base, aud: 'other-api' }))),
    ).toBe('invalid_token');
  });

  it('rejects a jti it never issued and a sub that is not the token owner', async () => {
    const service = await TokenService.create();
    const { record } = await service.issue({
      patient,
      name: 't',
      scopes: ['read:data'],
      expiresInSeconds: 600,
    });
    const now = Math.floor(Date.now() / 1000);
    const unknown = await service.sign(
      { sub: patient.id },
      { jti: 'tok_unknown', iat: now, exp: now + 60 },
    );
    expect(await codeOf(service.verify(unknown))).toBe('invalid_token');
    const otherSub = await service.sign(
      { sub: PATIENTS[1]!.id },
      { jti: record.id, iat: now, exp: now + 60 },
    );
    expect(await codeOf(service.verify(otherSub))).toBe('invalid_token');
  });

  it('lists a patient’s live tokens without the secret and drops revoked ones', async () => {
    const service = await TokenService.create();
    const a = await service.issue({
      patient,
      name: 'a',
      scopes: ['read:data'],
      expiresInSeconds: 600,
    });
    const b = await service.issue({
      patient,
      name: 'b',
      scopes: ['read:data'],
      expiresInSeconds: 600,
    });
    service.revoke(a.record.id);
    expect(service.listFor(patient.id).map((r) => r.id)).toEqual([b.record.id]);
    expect(JSON.stringify(service.listFor(patient.id))).not.toContain(b.token);
    expect(service.listFor(PATIENTS[1]!.id)).toEqual([]);
  });
});
