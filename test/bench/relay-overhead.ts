/**
 * `npm run bench`: what the relay costs, measured side by side in one run.
 *  - the same data fetched directly from the sandbox portal, and through the relay
 *    (MCP client → stdio → relay → portal), p50/p99 over many calls, and the CPU the relay
 *    spends per call;
 *  - the same call through the original design ported to `fastmcp` (original-design.ts);
 *  - relay cold start, from spawn to the `initialize` answer;
 *  - relay resident memory when idle: 1 s after start, 10 s after start (V8's memory reducer
 *    collects the start-up's garbage ~8 s after start), 1 s and 15 s after the calls; and a
 *    bare Node's, the floor under it.
 * Prints a table and the targets; exits 0 either way (figures, not tests).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { DEMO_PATIENTS, startSandboxPortal } from '../sandbox/portal';
import { RELAY_BIN } from '../support/stdio-relay';
import { positiveNumberFromEnv } from './bench-settings';
import { cpuMs, rssMb } from './proc-stats';

const ORIGINAL_DESIGN = fileURLToPath(new URL('./original-design.ts', import.meta.url));

const CALLS = positiveNumberFromEnv('BENCH_CALLS', 10_000);
const WARMUP = 50;
const COLD_STARTS = positiveNumberFromEnv('BENCH_COLD_STARTS', 10);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(n: number, run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

function directGet(url: URL, token: string, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200 ? resolve() : reject(new Error(`${res.statusCode}`)),
      );
    });
    req.on('error', reject);
  });
}

/**
 * A stdio MCP server spoken to line by line, as an MCP client does, with no SDK client in the
 * way: the timings are the server's and the portal's, not a client library's.
 */
