/**
 * `hospiai-mcp` with no command: what AI clients start. Wires the token vault, the portal
 * client, the extension bridge and the MCP server, serves MCP on stdio, and exits when the
 * client closes stdin or the process is told to stop.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { openHomeAuditLog } from './audit/audit-log';
import { type Bridge, PortRangeFullError, startBridge } from './bridge/bridge-server';
import { PairingOffers, TOLD_CODE_TTL_MS } from './bridge/pairing-offers';
import { listPairings } from './bridge/pairing-store';
import { registerRelay, unregisterRelay } from './bridge/relay-registry';
import type { RelayConfig } from './config';
import { ensureHome } from './home';
import { translator } from './i18n/messages';
import type { Logger } from './logger';
import { createRelayServer, type ExtensionLink } from './mcp-server';
import { createPatientPairing } from './pairing/patient-pairing';
import { PortalClient } from './portal/portal-client';
import { CHROME_EXTENSION_ID } from './protocol/extension-identity';
import type { RelaySessionFrame } from './protocol/protocol';
import { detectRelaySource } from './setup/relay-source';
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

  const link = new BridgeLink();
  const audit = openHomeAuditLog(config.home);
  const offers = new PairingOffers({ home: config.home });
  const pairing = createPatientPairing({
    offers,
    onPaired: () => {
      link.paired = true;
    },
  });
  const relay = createRelayServer({
    vault,
    portal,
    t,
    logger,
    extension: link,
    ready: link.started,
    audit,
    confirmationTimeoutMs: config.confirmationTimeoutMs,
    pairing,
  });

  // Answer the AI client first; the home and the bridge come up right after (tool calls wait).
  link.start(async () => {
    try {
      await ensureHome(config.home, t);
    } catch (error) {
      // An unusable home (unsafe permissions…): MCP still serves, without the extension.
      logger.error((error as Error).message);
      return (error as Error).message;
    }
    link.paired = (await listPairings(config.home).catch(() => [])).length > 0;
    // How this relay is started, so the popup can show a configuration that starts it.
    const relaySource = (await detectRelaySource(process.argv[1]).catch(() => null)) ?? undefined;
    try {
      const bridge = await startBridge({
        offers,
        portal: new URL(config.portalUrl).origin,
        ports: config.ports,
        allowedChromeIds: [CHROME_EXTENSION_ID, ...config.extraExtensionIds],
        logger: logger.child('bridge'),
        getStatus: () => ({ ...relay.status(), relaySource }),
        t,
        frames: relay.extensionFrames,
        // The latest calls of every relay of this home, so the popup shows them at once.
        greet: async () => {
          const entries = await audit.latest(20);
          return entries.length > 0 ? { type: 'audit', entries } : null;
        },
        // Only a paired extension authenticates (and only it can deliver a token).
        onConnectionsChanged: (count) => {
          if (count > 0) link.paired = true;
        },
      });
      logger.info(`bridge listening on 127.0.0.1:${bridge.port}`);
      await registerRelay(config.home, {
        port: bridge.port,
        pid: process.pid,
        relayId: bridge.relayId,
      }).catch((error: unknown) => logger.warn('could not register the relay', { error }));
      if (config.pairingCode && !link.paired) pairWithConfiguredCode(config.pairingCode);
      return bridge;
    } catch (error) {
      if (!(error instanceof PortRangeFullError)) throw error;
      const withToken = config.environmentToken ? 'yes' : 'no';
      logger.warn(`${error.message} ${t('BRIDGE_OFF_MCP_ON', { withToken })}`);
      return error.message;
    }
  });

  /**
   * HOSPIAI_PAIRING_CODE (the bundle's install settings): told once, in the background, like a
   * code told in the chat — the patient then confirms the check value in the extension (the
   * first tool call shows it).
   */
  const pairWithConfiguredCode = (code: string) => {
    void pairing.tellCode(code, { waitMs: TOLD_CODE_TTL_MS }).then(
      (result) => logger.info('pairing with HOSPIAI_PAIRING_CODE', { outcome: result.outcome }),
      (error: unknown) =>
        logger.warn('could not pair with HOSPIAI_PAIRING_CODE', {
          error: (error as Error).message,
        }),
    );
  };
  const transport = new StdioServerTransport();
  let stopping = false;
  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`stopping: ${why}`);
    // Tool calls hand their audit entries over in a setImmediate (mcp-server.ts): let those
    // already answered reach the log before it is flushed.
    await new Promise((resolve) => setImmediate(resolve));
    const port = link.port;
    await Promise.allSettled([
      relay.cleanup(),
      link.close(),
      audit.flush(),
      port === null ? null : unregisterRelay(config.home, port),
    ]);
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

/** The MCP server's view of a bridge that starts after it: empty until started, or for good. */
class BridgeLink implements ExtensionLink {
  paired = false;
  #bridge: Bridge | null = null;
  #problem: string | null = null;
  #markStarted!: () => void;
  /** Settles once start-up has run, whatever its outcome. */
  readonly started = new Promise<void>((resolve) => {
    this.#markStarted = resolve;
  });

  get port() {
    return this.#bridge?.port ?? null;
  }
  get problem() {
    return this.#problem;
  }
  isPaired = () => this.paired;
  authenticatedCount = () => this.#bridge?.authenticatedCount() ?? 0;
  broadcast = (frame: RelaySessionFrame, to?: { pairingId: string }) =>
    this.#bridge?.broadcast(frame, to) ?? 0;
  pushStatus = () => this.#bridge?.pushStatus();

  /** Runs start-up; a string result is why the bridge could not listen. */
  start(run: () => Promise<Bridge | string>): void {
    void run()
      .then(
        (result) => {
          if (typeof result === 'string') this.#problem = result;
          else this.#bridge = result;
        },
        (error: unknown) => {
          this.#problem = error instanceof Error ? error.message : String(error);
        },
      )
      .finally(this.#markStarted);
  }

  close(): Promise<void> {
    return this.#bridge?.close() ?? Promise.resolve();
  }
}
