/**
 * The audit trail is written after each answer, in batches (relay/audit/audit-log.ts): a relay
 * told to stop right after answering — its AI client closes stdin, or it gets SIGTERM — still
 * writes every call it answered before it exits, chained.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHomeAuditLog } from '../../relay/audit/audit-log';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../sandbox/portal';
import { RELAY_BIN } from '../support/stdio-relay';

const CALLS = 40;

let portal: SandboxPortal;
let token: string;
const homes: string[] = [];

beforeAll(async () => {
  portal = await startSandboxPortal();
  ({ token } = await portal.issueToken({ email: DEMO_PATIENTS[0]!.email, scopes: ['read:data'] }));
});
afterAll(async () => {
  await portal.close();
  await Promise.all(homes.map((home) => rm(home, { recursive: true, force: true })));
});

/** A relay spoken to line by line, with every call sent at once (as a busy client may). */
async function relayThatAnswered(home: string): Promise<ChildProcessWithoutNullStreams> {
  const child = spawn(process.execPath, [RELAY_BIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOSPIAI_URL: portal.url,
      HOSPIAI_MCP_HOME: home,
      HOSPIAI_TOKEN: token,
      HOSPIAI_MCP_PORTS: '0',
      HOSPIAI_MCP_LOG_LEVEL: 'warn',
    },
  });
  const answered = new Set<number>();
  let buffered = '';
  const allAnswered = new Promise<void>((resolve, reject) => {
    child.once('exit', () => reject(new Error('the relay exited before answering')));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const message = JSON.parse(line) as { id?: number; result?: { isError?: boolean } };
        if (message.id === undefined || message.id < 10) continue;
        expect(message.result?.isError).not.toBe(true);
        answered.add(message.id);
        if (answered.size === CALLS) resolve();
      }
    });
  });
  const send = (message: object) =>
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
  send({
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'exit-test', version: '1' },
    },
  });
  send({ method: 'notifications/initialized' });
  for (let i = 0; i < CALLS; i++) {
    send({
      id: 10 + i,
      method: 'tools/call',
      params: { name: 'get_appointments', arguments: { limit: 1 } },
    });
  }
  await allAnswered;
  return child;
}

async function expectEveryCallLogged(home: string) {
  const audit = openHomeAuditLog(home);
  expect(await audit.verify()).toEqual({ ok: true, entries: CALLS });
  const entries = await audit.latest(CALLS);
  expect(entries.map((entry) => [entry.tool, entry.outcome, entry.client])).toEqual(
    Array.from({ length: CALLS }, () => ['get_appointments', 'ok', 'exit-test']),
  );
}

describe('the audit trail when the relay stops right after answering', () => {
  for (const [how, stop] of [
    ['its AI client closes stdin', (child: ChildProcessWithoutNullStreams) => child.stdin.end()],
    ['it gets SIGTERM', (child: ChildProcessWithoutNullStreams) => child.kill('SIGTERM')],
  ] as const) {
    it(`keeps every answered call when ${how}`, async () => {
      const home = await mkdtemp(path.join(tmpdir(), 'hospiai-audit-exit-'));
      homes.push(home);
      const child = await relayThatAnswered(home);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      stop(child);
      expect(await exited).toBe(0);
      await expectEveryCallLogged(home);
    });
  }
});
