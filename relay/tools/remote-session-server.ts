/**
 * The tool server of one remote session (or of one request of a session this replica does not
 * hold): the relay's own tools and their rules (scopes before the network, confirmation, errors,
 * audit), with a token that is always the current request's bearer and a confirmer that asks
 * through elicitation — or, for a patient who signed in here, on this server's confirmation page.
 * Nothing in it outlives the session or serves another patient. The remote HTTP server is handed
 * this factory by the wiring (commands/serve.ts): relay/remote/ never imports the tools.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ReadPolicyStore } from '../confirm/read-policy';
import { ErrorCode, RelayError } from '../errors';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import { PatientApi } from '../portal/patient-api';
import type { PortalClient } from '../portal/portal-client';
import { type ConfirmationPage, createElicitationConfirmer } from '../remote/elicitation-confirmer';
import { RequestBearer, requestScope } from '../remote/request-scope';
import { createToolServer } from './tool-server';

/** What the HTTP server gives each session it opens. */
export interface SessionDependencies {
  portal: PortalClient;
  t: Translate;
  logger: Logger;
  /** The sign-in's confirmation page, when this server signs patients in. */
  confirmationPage?: ConfirmationPage;
}

export type SessionServerFactory = (dependencies: SessionDependencies) => McpServer;

export function remoteSessionServers(options: {
  confirmationTimeoutMs: number;
}): SessionServerFactory {
  return ({ portal, t, logger, confirmationPage }) => {
    const vault = new RequestBearer();
    const api = new PatientApi({
      vault,
      client: portal,
      t,
      missingToken: () => new RelayError(ErrorCode.NO_TOKEN, t('NO_TOKEN')),
      // The client renews its own token; the server never waits for one.
      requestRenewal: () => false,
    });
    const audit = logger.child('audit');
    const { server } = createToolServer({
      mode: 'remote',
      logger,
      ready: Promise.resolve(),
      context: (sdk) => ({
        api,
        confirmer: createElicitationConfirmer({
          server: sdk,
          t,
          logger: logger.child('confirm'),
          timeoutMs: options.confirmationTimeoutMs,
          confirmationPage,
        }),
        readPolicy: new ReadPolicyStore(),
        vault,
        t,
        describeConnection: () => ({
          portalUrl: portal.baseUrl,
          bridgePort: null,
          bridgeProblem: null,
          paired: false,
          extensionConnections: 0,
        }),
      }),
      // The audit trail of remote mode is the server's log: who, what, outcome — no content, no token.
      onToolCall: (entry) =>
        audit.info('tool call', {
          patient: requestScope.getStore()?.bearer.patientId ?? null,
          tokenId: requestScope.getStore()?.bearer.tokenId ?? null,
          client: entry.client,
          tool: entry.tool,
          scopes: entry.scopes,
          resourceIds: entry.resourceIds,
          outcome: entry.outcome,
          durationMs: entry.durationMs,
        }),
    });
    return server;
  };
}
