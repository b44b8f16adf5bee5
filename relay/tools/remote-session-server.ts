/**
 * The tool servers of remote mode — of one 2025-era session (or of one request of a session this
 * replica does not hold), and of one 2026-07-28 request: the relay's own tools and their rules
 * (scopes before the network, confirmation, errors, audit), with a token that is always the
 * current request's bearer and a confirmer that asks through elicitation (a server request on
 * the 2025 protocol, an input-required result on 2026-07-28) — or, for a patient who signed in
 * here, on this server's confirmation page.
 * Both offer the confirmation card (an MCP App: confirmation-card.ts) beside the writes' answers.
 * Nothing in it outlives the session or serves another patient. The remote HTTP server is handed
 * this factory by the wiring (commands/serve.ts): relay/remote/ never imports the tools.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpServer as ModernMcpServer } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { Confirmer } from '../confirm/patient-confirmation';
import { ReadPolicyStore } from '../confirm/read-policy';
import { ErrorCode, RelayError } from '../errors';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import { PatientApi } from '../portal/patient-api';
import type { PortalClient } from '../portal/portal-client';
import type { AuditEntry } from '../protocol/protocol';
import type { DirectReads, DirectReadTool } from '../remote/direct-read';
import { type ConfirmationPage, createElicitationConfirmer } from '../remote/elicitation-confirmer';
import {
  createInputRequiredConfirmer,
  type QuestionStates,
} from '../remote/input-required-confirmer';
import { RequestBearer, requestScope } from '../remote/request-scope';
import { confirmationCardToolMeta, registerConfirmationCard } from './confirmation-card';
import type { ToolContext } from './define-tool';
import { createModernToolServer, MODERN_SERVER_INFO, objectOf } from './modern-tool-server';
import { registerTools } from './register-tools';
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

/** What the HTTP server gives the server of one 2026-07-28 request. */
export interface ModernRequestDependencies extends SessionDependencies {
  /** Signs and spends the state of the questions asked through input-required results. */
  questionStates: QuestionStates;
}

export type ModernServerFactory = (dependencies: ModernRequestDependencies) => ModernMcpServer;

export type DirectReadsFactory = (dependencies: ModernRequestDependencies) => DirectReads;

/** 2025-era sessions: questions go as MCP elicitation requests on the call's stream. */
export function remoteSessionServers(options: {
  confirmationTimeoutMs: number;
}): SessionServerFactory {
  return (dependencies) => {
    const { t, logger, confirmationPage } = dependencies;
    const { server } = createToolServer({
      mode: 'remote',
      logger,
      ready: Promise.resolve(),
      context: (sdk) =>
        remoteToolContext(
          dependencies,
          createElicitationConfirmer({
            server: sdk,
            t,
            logger: logger.child('confirm'),
            timeoutMs: options.confirmationTimeoutMs,
            confirmationPage,
          }),
        ),
      onToolCall: remoteAudit(logger),
      toolMeta: confirmationCardToolMeta,
    });
    registerConfirmationCard(server);
    return server;
  };
}

/** 2026-07-28 requests (no session): questions go as input-required results. */
export function modernRequestServers(options: {
  confirmationTimeoutMs: number;
}): ModernServerFactory {
  return (dependencies) => {
    const server = createModernToolServer({
      logger: dependencies.logger,
      context: modernToolContext(dependencies, options),
      onToolCall: remoteAudit(dependencies.logger),
      toolMeta: confirmationCardToolMeta,
    });
    registerConfirmationCard(server);
    return server;
  };
}

/**
 * The read tools of 2026-07-28 requests answered without a per-request server
 * (relay/remote/direct-read.ts): made once per replica, registered by the same rules as every
 * server's (register-tools.ts: scope, errors, audit, bounded text), with the same context and
 * confirmer as a request's server — nothing in them is the request's but what the request
 * scope holds (its bearer, its client's name). A read asks nothing in remote mode (its read
 * policy is never set: no extension speaks to this server), so the confirmer is never reached.
 */
export function modernDirectReads(options: { confirmationTimeoutMs: number }): DirectReadsFactory {
  return (dependencies) => {
    const tools = new Map<string, DirectReadTool>();
    registerTools(
      {
        registerTool: (name, config, handle) =>
          tools.set(name, {
            input: objectOf(config.inputSchema) as z.ZodType<Record<string, unknown>>,
            output: objectOf(config.outputSchema),
            run: handle as DirectReadTool['run'],
          }),
      },
      {
        logger: dependencies.logger,
        context: modernToolContext(dependencies, options),
        onToolCall: remoteAudit(dependencies.logger),
        ready: Promise.resolve(),
        clientName: () => requestScope.getStore()?.clientName ?? null,
        include: (tool) => tool.kind === 'read',
      },
    );
    return {
      serverInfo: MODERN_SERVER_INFO,
      tools,
      onBug: (message) => dependencies.logger.error('tool answer refused', { error: message }),
      onAnswered: (tool, era) => dependencies.logger.debug('read answered directly', { tool, era }),
    };
  };
}

/** The 2026-07-28 context: questions asked through input-required results. */
function modernToolContext(
  dependencies: ModernRequestDependencies,
  options: { confirmationTimeoutMs: number },
): ToolContext {
  return remoteToolContext(
    dependencies,
    createInputRequiredConfirmer({
      t: dependencies.t,
      states: dependencies.questionStates,
      pageTimeoutMs: options.confirmationTimeoutMs,
      confirmationPage: dependencies.confirmationPage,
    }),
  );
}

/** What the tools use in remote mode: the request's bearer as token, nothing kept between calls. */
function remoteToolContext({ portal, t }: SessionDependencies, confirmer: Confirmer): ToolContext {
  const vault = new RequestBearer();
  const api = new PatientApi({
    vault,
    client: portal,
    t,
    missingToken: () => new RelayError(ErrorCode.NO_TOKEN, t('NO_TOKEN')),
    // The client renews its own token; the server never waits for one.
    requestRenewal: () => false,
  });
  return {
    api,
    confirmer,
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
  };
}

/** The audit trail of remote mode is the server's log: who, what, outcome — no content, no token. */
function remoteAudit(logger: Logger) {
  const audit = logger.child('audit');
  return (entry: AuditEntry) =>
    audit.info('tool call', {
      patient: requestScope.getStore()?.bearer.patientId ?? null,
      tokenId: requestScope.getStore()?.bearer.tokenId ?? null,
      client: entry.client,
      tool: entry.tool,
      scopes: entry.scopes,
      resourceIds: entry.resourceIds,
      outcome: entry.outcome,
      durationMs: entry.durationMs,
    });
}