async function startRawServer(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map<number, (line: string) => void>();
  let buffered = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const id = (JSON.parse(line) as { id?: number }).id;
      if (id !== undefined) waiting.get(id)?.(line);
    }
  });
  let nextId = 0;
  const request = (method: string, params: object) =>
    new Promise<string>((resolve) => {
      const id = ++nextId;
      waiting.set(id, (line) => {
        waiting.delete(id);
        resolve(line);
      });
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  await request('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'bench', version: '1' },
  });
  child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
  await request('tools/list', {});
  return {
    pid: child.pid ?? 0,
    call: async (name: string, args: object) => {
      const line = await request('tools/call', { name, arguments: args });
      if (line.includes('"isError":true')) throw new Error(line);
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

/** The relay under test; BENCH_CPU_PROF=<dir> writes a V8 CPU profile of it when it exits. */
function startRawRelay(env: Record<string, string>) {
  const profile = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`]
    : [];
  return startRawServer([...profile, RELAY_BIN], env);
}

/** Spawn → exit of a Node that does nothing: the floor under any Node relay's start. */
function bareNodeStart(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('exit', () => resolve(performance.now() - start));
    child.on('error', reject);
  });
}

/** The resident memory of a Node that only waits, 1 s after its start. */
async function bareNodeIdleRss(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    await sleep(1_000);
    return await rssMb(child.pid ?? 0);
  } finally {
    child.kill();
  }
}

/** A child that echoes each line: the floor of one stdio round trip between two processes. */
function startEchoProcess() {
  const child = spawn(
    process.execPath,
    ['-e', "process.stdin.on('data', (d) => process.stdout.write(d))"],
    { stdio: ['pipe', 'pipe', 'ignore'] },
  );
  let pending: (() => void) | null = null;
  child.stdout.on('data', () => pending?.());
  return {
    roundTrip: () =>
      new Promise<void>((resolve) => {
        pending = resolve;
        child.stdin.write('{"jsonrpc":"2.0","id":1,"result":{}}\n');
      }),
    close: () => child.kill(),
  };
}

/** Spawn → `initialize` answered, with a hand-written client so nothing else is timed. */
function coldStart(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, [RELAY_BIN], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    child.stdout.once('data', () => {
      const elapsed = performance.now() - start;
      child.kill();
      resolve(elapsed);
    });
    child.on('error', reject);
    child.stdin.write(
      `${JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          capabilities: {},
          clientInfo: { name: 'bench', version: '1' },
        },
      })}\n`,
    );
  });
}

async function main() {
  const portal = await startSandboxPortal();
  const home = await mkdtemp(path.join(tmpdir(), 'hospiai-bench-'));
  const { token } = await portal.issueToken({
    email: DEMO_PATIENTS[0]!.email,
    scopes: ['read:data'],
  });
  const env = {
    PATH: process.env.PATH ?? '',
    HOSPIAI_URL: portal.url,
    HOSPIAI_MCP_HOME: home,
    HOSPIAI_TOKEN: token,
    HOSPIAI_MCP_PORTS: '0',
    HOSPIAI_MCP_LOG_LEVEL: 'warn',
  };
  try {
    const agent = new http.Agent({ keepAlive: true });
    const url = new URL(`${portal.url}/api/mcp/appointments?limit=10`);
    const direct = await time(CALLS, () => directGet(url, token, agent));
    agent.destroy();

    const relay = await startRawRelay(env);
    await sleep(1_000);
    const idleRss = await rssMb(relay.pid);
    await sleep(9_000);
    const settledIdleRss = await rssMb(relay.pid);
    const cpuBefore = await cpuMs(relay.pid);
    const viaRelay = await time(CALLS, () => relay.call('get_appointments', { limit: 10 }));
    const relayCpuPerCall = ((await cpuMs(relay.pid)) - cpuBefore) / (CALLS + WARMUP);
    await sleep(1_000);
    const loadedRss = await rssMb(relay.pid);
    // Left idle, V8's memory reducer collects the old generation's garbage after ~8 s.
    await sleep(14_000);
    const settledRss = await rssMb(relay.pid);
    await relay.close();

    // The seed's design, ported: the token is a tool argument, the server forwards the call.
    const original = await startRawServer(['--import', 'tsx', ORIGINAL_DESIGN], env);
    const originalCpuBefore = await cpuMs(original.pid);
    const viaOriginal = await time(CALLS, () =>
      original.call('get_appointments', { token, limit: 10 }),
    );
    const originalCpuPerCall = ((await cpuMs(original.pid)) - originalCpuBefore) / (CALLS + WARMUP);
    await original.close();

    const starts: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) starts.push(await coldStart(env));
    starts.sort((a, b) => a - b);

    // Calibration: what any Node stdio MCP server pays on this machine, whatever it does.
    const bareStarts: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) bareStarts.push(await bareNodeStart());
    bareStarts.sort((a, b) => a - b);
    const bareRss = await bareNodeIdleRss();
    const echo = startEchoProcess();
    const echoTrip = await time(CALLS, () => echo.roundTrip());
    echo.close();

    const row = (name: string, value: string, target: string) =>
      `| ${name.padEnd(48)} | ${value.padStart(20)} | ${target.padEnd(10)} |`;
    const ms = (v: number) => `${v.toFixed(2)} ms`;
    const p = (samples: number[], at: number) => percentile(samples, at);
    const lines = [
      `HospiAI relay benchmark — ${CALLS} calls each (after ${WARMUP} warm-up calls), Node ${process.version}, load average ${loadavg()
        .map((v) => v.toFixed(2))
        .join(' ')}`,
      '',
      row('measure', 'value', 'target'),
      `|${'-'.repeat(50)}|${'-'.repeat(22)}|${'-'.repeat(12)}|`,
      row('direct HTTP p50 / p99', `${ms(p(direct, 50))} / ${ms(p(direct, 99))}`, ''),
      row('through the relay p50 / p99', `${ms(p(viaRelay, 50))} / ${ms(p(viaRelay, 99))}`, ''),
      row('relay overhead p50', ms(p(viaRelay, 50) - p(direct, 50)), '≤ 0.5 ms'),
      row('relay overhead p99', ms(p(viaRelay, 99) - p(direct, 99)), '≤ 2 ms'),
      row('relay CPU per call', ms(relayCpuPerCall), ''),
      row(
        'original design (fastmcp) p50 / p99',
        `${ms(p(viaOriginal, 50))} / ${ms(p(viaOriginal, 99))}`,
        '',
      ),
      row('original design CPU per call', ms(originalCpuPerCall), ''),
      row(
        'relay faster than the original design, p50',
        `${(p(viaOriginal, 50) / p(viaRelay, 50)).toFixed(2)}×`,
        '≥ 2×',
      ),
      row(`cold start to initialize (median of ${COLD_STARTS})`, ms(p(starts, 50)), '≤ 150 ms'),
      row('calibration: bare `node -e 0`, spawn to exit', ms(p(bareStarts, 50)), ''),
      row('calibration: stdio echo round trip p50', ms(p(echoTrip, 50)), ''),
      row('idle RSS 1 s after start', `${idleRss.toFixed(1)} MB`, '≤ 50 MB'),
      row('idle RSS 10 s after start', `${settledIdleRss.toFixed(1)} MB`, '≤ 50 MB'),
      row('calibration: bare `node` idle RSS', `${bareRss.toFixed(1)} MB`, ''),
      row(`idle RSS 1 s after the ${CALLS + WARMUP} calls`, `${loadedRss.toFixed(1)} MB`, 'flat'),
      row('idle RSS 15 s after them', `${settledRss.toFixed(1)} MB`, 'flat'),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await portal.close();
    await rm(home, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
