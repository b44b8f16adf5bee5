/**
 * The built relay, started over stdio as AI clients start it, paired with no terminal: with a
 * form, the relay shows its own code there and the patient types it into the extension; in the
 * chat, the patient tells the assistant the extension's code and compares the check values. And
 * the attack that code invites: a second relay, in another home, on another port of the range,
 * given the same code (the model leaked it) gets no pairing and no token, while the patient's
 * own relay pairs.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ElicitRequestSchema, type ElicitResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { extensionPool, pairingWatcher } from '../support/extension-in-node';
import { freePortRange } from '../support/free-ports';
import { RELAY_BIN, type StdioRelay, startStdioRelay } from '../support/stdio-relay';

const run = promisify(execFile);

const camille = DEMO_PATIENTS[0]!;
const SCOPES = ['read:data', 'book:appointments'];
const CODE_IN_TEXT = /\b([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})\b/;

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

async function newHome(): Promise<string> {
  const home = await mkdtemp(path.join(tmpdir(), 'hospiai-noterm-'));
  homes.push(home);
  return home;
}

/**
 * The extension as the background runs it, in Node over WebSockets with the real PBKDF2 cost:
 * its pool of relays (which gets the token once paired) and its pairing watcher.
 */
async function freshBrowser(ports: { first: number; last: number }) {
  const issued = await portal.issueToken({ email: camille.email, scopes: SCOPES });
  const portList = Array.from({ length: ports.last - ports.first + 1 }, (_, i) => ports.first + i);
  const tokensTo: number[] = [];
  const { pool, pairing, adopt } = extensionPool({
    ports: portList,
    portal: new URL(portal.url).origin,
    onReady: (readyPool, port) => {
      tokensTo.push(port);
      readyPool.send(port, {
        type: 'token',
        token: issued.token,
        tokenId: issued.id,
        source: 'auto',
        scopes: SCOPES,
        expiresAt: issued.expiresAt,
      });
    },
  });
  open.push({ close: () => pool.stop() });
  const { watcher } = pairingWatcher({ ports: portList, onPaired: adopt, intervalMs: 200 });
  open.push({ close: () => watcher.stopWatching() });
  return { pool, watcher, tokensTo, paired: pairing };
}

function track(relay: StdioRelay) {
  open.push(relay);
  return relay;
}

function envOf(home: string, ports: { env: string }) {
  return { HOSPIAI_URL: portal.url, HOSPIAI_MCP_HOME: home, HOSPIAI_MCP_PORTS: ports.env };
}

