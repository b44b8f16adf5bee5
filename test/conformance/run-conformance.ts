/**
 * `npm run conformance`: the MCP conformance suite (`@modelcontextprotocol/conformance` 0.1.16,
 * which needs Node ≥ 22: both are fetched from npm into a scratch directory) against remote
 * mode's `serve --http`, for the server scenarios that apply to it; then the suite's
 * authorization-server scenarios (0.2.0-alpha.12, the first with them: RFC 8414 metadata with
 * Client ID Metadata Documents, and the authorization-code grant with PKCE, RFC 8707 and RFC
 * 9207 checked) against its sign-in — the patient's browser played by a script that answers the
 * consent page with a sandbox patient's token.
 *
 * The suite's client sends no Authorization header, and every request to this server needs the
 * patient's token; a small pass-through proxy adds a sandbox patient's bearer, as the patient's
 * AI client would, and changes nothing else (Host and Origin go through as sent). Exits non-zero
 * when an applicable scenario fails. `-- --all` also runs every other server scenario, for
 * information: they need the suite's own fixture tools, resources and prompts.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { DEMO_PATIENTS, startSandboxPortal } from '../sandbox/portal';
import { answerConsent } from '../support/oauth-patient';
import { startRemoteServer } from '../support/remote-server';

const CONFORMANCE = '@modelcontextprotocol/conformance@0.1.16';
const SCRATCH = process.env.CONFORMANCE_DIR ?? path.join(os.tmpdir(), 'hospiai-conformance');
/** The suite's authorization-server scenarios: a pre-release, in a scratch directory of its own. */
const AUTH_CONFORMANCE = '@modelcontextprotocol/conformance@0.2.0-alpha.12';
const AUTH_SCRATCH = `${SCRATCH}-authorization`;

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

function ensureAuthorizationSuite(): string {
  const cli = path.join(
    AUTH_SCRATCH,
    'node_modules/@modelcontextprotocol/conformance/dist/index.js',
  );
  if (!existsSync(cli)) {
    process.stdout.write(`Fetching ${AUTH_CONFORMANCE} into ${AUTH_SCRATCH}…\n`);
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefix', AUTH_SCRATCH, AUTH_CONFORMANCE],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  return cli;
}

/**
 * The suite's `authorization` command against the sign-in of `serve --http`: a client registered
 * (RFC 7591) with the suite's callback, then the authorization URL the suite prints is answered
 * as a patient would — the consent page, a HospiAI token pasted, Allow — and the browser's
 * redirect delivered to the suite's callback server. Its summary lines, and whether all passed.
 */
async function authorizationScenarios(
  node: string,
  cli: string,
  issuer: string,
  resource: string,
  portalToken: string,
): Promise<{ ok: boolean; lines: string[] }> {
  const callbackPort = await freePort();
  const registered = (await (
    await fetch(`${issuer}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'MCP conformance suite',
        redirect_uris: [`http://127.0.0.1:${callbackPort}/callback`],
      }),
    })
  ).json()) as { client_id: string };
  const child = spawn(node, [
    cli,
    'authorization',
    '--url',
    issuer,
    '--client-id',
    registered.client_id,
    '--resource',
    resource,
    '--port',
    String(callbackPort),
  ]);
  let output = '';
  let answered = false;
  const onOutput = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    const asked = /(https?:\/\/\S+\/oauth\/authorize\?\S+)/.exec(stripVTControlCharacters(output));
    if (!asked?.[1] || answered) return;
    answered = true;
    void answerConsent(new URL(asked[1]), { portalToken }).then((consent) =>
      consent.location ? fetch(consent.location).then((answer) => answer.text()) : undefined,
    );
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const text = stripVTControlCharacters(output);
  const lines = text.split('\n').filter((line) => /^[✓✗] |^Total: /.test(line.trim()));
  return { ok: code === 0 && /Total: \d+ passed, 0 failed/.test(text), lines };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
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
  let authorization: { ok: boolean; lines: string[] } = { ok: false, lines: [] };
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
    const signIn = await startRemoteServer({ portalUrl: portal.url });
    try {
      authorization = await authorizationScenarios(
        node,
        ensureAuthorizationSuite(),
        new URL(signIn.mcpUrl).origin,
        signIn.mcpUrl,
        token,
      );
    } finally {
      await signIn.stop();
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
      ? `\nAll ${APPLICABLE.length} applicable server scenarios pass.\n`
      : `\n${failed.length} applicable server scenario(s) failed.\n`,
  );
  process.stdout.write(
    `\nAuthorization-server scenarios (${AUTH_CONFORMANCE}) against the sign-in of serve --http:\n${authorization.lines.map((line) => `  ${line.trim()}`).join('\n')}\n`,
  );
  return failed.length === 0 && authorization.ok ? 0 : 1;
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
