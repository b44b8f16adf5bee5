import { parseJSONC, parseTOML, parseYAML } from 'confbox';
import { describe, expect, it } from 'vitest';
import { renderSnippet } from '../../../relay/commands/setup';
import { CLIENT_IDS, CLIENTS, relayLaunch } from '../../../relay/setup/clients';
import { renderAddCommand } from '../../../relay/setup/snippet';

describe('renderSnippet', () => {
  it.each(CLIENT_IDS)('%s: the snippet holds exactly the entry setup writes', (id) => {
    const client = CLIENTS.find((candidate) => candidate.id === id)!;
    const options = { os: 'macos' as const, portal: 'https://portal.example.fr' };
    const snippet = renderSnippet(id, options);
    const entry = client.entry(relayLaunch(client, options));
    if (client.format === 'json')
      expect(parseJSONC(snippet)).toEqual({ [client.container]: { hospiai: entry } });
    else if (client.format === 'toml')
      expect(parseTOML(snippet)).toEqual({ [client.table]: [entry] });
    else if (client.layout === 'list')
      expect(parseYAML(snippet)).toEqual({ [client.container]: [entry] });
    else expect(parseYAML(snippet)).toEqual({ [client.container]: { hospiai: entry } });
    expect(snippet).not.toMatch(/TOKEN|eyJ/);
  });

  it('quotes the Claude Code command for the shell of the OS', () => {
    const options = { relayPath: '/Users/Jo Doe/hospiai/dist/hospiai-mcp.mjs' };
    expect(renderAddCommand('claude-code', { os: 'macos', ...options })).toBe(
      "claude mcp add --transport stdio --scope user hospiai -- node '/Users/Jo Doe/hospiai/dist/hospiai-mcp.mjs'",
    );
    expect(renderAddCommand('claude-code', { os: 'windows', relayPath: 'C:\\Jo Doe\\r.mjs' })).toBe(
      'claude mcp add --transport stdio --scope user hospiai -- node "C:\\Jo Doe\\r.mjs"',
    );
    expect(renderAddCommand('cursor', { os: 'linux' })).toBeNull();
  });
});
