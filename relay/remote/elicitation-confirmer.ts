/**
 * The patient's yes in remote mode: MCP elicitation only (no extension reaches this server).
 * The question goes out on the response stream of the tool call that asks (its JSON-RPC id comes
 * from the request scope), so it reaches the client through the same replica and connection;
 * the client's answer comes back to this session, which nginx routes to this replica.
 * A client without form elicitation gets `unsupported`: a patient who signed in through this
 * server confirms a write on its page instead (confirmOnPage); others get NOT_CONFIRMED with what
 * to do.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  askThroughElicitation,
  type ConfirmationAnswer,
  type Confirmer,
  clientSupportsFormElicitation,
  type ToConfirm,
} from '../confirm/patient-confirmation';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import type { WriteSummary } from '../protocol/protocol';
import type { VerifiedBearer } from './bearer';
import { requestScope } from './request-scope';

/** A write to confirm on this server's page for the bearer's patient; its link, or null. */
export type ConfirmOnPage = (
  bearer: VerifiedBearer,
  question: Extract<ToConfirm, { kind: 'write' }>,
  run: () => Promise<WriteSummary>,
) => string | null;

export function createElicitationConfirmer(options: {
  server: Server;
  t: Translate;
  logger: Logger;
  timeoutMs: number;
  /** The confirmation page of this server's sign-in, for clients that cannot ask (if any). */
  confirmOnPage?: ConfirmOnPage;
}): Confirmer {
  return {
    deferWrite: (question, run) => {
      const bearer = requestScope.getStore()?.bearer;
      return bearer && options.confirmOnPage ? options.confirmOnPage(bearer, question, run) : null;
    },
    async confirm(request: ToConfirm): Promise<ConfirmationAnswer> {
      if (!clientSupportsFormElicitation(options.server))
        return { outcome: 'unsupported', id: null };
      const answer = await askThroughElicitation({
        ...options,
        message: request.message,
        relatedRequestId: requestScope.getStore()?.rpcId ?? undefined,
      });
      // Remote mode keeps no state between requests: a read is allowed once, never onward.
      return { outcome: answer.outcome, id: null };
    },
    // Answers arrive as MCP responses, never as extension frames.
    settle: () => false,
    // No extension reaches this server: the AI client shows the tool's result itself.
    reportWrite: () => {},
  };
}
