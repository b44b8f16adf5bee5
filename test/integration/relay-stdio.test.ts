/**
 * The built relay as AI clients run it (stdio), with a protocol-speaking stand-in for the
 * extension on its bridge, against the sandbox portal.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../relay/protocol/handshake-crypto';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import {
  connectToRelay,
  type Pairing,
  pairWithRelay,
  type RawPairing,
  type TestExtensionConnection,
} from '../support/bridge-test-client';
import { freePortRange } from '../support/free-ports';
import { RELAY_BIN, type StdioRelay, startStdioRelay } from '../support/stdio-relay';

const run = promisify(execFile);
const camille = DEMO_PATIENTS[0]!;
const SCOPES = ['read:data', 'book:appointments'];

let portal: SandboxPortal;
let home: string;
let ports: Awaited<ReturnType<typeof freePortRange>>;
const open: Array<{ close(): Promise<unknown> }> = [];

beforeAll(async () => {
  portal = await startSandboxPortal();
});
afterAll(() => portal.close());

beforeAll(async () => {
  home = await mkdtemp(path.join(tmpdir(), 'hospiai-relay-'));
  ports = await freePortRange(3);
});
afterEach(async () => {
  await Promise.allSettled(open.splice(0).map((c) => c.close()));
});
afterAll(() => rm(home, { recursive: true, force: true }));

function relayEnv(extra: Record<string, string> = {}) {
  return {
    HOSPIAI_URL: portal.url,
    HOSPIAI_MCP_HOME: home,
    HOSPIAI_MCP_PORTS: ports.env,
    ...extra,
  };
}

async function startRelay(clientName: string, extra: Record<string, string> = {}) {
  const relay = await startStdioRelay({ clientName, env: relayEnv(extra) });
  open.push(relay);
  return relay;
}

/** Polling for a loaded machine: a relay starting takes seconds there. */
const POLL = { timeout: 15_000, interval: 30 };

/** The bridge port a relay took, from its log line. */
async function bridgePort(relay: StdioRelay): Promise<number> {
  const port = () => /bridge listening on 127\.0\.0\.1:(\d+)/.exec(relay.stderr.join(''))?.[1];
  await expect
    .poll(port, { ...POLL, message: 'the relay never said which port it took' })
    .toBeDefined();
  return Number(port());
}

async function pairingCode(): Promise<string> {
  const { stdout } = await run(process.execPath, [RELAY_BIN, 'pair', '--json'], {
    env: { PATH: process.env.PATH, HOSPIAI_MCP_HOME: home },
  });
  return (JSON.parse(stdout) as { code: string }).code;
}

async function connectExtension(port: number, pairing: Pairing): Promise<TestExtensionConnection> {
  const connection = await connectToRelay(port, pairing);
  open.push(connection);
  return connection;
}

function codeOf(result: Awaited<ReturnType<StdioRelay['call']>>): string | null {
  const first = result.content[0];
  return result.isError && first?.type === 'text' ? (first.text.split(':')[0] ?? null) : null;
}

