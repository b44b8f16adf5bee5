/**
 * `npm run bench:remote`: remote mode under load, in one run. 100 simulated patients (each its
 * own token and MCP session, tools listed first) send a mix of reads for a fixed time:
 *  0. straight to the portal's HTTP API, the same reads (the limit: what the portal and this
 *     machine give without the relay), first and again last;
 *  1. through nginx to 2 replicas of `serve --http` (2025 sessions);
 *  2. the same on the 2026-07-28 protocol (no session: each call a request on its own);
 *  3. the same two through nginx again, paced: the patients together send a fixed rate
 *     (BENCH_PACED_RATE, 1,000 calls/s by default) below what the cluster can take, so p99 is
 *     the time a call takes rather than the queue of 100 back-to-back patients;
 *  4. to one replica directly, on each protocol.
 * Then the memory a replica holds per open session (100 and 1,000 sessions).
 * Prints calls/s, p50/p99, errors and a cross-patient check (every answer belongs to its
 * caller: appointments, records and connection_status are compared with what the portal gives
 * that patient's token directly). The load generator is a lean client (light-mcp-client.ts;
 * `BENCH_CLIENT=sdk` uses the SDK's). Figures, not a test: exits 0 unless a cross-patient
 * answer was seen.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { type Cluster, NGINX_BIN, startCluster } from '../../relay/cluster/cluster-runner';
import { connectRemoteClient, startRemoteServer } from '../support/remote-server';
import { positiveNumberFromEnv } from './bench-settings';
import { connectLightClient, connectModernLightClient, request } from './light-mcp-client';
import { cpuMs, rssMb, withChildren } from './proc-stats';

const PATIENTS = positiveNumberFromEnv('BENCH_PATIENTS', 100);
const SECONDS = positiveNumberFromEnv('BENCH_SECONDS', 10, { integer: false });
const SDK_CLIENT = process.env.BENCH_CLIENT === 'sdk';
// 10 calls/s a patient at 100 patients: half the default per-patient budget, far more than an
// assistant sends, and below what nginx → 2 replicas answers back to back on this machine.
const PACED_RATE = positiveNumberFromEnv('BENCH_PACED_RATE', 1000, { integer: false });
// The replicas log at warn: at serve's default (info) each call's audit line goes to stderr, which
// the runners here keep in this process's memory. BENCH_LOG_LEVEL=info measures it (docs: within
// this machine's noise).
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'warn';
// Each simulated patient calls back to back (~30 calls/s at the goal's rate): above the default
// per-patient budget (20/s), which is for real assistants, not a load generator. The replicas get
// one the load never reaches, so the rows measure the server, not the limiter (which has tests).
const REPLICA_ARGS = ['--rate-limit', '100000/100000'];
const LIMIT = 'portal, direct HTTP';
const MIX: Array<[string, Record<string, unknown>, number]> = [
  ['get_appointments', { limit: 20 }, 0.4],
  ['get_medical_records', {}, 0.3],
  ['find_doctors', { specialty: 'Cardio' }, 0.2],
  ['connection_status', {}, 0.1],
];

interface Patient {
  id: string;
  email: string;
  token: string;
  appointments: Set<string>;
  records: Set<string>;
}

interface Row {
  target: string;
  calls: number;
  seconds: number;
  latencies: number[];
  errors: Map<string, number>;
  foreign: number;
  /** The rate the patients were paced at (calls/s), or undefined: back to back. */
  paced?: number;
  /** CPU ms a call, by process (the load client, the portal, and nginx and replicas if any). */
  cpu: Partial<Record<CpuPart, number>>;
}

type CpuPart = 'client' | 'portal' | 'nginx' | 'replicas';
/** The processes serving a row, by part (the load client is this process). */
type Servers = Partial<Record<Exclude<CpuPart, 'client'>, number[]>>;

