/**
 * The AI clients `hospiai-mcp setup` knows: where each keeps its MCP configuration on each OS
 * (the paths their documentation gives), in which format, and the entry that starts the relay.
 * Pure data, no Node APIs: the extension's popup reuses it to show the same snippets.
 *
 * No entry ever carries a token: the relay gets it from the extension over the paired bridge.
 * The only environment variable written is HOSPIAI_URL, and only when a portal URL is given.
 * (Over 250 lines: one data entry per AI client.)
 */

import type { RelaySource } from '../protocol/protocol';

export const OS_IDS = ['macos', 'windows', 'linux'] as const;
export type OsId = (typeof OS_IDS)[number];

export const CLIENT_IDS = [
  'claude-desktop',
  'claude-code',
  'cursor',
  'vscode',
  'windsurf',
  'zed',
  'mistral-vibe',
  'goose',
  'lmstudio',
  'continue',
  'gemini-cli',
  'codex',
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

/** The name of our server entry in every client's configuration. */
export const SERVER_NAME = 'hospiai';
/** The npm package whose bin is the relay. */
export const RELAY_PACKAGE = 'hospiai-mcp';

export type ConfigValue = string | number | boolean | null | ConfigValue[] | ConfigMap;
export interface ConfigMap {
  [key: string]: ConfigValue;
}

/**
 * A directory the OS gives each user, and the path below it.
 * `home`: HOME / %USERPROFILE%; `appData`: %APPDATA% (Windows only);
 * `xdgConfig`: $XDG_CONFIG_HOME or ~/.config (Linux; plain ~/.config on macOS).
 */
export interface ConfigLocation {
  base: 'home' | 'appData' | 'xdgConfig';
  segments: readonly string[];
}

/** How the relay is started: `<node> <bundle>` (absolute paths), or `npx -y hospiai-mcp@X.Y.Z`. */
export interface RelayLaunch {
  command: string;
  args: string[];
  /** Empty unless a portal URL was given. */
  env: Record<string, string>;
}

interface ClientBase {
  id: ClientId;
  name: string;
  /** The client's own documentation of this configuration. */
  docs: string;
  paths: Readonly<Record<OsId, ConfigLocation>>;
  note?: string;
}

/** A JSON file with our entry at `<container>.hospiai`. */
export interface JsonClient extends ClientBase {
  format: 'json';
  container: string;
  /** The client reads JSON with comments and trailing commas (VS Code, Zed). */
  jsonc: boolean;
  entry(launch: RelayLaunch): ConfigMap;
}

/** A YAML file: a mapping keyed by server name (`map`) or a list of items with `name` (`list`). */
export interface YamlClient extends ClientBase {
  format: 'yaml';
  container: string;
  layout: 'map' | 'list';
  /** Top-level lines a new file needs before our block. */
  newFileHeader: readonly string[];
  entry(launch: RelayLaunch): ConfigMap;
}

/**
 * A TOML file: an array of tables `[[<table>]]`, ours the one with `name = "hospiai"`
 * (`array`), or one table per server, ours `[<table>.hospiai]` (`keyed`).
 */
export interface TomlClient extends ClientBase {
  format: 'toml';
  table: string;
  layout: 'array' | 'keyed';
  entry(launch: RelayLaunch): ConfigMap;
}

export type ClientSpec = JsonClient | YamlClient | TomlClient;

const home = (...segments: string[]): ConfigLocation => ({ base: 'home', segments });
const appData = (...segments: string[]): ConfigLocation => ({ base: 'appData', segments });
const xdgConfig = (...segments: string[]): ConfigLocation => ({ base: 'xdgConfig', segments });
const everywhere = (location: ConfigLocation) => ({
  macos: location,
  windows: location,
  linux: location,
});

/** `{command, args}` plus `env` only when there is something in it. */
const commandEntry = (launch: RelayLaunch): ConfigMap => ({
  command: launch.command,
  args: launch.args,
  ...(Object.keys(launch.env).length > 0 ? { env: launch.env } : {}),
});

export const CLIENTS: readonly ClientSpec[] = [
  {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    docs: 'https://modelcontextprotocol.io/quickstart/user',
    format: 'json',
    container: 'mcpServers',
    jsonc: false,
    paths: {
      macos: home('Library', 'Application Support', 'Claude', 'claude_desktop_config.json'),
      windows: appData('Claude', 'claude_desktop_config.json'),
      linux: xdgConfig('Claude', 'claude_desktop_config.json'),
    },
    note: 'Linux: for the unofficial builds, which read the same file under ~/.config/Claude.',
    entry: commandEntry,
  },
  {
    id: 'claude-code',
    name: 'Claude Code',
    docs: 'https://docs.anthropic.com/en/docs/claude-code/mcp',
    format: 'json',
    container: 'mcpServers',
    jsonc: false,
    paths: everywhere(home('.claude.json')),
    note: '`claude mcp add` writes the same user-scope entry; quit Claude Code before setup.',
    entry: (launch) => ({ type: 'stdio', ...commandEntry(launch) }),
  },
  {
    id: 'cursor',
    name: 'Cursor',
    docs: 'https://docs.cursor.com/context/model-context-protocol',
    format: 'json',
    container: 'mcpServers',
    jsonc: false,
    paths: everywhere(home('.cursor', 'mcp.json')),
    entry: commandEntry,
  },
  {
    id: 'vscode',
    name: 'VS Code',
    docs: 'https://code.visualstudio.com/docs/copilot/reference/mcp-configuration',
    format: 'json',
    container: 'servers',
    jsonc: true,
    paths: {
      macos: home('Library', 'Application Support', 'Code', 'User', 'mcp.json'),
      windows: appData('Code', 'User', 'mcp.json'),
      linux: xdgConfig('Code', 'User', 'mcp.json'),
    },
    note: 'The default profile; other profiles keep their own mcp.json.',
    entry: (launch) => ({ type: 'stdio', ...commandEntry(launch) }),
  },
  {
    id: 'windsurf',
    name: 'Windsurf',
    docs: 'https://docs.windsurf.com/windsurf/cascade/mcp',
    format: 'json',
    container: 'mcpServers',
    jsonc: false,
    paths: everywhere(home('.codeium', 'windsurf', 'mcp_config.json')),
    entry: commandEntry,
  },
  {
    id: 'zed',
    name: 'Zed',
    docs: 'https://zed.dev/docs/ai/mcp',
    format: 'json',
    container: 'context_servers',
    jsonc: true,
    paths: {
      macos: xdgConfig('zed', 'settings.json'),
      windows: appData('Zed', 'settings.json'),
      linux: xdgConfig('zed', 'settings.json'),
    },
    entry: (launch) => ({ source: 'custom', ...commandEntry(launch) }),
  },
  {
    id: 'mistral-vibe',
    name: 'Mistral Vibe',
    docs: 'https://docs.mistral.ai/vibe/code/cli/mcp-servers',
    format: 'toml',
    table: 'mcp_servers',
    layout: 'array',
    paths: everywhere(home('.vibe', 'config.toml')),
    note: 'A ./.vibe/config.toml in the current project takes precedence over this one.',
    entry: (launch) => ({ name: SERVER_NAME, transport: 'stdio', ...commandEntry(launch) }),
  },
  {
    id: 'goose',
    name: 'Goose',
    docs: 'https://block.github.io/goose/docs/guides/config-files',
    format: 'yaml',
    container: 'extensions',
    layout: 'map',
    newFileHeader: [],
    paths: {
      macos: xdgConfig('goose', 'config.yaml'),
      windows: appData('Block', 'goose', 'config', 'config.yaml'),
      linux: xdgConfig('goose', 'config.yaml'),
    },
    entry: (launch) => ({
      name: SERVER_NAME,
      type: 'stdio',
      enabled: true,
      cmd: launch.command,
      args: launch.args,
      envs: launch.env,
      env_keys: [],
      timeout: 300,
      description: 'HospiAI patient portal, through the HospiAI browser extension',
    }),
  },
  {
    id: 'lmstudio',
    name: 'LM Studio',
    docs: 'https://lmstudio.ai/docs/app/mcp',
    format: 'json',
    container: 'mcpServers',
    jsonc: false,
    paths: everywhere(home('.lmstudio', 'mcp.json')),
    entry: commandEntry,
  },
  {
    id: 'continue',
    name: 'Continue',
    docs: 'https://docs.continue.dev/customize/deep-dives/mcp',
    format: 'yaml',
    container: 'mcpServers',
    layout: 'list',
    // A new config.yaml is a whole assistant definition: these fields are required.
    newFileHeader: ['name: Local Assistant', 'version: 1.0.0', 'schema: v1'],
    paths: everywhere(home('.continue', 'config.yaml')),
    entry: (launch) => ({ name: SERVER_NAME, type: 'stdio', ...commandEntry(launch) }),
  },
  {
    id: 'gemini-cli',
    name: 'Gemini CLI',
    docs: 'https://geminicli.com/docs/tools/mcp-server',
    format: 'json',
    container: 'mcpServers',
    jsonc: true,
    paths: everywhere(home('.gemini', 'settings.json')),
    note: 'User settings; Gemini CLI starts no MCP server in a folder you have not trusted.',
    entry: commandEntry,
  },
  {
    id: 'codex',
    name: 'Codex CLI',
    docs: 'https://developers.openai.com/codex/mcp',
    format: 'toml',
    table: 'mcp_servers',
    layout: 'keyed',
    paths: everywhere(home('.codex', 'config.toml')),
    note: 'With CODEX_HOME set, Codex reads $CODEX_HOME/config.toml instead.',
    entry: commandEntry,
  },
];

export function isClientId(value: string): value is ClientId {
  return (CLIENT_IDS as readonly string[]).includes(value);
}

export function getClient(id: ClientId): ClientSpec {
  const client = CLIENTS.find((candidate) => candidate.id === id);
  if (!client) throw new Error(`no client ${id}`);
  return client;
}

/**
 * Which relay a configuration starts. Never a bare package name: until a version is published,
 * whoever registers the name would run code on the patient's machine through `npx -y`.
 * - `local`: this machine's Node and relay bundle, both absolute paths (a clone, a tarball or a
 *   global install, the unpacked .mcpb…);
 * - `registry`: `npx -y hospiai-mcp@<version>`, an exact version that the registry serves.
 * (The wire contract's schema: a paired relay tells the extension which one it is.)
 */
export type { RelaySource };

export interface LaunchOptions {
  os: OsId;
  /** HOSPIAI_URL for the relay (a non-production portal). */
  portal?: string;
  relay: RelaySource;
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

export function relayLaunch(client: ClientSpec, options: LaunchOptions): RelayLaunch {
  const env: Record<string, string> = options.portal ? { HOSPIAI_URL: options.portal } : {};
  const { relay } = options;
  if (relay.kind === 'local') return { command: relay.node, args: [relay.bundle], env };
  if (!EXACT_VERSION.test(relay.version)) {
    throw new Error(`not an exact version: ${relay.version}`);
  }
  const npx = ['npx', '-y', `${RELAY_PACKAGE}@${relay.version}`];
  // On native Windows, Claude Code cannot spawn npx's .cmd shim itself (its docs: use cmd /c).
  if (options.os === 'windows' && client.id === 'claude-code') {
    return { command: 'cmd', args: ['/c', ...npx], env };
  }
  return { command: npx[0]!, args: npx.slice(1), env };
}

/** The path as the client's documentation writes it, e.g. `%APPDATA%\Claude\…`, `~/.cursor/…`. */
export function displayPath(client: ClientSpec, os: OsId): string {
  const { base, segments } = client.paths[os];
  if (os === 'windows') {
    const root = base === 'appData' ? '%APPDATA%' : '%USERPROFILE%';
    return [root, ...segments].join('\\');
  }
  const root = base === 'xdgConfig' ? '~/.config' : '~';
  return [root, ...segments].join('/');
}
