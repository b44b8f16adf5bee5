import { describe, expect, it } from 'vitest';
import { configuredCommand } from '../../../relay/doctor/configured-command';
import { CLIENT_IDS, getClient, relayLaunch } from '../../../relay/setup/clients';
import { renderSnippet } from '../../../relay/setup/snippet';

describe('doctor: the command a client configuration names', () => {
  it.each(CLIENT_IDS)('%s: reads back the command, args and env that setup writes', (id) => {
    const options = {
      os: 'linux' as const,
      portal: 'https://portal.example.fr',
      relay: { kind: 'local' as const, node: '/usr/bin/node', bundle: '/opt/h/hospiai-mcp.mjs' },
    };
    const launch = relayLaunch(getClient(id), options);
    expect(configuredCommand(getClient(id), renderSnippet(id, options))).toEqual(launch);
  });

  it('finds no command in a Codex file whose hospiai table is elsewhere', () => {
    const text = '[mcp_servers.other]\ncommand = "x"\n# hospiai\n';
    expect(configuredCommand(getClient('codex'), text)).toBeNull();
  });
});