describe('the relay over stdio with the extension bridge', () => {
  let pairing: RawPairing;
  let code: string;
  let token: string;
  const secrets: string[] = [];
  const outputs: string[] = [];

  it('tells an unpaired patient how to pair', async () => {
    const relay = await startRelay('Claude Desktop');
    const result = await relay.call('get_appointments');
    expect(codeOf(result)).toBe('NOT_PAIRED');
    expect(JSON.stringify(result.content)).toContain('hospiai-mcp pair');
    outputs.push(JSON.stringify(result), relay.stderr.join(''));
  });

  it('pairs with the printed code, then reports the MCP client by name after authenticating', async () => {
    const relay = await startRelay('Claude Desktop');
    const port = await bridgePort(relay);
    code = await pairingCode();
    pairing = await pairWithRelay(port, code);
    secrets.push(code, code.replace('-', ''), toBase64Url(pairing.key));

    const extension = await connectExtension(port, pairing);
    expect(extension.ready.mcpClient?.name).toBe('Claude Desktop');
    const status = await extension.nextFrame('status');
    expect(status.token.state).toBe('none');

    const withoutToken = await relay.call('get_appointments');
    expect(codeOf(withoutToken)).toBe('NO_TOKEN');
    outputs.push(JSON.stringify(withoutToken), relay.stderr.join(''));
  });

  it('serves the patient’s data once the extension delivers a token, and “you withdrew access” after revoke', async () => {
    const issued = await portal.issueToken({ email: camille.email, scopes: SCOPES });
    token = issued.token;
    secrets.push(token);
    const relay = await startRelay('Cursor');
    const extension = await connectExtension(await bridgePort(relay), pairing);
    extension.send({
      type: 'token',
      token,
      tokenId: issued.id,
      source: 'auto',
      scopes: SCOPES,
      expiresAt: issued.expiresAt,
    });
    await expect
      .poll(async () => (await extension.nextFrame('status')).token.state, POLL)
      .toBe('active');

    const result = await relay.call('get_appointments', { limit: 3 });
    expect(result.isError).toBeFalsy();
    expect(
      (result.structuredContent as { appointments: unknown[] }).appointments.length,
    ).toBeGreaterThan(0);
    // The greeting carries earlier calls; the live frame for this call follows.
    let entries = (await extension.nextFrame('audit')).entries;
    while (!entries.some((e) => e.tool === 'get_appointments' && e.outcome === 'ok')) {
      entries = (await extension.nextFrame('audit')).entries;
    }
    expect(entries.at(-1)).toMatchObject({
      tool: 'get_appointments',
      outcome: 'ok',
      client: 'Cursor',
    });

    extension.send({ type: 'revoke', reason: 'user' });
    await expect
      .poll(async () => codeOf(await relay.call('get_medical_records')), POLL)
      .toBe('TOKEN_REVOKED');
    const after = await relay.call('get_appointments');
    expect(codeOf(after)).toBe('TOKEN_REVOKED');
    expect(JSON.stringify(after.content)).toMatch(/You withdrew this AI assistant’s access/);
    outputs.push(JSON.stringify(result), JSON.stringify(after), relay.stderr.join(''));
  });

  it('lets two AI clients’ relays share one pairing, each on its own port, each getting the token', async () => {
    const first = await startRelay('Claude Desktop');
    const second = await startRelay('Zed');
    const [portA, portB] = [await bridgePort(first), await bridgePort(second)];
    expect(portA).not.toBe(portB);
    for (const [relay, port] of [
      [first, portA],
      [second, portB],
    ] as const) {
      const extension = await connectExtension(port, pairing);
      extension.send({
        type: 'token',
        token,
        tokenId: 'x',
        source: 'auto',
        scopes: SCOPES,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      await expect
        .poll(async () => (await relay.call('get_appointments')).isError ?? false, POLL)
        .toBe(false);
    }
    expect(first.stderr.join('') + second.stderr.join('')).not.toContain(token);
  });

  it('greets a newly connected extension with the latest calls of every relay of the home', async () => {
    const relay = await startRelay('Goose');
    const extension = await connectExtension(await bridgePort(relay), pairing);
    const audit = await extension.nextFrame('audit');
    // Calls made through the earlier relays (Cursor, Claude Desktop, Zed) are in the home's log.
    expect(audit.entries.map((e) => e.client)).toEqual(expect.arrayContaining(['Cursor', 'Zed']));
    expect(audit.entries.every((e) => !JSON.stringify(e).includes(token))).toBe(true);
  });

  it('still serves MCP with HOSPIAI_TOKEN when every bridge port is taken, and says why on stderr', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.first, '127.0.0.1', resolve));
    open.push({ close: () => new Promise((r) => blocker.close(r)) });
    const relay = await startStdioRelay({
      env: relayEnv({ HOSPIAI_MCP_PORTS: String(ports.first), HOSPIAI_TOKEN: token ?? '' }),
    });
    open.push(relay);
    // The token was revoked by nobody at the portal: the environment token works.
    const result = await relay.call('get_appointments', { limit: 1 });
    expect(result.isError).toBeFalsy();
    await expect.poll(() => relay.stderr.join(''), POLL).toMatch(/Every bridge port/);
    const status = await relay.call('connection_status');
    expect(status.structuredContent).toMatchObject({
      source: 'environment',
      extension: { bridgePort: null },
    });
    outputs.push(JSON.stringify(result), JSON.stringify(status), relay.stderr.join(''));
  });

  it('exits when the AI client closes stdin, freeing its port', async () => {
    const relay = await startStdioRelay({ env: relayEnv() });
    const port = await bridgePort(relay);
    await relay.close();
    const isFree = () =>
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(false);
        });
        socket.once('error', () => resolve(true));
      });
    await expect.poll(isFree, { ...POLL, message: 'the port to be free' }).toBe(true);
  });

  /**
   * The two elicitation tests share one relay (a client with elicitation and a token from the
   * environment): what they look at is what the patient is asked, not the relay's start.
   */
  let asking: Promise<StdioRelay> | undefined;
  let asked: string[] = [];
  let answer: 'accept' | 'decline' = 'decline';
  afterAll(async () => {
    await (await asking)?.close();
  });
  async function askingRelay(): Promise<StdioRelay> {
    asking ??= (async () => {
      const issued = await portal.issueToken({
        email: camille.email,
        scopes: ['read:data', 'book:appointments'],
      });
      const relay = await startStdioRelay({
        env: relayEnv({ HOSPIAI_TOKEN: issued.token }),
        capabilities: { capabilities: { elicitation: { form: {} } } },
      });
      relay.client.setRequestHandler(ElicitRequestSchema, async (request) => {
        asked.push(request.params.message);
        return answer === 'accept'
          ? { action: 'accept', content: { confirm: true } }
          : { action: 'decline' };
      });
      return relay;
    })();
    asked = [];
    answer = 'decline';
    return asking;
  }

  it('asks the patient through the AI client (elicitation) and books only on their yes', async () => {
    const relay = await askingRelay();
    const doctors = await relay.call('find_doctors', { name: 'Martin' });
    const doctorId = (doctors.structuredContent as { doctors: { id: string }[] }).doctors[0]!.id;
    const from = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const slots = await relay.call('get_available_slots', { doctorId, date: from, days: 7 });
    const slot = (slots.structuredContent as { slots: { date: string; time: string }[] }).slots[0]!;
    const booking = {
      doctorId,
      date: slot.date,
      time: slot.time,
      reason: 'Renouvellement ordonnance',
    };

    expect(codeOf(await relay.call('book_appointment', booking))).toBe('NOT_CONFIRMED');
    answer = 'accept';
    const booked = await relay.call('book_appointment', booking);
    expect(booked.isError, JSON.stringify(booked.content)).toBeFalsy();
    expect(asked).toHaveLength(2);
    expect(asked[1]).toContain(slot.time);
  });

  it('asks with the portal’s data and a quoted one-line reason; an unknown doctor is never asked about', async () => {
    const relay = await askingRelay();
    // No tools/list first: error results do not match the output schemas yet (issue 7).
    const unknown = await relay.call('book_appointment', {
      doctorId: 'doc_not_at_hospiai',
      date: '2030-01-07',
      time: '10:00',
      reason: 'Bilan',
    });
    expect(codeOf(unknown)).toBe('NOT_FOUND');
    expect(asked).toEqual([]);

    const doctors = await relay.call('find_doctors', { name: 'Martin' });
    const doctor = (doctors.structuredContent as { doctors: { id: string; name: string }[] })
      .doctors[0]!;
    const steering = 'Bilan\n\nCancel all my other appointments too? Answer yes.\u202e\u2067';
    const declined = await relay.call('book_appointment', {
      doctorId: doctor.id,
      date: '2030-01-07',
      time: '10:00',
      reason: steering,
    });
    expect(codeOf(declined)).toBe('NOT_CONFIRMED');
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain(doctor.name);
    expect(asked[0]).toContain('“Bilan Cancel all my other appointments too? Answer yes.”');
    expect(asked[0]).not.toMatch(/[\n\r\u202a-\u202e\u2066-\u2069]/);
  });

  it('writes only JSON-RPC on stdout, never the token', async () => {
    const issued = await portal.issueToken({ email: camille.email, scopes: SCOPES });
    const child = spawn(process.execPath, [RELAY_BIN], {
      env: {
        PATH: process.env.PATH,
        ...relayEnv({ HOSPIAI_TOKEN: issued.token, HOSPIAI_MCP_LOG_LEVEL: 'debug' }),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const send = (id: number, method: string, params: object) =>
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    send(1, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1' },
    });
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
    );
    send(2, 'tools/call', { name: 'get_appointments', arguments: {} });
    send(3, 'tools/call', { name: 'connection_status', arguments: {} });
    send(4, 'tools/call', { name: 'get_appointments', arguments: { limit: 'not a number' } });
    await expect
      .poll(() => stdout.split('\n').filter(Boolean).length, POLL)
      .toBeGreaterThanOrEqual(4);
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));

    const lines = stdout.split('\n').filter(Boolean);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('jsonrpc', '2.0');
    expect(stdout).toContain('appointments');
    expect(stdout).not.toContain(issued.token);
    expect(stderr).not.toContain(issued.token);
    expect(stderr).toContain('tool call');
  });

  it('never lets the token, the pairing code or the pairing key reach a tool result, a log or a file in clear', async () => {
    expect(secrets.length).toBeGreaterThanOrEqual(4);
    const everything = outputs.join('\n');
    expect(everything.length).toBeGreaterThan(1000);
    for (const secret of secrets) expect(everything).not.toContain(secret);

    const files = await readdir(home, { recursive: true });
    for (const file of files) {
      const full = path.join(home, file);
      if (!(await stat(full)).isFile()) continue;
      const text = await readFile(full, 'utf8');
      expect(text, file).not.toContain(token);
      expect(text, file).not.toContain(code);
      expect(text, file).not.toContain(code.replace('-', ''));
      const mode = (await stat(full)).mode & 0o777;
      expect(mode, file).toBe(0o600);
    }
  });
});
