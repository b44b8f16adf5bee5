import { parseJSONC, parseTOML, parseYAML } from 'confbox';
import { describe, expect, it } from 'vitest';
import { renderSnippet } from '../../../relay/commands/setup';
import { CLIENT_IDS, CLIENTS, relayLaunch } from '../../../relay/setup/clients';
import { renderAddCommand } from '../../../relay/setup/snippet';

describe('renderSnippet', () => {
  it.each(CLIENT_IDS)('%s: the snippet holds exactly the entry setup writes', (id) => {
    const client = CLIENTS.find((candidate) => candidate.id === id)!;
    const options = {
      os: 'macos' as const,
      portal: 'https://portal.example.fr',
      relay: { kind: 'registry' as const, version: '1.2.3' },
    };
    const snippet = renderSnippet(id, options);
    const entry = client.entry(relayLaunch(client, options));
    if (client.format === 'json')
      expect(parseJSONC(snippet)).toEqual({ [client.container]: { hospiai: entry } });
    else if (client.format === 'toml')
      expect(parseTOML(snippet)).toEqual({
        [client.table]: client.layout === 'keyed' ? { hospiai: entry } : [entry],
      });
    else if (client.layout === 'list')
      expect(parseYAML(snippet)).toEqual({ [client.container]: [entry] });
    else expect(parseYAML(snippet)).toEqual({ [client.container]: { hospiai: entry } });
    expect(snippet).not.toMatch(/TOKEN|eyJ/);
    expect(snippet).toContain('hospiai-mcp@1.2.3');
  });

  it('never writes a bare or ranged package name', () => {
    const client = CLIENTS[0]!;
    for (const version of ['', 'latest', '^1.2.3', '1.x', '1.2']) {
      expect(() =>
        relayLaunch(client, { os: 'linux', relay: { kind: 'registry', version } }),
      ).toThrow(/exact version/);
    }
  });

  it('quotes the Claude Code command for the shell of the OS', () => {
    const relay = {
      kind: 'local' as const,
      node: '/usr/local/bin/node',
      bundle: '/Users/Jo Doe/hospiai/dist/hospiai-mcp.mjs',
    };
    expect(renderAddCommand('claude-code', { os: 'macos', relay })).toBe(
      "claude mcp add --transport stdio --scope user hospiai -- /usr/local/bin/node '/Users/Jo Doe/hospiai/dist/hospiai-mcp.mjs'",
    );
    const windows = {
      kind: 'local' as const,
      node: 'C:\\Program Files\\nodejs\\node.exe',
      bundle: 'C:\\Jo Doe\\r.mjs',
    };
    expect(renderAddCommand('claude-code', { os: 'windows', relay: windows })).toBe(
      'claude mcp add --transport stdio --scope user hospiai -- "C:\\Program Files\\nodejs\\node.exe" "C:\\Jo Doe\\r.mjs"',
    );
    expect(renderAddCommand('cursor', { os: 'linux', relay })).toBeNull();
  });
});
