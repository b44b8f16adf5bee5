/**
 * What the popup's "Connect an AI assistant" view shows: for each AI client the relay knows, the
 * configuration to paste, where, and the one command that writes it instead. Built from the
 * relay's own catalogue and renderer (relay/setup, pure data, no Node APIs), so the popup and
 * `hospiai-mcp setup <client> --print` always show the same text.
 */
import {
  CLIENTS,
  type ClientId,
  displayPath,
  getClient,
  OS_IDS,
  type OsId,
  RELAY_PACKAGE,
  type RelayLaunch,
  type RelaySource,
  relayLaunch,
  SERVER_NAME,
} from '../../relay/setup/clients';
import { renderAddCommand, renderSnippet } from '../../relay/setup/snippet';
import { PRODUCTION_PORTAL_ORIGIN } from '../config/portal-origin';

export type { ClientId, OsId, RelaySource };
export { OS_IDS };

export interface AssistantChoice {
  id: ClientId;
  name: string;
}

/** The AI clients, in the catalogue's order (the most used first). */
export const ASSISTANTS: readonly AssistantChoice[] = CLIENTS.map(({ id, name }) => ({ id, name }));

export interface AssistantGuide {
  clientId: ClientId;
  name: string;
  os: OsId;
  /** The client's configuration file, as its documentation writes it (`~/.cursor/mcp.json`). */
  configPath: string;
  /**
   * What starts the relay, when the extension knows it (a paired relay told it how it was
   * started). Null: the popup cannot know where a relay is installed, so it shows how to install
   * one instead of inventing a command (a bare package name could be anyone's code).
   */
  relay: RelaySource | null;
  /** The smallest file holding the relay's entry, in the client's format. */
  snippet: string | null;
  /** The client's own command adding the same entry (Claude Code), or null. */
  addCommand: string | null;
  /** `hospiai-mcp setup`, run with that very relay, which merges the entry into the file itself. */
  setupCommand: string | null;
  /** The client's one-click install link (VS Code, Cursor), or null. */
  installLink: string | null;
  /** Claude Desktop installs the relay from its MCP Bundle (`hospiai-mcp.mcpb`). */
  usesBundle: boolean;
  /**
   * With no relay known yet and no bundle: the exact commands that install the relay of this
   * extension's own release and add it to the client (a terminal is the only way there).
   */
  installCommands: string[] | null;
  /** The portal address to give the bundle when it asks: only when it is not the default. */
  bundlePortal: string | null;
  docs: string;
}

export interface GuideOptions {
  os: OsId;
  /** The portal the extension uses: a relay needs to be told only when it is not production. */
  portalOrigin?: string;
  /** How a paired relay says it is started; null when no relay has said so. */
  relay?: RelaySource | null;
  /** This extension's version: the release of the relay the install commands name. */
  release: string;
}

export function assistantGuide(clientId: ClientId, options: GuideOptions): AssistantGuide {
  const client = getClient(clientId);
  const portal = relayPortal(options.portalOrigin);
  const relay = options.relay ?? null;
  const launch = relay ? { os: options.os, relay, ...(portal ? { portal } : {}) } : null;
  const usesBundle = clientId === 'claude-desktop';
  return {
    clientId,
    name: client.name,
    os: options.os,
    configPath: displayPath(client, options.os),
    relay,
    snippet: launch ? renderSnippet(clientId, launch) : null,
    addCommand: launch ? renderAddCommand(clientId, launch) : null,
    setupCommand: relay
      ? [
          ...selfCommand(relay).map((word) => quoteWord(word, options.os)),
          'setup',
          clientId,
          ...(portal ? ['--portal', portal] : []),
        ].join(' ')
      : null,
    installLink: launch ? installLink(clientId, relayLaunch(client, launch)) : null,
    usesBundle,
    installCommands:
      relay || usesBundle
        ? null
        : [
            `npm install -g ${RELAY_PACKAGE}@${options.release}`,
            [RELAY_PACKAGE, 'setup', clientId, ...(portal ? ['--portal', portal] : [])].join(' '),
          ],
    bundlePortal: usesBundle ? (portal ?? null) : null,
    docs: client.docs,
  };
}

/** The words that run this relay's own CLI. */
function selfCommand(relay: RelaySource): string[] {
  return relay.kind === 'local'
    ? [relay.node, relay.bundle]
    : ['npx', '-y', `${RELAY_PACKAGE}@${relay.version}`];
}

function quoteWord(word: string, os: OsId): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return os === 'windows'
    ? `"${word.replaceAll('"', '""')}"`
    : `'${word.replaceAll("'", `'"'"'`)}'`;
}

/**
 * The install links VS Code and Cursor document: `vscode:mcp/install?<URI-encoded JSON of
 * {name, command, args, env}>` and `cursor://anysphere.cursor-deeplink/mcp/install?name=…&
 * config=<base64 of the JSON {command, args, env}>`.
 */
export function installLink(clientId: ClientId, launch: RelayLaunch): string | null {
  const server = {
    command: launch.command,
    args: launch.args,
    ...(Object.keys(launch.env).length > 0 ? { env: launch.env } : {}),
  };
  if (clientId === 'vscode') {
    return `vscode:mcp/install?${encodeURIComponent(JSON.stringify({ name: SERVER_NAME, ...server }))}`;
  }
  if (clientId === 'cursor') {
    const config = base64(JSON.stringify(server));
    return `cursor://anysphere.cursor-deeplink/mcp/install?name=${SERVER_NAME}&config=${encodeURIComponent(config)}`;
  }
  return null;
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function relayPortal(origin: string | undefined): string | undefined {
  return origin && origin !== PRODUCTION_PORTAL_ORIGIN ? origin : undefined;
}

/** The parts of `navigator` that tell the OS (`userAgentData` is Chromium's, `platform` older). */
export interface PlatformHints {
  userAgentData?: { platform?: string };
  platform?: string;
}

/** The OS the browser runs on, for the first snippet shown; the patient can switch it. */
export function detectOs(hints: PlatformHints): OsId {
  const platform = (hints.userAgentData?.platform || hints.platform || '').toLowerCase();
  if (platform.startsWith('mac') || platform.includes('darwin')) return 'macos';
  if (platform.startsWith('win')) return 'windows';
  return 'linux';
}