async function startSandbox(): Promise<{ child: ChildProcess; url: string; patients: Patient[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/bench/sandbox-process.ts', String(PATIENTS)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited (${code})`)));
  });
  const { url, patients } = JSON.parse(line) as {
    url: string;
    patients: Omit<Patient, 'appointments' | 'records'>[];
  };
  const own = await Promise.all(
    patients.map(async (p) => {
      const get = async (path: string) =>
        (await (
          await fetch(`${url}/api/mcp${path}`, { headers: { authorization: `Bearer ${p.token}` } })
        ).json()) as Record<string, { id: string }[]>;
      const [{ appointments = [] }, { records = [] }] = await Promise.all([
        get('/appointments?limit=100'),
        get('/records'),
      ]);
      return {
        ...p,
        appointments: new Set(appointments.map((a) => a.id)),
        records: new Set(records.map((r) => r.id)),
      };
    }),
  );
  return { child, url, patients: own };
}

function pick(): [string, Record<string, unknown>] {
  let r = Math.random();
  for (const [name, args, share] of MIX) {
    r -= share;
    if (r <= 0) return [name, args];
  }
  return [MIX[0]![0], MIX[0]![1]];
}

/** Whether a result is the caller's own: no appointment, record or patient of anyone else. */
function belongsTo(patient: Patient, tool: string, structured: unknown): boolean {
  const s = structured as Record<string, unknown>;
  if (tool === 'get_appointments')
    return (s.appointments as { id: string }[]).every((a) => patient.appointments.has(a.id));
  if (tool === 'get_medical_records')
    return (s.records as { id: string }[]).every((r) => patient.records.has(r.id));
  if (tool === 'connection_status') return (s.patient as { id: string } | null)?.id === patient.id;
  return true;
}

/** One read as a patient's assistant makes it: its result, or why it failed. */
type Caller = (
  tool: string,
  args: Record<string, unknown>,
) => Promise<{ error?: string; structured?: unknown }>;

interface Target {
  callers: Caller[];
  close(): Promise<void>;
}

async function mcpTarget(
  url: string,
  patients: Patient[],
  protocol: 'sessions' | 'stateless' = 'sessions',
): Promise<Target> {
  if (SDK_CLIENT && protocol === 'sessions') {
    const clients = await Promise.all(
      patients.map((p) => connectRemoteClient({ url, token: p.token, name: 'bench' })),
    );
    return {
      callers: clients.map((client) => async (tool, args) => {
        const result = await client.call(tool, args, 10_000);
        return result.isError
          ? { error: JSON.stringify(result.structuredContent ?? result.content).slice(0, 60) }
          : { structured: result.structuredContent };
      }),
      close: async () => {
        await Promise.all(clients.map((c) => c.close().catch(() => {})));
      },
    };
  }
  const connect = protocol === 'stateless' ? connectModernLightClient : connectLightClient;
  const clients = await Promise.all(patients.map((p) => connect(url, p.token)));
  return {
    callers: clients.map((client) => async (tool, args) => {
      const answer = await client.call(tool, args);
      const result = answer.message?.result as
        | { isError?: boolean; structuredContent?: unknown; content?: unknown }
        | undefined;
      if (answer.status !== 200 || !result)
        return { error: `HTTP ${answer.status} ${answer.message?.error?.message ?? ''}` };
      return result.isError
        ? { error: JSON.stringify(result.structuredContent ?? result.content).slice(0, 60) }
        : { structured: result.structuredContent };
    }),
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
}

/** The same reads straight from the portal's API, one kept-alive connection per patient. */
function portalTarget(portalUrl: string, patients: Patient[]): Target {
  const agents = patients.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const paths: Record<string, { method: string; path: string }> = {
    get_appointments: { method: 'GET', path: '/api/mcp/appointments?limit=20' },
    get_medical_records: { method: 'GET', path: '/api/mcp/records' },
    find_doctors: { method: 'GET', path: '/api/mcp/doctors?specialty=Cardio' },
    connection_status: { method: 'POST', path: '/api/mcp/validate' },
  };
  return {
    callers: patients.map((patient, i) => async (tool) => {
      const { method, path } = paths[tool]!;
      const answer = await request(agents[i]!, new URL(path, portalUrl), {
        method,
        headers: { authorization: `Bearer ${patient.token}` },
      });
      if (answer.status !== 200) return { error: `HTTP ${answer.status}` };
      const body = JSON.parse(answer.body) as Record<string, unknown>;
      // Shaped as the tools shape it, for the same cross-patient check.
      return {
        structured: tool === 'connection_status' ? { patient: body.user } : body,
      };
    }),
    close: async () => {
      for (const agent of agents) agent.destroy();
    },
  };
}

/**
 * Runs a row. Back to back by default; with `pacedRate` each patient's k-th call is due at a fixed
 * time (the patients' calls spread evenly over each interval), and its latency counts from when
 * it was due: a call delayed behind a slow one counts that delay (no coordinated omission).
 */
async function load(
  name: string,
  target: Target,
  patients: Patient[],
  servers: Servers,
  pacedRate?: number,
): Promise<Row> {
  const row: Row = {
    target: name,
    calls: 0,
    seconds: SECONDS,
    latencies: [],
    errors: new Map(),
    foreign: 0,
    paced: pacedRate,
    cpu: {},
  };
  const cpuBefore = await cpuOf(servers);
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    target.callers.map(async (call, i) => {
      const patient = patients[i]!;
      const interval = pacedRate ? (1000 * target.callers.length) / pacedRate : 0;
      let due = started + (interval * i) / target.callers.length;
      while (performance.now() < until) {
        if (pacedRate) {
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (due >= until) break;
        }
        const [tool, args] = pick();
        const t0 = pacedRate ? due : performance.now();
        due += interval;
        try {
          const result = await call(tool, args);
          row.latencies.push(performance.now() - t0);
          if (result.error) row.errors.set(result.error, (row.errors.get(result.error) ?? 0) + 1);
          else if (!belongsTo(patient, tool, result.structured)) row.foreign++;
        } catch (error) {
          const message = (error as Error).message.slice(0, 60);
          row.errors.set(message, (row.errors.get(message) ?? 0) + 1);
        }
        row.calls++;
      }
    }),
  );
  row.seconds = (performance.now() - started) / 1000;
  const cpuAfter = await cpuOf(servers);
  for (const part of Object.keys(cpuAfter) as CpuPart[])
    row.cpu[part] = (cpuAfter[part]! - cpuBefore[part]!) / row.calls;
  await target.close();
  row.latencies.sort((a, b) => a - b);
  return row;
}

