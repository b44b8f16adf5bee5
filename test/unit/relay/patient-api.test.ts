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

interface Setup {
  /** The 401 code the portal answers each of these tokens with; it answers ok to the others. */
  refused?: Record<string, string>;
  /** The token the extension delivered before the call (default A1). */
  held?: string;
  /** Held as HOSPIAI_TOKEN instead of from the extension. */
  fromEnvironment?: boolean;
  /** What the extension delivers once asked to renew, on a later turn (as over the bridge). */
  renewsWith?: string;
  /** Whether an extension is there to ask (default yes). */
  canAsk?: boolean;
  renewalWaitMs?: number;
  /** The vault's clock. */
  now?: () => number;
}

/** A portal refusing `refused`, a vault holding `held`, and the patient's API between them. */
async function patientApiWith(setup: Setup = {}) {
  const portal = await portalRefusing(new Map(Object.entries(setup.refused ?? {})));
  const vault = new TokenVault(setup.now);
  const held = setup.held ?? A1;
  if (setup.fromEnvironment) vault.setFromEnvironment(held);
  else vault.setFromExtension({ token: held });
  const renewals: string[] = [];
  const client = new PortalClient({
    baseUrl: portal.url,
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
      if (setup.canAsk === false) return false;
      const renewed = setup.renewsWith;
      if (renewed) setImmediate(() => vault.setFromExtension({ token: renewed }));
      return true;
    },
    renewalWaitMs: setup.renewalWaitMs ?? 1_000,
  });
  return { patientApi, renewals, vault, seen: portal.seen };
}

const A1 = tokenOf('pat_camille', 'tok_a1');
const A2 = tokenOf('pat_camille', 'tok_a2');
const B1 = tokenOf('pat_lucas', 'tok_b1');

describe('portal calls for the patient', () => {
  it('an expired token is renewed through the extension once, and the call retried once', async () => {
    const { patientApi, renewals, seen } = await patientApiWith({
      refused: { [A1]: 'token_expired' },
      renewsWith: A2,
    });
    await expect(patientApi.call('read:data', READ)).resolves.toEqual({ ok: true });
    expect(seen).toEqual([A1, A2]);
    expect(renewals).toEqual(['token_expired']);
  });

  it('never loops: a renewed token refused too is the answer', async () => {
    const { patientApi, renewals, seen } = await patientApiWith({
      refused: { [A1]: 'token_expired', [A2]: 'token_expired' },
      renewsWith: A2,
    });
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_EXPIRED,
    });
    expect(seen).toEqual([A1, A2]);
    expect(renewals).toHaveLength(1);
  });

  it('a token revoked while a newer one arrived is retried once with the newer one', async () => {
    const { patientApi, renewals, vault, seen } = await patientApiWith({
      refused: { [A1]: 'token_revoked' },
    });
    const pending = patientApi.call('read:data', READ);
    vault.setFromExtension({ token: A2 });
    await expect(pending).resolves.toEqual({ ok: true });
    expect(seen).toEqual([A1, A2]);
    expect(renewals).toEqual([]);
  });
});

