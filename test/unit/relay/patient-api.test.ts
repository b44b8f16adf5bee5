/**
 * Portal calls on the patient's behalf (relay/portal/patient-api.ts), against a stand-in portal
 * that answers by the token it is shown: a 401 asks the extension for a fresh token once and
 * retries once, never in a loop; and a write the patient confirms goes with the token it was
 * asked with, or a renewal of the same patient's — never another patient's.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import { ErrorCode, RelayError } from '../../../relay/errors';
import { translator } from '../../../relay/i18n/messages';
import { createLogger } from '../../../relay/logger';
import { PatientApi } from '../../../relay/portal/patient-api';
import { PortalClient } from '../../../relay/portal/portal-client';
import { portalPath } from '../../../relay/portal/portal-path';
import { toBase64Url } from '../../../relay/protocol/handshake-crypto';
import { TokenVault } from '../../../relay/token/token-vault';

const t = translator('en');
const Body = z.object({ ok: z.literal(true) });
const READ = { method: 'GET', path: portalPath`/appointments`, schema: Body } as const;

/** A token as the portal issues them (its signature is not checked here). */
function tokenOf(patient: string, id: string, expiresInS = 3600): string {
  const claims = {
    sub: patient,
    scope: 'read:data book:appointments',
    exp: Math.floor(Date.now() / 1000) + expiresInS,
    jti: id,
  };
  const part = (value: object) => toBase64Url(new TextEncoder().encode(JSON.stringify(value)));
  return `${part({ alg: 'RS256' })}.${part(claims)}.signature`;
}

/** A portal that says 401 `code` to the tokens in `refused`, and ok to the others. */
async function portalRefusing(refused: Map<string, string>) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    seen.push(token);
    req.resume();
    const code = refused.get(token);
    res.writeHead(code ? 401 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(code ? { error: 'no', code } : { ok: true }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function api(
  url: string,
  vault: TokenVault,
  renew: () => void = () => {},
  { canAsk = true, renewalWaitMs = 1_000 } = {},
) {
  const renewals: string[] = [];
  const client = new PortalClient({
    baseUrl: url,
    t,
    logger: createLogger({ level: 'error', write: () => {} }),
    retryBaseMs: 1,
  });
  onTestFinished(() => client.close());
  const patientApi = new PatientApi({
    vault,
    client,
    t,
    missingToken: () => new RelayError(ErrorCode.NO_TOKEN, 'no token'),
    requestRenewal: (reason) => {
      renewals.push(reason);
      if (!canAsk) return false;
      renew();
      return true;
    },
    renewalWaitMs,
  });
  return { patientApi, renewals };
}

const A1 = tokenOf('pat_camille', 'tok_a1');
const A2 = tokenOf('pat_camille', 'tok_a2');
const B1 = tokenOf('pat_lucas', 'tok_b1');

describe('portal calls for the patient', () => {
  it('an expired token is renewed through the extension once, and the call retried once', async () => {
    const portal = await portalRefusing(new Map([[A1, 'token_expired']]));
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    const { patientApi, renewals } = api(portal.url, vault, () =>
      setTimeout(() => vault.setFromExtension({ token: A2 }), 10),
    );
    await expect(patientApi.call('read:data', READ)).resolves.toEqual({ ok: true });
    expect(portal.seen).toEqual([A1, A2]);
    expect(renewals).toEqual(['token_expired']);
  });

  it('never loops: a renewed token refused too is the answer', async () => {
    const portal = await portalRefusing(
      new Map([
        [A1, 'token_expired'],
        [A2, 'token_expired'],
      ]),
    );
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    const { patientApi, renewals } = api(portal.url, vault, () =>
      setTimeout(() => vault.setFromExtension({ token: A2 }), 10),
    );
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_EXPIRED,
    });
    expect(portal.seen).toEqual([A1, A2]);
    expect(renewals).toHaveLength(1);
  });

  it('a token revoked while a newer one arrived is retried once with the newer one', async () => {
    const portal = await portalRefusing(new Map([[A1, 'token_revoked']]));
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    const { patientApi, renewals } = api(portal.url, vault);
    const pending = patientApi.call('read:data', READ);
    vault.setFromExtension({ token: A2 });
    await expect(pending).resolves.toEqual({ ok: true });
    expect(portal.seen).toEqual([A1, A2]);
    expect(renewals).toEqual([]);
  });
});

