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
} from '../../relay/setup/clients';
import { renderAddCommand, renderSnippet } from '../../relay/setup/snippet';
import { PRODUCTION_PORTAL_ORIGIN } from '../config/portal-origin';

export type { ClientId, OsId };
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
  /** The smallest file holding the relay's entry, in the client's format. */
  snippet: string;
  /** The client's own command adding the same entry (Claude Code), or null. */
  addCommand: string | null;
  /** `hospiai-mcp setup`, which merges the entry into the file itself. */
  setupCommand: string;
  docs: string;
}

export interface GuideOptions {
  os: OsId;
  /** The portal the extension uses: a relay needs to be told only when it is not production. */
  portalOrigin?: string;
}

export function assistantGuide(clientId: ClientId, options: GuideOptions): AssistantGuide {
  const client = getClient(clientId);
  const portal = relayPortal(options.portalOrigin);
  const launch = { os: options.os, ...(portal ? { portal } : {}) };
  return {
    clientId,
    name: client.name,
    os: options.os,
    configPath: displayPath(client, options.os),
    snippet: renderSnippet(clientId, launch),
    addCommand: renderAddCommand(clientId, launch),
    setupCommand: [
      'npx',
      RELAY_PACKAGE,
      'setup',
      clientId,
      ...(portal ? ['--portal', portal] : []),
    ].join(' '),
    docs: client.docs,
  };
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