describe('a fresh install paired from the AI client, no terminal', () => {
  it('with a form: the relay shows its code there, the patient types it in the extension, the call is answered', async () => {
    const home = await newHome();
    const ports = await freePortRange(2);
    const browser = await freshBrowser(ports);
    const relay = track(
      await startStdioRelay({
        env: envOf(home, ports),
        clientName: 'Cursor',
        capabilities: { capabilities: { elicitation: { form: {} } } },
      }),
    );
    const forms: string[] = [];
    relay.client.setRequestHandler(ElicitRequestSchema, async (request) => {
      forms.push(request.params.message);
      const code = CODE_IN_TEXT.exec(request.params.message)?.[1] ?? '';
      expect((await browser.pool.pair(code)).ok).toBe(true);
      // The relay closes the form once the extension has the code; a patient presses nothing.
      return new Promise<ElicitResult>(() => {});
    });
    await relay.client.listTools();

    const result = await relay.call('get_appointments', { limit: 3 });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect((result.structuredContent as { appointments: unknown[] }).appointments.length).toBe(3);
    expect(forms).toHaveLength(1);

    // The code reached neither the model, nor a log, nor the home in clear.
    const code = CODE_IN_TEXT.exec(forms[0] ?? '')?.[1] ?? '';
    const files = await readdir(home);
    const onDisk = await Promise.all(
      files.map((f) => readFile(path.join(home, f), 'utf8').catch(() => '')),
    );
    for (const text of [JSON.stringify(result), relay.stderr.join(''), ...onDisk]) {
      expect(text).not.toContain(code.replace('-', ''));
      expect(text).not.toContain(code);
    }
  });

  it('in the chat: connect_extension answers with the check value, and the patient’s yes in the extension pairs', async () => {
    const home = await newHome();
    const ports = await freePortRange(2);
    const browser = await freshBrowser(ports);
    const { code } = await browser.watcher.start();
    const relay = track(
      await startStdioRelay({ env: envOf(home, ports), clientName: 'Claude Desktop' }),
    );
    await relay.client.listTools();

    const before = await relay.call('get_appointments');
    expect(before.isError).toBe(true);
    expect(JSON.stringify(before.content)).toMatch(/NOT_PAIRED.*connect_extension/);

    const told = await relay.call('connect_extension', { code });
    expect(told.isError, JSON.stringify(told.content)).toBeFalsy();
    const { checkValue } = told.structuredContent as { checkValue: string };
    await expect.poll(() => browser.watcher.view()?.candidate?.checkValue).toBe(checkValue);
    expect(browser.paired()).toBeNull();

    expect(await browser.watcher.confirm()).toBe('paired');
    await expect
      .poll(async () => (await relay.call('get_appointments', { limit: 1 })).isError, {
        timeout: 15_000,
      })
      .toBeFalsy();
    expect((await relay.call('connection_status')).structuredContent).toMatchObject({
      connected: true,
      extension: { paired: true },
    });
  });

  it('a second relay in another home, on another port, given the same code: no pairing, no token — the patient’s relay pairs', async () => {
    const ports = await freePortRange(3);
    const patientHome = await newHome();
    const impostorHome = await newHome();
    const browser = await freshBrowser(ports);
    const impostor = track(
      await startStdioRelay({ env: envOf(impostorHome, ports), clientName: 'Claude Desktop' }),
    );
    const patient = track(
      await startStdioRelay({ env: envOf(patientHome, ports), clientName: 'Claude Desktop' }),
    );
    await Promise.all([impostor.call('connection_status'), patient.call('connection_status')]);

    // The model leaked the code: the impostor proves it too. Nothing pairs; the code is void.
    const leaked = await browser.watcher.start();
    const [theirs, mine] = await Promise.all([
      impostor.call('connect_extension', { code: leaked.code }),
      patient.call('connect_extension', { code: leaked.code }),
    ]);
    expect(theirs.isError, JSON.stringify(theirs.content)).toBeFalsy();
    expect(mine.isError, JSON.stringify(mine.content)).toBeFalsy();
    await expect.poll(() => browser.watcher.view()?.status).toBe('conflict');
    expect(await browser.watcher.confirm()).toBe('not_waiting');

    // A new code the impostor answers alone (the model passed it on): its value is not the
    // one the patient's assistant shows — the patient's assistant shows none — so they decline.
    const second = await browser.watcher.start();
    const alone = await impostor.call('connect_extension', { code: second.code });
    const impostorValue = (alone.structuredContent as { checkValue: string }).checkValue;
    await expect.poll(() => browser.watcher.view()?.candidate?.checkValue).toBe(impostorValue);
    await browser.watcher.decline();

    // A third code, given to the patient's relay: its value matches, the patient confirms.
    const third = await browser.watcher.start();
    const told = await patient.call('connect_extension', { code: third.code });
    const value = (told.structuredContent as { checkValue: string }).checkValue;
    await expect.poll(() => browser.watcher.view()?.candidate?.checkValue).toBe(value);
    expect(await browser.watcher.confirm()).toBe('paired');

    await expect
      .poll(async () => (await patient.call('get_appointments', { limit: 1 })).isError, {
        timeout: 15_000,
      })
      .toBeFalsy();
    // The impostor's home has no pairing, its relay never proved itself, it holds no token.
    expect(await readdir(impostorHome)).not.toContain('pairings.json');
    const status = await impostor.call('connection_status');
    expect(status.structuredContent).toMatchObject({ extension: { paired: false } });
    expect((await impostor.call('get_appointments')).isError).toBe(true);
    const patientPort = (
      (await patient.call('connection_status')).structuredContent as {
        extension: { bridgePort: number };
      }
    ).extension.bridgePort;
    expect(new Set(browser.tokensTo)).toEqual(new Set([patientPort]));
    expect(impostor.stderr.join('')).not.toMatch(/token received/);
  });

  it('doctor, while the patient’s relay waits to be paired, calls it “your relay, not paired yet”', async () => {
    const home = await newHome();
    const ports = await freePortRange(2);
    const relay = track(await startStdioRelay({ env: envOf(home, ports), clientName: 'Cursor' }));
    await relay.call('connection_status');
    const { stdout } = await run(process.execPath, [RELAY_BIN, 'doctor'], {
      env: { PATH: process.env.PATH ?? '', ...envOf(home, ports) },
    }).catch((error: { stdout: string }) => error);
    expect(stdout).toMatch(/bridge port \d+: your relay, not paired yet/);
    expect(stdout).not.toMatch(/is not your relay|no relay is running/);
    expect(stdout).toMatch(/First broken link: pairing/);
    // The record of its port goes with the relay.
    await relay.close();
    await expect.poll(async () => readdir(path.join(home, 'relays'))).toEqual([]);
  });

  it('with the bundle’s install setting: HOSPIAI_PAIRING_CODE is told at start, the first call shows the check value', async () => {
    const home = await newHome();
    const ports = await freePortRange(2);
    const browser = await freshBrowser(ports);
    const { code } = await browser.watcher.start();
    const relay = track(
      await startStdioRelay({
        env: { ...envOf(home, ports), HOSPIAI_PAIRING_CODE: code },
        clientName: 'Claude Desktop',
      }),
    );
    await relay.client.listTools();
    await expect.poll(() => browser.watcher.view()?.status, { timeout: 15_000 }).toBe('check');
    const first = await relay.call('get_appointments', { limit: 1 });
    expect(JSON.stringify(first.content)).toContain(
      browser.watcher.view()?.candidate?.checkValue ?? 'none',
    );
    expect(await browser.watcher.confirm()).toBe('paired');
    await expect
      .poll(async () => (await relay.call('get_appointments', { limit: 1 })).isError, {
        timeout: 15_000,
      })
      .toBeFalsy();
    expect(relay.stderr.join('')).toMatch(/pairing with HOSPIAI_PAIRING_CODE.*"outcome":"check"/);
    expect(relay.stderr.join('')).not.toContain(code.replace('-', ''));
  });
});
