/**
 * `hospiai-mcp` with no command: what AI clients start. Wires the token vault, the portal
 * client, the extension bridge and the MCP server, serves MCP on stdio, and exits when the
 * client closes stdin or the process is told to stop.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { openHomeAuditLog } from './audit/audit-log';
import { type Bridge, PortRangeFullError, startBridge } from './bridge/bridge-server';
import { listPairings } from './bridge/pairing-store';
import type { RelayConfig } from './config';
import { ensureHome } from './home';
import { translator } from './i18n/messages';
import type { Logger } from './logger';
import { createRelayServer, type ExtensionLink } from './mcp-server';
import { PortalClient } from './portal/portal-client';
import { CHROME_EXTENSION_ID } from './protocol/extension-identity';
import { TokenVault } from './token/token-vault';

export async function runStdioRelay(config: RelayConfig, logger: Logger): Promise<void> {
  const t = translator(config.lang);
  const vault = new TokenVault();
  if (config.environmentToken) vault.setFromEnvironment(config.environmentToken);
  const portal = new PortalClient({
    baseUrl: config.portalUrl,
    t,
    logger: logger.child('portal'),
    timeoutMs: config.portalTimeoutMs,
  });

  await ensureHome(config.home);
  let paired = (await listPairings(config.home).catch(() => [])).length > 0;

  let relay: ReturnType<typeof createRelayServer> | undefined;
  let bridge: Bridge | null = null;
  let bridgeProblem: string | null = null;
  try {
    bridge = await startBridge({
      home: config.home,
      ports: config.ports,
      allowedChromeIds: [CHROME_EXTENSION_ID, ...config.extraExtensionIds],
      logger: logger.child('bridge'),
      getStatus: () =>
        relay?.status() ?? {
          mcpClient: null,
          token: { state: 'none', source: null, tokenId: null },
        },
      onToken: (frame) => {
        paired = true;
        vault.setFromExtension(frame);
        logger.info('token received from the extension', {
          tokenId: frame.tokenId,
          source: frame.source,
        });
      },
      onRevoke: (frame) => {
        vault.revokeByPatient();
        logger.info('token revoked by the extension', { reason: frame.reason });
      },
      onConfirmationResult: (frame) => relay?.confirmer.settle(frame.id, frame.decision),
      onConnectionsChanged: (count) => {
        if (count > 0) paired = true;
      },
    });
    logger.info(`bridge listening on 127.0.0.1:${bridge.port}`);
  } catch (error) {
    if (!(error instanceof PortRangeFullError)) throw error;
    bridgeProblem = error.message;
    logger.warn(
      `${error.message} The browser extension cannot reach this relay; MCP still works${config.environmentToken ? ' with HOSPIAI_TOKEN' : ''}.`,
    );
  }

  const extension: ExtensionLink | null = bridge && {
    port: bridge.port,
    isPaired: () => paired,
    authenticatedCount: () => bridge.authenticatedCount(),
    broadcast: (frame) => bridge.broadcast(frame),
    pushStatus: () => bridge.pushStatus(),
  };

  relay = createRelayServer({
    vault,
    portal,
    t,
    logger,
    extension,
    bridgeProblem,
    audit: openHomeAuditLog(config.home),
    confirmationTimeoutMs: config.confirmationTimeoutMs,
  });

  const transport = new StdioServerTransport();
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`stopping: ${why}`);
    await Promise.allSettled([relay?.cleanup(), bridge?.close()]);
    portal.close();
    process.exit(0);
  };
  // A listening bridge would keep the process alive after the AI client has gone.
  process.stdin.on('end', () => void stop('the MCP client closed stdin'));
  process.stdin.on('close', () => void stop('the MCP client closed stdin'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await relay.server.connect(transport);
  logger.info('MCP server ready on stdio', { portal: config.portalUrl });
}