/** CPU ms used so far: this process (the load client) and each part's processes together. */
async function cpuOf(servers: Servers): Promise<Partial<Record<CpuPart, number>>> {
  const own = process.cpuUsage();
  const used: Partial<Record<CpuPart, number>> = { client: (own.user + own.system) / 1000 };
  for (const [part, pids] of Object.entries(servers) as [CpuPart, number[]][]) {
    used[part] = (await Promise.all(pids.map(cpuMs))).reduce((a, b) => a + b, 0);
  }
  return used;
}

/** What a replica holds per open MCP session: RSS before, at 100 and at 1,000 sessions. */
async function memoryPerSession(portalUrl: string, patients: Patient[]): Promise<string> {
  const replica = await startRemoteServer({
    portalUrl,
    args: REPLICA_ARGS,
    env: { HOSPIAI_MCP_LOG_LEVEL: LOG_LEVEL },
  });
  const pid = replica.child.pid!;
  const clients: Awaited<ReturnType<typeof connectLightClient>>[] = [];
  try {
    // Warm: one session and call first, so the baseline has the code paths loaded.
    const warm = await connectLightClient(replica.mcpUrl, patients[0]!.token);
    await warm.call('connection_status', {});
    await warm.close();
    await new Promise((r) => setTimeout(r, 500));
    const base = await rssMb(pid);
    const lines = [`| sessions | replica RSS | per session |`, `|---|---|---|`];
    lines.push(`| 0 | ${base.toFixed(1)} MB | |`);
    for (const target of [100, 1000]) {
      while (clients.length < target) {
        const batch = patients.map((p) => connectLightClient(replica.mcpUrl, p.token));
        clients.push(...(await Promise.all(batch)).slice(0, target - clients.length));
      }
      await new Promise((r) => setTimeout(r, 500));
      const rss = await rssMb(pid);
      lines.push(
        `| ${target} | ${rss.toFixed(1)} MB | ${(((rss - base) * 1024) / target).toFixed(1)} KB |`,
      );
    }
    return lines.join('\n');
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await replica.stop();
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
    : Number.NaN;

function print(rows: Row[]) {
  const lines = [
    `| target | patients | calls | calls/s | p50 ms | p99 ms | errors | cross-patient answers |`,
    `|---|---|---|---|---|---|---|---|`,
    ...rows.map((r) => {
      const errors = [...r.errors.values()].reduce((a, b) => a + b, 0);
      return `| ${r.target} | ${PATIENTS} | ${r.calls} | ${(r.calls / r.seconds).toFixed(0)} | ${percentile(r.latencies, 50).toFixed(1)} | ${percentile(r.latencies, 99).toFixed(1)} | ${errors} | ${r.foreign} |`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  // This machine's speed drifts within minutes: the limit is measured first and last, and each
  // row is set against the mean of the two.
  const limits = rows.filter((r) => r.target.startsWith(LIMIT));
  const limit = limits.reduce((sum, r) => sum + r.calls / r.seconds, 0) / limits.length;
  process.stdout.write(
    `  the limit: ${limit.toFixed(0)} calls/s (mean of the first and last rows)\n`,
  );
  // A paced row answers the rate it was sent: its share of the limit says nothing.
  for (const r of rows.filter((one) => !limits.includes(one) && !one.paced))
    process.stdout.write(
      `  ${r.target}: ${((100 * r.calls) / r.seconds / limit).toFixed(0)} % of the direct-HTTP limit\n`,
    );
  for (const r of rows)
    for (const [what, n] of r.errors) process.stdout.write(`  ${r.target}: ${n} × ${what}\n`);
  printCpu(rows, limits);
}

const CPU_PARTS: Array<[CpuPart, string]> = [
  ['client', 'load client'],
  ['portal', 'portal'],
  ['nginx', 'nginx'],
  ['replicas', 'replicas'],
];
const cpuTotal = (r: Row) => Object.values(r.cpu).reduce((a, b) => a + b, 0);

/**
 * Where the machine's CPU goes a call. Every process of a row shares this machine's cores and
 * keeps them busy, so a row's calls/s against the limit's is about the inverse of their CPU a
 * call: 50 % of the limit through nginx needs the whole row at no more than twice the limit's CPU
 * a call, which leaves the replicas what the client, the portal and nginx do not use.
 */
function printCpu(rows: Row[], limits: Row[]) {
  const ms = (value: number | undefined) => (value === undefined ? '' : value.toFixed(3));
  const lines = [
    `| target | ${CPU_PARTS.map(([, label]) => label).join(' | ')} | all |`,
    `|---|${CPU_PARTS.map(() => '---|').join('')}---|`,
    ...rows.map(
      (r) =>
        `| ${r.target} | ${CPU_PARTS.map(([part]) => ms(r.cpu[part])).join(' | ')} | ${ms(cpuTotal(r))} |`,
    ),
  ];
  process.stdout.write(
    `\nCPU a call, by process (ms; /proc's user + system time over the row, 10 ms steps):\n${lines.join('\n')}\n`,
  );
  const limitCpu = limits.reduce((sum, r) => sum + cpuTotal(r), 0) / limits.length;
  for (const r of rows.filter((one) => one.cpu.nginx !== undefined && !one.paced)) {
    const others = cpuTotal(r) - (r.cpu.replicas ?? 0);
    process.stdout.write(
      `  ${r.target}: the replicas use ${ms(r.cpu.replicas)} ms a call; 50 % of the limit leaves them ${ms(2 * limitCpu - others)} (twice the limit's ${ms(limitCpu)}, less the others' ${ms(others)})\n`,
    );
  }
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  // `nginx -v` prints its version on stderr.
  const nginx =
    spawnSync(NGINX_BIN, ['-v'], { encoding: 'utf8' }).stderr?.trim() || 'nginx missing';
  const load = os.loadavg()[0]?.toFixed(2);
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${nginx.replace('nginx version: ', '')}, load average ${load} at the start`;
}

async function main() {
  process.stdout.write(
    `Remote mode under load: ${PATIENTS} patients, ${SECONDS} s per row, ${SDK_CLIENT ? 'SDK' : 'lean'} client, reads mixed ${MIX.map(([n, , s]) => `${n} ${s * 100}%`).join(', ')}; replicas with serve ${REPLICA_ARGS.join(' ')}, logging at ${LOG_LEVEL} (each patient calls back to back, except in the paced rows: ${PACED_RATE} calls/s in all)\nMachine: ${machine()}\n\n`,
  );
  const sandbox = await startSandbox();
  const rows: Row[] = [];
  const portal = { portal: [sandbox.child.pid!] };
  let cluster: Cluster | null = null;
  let memory = '';
  try {
    rows.push(
      await load(
        `${LIMIT} (the limit)`,
        portalTarget(sandbox.url, sandbox.patients),
        sandbox.patients,
        portal,
      ),
    );
    cluster = await startCluster({
      replicas: 2,
      port: 0,
      portalUrl: sandbox.url,
      replicaArgs: REPLICA_ARGS,
      env: { HOSPIAI_MCP_LOG_LEVEL: LOG_LEVEL },
    });
    const throughNginx = {
      ...portal,
      nginx: withChildren(cluster.nginx.pid!),
      replicas: cluster.replicas.map((replica) => replica.child.pid!),
    };
    rows.push(
      await load(
        'nginx → 2 replicas',
        await mcpTarget(cluster.publicUrl, sandbox.patients),
        sandbox.patients,
        throughNginx,
      ),
    );
    rows.push(
      await load(
        'nginx → 2 replicas, 2026-07-28 (stateless)',
        await mcpTarget(cluster.publicUrl, sandbox.patients, 'stateless'),
        sandbox.patients,
        throughNginx,
      ),
    );
    rows.push(
      await load(
        `nginx → 2 replicas, paced at ${PACED_RATE} calls/s`,
        await mcpTarget(cluster.publicUrl, sandbox.patients),
        sandbox.patients,
        throughNginx,
        PACED_RATE,
      ),
    );
    rows.push(
      await load(
        `nginx → 2 replicas, 2026-07-28, paced at ${PACED_RATE} calls/s`,
        await mcpTarget(cluster.publicUrl, sandbox.patients, 'stateless'),
        sandbox.patients,
        throughNginx,
        PACED_RATE,
      ),
    );
    await cluster.stop();
    cluster = null;
    const single = await startRemoteServer({
      portalUrl: sandbox.url,
      args: REPLICA_ARGS,
      env: { HOSPIAI_MCP_LOG_LEVEL: LOG_LEVEL },
      // BENCH_PROFILE_DIR=…: the single replica writes a V8 CPU profile there as it stops.
      nodeArgs: process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : [],
    });
    const direct = { ...portal, replicas: [single.child.pid!] };
    try {
      rows.push(
        await load(
          '1 replica, direct',
          await mcpTarget(single.mcpUrl, sandbox.patients),
          sandbox.patients,
          direct,
        ),
      );
      rows.push(
        await load(
          '1 replica, direct, 2026-07-28 (stateless)',
          await mcpTarget(single.mcpUrl, sandbox.patients, 'stateless'),
          sandbox.patients,
          direct,
        ),
      );
    } finally {
      await single.stop();
    }
    rows.push(
      await load(
        `${LIMIT} again`,
        portalTarget(sandbox.url, sandbox.patients),
        sandbox.patients,
        portal,
      ),
    );
    memory = await memoryPerSession(sandbox.url, sandbox.patients);
  } finally {
    await cluster?.stop();
    sandbox.child.kill('SIGTERM');
  }
  print(rows);
  process.stdout.write(`\nMemory per open session (one replica):\n${memory}\n`);
  const foreign = rows.reduce((n, r) => n + r.foreign, 0);
  process.stdout.write(
    foreign === 0
      ? `Cross-patient check: every answer belonged to its caller (${rows.reduce((n, r) => n + r.calls, 0)} calls).\n`
      : `Cross-patient check FAILED: ${foreign} answers held another patient's data.\n`,
  );
  process.exitCode = foreign === 0 ? 0 : 1;
}

await main();
