/**
 * The relay's MCP server: the tools, wired to the token vault, the portal and — when the bridge
 * runs — the extension: what the relay sends it (renewal requests, confirmations, status, latest
 * calls) and what it does with each frame the extension sends (`extensionFrames`).
 */
import type { ExtensionFrameHandlers, FrameSender } from './bridge/extension-session';
import {
  type Confirmer,
  createConfirmer,
  type ExtensionChannel,
} from './confirm/patient-confirmation';
import { ReadPolicyStore } from './confirm/read-policy';
import { ErrorCode, RelayError } from './errors';
import type { Translate } from './i18n/messages';
import type { Logger } from './logger';
import { createPairingGate } from './pairing/pairing-elicitation';
import type { PairingChannel } from './pairing/patient-pairing';
import { PatientApi } from './portal/patient-api';
import type { PortalClient } from './portal/portal-client';
import type { AuditEntry, RevokeFrame, StatusFrame } from './protocol/protocol';
import type { RevokedAs, TokenVault } from './token/token-vault';
import { createToolServer } from './tools/tool-server';

/** What each reason the extension gives for taking its token back means for the tools' answers. */
const REVOKED_AS = {
  user: 'withdrawn',
  consent_withdrawn: 'withdrawn',
  paused: 'paused',
  session_ended: 'session_ended',
  replaced: 'session_ended',
  wrong_portal: 'wrong_portal',
} as const satisfies Record<RevokeFrame['reason'], RevokedAs>;

/** What the MCP server needs from the extension bridge. */
export interface ExtensionLink extends ExtensionChannel {
  /** The bridge port, or null when it is not listening (no free port in the range). */
  readonly port: number | null;
  /** Why the bridge is not listening, when it is not. */
  readonly problem: string | null;
  isPaired(): boolean;
  pushStatus(): void;
}

export interface RelayServerOptions {
  vault: TokenVault;
  portal: PortalClient;
  t: Translate;
  logger: Logger;
  extension: ExtensionLink | null;
  /** Settles when start-up work done after connecting (home, bridge) has finished. */
  ready?: Promise<unknown>;
  audit?: { append(entry: AuditEntry): Promise<void> } | null;
  /** The patient's read policy, set by the extension; absent = reads run without asking. */
  readPolicy?: ReadPolicyStore;
  confirmationTimeoutMs?: number;
  renewalWaitMs?: number;
  /** Pairing with the code the extension shows (no terminal); absent = not offered. */
  pairing?: PairingChannel | null;
}