describe('what a 401 leads to', () => {
  it('a token the portal does not accept is renewed once too, the extension told it was invalid', async () => {
    const portal = await portalRefusing(new Map([[A1, 'no_such_token']]));
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    const { patientApi, renewals } = api(portal.url, vault, () =>
      setTimeout(() => vault.setFromExtension({ token: A2 }), 10),
    );
    await expect(patientApi.call('read:data', READ)).resolves.toEqual({ ok: true });
    expect(portal.seen).toEqual([A1, A2]);
    expect(renewals).toEqual(['invalid_token']);
  });

  it('HOSPIAI_TOKEN (not the extension’s) is never renewed: its 401 is the answer', async () => {
    const portal = await portalRefusing(new Map([[A1, 'token_expired']]));
    const vault = new TokenVault();
    vault.setFromEnvironment(A1);
    const { patientApi, renewals } = api(portal.url, vault);
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_EXPIRED,
    });
    expect(portal.seen).toEqual([A1]);
    expect(renewals).toEqual([]);
  });

  it('a revoked token is not renewed, and the next call is refused before any request', async () => {
    const portal = await portalRefusing(new Map([[A1, 'token_revoked']]));
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    const { patientApi, renewals } = api(portal.url, vault);
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_REVOKED,
    });
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_REVOKED,
    });
    expect(portal.seen).toEqual([A1]);
    expect(renewals).toEqual([]);
  });

  it('a renewal that does not arrive in time leaves the 401 as the answer, after one request', async () => {
    const portal = await portalRefusing(new Map([[A1, 'token_expired']]));
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    const { patientApi, renewals } = api(portal.url, vault, () => {}, { renewalWaitMs: 20 });
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_EXPIRED,
    });
    expect(portal.seen).toEqual([A1]);
    expect(renewals).toEqual(['token_expired']);
  });

  it('with no extension to ask, the 401 is the answer at once (no wait for a renewal)', async () => {
    const portal = await portalRefusing(new Map([[A1, 'token_expired']]));
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    // Waiting for a renewal nobody was asked for would outlast the test's timeout.
    const { patientApi } = api(portal.url, vault, () => {}, {
      canAsk: false,
      renewalWaitMs: 60_000,
    });
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_EXPIRED,
    });
    expect(portal.seen).toEqual([A1]);
  });

  it('a token past its expiry is renewed before any request: the portal only sees the new one', async () => {
    const portal = await portalRefusing(new Map());
    let clock = Date.now();
    const vault = new TokenVault(() => clock);
    vault.setFromExtension({ token: A1 });
    clock += 2 * 3600_000; // A1 expired an hour ago
    const fresh = tokenOf('pat_camille', 'tok_a3', 4 * 3600);
    const { patientApi, renewals } = api(portal.url, vault, () =>
      setTimeout(() => vault.setFromExtension({ token: fresh }), 10),
    );
    await expect(patientApi.call('read:data', READ)).resolves.toEqual({ ok: true });
    expect(portal.seen).toEqual([fresh]);
    expect(renewals).toEqual(['token_expired']);
  });
});

describe('a write pinned to the patient it was asked for', () => {
  it('goes with the token it was asked with, whatever the vault holds by then', async () => {
    const portal = await portalRefusing(new Map());
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    const { patientApi } = api(portal.url, vault);
    const asCamille = await patientApi.asPatient('book:appointments');
    expect(asCamille.patient).toBe('pat_camille');
    vault.setFromExtension({ token: B1 });
    await asCamille.call('book:appointments', READ);
    expect(portal.seen).toEqual([A1]);
  });

  it('takes a renewal of the same patient’s token, never another patient’s', async () => {
    const portal = await portalRefusing(new Map([[A1, 'token_revoked']]));
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    const { patientApi } = api(portal.url, vault);

    const sameOne = await patientApi.asPatient('book:appointments');
    vault.setFromExtension({ token: A2 });
    await expect(sameOne.call('book:appointments', READ)).resolves.toEqual({ ok: true });
    expect(portal.seen).toEqual([A1, A2]);

    vault.setFromExtension({ token: A1 });
    const asCamille = await patientApi.asPatient('book:appointments');
    vault.setFromExtension({ token: B1 });
    await expect(asCamille.call('book:appointments', READ)).rejects.toMatchObject({
      code: ErrorCode.NOT_CONFIRMED,
      details: { reason: 'patient_changed' },
    });
    // Lucas's token never reached the portal for it.
    expect(portal.seen).not.toContain(B1);
  });

  it('a renewal that brings another patient’s token after a 401 is NOT_CONFIRMED, never sent', async () => {
    const portal = await portalRefusing(new Map([[A1, 'token_expired']]));
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1 });
    const { patientApi, renewals } = api(portal.url, vault, () =>
      setTimeout(() => vault.setFromExtension({ token: B1 }), 10),
    );
    const asCamille = await patientApi.asPatient('book:appointments');
    await expect(asCamille.call('book:appointments', READ)).rejects.toMatchObject({
      code: ErrorCode.NOT_CONFIRMED,
      details: { reason: 'patient_changed' },
    });
    expect(renewals).toEqual(['token_expired']);
    expect(portal.seen).toEqual([A1]);
  });

  it('refuses a scope the pinned token lacks, before any request', async () => {
    const portal = await portalRefusing(new Map());
    const vault = new TokenVault();
    vault.setFromExtension({ token: A1.replace(/\.[^.]+\./, `.${tokenPayload('read:data')}.`) });
    const { patientApi } = api(portal.url, vault);
    const pinned = await patientApi.asPatient('read:data');
    await expect(pinned.call('book:appointments', READ)).rejects.toMatchObject({
      code: ErrorCode.INSUFFICIENT_SCOPE,
    });
    expect(portal.seen).toEqual([]);
  });
});

function tokenPayload(scope: string): string {
  const claims = { sub: 'pat_camille', scope, exp: Math.floor(Date.now() / 1000) + 3600 };
  return toBase64Url(new TextEncoder().encode(JSON.stringify(claims)));
}
