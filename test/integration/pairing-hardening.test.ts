/**
 * The built relay, started over stdio as AI clients start it, against what a hostile local
 * program or a prompt-injected model can do around pairing and delivery:
 * - refuse the told code while posing as the extension: nothing changes, no number is shown;
 * - hand connect_extension a code of its choice: the code `hospiai-mcp pair` printed still pairs;
 * - start the patient's own relay against another portal: it gets no token, and says why.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PendingCode } from '../../extension/bridge/pending-code';
import { newPendingCode } from '../../extension/bridge/pending-code';
import { randomNonce } from '../../relay/protocol/handshake-crypto';
import { PROTOCOL_VERSION } from '../../relay/protocol/protocol';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { openRawConnection } from '../support/bridge-test-client';
import { extensionPool, pairingWatcher } from '../support/extension-in-node';
import { freePortRange } from '../support/free-ports';
import { RELAY_BIN, type StdioRelay, startStdioRelay } from '../support/stdio-relay';

const run = promisify(execFile);
const camille = DEMO_PATIENTS[0]!;

let portal: SandboxPortal;
const open: Array<{ close(): unknown }> = [];
const homes: string[] = [];

beforeAll(async () => {
  portal = await startSandboxPortal();
});
afterAll(async () => {
  await portal.close();
  await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
});
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((c) => c.close()));
});

async function relayAt(options: { portalUrl?: string; clientName?: string } = {}) {
  const home = await mkdtemp(path.join(tmpdir(), 'hospiai-hardening-'));
  homes.push(home);
  const ports = await freePortRange(1);
  const env = {
    HOSPIAI_URL: options.portalUrl ?? portal.url,
    HOSPIAI_MCP_HOME: home,
    HOSPIAI_MCP_PORTS: ports.env,
  };
  const relay: StdioRelay = await startStdioRelay({ env, clientName: options.clientName });
  open.push(relay);
  await relay.call('connection_status');
  return { relay, home, port: ports.first, env };
}

function watcherWith(port: number, pending: PendingCode) {
  const { watcher } = pairingWatcher({ ports: [port], initial: pending, intervalMs: 200 });
  open.push({ close: () => watcher.stopWatching() });
  return watcher;
}

/**
 * Poses as the extension once, asking to pair with a code it made: whether the relay offered
 * a told code — which it then refuses, with `refuse`.
 */
async function askToPair(port: number, refuse = false): Promise<boolean> {
  const fake = await openRawConnection(port);
  fake.send({
    type: 'hello',
    v: PROTOCOL_VERSION,
    mode: 'pair',
    nonce: randomNonce(),
    codeMadeBy: 'extension',
  });
  const answer = (await fake.nextMessage().catch(() => null)) as { type?: string } | null;
  const offered = answer?.type === 'challenge';
  if (offered && refuse) fake.send({ type: 'pair_refused', reason: 'code_mismatch' });
  await fake.close();
  return offered;
}

describe('pairing and delivery against a hostile program or model', () => {
  it('a program posing as the extension refuses the told code: the relay changes nothing and shows no number', async () => {
    const { relay, home, port } = await relayAt();
    const pending = newPendingCode();
    const told = relay.call('connect_extension', { code: pending.code });
    // As soon as the relay offers the code (once stretched), the program asks to pair and
    // refuses it.
    await expect.poll(() => askToPair(port, true), { timeout: 15_000 }).toBe(true);
    const result = await told;
    expect(JSON.stringify(result.content)).toMatch(
      /NOT_PAIRED: The HospiAI extension did not recognise/,
    );
    expect(JSON.stringify(result)).not.toMatch(/tries|\b\d+ left/);
    // Nothing of it in the home, and the code is still offered: the real extension gets there.
    expect(await readdir(home)).not.toContain('pending-pairing.json');
    const watcher = watcherWith(port, pending);
    await watcher.resume();
    await expect.poll(() => watcher.view()?.status, { timeout: 15_000 }).toBe('check');
  });

  it('connect_extension with any code leaves the code `hospiai-mcp pair` printed alive', async () => {
    const { relay, home, port, env } = await relayAt();
    const { stdout } = await run(process.execPath, [RELAY_BIN, 'pair'], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    const printed = /\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b/.exec(stdout)?.[1];
    if (!printed) throw new Error(`no code in: ${stdout}`);
    // The model calls the tool with codes of its own, several times (each waits for an
    // extension that never comes; the relay closes at the end of the test).
    for (const code of ['AAAA-AAAA', 'BBBB-BBBB']) {
      void relay.call('connect_extension', { code }).catch(() => {});
    }
    await expect.poll(() => askToPair(port), { timeout: 15_000 }).toBe(true);
    expect(await readdir(home)).toContain('pending-pairing.json');
    const { pool } = extensionPool({ ports: [port], portal: new URL(portal.url).origin });
    open.push({ close: () => pool.stop() });
    expect(await pool.pair(printed)).toEqual({ ok: true, port });
  });

  it('the patient’s relay started against another portal gets no token and says why', async () => {
    const elsewhere = 'http://127.0.0.1:9';
    const { relay, env, port } = await relayAt({ portalUrl: elsewhere });
    const { stdout } = await run(process.execPath, [RELAY_BIN, 'pair'], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    const code = /\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b/.exec(stdout)?.[1] ?? '';
    const issued = await portal.issueToken({ email: camille.email, scopes: ['read:data'] });
    const ready: number[] = [];
    const { pool } = extensionPool({
      ports: [port],
      portal: new URL(portal.url).origin,
      onReady: (readyPool, readyPort) => {
        ready.push(readyPort);
        readyPool.send(readyPort, {
          type: 'token',
          token: issued.token,
          tokenId: issued.id,
          source: 'auto',
          scopes: ['read:data'],
          expiresAt: issued.expiresAt,
        });
      },
    });
    open.push({ close: () => pool.stop() });
    expect((await pool.pair(code)).ok).toBe(true);
    await pool.start();
    await expect.poll(() => pool.views()[0]?.state, { timeout: 15_000 }).toBe('wrong_portal');
    expect(pool.views()[0]?.relayPortal).toBe(elsewhere);
    expect(ready).toEqual([]);
    const answer = await relay.call('get_appointments');
    expect(JSON.stringify(answer.content)).toMatch(
      /NO_TOKEN: This HospiAI relay is set up for the portal http:\/\/127\.0\.0\.1:9, but your HospiAI browser extension uses another portal/,
    );
    expect(relay.stderr.join('')).not.toMatch(/token received/);
  });
});
