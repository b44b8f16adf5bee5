import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { registerRelay, unregisterRelay } from '../../../relay/bridge/relay-registry';
import { doctor } from '../../../relay/commands/doctor';
import type { Finding } from '../../../relay/doctor/checks';
import { silentLogger } from '../../../relay/logger';
import { DEMO_PATIENTS, type SandboxPortal, startSandboxPortal } from '../../sandbox/portal';
import { startFakeRelay } from '../../support/bridge-test-client';
import { freePortRange } from '../../support/free-ports';
import { pairedBridge, startTestBridge, tempHome } from '../bridge/bridge-fixture';

let portal: SandboxPortal;
beforeAll(async () => {
  portal = await startSandboxPortal();
});
afterAll(() => portal.close());

async function runDoctor(env: NodeJS.ProcessEnv) {
  const lines: string[] = [];
  const code = await doctor({
    args: ['--json'],
    env,
    home: env.HOSPIAI_MCP_HOME ?? '',
    out: (text) => lines.push(text),
    err: (text) => lines.push(text),
    logger: silentLogger,
  });
  const report = JSON.parse(lines.join('')) as { ok: boolean; findings: Finding[] };
  const firstBroken = report.findings.find((f) => f.status === 'broken');
  return {
    code,
    report,
    firstBroken,
    find: (check: string) => report.findings.find((f) => f.check.startsWith(check)),
  };
}

async function baseEnv(extra: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const home = await tempHome();
  const ports = await freePortRange(2);
  return {
    HOME: path.dirname(home),
    HOSPIAI_MCP_HOME: home,
    HOSPIAI_URL: portal.url,
    HOSPIAI_MCP_PORTS: ports.env,
    ...extra,
  };
}

async function token(scopes: string[]) {
  return portal.issueToken({ email: DEMO_PATIENTS[0]!.email, scopes });
}

