import { describe, expect, it } from 'vitest';
import { PRODUCTION_PORTAL_ORIGIN } from '../../../extension/config/portal-origin';
import { ASSISTANTS, assistantGuide, detectOs } from '../../../extension/setup/assistant-setup';
import { setup } from '../../../relay/commands/setup';
import { silentLogger } from '../../../relay/logger';
import { CLIENT_IDS, CLIENTS, displayPath, OS_IDS } from '../../../relay/setup/clients';
import { renderAddCommand, renderSnippet } from '../../../relay/setup/snippet';

const SANDBOX = 'http://127.0.0.1:47600';
const RELEASE = '0.1.0';
const REGISTRY = { kind: 'registry' as const, version: '1.4.2' };
const LOCAL = {
  kind: 'local' as const,
  node: '/usr/local/bin/node',
  bundle: '/Users/Jo Doe/hospiai-mcp/dist/hospiai-mcp.mjs',
};

/** `hospiai-mcp setup <args>` in-process, its stdout. */
async function setupPrints(args: string[]): Promise<string> {
  let stdout = '';
  const code = await setup({
    args,
    env: { HOME: '/home/patient', USERPROFILE: 'C:\\Users\\patient', APPDATA: 'C:\\AppData' },
    home: '/nonexistent',
    out: (text) => {
      stdout += text;
    },
    err: () => {},
    logger: silentLogger,
    relaySource: REGISTRY,
  });
  expect(code).toBe(0);
  return stdout;
}

