/**
 * The configuration text for one client, as a user would paste it: what `setup --print` shows
 * and what the popup's "connect an AI assistant" view will show. Pure, no Node APIs.
 */
import {
  type ClientId,
  type ClientSpec,
  getClient,
  type LaunchOptions,
  relayLaunch,
  SERVER_NAME,
} from './clients';
import { tomlArrayTableLines, tomlKeyedTableLines } from './toml-block';
import { yamlMappingLines, yamlSequenceItemLines } from './yaml-block';

export type SnippetOptions = LaunchOptions;

/** The smallest file holding our entry, in the client's format. */
export function renderSnippet(clientId: ClientId, options: SnippetOptions): string {
  const client = getClient(clientId);
  const entry = client.entry(relayLaunch(client, options));
  switch (client.format) {
    case 'json':
      return `${JSON.stringify({ [client.container]: { [SERVER_NAME]: entry } }, null, 2)}\n`;
    case 'yaml': {
      const block =
        client.layout === 'map'
          ? [`  ${SERVER_NAME}:`, ...yamlMappingLines(entry, 4)]
          : yamlSequenceItemLines(entry, 2);
      return `${[`${client.container}:`, ...block].join('\n')}\n`;
    }
    case 'toml': {
      const lines =
        client.layout === 'keyed'
          ? tomlKeyedTableLines(client.table, SERVER_NAME, entry)
          : tomlArrayTableLines(client.table, entry);
      return `${lines.join('\n')}\n`;
    }
  }
}

/** The client's own command that adds the same entry, where it has one (Claude Code). */
export function renderAddCommand(clientId: ClientId, options: SnippetOptions): string | null {
  const client: ClientSpec = getClient(clientId);
  if (client.id !== 'claude-code') return null;
  const launch = relayLaunch(client, options);
  const env = Object.entries(launch.env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  const words = ['claude', 'mcp', 'add', '--transport', 'stdio', '--scope', 'user', ...env];
  const quote = options.os === 'windows' ? quoteWindows : quotePosix;
  return [...words, SERVER_NAME, '--', launch.command, ...launch.args].map(quote).join(' ');
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

function quotePosix(word: string): string {
  return SAFE_WORD.test(word) ? word : `'${word.replaceAll("'", `'"'"'`)}'`;
}

function quoteWindows(word: string): string {
  return SAFE_WORD.test(word) ? word : `"${word.replaceAll('"', '""')}"`;
}
