/**
 * The remote mode's bearer verification, against a real JWKS endpoint on loopback and tokens
 * signed as the portal signs them: what is accepted, what is refused and why, and that
 * remembering a verified signature is never more lenient than verifying again.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BearerRefused } from '../../../relay/remote/bearer';
import { createBearerVerifier } from '../../../relay/remote/bearer-verifier';
import type { RevocationCheck } from '../../../relay/remote/revocation-check';
import { createVerifiedSignatures } from '../../../relay/remote/verified-signatures';

type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

let server: Server;
let portalUrl: string;
let signingKey: Key;
let otherKey: Key;
let published: JWK[] = [];

beforeAll(async () => {
  const portalPair = await generateKeyPair('RS256', { extractable: true });
  const strangerPair = await generateKeyPair('RS256', { extractable: true });
  signingKey = portalPair.privateKey;
  otherKey = strangerPair.privateKey;
  published = [{ ...(await exportJWK(portalPair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }];
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  portalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function sign(
  claims: Record<string, unknown>,
  { key = signingKey, exp, aud = 'hospiai-mcp' }: { key?: Key; exp: number; aud?: string },
) {
  return new SignJWT({ scope: 'read:data book:appointments', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer('hospiai-api')
    .setAudience(aud)
    .setSubject('pat_001')
    .setJti(`tok_${Math.random().toString(36).slice(2)}`)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key);
}

function verifierAt(clock: { now: number }) {
  const revoked = new Set<string>();
  const checked: string[] = [];
  const revocation: RevocationCheck = {
    async check(_token: string, tokenId: string) {
      checked.push(tokenId);
      if (revoked.has(tokenId)) throw new BearerRefused('invalid_token', 'the token was revoked');
    },
  } as RevocationCheck;
  const verifier = createBearerVerifier({
    portalUrl,
    revocation,
    verifiedMaxAgeMs: 60_000,
    now: () => clock.now,
  });
  return { verifier, revoked, checked };
}

const seconds = (ms: number) => Math.floor(ms / 1000);

describe('bearer verification (remote mode)', () => {
  it('accepts a portal-signed token, and names its patient, id and known scopes', async () => {
    const clock = { now: Date.now() };
    const { verifier } = verifierAt(clock);
    const token = await sign({ scope: 'read:data admin:all' }, { exp: seconds(clock.now) + 600 });
    const bearer = await verifier.verify(`Bearer ${token}`);
    expect(bearer).toMatchObject({ patientId: 'pat_001', scopes: ['read:data'] });
    expect(bearer.tokenId).toMatch(/^tok_/);
  });

  it('refuses a missing bearer, another key, another audience and a tampered signature', async () => {
    const clock = { now: Date.now() };
    const { verifier } = verifierAt(clock);
    const exp = seconds(clock.now) + 600;
    const good = await sign({}, { exp });
    const refusals = await Promise.all(
      [
        undefined,
        'Basic abc',
        `Bearer ${await sign({}, { exp, key: otherKey })}`,
        `Bearer ${await sign({}, { exp, aud: 'another-api' })}`,
        `Bearer ${good.slice(0, -4)}AAAA`,
      ].map((header) =>
        verifier.verify(header).then(
          () => null,
          (error: unknown) => error,
        ),
      ),
    );
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(BearerRefused);
    expect(refusals.map((r) => (r as BearerRefused).reason)).toEqual([
      'a Bearer token is required',
      'a Bearer token is required',
      'the token signature is invalid',
      "the token's aud claim is not accepted here",
      'the token signature is invalid',
    ]);
  });

  it('a remembered signature ends at the token’s expiry: the same token is refused after it', async () => {
    const clock = { now: Date.now() };
    const { verifier } = verifierAt(clock);
    const token = await sign({}, { exp: seconds(clock.now) + 30 });
    await verifier.verify(`Bearer ${token}`);
    clock.now += 29_000;
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({
      patientId: 'pat_001',
    });
    // 35 s: past expiry (and its 5 s tolerance), well inside the 60 s a signature is remembered.
    clock.now += 6_000;
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toMatchObject({
      reason: 'the token has expired',
    });
  });

  it('asks about revocation on every request, remembered signature or not', async () => {
    const clock = { now: Date.now() };
    const { verifier, revoked, checked } = verifierAt(clock);
    const token = await sign({}, { exp: seconds(clock.now) + 600 });
    const first = await verifier.verify(`Bearer ${token}`);
    await verifier.verify(`Bearer ${token}`);
    expect(checked).toEqual([first.tokenId, first.tokenId]);
    revoked.add(first.tokenId);
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toMatchObject({
      reason: 'the token was revoked',
    });
  });

  it('trusts a remembered signature for at most its max age: a withdrawn key then stops it', async () => {
    const clock = { now: Date.now() };
    const { verifier } = verifierAt(clock);
    const token = await sign({}, { exp: seconds(clock.now) + 3_600 });
    await verifier.verify(`Bearer ${token}`);
    const keys = published;
    published = [];
    try {
      clock.now += 61_000;
      // The key set is cached by jose for its own max age; the signature must be checked again,
      // and against the keys the portal publishes now.
      await verifier.loadKeys();
      await expect(verifier.verify(`Bearer ${token}`)).rejects.toMatchObject({
        reason: 'the token is not signed by a HospiAI key',
      });
    } finally {
      published = keys;
    }
  });
});

describe('remembered signatures', () => {
  it('hold at most maxEntries, oldest out first, and never past their claims’ expiry', () => {
    let now = 1_000_000;
    const cache = createVerifiedSignatures<{ exp: number }>({
      maxEntries: 2,
      maxAgeMs: 60_000,
      expiresAt: (c) => c.exp,
      now: () => now,
    });
    cache.remember('a', { exp: 2_000 });
    cache.remember('b', { exp: 2_000 });
    cache.remember('c', { exp: 2_000 });
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toEqual({ exp: 2_000 });
    cache.remember('expired', { exp: 999 });
    expect(cache.get('expired')).toBeUndefined();
    now = 1_061_000;
    expect(cache.get('c')).toBeUndefined();
  });
});
