/**
 * The built relay, started over stdio as AI clients start it, paired with no terminal: the
 * extension (its real pending-pairing watcher, in Node over WebSockets, with the real PBKDF2
 * cost) shows a code; the patient gives it through the client's elicitation form, or tells the
 * assistant, which passes it to connect_extension; the first tool call is then answered.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PendingCode } from '../../extension/bridge/pending-code';
import { PendingPairing } from '../../extension/bridge/pending-pairing';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { connectToRelay, EXTENSION_ORIGIN } from '../support/bridge-test-client';
import { freePortRange } from '../support/free-ports';
import { RELAY_BIN, type StdioRelay, startStdioRelay } from '../support/stdio-relay';

const run = promisify(execFile);

const camille = DEMO_PATIENTS[0]!;
const SCOPES = ['read:data', 'book:appointments'];

let portal: SandboxPortal;
const open: Array<{ close(): Promise<unknown> }> = [];
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

/** A fresh home and port range, and an extension showing a code, that delivers a token once paired. */
async function freshInstall() {
  const home = await mkdtemp(path.join(tmpdir(), 'hospiai-noterm-'));
  homes.push(home);
  const ports = await freePortRange(2);
  const issued = await portal.issueToken({ email: camille.email, scopes: SCOPES });
  let stored: PendingCode | null = null;
  const extension = new PendingPairing({
    ports: [ports.first, ports.last],
    createSocket: (url) => new WebSocket(url, { origin: EXTENSION_ORIGIN }),
    store: {
      get: async () => stored,
      set: async (value) => {
        stored = value;
      },
      remove: async () => {
        stored = null;
      },
    },
    onPaired: async (pairing, port) => {
      const session = await connectToRelay(port, pairing);
      open.push(session);
      session.send({
        type: 'token',
        token: issued.token,
        tokenId: issued.id,
        source: 'auto',
        scopes: SCOPES,
        expiresAt: issued.expiresAt,
      });
    },
    onChange: () => {},
    intervalMs: 200,
  });
  open.push({ close: async () => extension.stopWatching() });
  const { code } = await extension.start();
  const env = { HOSPIAI_URL: portal.url, HOSPIAI_MCP_HOME: home, HOSPIAI_MCP_PORTS: ports.env };
  return { home, env, code, extension, token: issued.token };
}

/** Waits for `done`, checking every 100 ms, up to a deadline meant for a loaded machine. */
async function until(done: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

function track(relay: StdioRelay) {
  open.push(relay);
  return relay;
}

describe('a fresh install paired from the AI client, no terminal', () => {
  it('with elicitation: the client’s form asks for the code, the first tool call is answered', async () => {
    const install = await freshInstall();
    const relay = track(
      await startStdioRelay({
        env: install.env,
        clientName: 'Cursor',
        capabilities: { capabilities: { elicitation: { form: {} } } },
      }),
    );
    const forms: string[] = [];
    relay.client.setRequestHandler(ElicitRequestSchema, async (request) => {
      forms.push(request.params.message);
      return { action: 'accept', content: { code: install.code } };
    });
    await relay.client.listTools();

    const result = await relay.call('get_appointments', { limit: 3 });
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect((result.structuredContent as { appointments: unknown[] }).appointments.length).toBe(3);
    expect(forms).toHaveLength(1);
    expect(install.extension.view()).toBeNull();

    // The code reached neither the model, nor a log, nor the home in clear.
    const bare = install.code.replace('-', '');
    const files = await readdir(install.home);
    const onDisk = await Promise.all(
      files.map((f) => readFile(path.join(install.home, f), 'utf8').catch(() => '')),
    );
    for (const text of [JSON.stringify(result), relay.stderr.join(''), ...onDisk]) {
      expect(text).not.toContain(bare);
      expect(text).not.toContain(install.code);
    }
  });

  it('without elicitation: the assistant passes the code the patient told it to connect_extension', async () => {
    const install = await freshInstall();
    const relay = track(await startStdioRelay({ env: install.env, clientName: 'Claude Desktop' }));

    const before = await relay.call('get_appointments');
    expect(before.isError).toBe(true);
    expect(JSON.stringify(before.content)).toMatch(/^.*NOT_PAIRED.*connect_extension/);

    const connected = await relay.call('connect_extension', { code: install.code });
    expect(connected.isError, JSON.stringify(connected.content)).toBeFalsy();
    expect(connected.structuredContent).toMatchObject({ paired: true });

    let answer = await relay.call('get_appointments', { limit: 1 });
    await until(async () => {
      answer = await relay.call('get_appointments', { limit: 1 });
      return !answer.isError;
    });
    expect(answer.isError, JSON.stringify(answer.content)).toBeFalsy();
    await relay.client.listTools();
    expect((await relay.call('connection_status')).structuredContent).toMatchObject({
      connected: true,
      extension: { paired: true },
    });
  });

  it('doctor, while the patient’s relay waits to be paired, calls it “your relay, not paired yet”', async () => {
    const install = await freshInstall();
    await install.extension.cancel();
    const relay = track(await startStdioRelay({ env: install.env, clientName: 'Cursor' }));
    await relay.call('connection_status');
    const { stdout } = await run(process.execPath, [RELAY_BIN, 'doctor'], {
      env: { PATH: process.env.PATH ?? '', ...install.env },
    }).catch((error: { stdout: string }) => error);
    expect(stdout).toMatch(/bridge port \d+: your relay, not paired yet/);
    expect(stdout).not.toMatch(/is not your relay|no relay is running/);
    expect(stdout).toMatch(/First broken link: pairing/);
    // The record of its port goes with the relay.
    await relay.close();
    await until(async () => (await readdir(path.join(install.home, 'relays'))).length === 0);
    expect(await readdir(path.join(install.home, 'relays'))).toEqual([]);
  });

  it('with the bundle’s install setting: HOSPIAI_PAIRING_CODE pairs as the relay starts', async () => {
    const install = await freshInstall();
    const relay = track(
      await startStdioRelay({
        env: { ...install.env, HOSPIAI_PAIRING_CODE: install.code },
        clientName: 'Claude Desktop',
      }),
    );
    await until(() => install.extension.view() === null);
    expect(install.extension.view()).toBeNull();
    let answer = await relay.call('get_appointments', { limit: 1 });
    await until(async () => {
      answer = await relay.call('get_appointments', { limit: 1 });
      return !answer.isError;
    });
    expect(answer.isError, JSON.stringify(answer.content)).toBeFalsy();
    // The relay notices the pairing on its next look at the home (a few hundred ms at most).
    await until(() => relay.stderr.join('').includes('HOSPIAI_PAIRING_CODE'));
    expect(relay.stderr.join('')).toMatch(/pairing with HOSPIAI_PAIRING_CODE.*"outcome":"paired"/);
    expect(relay.stderr.join('')).not.toContain(install.code.replace('-', ''));
  });
});