describe('hospiai-mcp doctor', () => {
  it('names pairing as the first broken link on a fresh install, and exits 1', async () => {
    const result = await runDoctor(await baseEnv());
    expect(result.code).toBe(1);
    expect(result.firstBroken?.check).toBe('pairing');
    expect(result.firstBroken?.fix).toContain('hospiai-mcp pair');
    expect(result.firstBroken?.fix).toMatch(/Show a code.*give that code to your AI assistant/);
    expect(result.find('portal')?.status).toBe('ok');
  });

  it('finds the paired relay on its port, with its AI client and token state', async () => {
    const ports = await freePortRange(2);
    const { home } = await pairedBridge({
      ports: { first: ports.first, last: ports.last },
      getStatus: () => ({
        mcpClient: { name: 'Claude Desktop', version: '1' },
        token: { state: 'active', source: 'extension', tokenId: 't1' },
      }),
    });
    const result = await runDoctor({
      HOME: path.dirname(home),
      HOSPIAI_MCP_HOME: home,
      HOSPIAI_URL: portal.url,
      HOSPIAI_MCP_PORTS: ports.env,
    });
    expect(result.find(`bridge port ${ports.first}`)).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('Claude Desktop'),
    });
    expect(result.find('token')).toMatchObject({ status: 'ok' });
    expect(result.firstBroken).toBeUndefined();
    expect(result.code).toBe(0);
  });

  it('says a program on the port is not your relay when it cannot prove itself', async () => {
    const squatter = await startFakeRelay();
    onTestFinished(() => squatter.close());
    const { home } = await pairedBridge();
    const result = await runDoctor({
      HOME: path.dirname(home),
      HOSPIAI_MCP_HOME: home,
      HOSPIAI_URL: portal.url,
      HOSPIAI_MCP_PORTS: String(squatter.port),
    });
    expect(result.find(`bridge port ${squatter.port}`)?.detail).toContain(
      `a program on port ${squatter.port} is not your relay`,
    );
    expect(squatter.received.map((f) => (f as { type: string }).type)).not.toContain('proof');
  });

  it('calls an unpaired relay of this user “your relay, not paired yet”, not a stranger, and does not say no relay runs', async () => {
    const { bridge, home } = await startTestBridge();
    // What the stdio relay does as its bridge listens (relay/stdio-relay.ts).
    await registerRelay(home, { port: bridge.port, pid: process.pid, relayId: bridge.relayId });
    const env = {
      HOME: path.dirname(home),
      HOSPIAI_MCP_HOME: home,
      HOSPIAI_URL: portal.url,
      HOSPIAI_MCP_PORTS: String(bridge.port),
    };
    const result = await runDoctor(env);
    const port = result.find(`bridge port ${bridge.port}`);
    expect(port?.detail).toMatch(/^your relay, not paired yet/);
    expect(port?.detail).not.toMatch(/not your relay/);
    expect(port?.fix).toContain('Show a code');
    expect(result.find('token')?.detail).toMatch(/not paired yet/);
    expect(JSON.stringify(result.report)).not.toMatch(/no relay is running/);
    expect(result.firstBroken?.check).toBe('pairing');

    // The same port without this user's record (another user's program): a stranger.
    await unregisterRelay(home, bridge.port);
    const stranger = await runDoctor(env);
    expect(stranger.find(`bridge port ${bridge.port}`)?.detail).toMatch(/is not your relay/);
  });

  it('speaks French under LANG=fr_FR.UTF-8 and HOSPIAI_MCP_LANG=fr, with dates in French', async () => {
    const { home } = await startTestBridge();
    const lines: string[] = [];
    const issued = await token(['read:data']);
    for (const lang of [{ LANG: 'fr_FR.UTF-8' }, { LANG: 'en_US.UTF-8', HOSPIAI_MCP_LANG: 'fr' }]) {
      lines.length = 0;
      await doctor({
        args: [],
        env: {
          HOME: path.dirname(home),
          HOSPIAI_MCP_HOME: home,
          HOSPIAI_URL: portal.url,
          HOSPIAI_MCP_PORTS: (await freePortRange(1)).env,
          HOSPIAI_TOKEN: issued.token,
          ...lang,
        },
        home,
        out: (text) => lines.push(text),
        err: (text) => lines.push(text),
        logger: silentLogger,
      });
      const text = lines.join('\n');
      expect(text).toContain('appairage');
      expect(text).toContain('jeton (HOSPIAI_TOKEN)');
      expect(text).toMatch(/expire le \d{1,2} [a-zéû]+ \d{4} à \d{2}:\d{2}/);
      expect(text).toContain('Premier maillon cassé');
      expect(text).not.toMatch(/First broken link|no browser extension/);
    }
  });

  it('reports a full port range as broken', async () => {
    const ports = await freePortRange(1);
    // Another program holds the only port: it accepts connections and says nothing.
    const sockets: net.Socket[] = [];
    const blocker = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => blocker.listen(ports.first, '127.0.0.1', resolve));
    onTestFinished(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => blocker.close(() => resolve()));
    });
    const { home } = await pairedBridge();
    const result = await runDoctor({
      HOME: path.dirname(home),
      HOSPIAI_MCP_HOME: home,
      HOSPIAI_URL: portal.url,
      HOSPIAI_MCP_PORTS: ports.env,
    });
    expect(result.firstBroken?.check).toBe('bridge ports');
  });

  it('maps the seed’s troubleshooting: “Connection refused”, “Token invalide”, “Insufficient permissions”', async () => {
    const refused = await runDoctor(await baseEnv({ HOSPIAI_URL: 'http://127.0.0.1:9' }));
    expect(refused.find('portal')).toMatchObject({
      status: 'broken',
      detail: expect.stringContaining('Connection refused'),
    });

    const invalid = await runDoctor(
      await baseEnv({ HOSPIAI_TOKEN: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' }),
    );
    expect(invalid.find('token')).toMatchObject({
      status: 'broken',
      detail: expect.stringContaining('Token invalide'),
    });

    const readOnly = await token(['read:data']);
    const narrow = await runDoctor(await baseEnv({ HOSPIAI_TOKEN: readOnly.token }));
    expect(narrow.find('token scopes')).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('Insufficient permissions'),
    });
    expect(JSON.stringify(narrow.report)).not.toContain(readOnly.token);
  });

  it('tells a revoked and an expired HOSPIAI_TOKEN apart', async () => {
    const revoked = await token(['read:data']);
    portal.revokeToken(revoked.id);
    expect(
      (await runDoctor(await baseEnv({ HOSPIAI_TOKEN: revoked.token }))).find('token')?.detail,
    ).toContain('TOKEN_REVOKED');
    const expired = await portal.issueToken({
      email: DEMO_PATIENTS[0]!.email,
      scopes: ['read:data'],
      expiresInSeconds: -10,
    });
    expect(
      (await runDoctor(await baseEnv({ HOSPIAI_TOKEN: expired.token }))).find('token')?.detail,
    ).toContain('TOKEN_EXPIRED');
  });

  it('lists configured AI clients and warns about a token left in clear in a config', async () => {
    const env = await baseEnv();
    const file = path.join(env.HOME!, '.cursor', 'mcp.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      JSON.stringify({
        mcpServers: {
          hospiai: { command: 'npx', args: ['-y', 'hospiai-mcp'], env: { HOSPIAI_TOKEN: 'x' } },
        },
      }),
    );
    const result = await runDoctor(env);
    expect(result.find('AI clients')?.detail).toContain('Cursor');
    expect(result.find('AI client Cursor config')?.status).toBe('warn');
    // The old bare name is never started: whoever registers it would run.
    expect(result.find('AI client Cursor')).toMatchObject({
      status: 'broken',
      detail: expect.stringContaining('without an exact version'),
    });
  });

  it('starts each configured command as the client would: “configured” means “starts”', async () => {
    const env = await baseEnv();
    const write = async (relative: string, servers: Record<string, unknown>) => {
      const file = path.join(env.HOME!, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, JSON.stringify({ mcpServers: servers }));
    };
    // Answers initialize like any MCP server; reads HOSPIAI_URL from the entry's env.
    const fakeServer = `process.stdin.once('data', () => process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-11-25', capabilities: {}, serverInfo: { name: 'hospiai', version: process.env.HOSPIAI_URL === 'x' ? 'env-ok' : 'no-env' } } }) + '\\n')); setInterval(() => {}, 1000);`;
    await write('.cursor/mcp.json', {
      hospiai: { command: process.execPath, args: ['-e', fakeServer], env: { HOSPIAI_URL: 'x' } },
    });
    await write('.codeium/windsurf/mcp_config.json', {
      hospiai: { command: process.execPath, args: ['-e', 'process.exit(3)'] },
    });
    const result = await runDoctor(env);
    expect(result.find('AI client Cursor')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining('hospiai env-ok'),
    });
    expect(result.find('AI client Windsurf')).toMatchObject({
      status: 'broken',
      detail: expect.stringContaining('exited (code 3)'),
      fix: expect.stringContaining('setup windsurf --force'),
    });
  });

  it('refuses a bad configuration first, with the variable to fix', async () => {
    const result = await runDoctor(await baseEnv({ HOSPIAI_URL: 'http://hospital.example' }));
    expect(result.firstBroken).toMatchObject({
      check: 'configuration',
      detail: expect.stringContaining('https'),
    });
  });
});
