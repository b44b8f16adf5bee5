/**
 * One MCP server per client session (or per request of a session this replica does not hold):
 * the relay's own tools and their rules (scopes before the network, confirmation, errors,
 * audit), with a token that is always the current request's bearer and a confirmer that asks
 * through elicitation only. Nothing in it outlives the session or serves another patient.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { zodJsonSchemaValidator } from '../confirm/elicitation-validator';
import { ReadPolicyStore } from '../confirm/read-policy';
import { ErrorCode, RelayError } from '../errors';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import { PatientApi } from '../portal/patient-api';
import type { PortalClient } from '../portal/portal-client';
import { registerTools } from '../tools/register-tools';
import { RELAY_VERSION } from '../version';
import { type ConfirmOnPage, createElicitationConfirmer } from './elicitation-confirmer';
import { RequestBearerVault, requestScope } from './request-scope';

const INSTRUCTIONS =
  'Tools for the patient’s own HospiAI hospital portal: appointments, medical records, doctors and free slots, booking and cancelling. The patient is whoever the access token belongs to, never an argument. Booking and cancelling are always confirmed by the patient themselves through this client’s confirmation form. When a tool fails, its message says what the patient should do; connection_status explains the connection.';

export interface SessionServerOptions {
  portal: PortalClient;
  t: Translate;
  logger: Logger;
  confirmationTimeoutMs: number;
  confirmOnPage?: ConfirmOnPage;
}

export function createSessionServer(options: SessionServerOptions): McpServer {
  const { portal, t, logger } = options;
  const server = new McpServer(
    { name: 'hospiai', version: RELAY_VERSION, title: 'HospiAI' },
    {
      capabilities: { tools: {} },
      instructions: INSTRUCTIONS,
      jsonSchemaValidator: zodJsonSchemaValidator,
    },
  );
  const vault = new RequestBearerVault();
  const api = new PatientApi({
    vault,
    client: portal,
    t,
    missingToken: () => new RelayError(ErrorCode.NO_TOKEN, t('NO_TOKEN')),
    // The client renews its own token; the server never waits for one.
    requestRenewal: () => false,
  });
  const clientName = () => server.server.getClientVersion()?.name.slice(0, 200) ?? null;
  const audit = logger.child('audit');
  registerTools(server, {
    logger,
    ready: Promise.resolve(),
    // Pairing with a browser extension is this computer's business, not a remote server's.
    include: (tool) => tool.kind !== 'local',
    clientName,
    context: {
      api,
      confirmer: createElicitationConfirmer({
        server: server.server,
        t,
        logger: logger.child('confirm'),
        timeoutMs: options.confirmationTimeoutMs,
        confirmOnPage: options.confirmOnPage,
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
    },
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
}