describe('connect an AI assistant: the popup view model', () => {
  it('offers every client the relay can set up, by name, in the catalogue’s order', () => {
    expect(ASSISTANTS.map((assistant) => assistant.id)).toEqual([...CLIENT_IDS]);
    expect(ASSISTANTS[0]).toEqual({ id: 'claude-desktop', name: 'Claude Desktop' });
  });

  it('shows, for each client and OS, exactly the snippet and command the relay renders', () => {
    for (const client of CLIENTS) {
      for (const os of OS_IDS) {
        const guide = assistantGuide(client.id, {
          release: RELEASE,
          os,
          portalOrigin: PRODUCTION_PORTAL_ORIGIN,
          relay: REGISTRY,
        });
        const launch = { os, relay: REGISTRY };
        expect(guide.snippet, `${client.id} ${os}`).toBe(renderSnippet(client.id, launch));
        expect(guide.addCommand, `${client.id} ${os}`).toBe(renderAddCommand(client.id, launch));
        expect(guide.configPath).toBe(displayPath(client, os));
        expect(guide.setupCommand).toBe(`npx -y hospiai-mcp@1.4.2 setup ${client.id}`);
        expect(guide.snippet).not.toMatch(/token/i);
      }
    }
  });

  it('without a relay that said how it starts, shows how to install one and no command at all', () => {
    for (const client of CLIENTS) {
      const guide = assistantGuide(client.id, {
        release: RELEASE,
        os: 'linux',
        portalOrigin: SANDBOX,
      });
      expect(guide).toMatchObject({
        relay: null,
        snippet: null,
        addCommand: null,
        setupCommand: null,
        installLink: null,
      });
      expect(guide.usesBundle).toBe(client.id === 'claude-desktop');
    }
  });

  it('without a relay, names this release’s relay in exact commands, and the bundle needs none', () => {
    const cursor = assistantGuide('cursor', {
      release: RELEASE,
      os: 'linux',
      portalOrigin: SANDBOX,
    });
    expect(cursor.installCommands).toEqual([
      'npm install -g hospiai-mcp@0.1.0',
      `hospiai-mcp setup cursor --portal ${SANDBOX}`,
    ]);
    expect(cursor.bundlePortal).toBeNull();
    const production = assistantGuide('zed', {
      release: RELEASE,
      os: 'macos',
      portalOrigin: PRODUCTION_PORTAL_ORIGIN,
    });
    expect(production.installCommands).toEqual([
      'npm install -g hospiai-mcp@0.1.0',
      'hospiai-mcp setup zed',
    ]);
    const desktop = assistantGuide('claude-desktop', {
      release: RELEASE,
      os: 'macos',
      portalOrigin: SANDBOX,
    });
    expect(desktop).toMatchObject({
      usesBundle: true,
      installCommands: null,
      bundlePortal: SANDBOX,
    });
    expect(
      assistantGuide('claude-desktop', {
        release: RELEASE,
        os: 'macos',
        portalOrigin: PRODUCTION_PORTAL_ORIGIN,
      }).bundlePortal,
    ).toBeNull();
    // A paired relay says how it starts: its own commands replace the install ones.
    expect(
      assistantGuide('cursor', { release: RELEASE, os: 'linux', relay: REGISTRY }).installCommands,
    ).toBeNull();
  });

  it('a local relay runs by absolute paths, quoted for the OS', () => {
    const guide = assistantGuide('cursor', { release: RELEASE, os: 'macos', relay: LOCAL });
    expect(guide.setupCommand).toBe(
      "/usr/local/bin/node '/Users/Jo Doe/hospiai-mcp/dist/hospiai-mcp.mjs' setup cursor",
    );
    expect(guide.snippet).toContain('/Users/Jo Doe/hospiai-mcp/dist/hospiai-mcp.mjs');
  });

  it('gives VS Code and Cursor their documented one-click install links', () => {
    const vscode = assistantGuide('vscode', {
      release: RELEASE,
      os: 'linux',
      portalOrigin: SANDBOX,
      relay: LOCAL,
    });
    const prefix = 'vscode:mcp/install?';
    expect(vscode.installLink?.startsWith(prefix)).toBe(true);
    expect(JSON.parse(decodeURIComponent(vscode.installLink!.slice(prefix.length)))).toEqual({
      name: 'hospiai',
      command: LOCAL.node,
      args: [LOCAL.bundle],
      env: { HOSPIAI_URL: SANDBOX },
    });

    const cursor = assistantGuide('cursor', { release: RELEASE, os: 'linux', relay: REGISTRY });
    const url = new URL(cursor.installLink!);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe(
      'cursor://anysphere.cursor-deeplink/mcp/install',
    );
    expect(url.searchParams.get('name')).toBe('hospiai');
    expect(JSON.parse(Buffer.from(url.searchParams.get('config')!, 'base64').toString())).toEqual({
      command: 'npx',
      args: ['-y', 'hospiai-mcp@1.4.2'],
    });
    expect(
      assistantGuide('zed', { release: RELEASE, os: 'linux', relay: REGISTRY }).installLink,
    ).toBeNull();
  });

  it('points the relay at the portal the extension uses when it is not production', () => {
    for (const client of CLIENTS) {
      const guide = assistantGuide(client.id, {
        release: RELEASE,
        os: 'linux',
        portalOrigin: SANDBOX,
        relay: REGISTRY,
      });
      expect(guide.snippet).toBe(
        renderSnippet(client.id, { os: 'linux', portal: SANDBOX, relay: REGISTRY }),
      );
      expect(guide.snippet).toContain(SANDBOX);
      expect(guide.setupCommand).toBe(
        `npx -y hospiai-mcp@1.4.2 setup ${client.id} --portal ${SANDBOX}`,
      );
    }
  });

  it('gives Claude Code its own `claude mcp add` command, and other clients none', () => {
    expect(
      assistantGuide('claude-code', { release: RELEASE, os: 'macos', relay: REGISTRY }).addCommand,
    ).toBe('claude mcp add --transport stdio --scope user hospiai -- npx -y hospiai-mcp@1.4.2');
    expect(
      assistantGuide('cursor', { release: RELEASE, os: 'macos', relay: REGISTRY }).addCommand,
    ).toBeNull();
  });

  it('shows what `hospiai-mcp setup <client> --print` prints', async () => {
    for (const os of OS_IDS) {
      for (const clientId of ['claude-desktop', 'claude-code', 'goose', 'mistral-vibe'] as const) {
        const printed = await setupPrints([clientId, '--print', '--os', os, '--portal', SANDBOX]);
        const guide = assistantGuide(clientId, {
          release: RELEASE,
          os,
          portalOrigin: SANDBOX,
          relay: REGISTRY,
        });
        expect(printed).toContain(guide.snippet);
        if (guide.addCommand) expect(printed).toContain(guide.addCommand);
      }
    }
  });
});

describe('the OS shown first', () => {
  it('comes from userAgentData where the browser has it, else from navigator.platform', () => {
    expect(detectOs({ userAgentData: { platform: 'macOS' }, platform: 'Linux x86_64' })).toBe(
      'macos',
    );
    expect(detectOs({ userAgentData: { platform: 'Windows' } })).toBe('windows');
    expect(detectOs({ userAgentData: { platform: '' }, platform: 'Win32' })).toBe('windows');
    expect(detectOs({ platform: 'MacIntel' })).toBe('macos');
    expect(detectOs({ platform: 'Linux x86_64' })).toBe('linux');
  });

  it('is Linux when nothing says otherwise (ChromeOS runs Linux apps)', () => {
    expect(detectOs({ userAgentData: { platform: 'Chrome OS' } })).toBe('linux');
    expect(detectOs({})).toBe('linux');
  });
});