export function createRelayServer(options: RelayServerOptions) {
  const { vault, t, logger, extension } = options;
  const readPolicy = options.readPolicy ?? new ReadPolicyStore();

  /**
   * The paired extension whose token is in use: only it is asked to confirm (and only the one
   * asked settles a question: patient-confirmation.ts), only its read policy counts. Another
   * program that paired with this relay (a code that leaked through the chat, passed to a
   * program posing as the extension) must not answer "yes" for the patient. Null until a token
   * comes from an extension (HOSPIAI_TOKEN alone).
   */
  let tokenFrom: FrameSender | null = null;
  const fromTokenHolder = (from: FrameSender, what: string) => {
    if (tokenFrom === null || from.pairingId === tokenFrom.pairingId) return true;
    logger.warn(`${what} ignored: it came from a pairing that did not give the token in use`);
    return false;
  };
  const api = new PatientApi({
    vault,
    client: options.portal,
    t,
    missingToken: () => missingTokenError(extension, t),
    requestRenewal: (reason, tokenId) =>
      (extension?.broadcast({ type: 'renew_request', reason, tokenId }) ?? 0) > 0,
    renewalWaitMs: options.renewalWaitMs,
  });

  const pairing = options.pairing ?? null;
  const pairingIfReachable = () => (extension?.port != null ? pairing : null);
  // Questions to the patient go through the SDK server the tools answer on (made just below).
  let confirmer!: Confirmer;
  const { server, clientInfo } = createToolServer({
    mode: 'local',
    logger,
    ready: options.ready ?? Promise.resolve(),
    gate: pairing
      ? (sdk) => {
          const pairingGate = createPairingGate({
            server: sdk,
            pairing,
            vault,
            t,
            logger: logger.child('pairing'),
          });
          return (tool) => (pairingIfReachable() ? pairingGate(tool) : Promise.resolve());
        }
      : undefined,
    context: (sdk) => {
      confirmer = createConfirmer({
        server: sdk,
        extension,
        answerer: () => tokenFrom,
        t,
        logger: logger.child('confirm'),
        timeoutMs: options.confirmationTimeoutMs,
      });
      return {
        api,
        confirmer,
        readPolicy,
        vault,
        t,
        pairing: pairingIfReachable,
        describeConnection: () => ({
          portalUrl: options.portal.baseUrl,
          bridgePort: extension?.port ?? null,
          bridgeProblem: extension?.problem ?? null,
          paired: extension?.isPaired() ?? false,
          extensionConnections: extension?.authenticatedCount() ?? 0,
        }),
      };
    },
    // After the answer is on its way: the log line, the audit entry and the popup's copy cost
    // the call nothing (setImmediate keeps call order; stop() flushes the audit log at exit).
    onToolCall: (entry) =>
      setImmediate(() => {
        logger.info('tool call', {
          tool: entry.tool,
          outcome: entry.outcome,
          durationMs: entry.durationMs,
        });
        options.audit?.append(entry).catch((error: unknown) => {
          logger.error('could not write the audit log', { error: (error as Error).message });
        });
        extension?.broadcast({ type: 'audit', entries: [entry] });
      }),
  });

  server.server.oninitialized = () => {
    logger.info('MCP client connected', { client: clientInfo()?.name ?? 'unknown' });
    extension?.pushStatus();
  };
  const stopWatchingVault = vault.onChange(() => {
    // Reads the patient allowed for a while end with the access they were allowed to: when the
    // extension takes the token back (withdrawn, paused, session ended) or the portal revoked it.
    if (vault.info().state === 'revoked') readPolicy.clearGrants();
    extension?.pushStatus();
  });

  /** The bridge's view of this relay (sent in `ready` and `status`). */
  const status = (): Omit<StatusFrame, 'type'> => {
    const info = vault.info();
    return {
      mcpClient: clientInfo(),
      token: { state: info.state, source: info.source, tokenId: info.tokenId },
    };
  };

  /** What this relay does with each frame the extension sends (the bridge dispatches them). */
  const extensionFrames: ExtensionFrameHandlers = {
    token: (frame, from) => {
      vault.setFromExtension(frame);
      // Reads another extension allowed for a while are not this one's to keep.
      if (tokenFrom && tokenFrom.pairingId !== from.pairingId) readPolicy.clearGrants();
      tokenFrom = from;
      logger.info('token received from the extension', {
        tokenId: frame.tokenId,
        source: frame.source,
      });
    },
    revoke: (frame) => {
      // The patient withdrew access (revoke, consent withdrawn): tools say so (TOKEN_REVOKED);
      // a pause says how to resume.
      vault.revokeByPatient(REVOKED_AS[frame.reason]);
      logger.info('token revoked by the extension', { reason: frame.reason });
    },
    confirmation_result: (frame, from) =>
      confirmer.settle(frame.id, frame.decision, frame.readGrant, from),
    policy: (frame, from) => {
      if (!fromTokenHolder(from, 'a read policy')) return;
      readPolicy.set(frame);
      logger.info('read policy from the extension', { reads: frame.reads });
    },
  };

  return {
    server,
    confirmer,
    status,
    extensionFrames,
    async cleanup() {
      stopWatchingVault();
      await server.close();
    },
  };
}

function missingTokenError(extension: ExtensionLink | null, t: Translate): RelayError {
  if (!extension || extension.port === null)
    return new RelayError(ErrorCode.NO_TOKEN, t('NO_TOKEN'));
  if (!extension.isPaired()) return new RelayError(ErrorCode.NOT_PAIRED, t('NOT_PAIRED'));
  if (extension.authenticatedCount() === 0)
    return new RelayError(ErrorCode.EXTENSION_OFFLINE, t('EXTENSION_OFFLINE'));
  return new RelayError(ErrorCode.NO_TOKEN, t('NO_TOKEN'));
}
