/**
 * The patient's yes in remote mode: MCP elicitation only (no extension reaches this server).
 * The question goes out on the response stream of the tool call that asks (its JSON-RPC id comes
 * from the request scope), so it reaches the client through the same replica and connection;
 * the client's answer comes back to this session, which nginx routes to this replica.
 * A client without form elicitation gets `unsupported`, i.e. NOT_CONFIRMED with what to do.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { ConfirmationOutcome, Confirmer, ToConfirm } from '../confirm/patient-confirmation';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import { requestScope } from './request-scope';

export function createElicitationConfirmer(options: {
  server: Server;
  t: Translate;
  logger: Logger;
  timeoutMs: number;
}): Confirmer {
  function supportsFormElicitation(): boolean {
    const elicitation = options.server.getClientCapabilities()?.elicitation;
    if (!elicitation) return false;
    return Object.keys(elicitation).length === 0 || 'form' in elicitation;
  }

  return {
    async confirm(request: ToConfirm): Promise<ConfirmationOutcome> {
      if (!supportsFormElicitation()) return 'unsupported';
      const rpcId = requestScope.getStore()?.rpcId ?? undefined;
      try {
        const result = await options.server.elicitInput(
          {
            mode: 'form',
            message: request.message,
            requestedSchema: {
              type: 'object',
              properties: {
                confirm: { type: 'boolean', title: options.t('CONFIRM_FIELD'), default: false },
              },
              required: ['confirm'],
            },
          },
          { timeout: options.timeoutMs, relatedRequestId: rpcId },
        );
        return result.action === 'accept' && result.content?.confirm === true
          ? 'approved'
          : 'declined';
      } catch (error) {
        options.logger.info('elicitation ended without an answer', {
          error: (error as Error).message,
        });
        return 'timeout';
      }
    },
    // Answers arrive as MCP responses, never as extension frames.
    settle: () => false,
  };
}
