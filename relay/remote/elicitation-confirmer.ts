/**
 * The patient's yes in remote mode: MCP elicitation only (no extension reaches this server).
 * The question goes out on the response stream of the tool call that asks (its JSON-RPC id comes
 * from the request scope), so it reaches the client through the same replica and connection;
 * the client's answer comes back to this session, which nginx routes to this replica.
 * A client without form elicitation gets `unsupported`, i.e. NOT_CONFIRMED with what to do.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  askThroughElicitation,
  type ConfirmationOutcome,
  type Confirmer,
  clientSupportsFormElicitation,
  type ToConfirm,
} from '../confirm/patient-confirmation';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import { requestScope } from './request-scope';

export function createElicitationConfirmer(options: {
  server: Server;
  t: Translate;
  logger: Logger;
  timeoutMs: number;
}): Confirmer {
  return {
    async confirm(request: ToConfirm): Promise<ConfirmationOutcome> {
      if (!clientSupportsFormElicitation(options.server)) return 'unsupported';
      return askThroughElicitation({
        ...options,
        message: request.message,
        relatedRequestId: requestScope.getStore()?.rpcId ?? undefined,
      });
    },
    // Answers arrive as MCP responses, never as extension frames.
    settle: () => false,
  };
}