describe('what a 401 leads to', () => {
  it('a token the portal does not accept is renewed once too, the extension told it was invalid', async () => {
    const { patientApi, renewals, seen } = await patientApiWith({
      refused: { [A1]: 'no_such_token' },
      renewsWith: A2,
    });
    await expect(patientApi.call('read:data', READ)).resolves.toEqual({ ok: true });
    expect(seen).toEqual([A1, A2]);
    expect(renewals).toEqual(['invalid_token']);
  });

  it('HOSPIAI_TOKEN (not the extension’s) is never renewed: its 401 is the answer', async () => {
    const { patientApi, renewals, seen } = await patientApiWith({
      refused: { [A1]: 'token_expired' },
      fromEnvironment: true,
    });
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_EXPIRED,
    });
    expect(seen).toEqual([A1]);
    expect(renewals).toEqual([]);
  });

  it('a revoked token is not renewed, and the next call is refused before any request', async () => {
    const { patientApi, renewals, seen } = await patientApiWith({
      refused: { [A1]: 'token_revoked' },
    });
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_REVOKED,
    });
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_REVOKED,
    });
    expect(seen).toEqual([A1]);
    expect(renewals).toEqual([]);
  });

  it('a renewal that does not arrive in time leaves the 401 as the answer, after one request', async () => {
    const { patientApi, renewals, seen } = await patientApiWith({
      refused: { [A1]: 'token_expired' },
      renewalWaitMs: 20,
    });
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_EXPIRED,
    });
    expect(seen).toEqual([A1]);
    expect(renewals).toEqual(['token_expired']);
  });

  it('with no extension to ask, the 401 is the answer at once (no wait for a renewal)', async () => {
    // Waiting for a renewal nobody was asked for would outlast the test's timeout.
    const { patientApi, seen } = await patientApiWith({
      refused: { [A1]: 'token_expired' },
      canAsk: false,
      renewalWaitMs: 60_000,
    });
    await expect(patientApi.call('read:data', READ)).rejects.toMatchObject({
      code: ErrorCode.TOKEN_EXPIRED,
    });
    expect(seen).toEqual([A1]);
  });

  it('a token past its expiry is renewed before any request: the portal only sees the new one', async () => {
    let clock = Date.now();
    const fresh = tokenOf('pat_camille', 'tok_a3', 4 * 3600);
    const { patientApi, renewals, seen } = await patientApiWith({
      renewsWith: fresh,
      now: () => clock,
    });
    clock += 2 * 3600_000; // A1 expired an hour ago
    await expect(patientApi.call('read:data', READ)).resolves.toEqual({ ok: true });
    expect(seen).toEqual([fresh]);
    expect(renewals).toEqual(['token_expired']);
  });
});

describe('a write pinned to the patient it was asked for', () => {
  it('goes with the token it was asked with, whatever the vault holds by then', async () => {
    const { patientApi, vault, seen } = await patientApiWith();
    const asCamille = await patientApi.asPatient('book:appointments');
    expect(asCamille.patient).toBe('pat_camille');
    vault.setFromExtension({ token: B1 });
    await asCamille.call('book:appointments', READ);
    expect(seen).toEqual([A1]);
  });

  it('takes a renewal of the same patient’s token, never another patient’s', async () => {
    const { patientApi, vault, seen } = await patientApiWith({
      refused: { [A1]: 'token_revoked' },
    });

    const sameOne = await patientApi.asPatient('book:appointments');
    vault.setFromExtension({ token: A2 });
    await expect(sameOne.call('book:appointments', READ)).resolves.toEqual({ ok: true });
    expect(seen).toEqual([A1, A2]);

    vault.setFromExtension({ token: A1 });
    const asCamille = await patientApi.asPatient('book:appointments');
    vault.setFromExtension({ token: B1 });
    await expect(asCamille.call('book:appointments', READ)).rejects.toMatchObject({
      code: ErrorCode.NOT_CONFIRMED,
      details: { reason: 'patient_changed' },
    });
    // Lucas's token never reached the portal for it.
    expect(seen).not.toContain(B1);
  });

  it('a renewal that brings another patient’s token after a 401 is NOT_CONFIRMED, never sent', async () => {
    const { patientApi, renewals, seen } = await patientApiWith({
      refused: { [A1]: 'token_expired' },
      renewsWith: B1,
    });
    const asCamille = await patientApi.asPatient('book:appointments');
    await expect(asCamille.call('book:appointments', READ)).rejects.toMatchObject({
      code: ErrorCode.NOT_CONFIRMED,
      details: { reason: 'patient_changed' },
    });
    expect(renewals).toEqual(['token_expired']);
    expect(seen).toEqual([A1]);
  });

  it('refuses a scope the pinned token lacks, before any request', async () => {
    const { patientApi, seen } = await patientApiWith({
      held: A1.replace(/\.[^.]+\./, `.${tokenPayload('read:data')}.`),
    });
    const pinned = await patientApi.asPatient('read:data');
    await expect(pinned.call('book:appointments', READ)).rejects.toMatchObject({
      code: ErrorCode.INSUFFICIENT_SCOPE,
    });
    expect(seen).toEqual([]);
  });
});

function tokenPayload(scope: string): string {
  const claims = { sub: 'pat_camille', scope, exp: Math.floor(Date.now() / 1000) + 3600 };
  return toBase64Url(new TextEncoder().encode(JSON.stringify(claims)));
}
