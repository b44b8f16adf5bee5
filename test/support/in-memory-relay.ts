/**
 * A relay MCP server and a real SDK Client linked in memory, against a sandbox portal: the tool
 * tests run without processes. Logs and audit entries are collected for assertions.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import {
  type CallToolResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { ReadPolicyStore } from '../../relay/confirm/read-policy';
import { translator } from '../../relay/i18n/messages';
import { createLogger } from '../../relay/logger';
import { createRelayServer, type ExtensionLink } from '../../relay/mcp-server';
import type { PairingChannel } from '../../relay/pairing/patient-pairing';
import { PortalClient, type PortalClientOptions } from '../../relay/portal/portal-client';
import type { AuditEntry, PolicyFrame, RelaySessionFrame } from '../../relay/protocol/protocol';
import { TokenVault } from '../../relay/token/token-vault';
import { ERROR_META_KEY } from '../../relay/tools/tool-result';
import { sharedSchemaValidator } from './shared-schema-validator';

export interface InMemoryRelayOptions {
  portalUrl: string;
  token?: string;
  /** Answers elicitation requests; omit for a client without elicitation support. */
  elicit?: (request: ElicitRequest['params']) => Promise<ElicitResult> | ElicitResult;
  extension?: ExtensionLink | null;
  portal?: Partial<PortalClientOptions>;
  confirmationTimeoutMs?: number;
  renewalWaitMs?: number;
  lang?: 'en' | 'fr';
  /** The extension's read policy (a `policy` frame), if any. */
  reads?: PolicyFrame['reads'];
  /** Pairing with the code the extension shows (relay/pairing/patient-pairing.ts). */
  pairing?: PairingChannel;
  /** Called with the vault before the client connects (e.g. to feed it from a test bridge). */
  withVault?: (vault: TokenVault) => void;
}

export async function startInMemoryRelay(options: InMemoryRelayOptions) {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const t = translator(options.lang ?? 'en');
  const vault = new TokenVault();
  if (options.token) vault.setFromEnvironment(options.token);
  options.withVault?.(vault);
  const portal = new PortalClient({
    baseUrl: options.portalUrl,
    t,
    logger,
    retryBaseMs: 10,
    ...options.portal,
  });
  const audit: AuditEntry[] = [];
  const readPolicy = new ReadPolicyStore();
  if (options.reads) readPolicy.set({ type: 'policy', reads: options.reads });
  const relay = createRelayServer({
    vault,
    portal,
    t,
    logger,
    extension: options.extension ?? null,
    audit: {
      append: async (entry) => {
        audit.push(entry);
      },
    },
    readPolicy,
    confirmationTimeoutMs: options.confirmationTimeoutMs ?? 2_000,
    renewalWaitMs: options.renewalWaitMs ?? 1_000,
    pairing: options.pairing,
  });

  const client = new Client(
    { name: 'test-client', version: '1.0.0' },
    {
      capabilities: options.elicit ? { elicitation: { form: {} } } : {},
      jsonSchemaValidator: sharedSchemaValidator,
    },
  );
  const elicitations: ElicitRequest['params'][] = [];
  if (options.elicit) {
    const answer = options.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      elicitations.push(request.params);
      return answer(request.params);
    });
  }
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([relay.server.connect(serverTransport), client.connect(clientTransport)]);

  return {
    client,
    relay,
    vault,
    logs,
    audit,
    elicitations,
    call: (name: string, args: Record<string, unknown> = {}) =>
      client.callTool({ name, arguments: args }) as Promise<CallToolResult>,
    async close() {
      await client.close();
      await relay.cleanup();
      portal.close();
    },
  };
}

/** A stand-in for the bridge: records frames, answers as told. */
export function fakeExtensionLink(options: { paired?: boolean; connections?: number } = {}) {
  const sent: RelaySessionFrame[] = [];
  let onFrame: (frame: RelaySessionFrame) => void = () => {};
  const link: ExtensionLink = {
    port: 47_610,
    problem: null,
    isPaired: () => options.paired ?? true,
    authenticatedCount: () => options.connections ?? 1,
    broadcast: (frame) => {
      sent.push(frame);
      onFrame(frame);
      return options.connections ?? 1;
    },
    pushStatus: () => {},
  };
  return {
    link,
    sent,
    /** React to frames the relay sends (e.g. answer a renew_request). */
    onFrame(handler: (frame: RelaySessionFrame) => void) {
      onFrame = handler;
    },
  };
}

/** The error code of a failed tool call (`CODE: sentence`). */
export function errorCode(result: CallToolResult): string | null {
  if (!result.isError) return null;
  const first = result.content[0];
  return first?.type === 'text' ? (first.text.split(':')[0] ?? null) : null;
}

/** The machine-readable details of a failed tool call (its `_meta`, never `structuredContent`). */
export function errorDetails(result: CallToolResult): Record<string, unknown> {
  const details = result._meta?.[ERROR_META_KEY];
  if (!result.isError || typeof details !== 'object' || details === null) {
    throw new Error(`not an error result: ${JSON.stringify(result)}`);
  }
  return details as Record<string, unknown>;
}
