import { describe, expect, it } from 'vitest';
import { PRODUCTION_PORTAL_ORIGIN } from '../../../extension/config/portal-origin';
import { ASSISTANTS, assistantGuide, detectOs } from '../../../extension/setup/assistant-setup';
import { setup } from '../../../relay/commands/setup';
import { silentLogger } from '../../../relay/logger';
import { CLIENT_IDS, CLIENTS, displayPath, OS_IDS } from '../../../relay/setup/clients';
import { renderAddCommand, renderSnippet } from '../../../relay/setup/snippet';

const SANDBOX = 'http://127.0.0.1:47600';

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
        const guide = assistantGuide(client.id, { os, portalOrigin: PRODUCTION_PORTAL_ORIGIN });
        expect(guide.snippet, `${client.id} ${os}`).toBe(renderSnippet(client.id, { os }));
        expect(guide.addCommand, `${client.id} ${os}`).toBe(renderAddCommand(client.id, { os }));
        expect(guide.configPath).toBe(displayPath(client, os));
        expect(guide.setupCommand).toBe(`npx hospiai-mcp setup ${client.id}`);
        expect(guide.snippet).not.toMatch(/token/i);
      }
    }
  });

  it('points the relay at the portal the extension uses when it is not production', () => {
    for (const client of CLIENTS) {
      const guide = assistantGuide(client.id, { os: 'linux', portalOrigin: SANDBOX });
      expect(guide.snippet).toBe(renderSnippet(client.id, { os: 'linux', portal: SANDBOX }));
      expect(guide.snippet).toContain(SANDBOX);
      expect(guide.setupCommand).toBe(`npx hospiai-mcp setup ${client.id} --portal ${SANDBOX}`);
    }
  });

  it('gives Claude Code its own `claude mcp add` command, and other clients none', () => {
    expect(assistantGuide('claude-code', { os: 'macos' }).addCommand).toBe(
      'claude mcp add --transport stdio --scope user hospiai -- npx -y hospiai-mcp',
    );
    expect(assistantGuide('cursor', { os: 'macos' }).addCommand).toBeNull();
  });

  it('shows what `hospiai-mcp setup <client> --print` prints', async () => {
    for (const os of OS_IDS) {
      for (const clientId of ['claude-desktop', 'claude-code', 'goose', 'mistral-vibe'] as const) {
        const printed = await setupPrints([clientId, '--print', '--os', os, '--portal', SANDBOX]);
        const guide = assistantGuide(clientId, { os, portalOrigin: SANDBOX });
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
