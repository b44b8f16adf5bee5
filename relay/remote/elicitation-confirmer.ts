/**
 * The patient's yes in remote mode: MCP elicitation only (no extension reaches this server).
 * The question goes out on the response stream of the tool call that asks (its JSON-RPC id comes
 * from the request scope), so it reaches the client through the same replica and connection;
 * the client's answer comes back to this session, which nginx routes to this replica.
 * A client without form elicitation: a patient who signed in through this server confirms a
 * write on its page — through URL-mode elicitation when the client has it (the call waits for the
 * page's answer), else from the link the tool answers with (the write is done when they
 * confirm); others get NOT_CONFIRMED with what to do.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { elicitationModes } from '../confirm/confirmation-form';
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

type WriteQuestion = Extract<ToConfirm, { kind: 'write' }>;

/** A question put on the confirmation page while the tool call waits for the answer. */
export interface AskedOnPage {
  url: string;
  answer: Promise<'approved' | 'declined' | 'timeout'>;
  /** The client refused to show it: the question goes away. */
  withdraw(): void;
}

/** This server's confirmation page (its sign-in's), for the bearer's patient; null elsewhere. */
export interface ConfirmationPage {
  /** A write done when the patient confirms on the page, later; its link. */
  defer(
    bearer: VerifiedBearer,
    question: WriteQuestion,
    run: () => Promise<WriteSummary>,
  ): string | null;
  /** A write the tool call waits for, confirmed on the page within `timeoutMs`. */
  ask(bearer: VerifiedBearer, question: WriteQuestion, timeoutMs: number): AskedOnPage | null;
}

/** Whether the client opens a URL the server gives (MCP URL-mode elicitation, 2025-11-25). */
function clientSupportsUrlElicitation(server: Server): boolean {
  return elicitationModes(server.getClientCapabilities()?.elicitation).url;
}

export function createElicitationConfirmer(options: {
  server: Server;
  t: Translate;
  logger: Logger;
  timeoutMs: number;
  /** The confirmation page of this server's sign-in, for clients that cannot show a form. */
  confirmationPage?: ConfirmationPage;
}): Confirmer {
  const { server, confirmationPage } = options;

  /**
   * URL-mode elicitation: the client shows the page's link and says whether the patient agreed
   * to open it; the answer itself is given on the page (never in the client, never by the
   * model). Then the client is told the elicitation is complete.
   */
  async function askThroughUrl(asked: AskedOnPage, message: string) {
    const elicitationId = randomUUID();
    const relatedRequestId = requestScope.getStore()?.rpcId ?? undefined;
    let shown: { action: string };
    try {
      shown = await server.elicitInput(
        { mode: 'url', message, url: asked.url, elicitationId },
        { relatedRequestId, timeout: options.timeoutMs },
      );
    } catch (error) {
      options.logger.warn('the client did not show the confirmation page', {
        error: error instanceof Error ? error.message : String(error),
      });
      asked.withdraw();
      return 'timeout' as const;
    }
    if (shown.action !== 'accept') {
      asked.withdraw();
      return 'declined' as const;
    }
    const outcome = await asked.answer;
    await server
      .createElicitationCompletionNotifier(elicitationId, { relatedRequestId })()
      .catch(() => {});
    return outcome;
  }

  return {
    deferWrite: (question, run) => {
      const bearer = requestScope.getStore()?.bearer;
      return bearer && confirmationPage ? confirmationPage.defer(bearer, question, run) : null;
    },
    async confirm(request: ToConfirm): Promise<ConfirmationAnswer> {
      if (!clientSupportsFormElicitation(server)) {
        const bearer = requestScope.getStore()?.bearer;
        if (
          request.kind === 'write' &&
          bearer &&
          confirmationPage &&
          clientSupportsUrlElicitation(server)
        ) {
          const asked = confirmationPage.ask(bearer, request, options.timeoutMs);
          if (asked) return { outcome: await askThroughUrl(asked, request.message), id: null };
        }
        return { outcome: 'unsupported', id: null };
      }
      const answer = await askThroughElicitation({
        ...options,
        message: request.message,
        relatedRequestId: requestScope.getStore()?.rpcId ?? undefined,
      });
      // Remote mode keeps no state between requests: a read is allowed once, never onward.
      return { outcome: answer.outcome, id: null };
    },
    // Answers arrive as MCP responses (or from the page), never as extension frames.
    settle: () => false,
    // No extension reaches this server: the AI client shows the tool's result itself.
    reportWrite: () => {},
  };
}
