/**
 * `npm run bench:remote`: remote mode under load, in one run. 100 simulated patients (each its
 * own token and MCP session, tools listed first) send a mix of reads for a fixed time:
 *  1. through nginx to 2 replicas of `serve --http`;
 *  2. to one replica directly.
 * Prints calls/s, p50/p99, errors and a cross-patient check (every answer belongs to its
 * caller: appointments, records and connection_status are compared with what the portal gives
 * that patient's token directly). Figures, not a test: exits 0 unless a cross-patient answer
 * was seen.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { type Cluster, NGINX_BIN, startCluster } from '../../relay/cluster/cluster-runner';
import { connectRemoteClient, startRemoteServer } from '../support/remote-server';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
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
}

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

async function load(target: string, url: string, patients: Patient[]): Promise<Row> {
  const clients = await Promise.all(
    patients.map((p) => connectRemoteClient({ url, token: p.token, name: 'bench' })),
  );
  const row: Row = {
    target,
    calls: 0,
    seconds: SECONDS,
    latencies: [],
    errors: new Map(),
    foreign: 0,
  };
  const until = performance.now() + SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    clients.map(async (client, i) => {
      const patient = patients[i]!;
      while (performance.now() < until) {
        const [tool, args] = pick();
        const t0 = performance.now();
        try {
          const result = await client.call(tool, args, 10_000);
          row.latencies.push(performance.now() - t0);
          if (result.isError) {
            const code = JSON.stringify(result.structuredContent ?? result.content).slice(0, 60);
            row.errors.set(code, (row.errors.get(code) ?? 0) + 1);
          } else if (!belongsTo(patient, tool, result.structuredContent)) row.foreign++;
        } catch (error) {
          const message = (error as Error).message.slice(0, 60);
          row.errors.set(message, (row.errors.get(message) ?? 0) + 1);
        }
        row.calls++;
      }
    }),
  );
  row.seconds = (performance.now() - started) / 1000;
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  row.latencies.sort((a, b) => a - b);
  return row;
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
  for (const r of rows)
    for (const [what, n] of r.errors) process.stdout.write(`  ${r.target}: ${n} × ${what}\n`);
}

function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  // `nginx -v` prints its version on stderr.
  const nginx =
    spawnSync(NGINX_BIN, ['-v'], { encoding: 'utf8' }).stderr?.trim() || 'nginx missing';
  return `${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${nginx.replace('nginx version: ', '')}`;
}

async function main() {
  process.stdout.write(
    `Remote mode under load: ${PATIENTS} patients, ${SECONDS} s per row, reads mixed ${MIX.map(([n, , s]) => `${n} ${s * 100}%`).join(', ')}\nMachine: ${machine()}\n\n`,
  );
  const sandbox = await startSandbox();
  const rows: Row[] = [];
  let cluster: Cluster | null = null;
  try {
    cluster = await startCluster({
      replicas: 2,
      port: 0,
      portalUrl: sandbox.url,
      env: { HOSPIAI_MCP_LOG_LEVEL: 'warn' },
    });
    rows.push(await load('nginx → 2 replicas', cluster.publicUrl, sandbox.patients));
    await cluster.stop();
    cluster = null;
    const single = await startRemoteServer({
      portalUrl: sandbox.url,
      env: { HOSPIAI_MCP_LOG_LEVEL: 'warn' },
    });
    try {
      rows.push(await load('1 replica, direct', single.mcpUrl, sandbox.patients));
    } finally {
      await single.stop();
    }
  } finally {
    await cluster?.stop();
    sandbox.child.kill('SIGTERM');
  }
  print(rows);
  const foreign = rows.reduce((n, r) => n + r.foreign, 0);
  process.stdout.write(
    foreign === 0
      ? `Cross-patient check: every answer belonged to its caller (${rows.reduce((n, r) => n + r.calls, 0)} calls).\n`
      : `Cross-patient check FAILED: ${foreign} answers held another patient's data.\n`,
  );
  process.exitCode = foreign === 0 ? 0 : 1;
}

await main();
