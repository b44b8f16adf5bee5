/**
 * `npm run conformance`: the MCP conformance suite (`@modelcontextprotocol/conformance` 0.1.16,
 * which needs Node ≥ 22: both are fetched from npm into a scratch directory) against remote
 * mode's `serve --http`, for the server scenarios that apply to it.
 *
 * The suite's client sends no Authorization header, and every request to this server needs the
 * patient's token; a small pass-through proxy adds a sandbox patient's bearer, as the patient's
 * AI client would, and changes nothing else (Host and Origin go through as sent). Exits non-zero
 * when an applicable scenario fails. `-- --all` also runs every other server scenario, for
 * information: they need the suite's own fixture tools, resources and prompts.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { DEMO_PATIENTS, startSandboxPortal } from '../sandbox/portal';
import { startRemoteServer } from '../support/remote-server';

const CONFORMANCE = '@modelcontextprotocol/conformance@0.1.16';
const SCRATCH = process.env.CONFORMANCE_DIR ?? path.join(os.tmpdir(), 'hospiai-conformance');

/** Scenarios that test what this server offers: lifecycle, ping, tools/list, DNS rebinding. */
export const APPLICABLE = ['server-initialize', 'ping', 'tools-list', 'dns-rebinding-protection'];
/** Why the others do not apply. */
const NOT_APPLICABLE =
  'need the suite’s fixture server (test_* tools, resources, prompts, completions, logging, sampling, server-initiated SSE streams), which a patient-data server does not offer';

/** Runs the suite's CLI without blocking this process (the proxy lives in it). */
async function suite(node: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(node, args, {
      timeout: 120_000,
      maxBuffer: 16 * 2 ** 20,
    });
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${failed.stdout ?? ''}${failed.stderr ?? failed.message}` };
  }
}

function ensureSuite(): { node: string; cli: string } {
  const node = path.join(SCRATCH, 'node_modules/node/bin/node');
  const cli = path.join(SCRATCH, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
  if (!existsSync(node) || !existsSync(cli)) {
    process.stdout.write(`Fetching node@22 and ${CONFORMANCE} into ${SCRATCH}…\n`);
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefix', SCRATCH, 'node@22', CONFORMANCE],
      {
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
  }
  return { node, cli };
}

/** Forwards every request to `target`, adding the bearer; Host, Origin and bodies untouched. */
function startBearerProxy(token: string) {
  let target = 0;
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: target,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, authorization: `Bearer ${token}` },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  return new Promise<{ port: number; to(port: number): void; close(): void }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        to: (port) => {
          target = port;
        },
        close: () => server.close(),
      }),
    ),
  );
}

async function main(): Promise<number> {
  const all = process.argv.includes('--all');
  const { node, cli } = ensureSuite();
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  const portal = await startSandboxPortal();
  const { token } = await portal.issueToken({
    email: DEMO_PATIENTS[0]!.email,
    scopes: ['read:data', 'book:appointments'],
  });
  const proxy = await startBearerProxy(token);
  const url = `http://localhost:${proxy.port}/mcp`;
  const server = await startRemoteServer({
    portalUrl: portal.url,
    args: ['--public-url', url, '--allowed-hosts', `127.0.0.1:${proxy.port}`],
    env: { HOSPIAI_MCP_LOG_LEVEL: 'warn' },
  });
  proxy.to(Number(new URL(server.localUrl).port));

  const listed = (await suite(node, [cli, 'list', '--server'])).output;
  const every = [...listed.matchAll(/^\s+- (\S+)/gm)].map((m) => m[1] as string);
  const scenarios = all ? every : APPLICABLE;
  const rows: Array<{ scenario: string; applies: boolean; passed: boolean; detail: string }> = [];
  try {
    for (const scenario of scenarios) {
      const run = await suite(node, [cli, 'server', '--url', url, '--scenario', scenario]);
      const output = run.output;
      const failures = [...stripVTControlCharacters(output).matchAll(/\bFAILURE\b[^\n]*/g)].map(
        (m) => stripVTControlCharacters(m[0]),
      );
      rows.push({
        scenario,
        applies: APPLICABLE.includes(scenario),
        passed: run.ok && failures.length === 0,
        detail: failures[0]?.slice(0, 140) ?? '',
      });
    }
  } finally {
    await server.stop();
    proxy.close();
    await portal.close();
  }
  process.stdout.write(
    `MCP conformance (${CONFORMANCE}, Node ${version}) against serve --http at ${url}\n\n`,
  );
  process.stdout.write('| scenario | applies | result |\n|---|---|---|\n');
  for (const r of rows)
    process.stdout.write(
      `| ${r.scenario} | ${r.applies ? 'yes' : 'no'} | ${r.passed ? 'pass' : `FAIL ${r.detail}`} |\n`,
    );
  if (!all)
    process.stdout.write(
      `\nNot run (${every.length - APPLICABLE.length} scenarios): they ${NOT_APPLICABLE}. \`npm run conformance -- --all\` runs them too.\n`,
    );
  const failed = rows.filter((r) => r.applies && !r.passed);
  process.stdout.write(
    failed.length === 0
      ? `\nAll ${APPLICABLE.length} applicable scenarios pass.\n`
      : `\n${failed.length} applicable scenario(s) failed.\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `conformance run failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
