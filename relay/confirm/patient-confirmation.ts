/**
 * Writes (booking, cancelling) — and reads the patient chose to approve each time — are
 * confirmed by the patient, never by the model: through MCP elicitation when the AI client
 * supports it, otherwise through the browser extension (the relay sends the details it fetched
 * itself; the popup shows Approve / Decline). No answer in time means not done. Nothing a
 * tool's arguments say can stand in for this.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Translate } from '../i18n/messages';
import type { Logger } from '../logger';
import { randomId } from '../protocol/handshake-crypto';
import type {
  ConfirmationRequestFrame,
  Decision,
  ReadTool,
  RelaySessionFrame,
} from '../protocol/protocol';

export type ConfirmationOutcome = 'approved' | 'declined' | 'timeout' | 'unsupported';

export type ToConfirm =
  | {
      kind: 'write';
      action: ConfirmationRequestFrame['action'];
      summary: ConfirmationRequestFrame['summary'];
      /** The sentence the patient reads. */
      message: string;
    }
  | { kind: 'read'; tool: ReadTool; message: string };

/** The part of the bridge that confirmation needs. */
export interface ExtensionChannel {
  authenticatedCount(): number;
  broadcast(frame: RelaySessionFrame): number;
}

export interface ConfirmerOptions {
  server: Server;
  extension: ExtensionChannel | null;
  t: Translate;
  logger: Logger;
  timeoutMs?: number;
}

/** Whether the AI client can show a form (MCP elicitation) — the model never sees its answer. */
export function clientSupportsFormElicitation(server: Server): boolean {
  const elicitation = server.getClientCapabilities()?.elicitation;
  if (!elicitation) return false;
  // An empty object means form mode (spec 2025-06); newer clients list modes explicitly.
  return Object.keys(elicitation).length === 0 || 'form' in elicitation;
}

/** Asks the patient yes or no in the AI client's own form; no answer in time = `timeout`. */
export async function askThroughElicitation(ask: {
  server: Server;
  t: Translate;
  logger: Logger;
  message: string;
  timeoutMs: number;
  /** The tool call the question belongs to (remote mode routes it on that call's stream). */
  relatedRequestId?: string | number;
}): Promise<ConfirmationOutcome> {
  try {
    const result = await ask.server.elicitInput(
      {
        mode: 'form',
        message: ask.message,
        requestedSchema: {
          type: 'object',
          properties: {
            confirm: { type: 'boolean', title: ask.t('CONFIRM_FIELD'), default: false },
          },
          required: ['confirm'],
        },
      },
      { timeout: ask.timeoutMs, relatedRequestId: ask.relatedRequestId },
    );
    if (result.action === 'accept' && result.content?.confirm === true) return 'approved';
    return 'declined';
  } catch (error) {
    ask.logger.info('elicitation ended without an answer', { error: (error as Error).message });
    return 'timeout';
  }
}

export function createConfirmer(options: ConfirmerOptions) {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const pending = new Map<string, (decision: Decision) => void>();

  const viaElicitation = (write: ToConfirm) =>
    askThroughElicitation({ ...options, message: write.message, timeoutMs });

  function viaExtension(
    write: ToConfirm,
    extension: ExtensionChannel,
  ): Promise<ConfirmationOutcome> {
    const id = randomId(16);
    const expiresAt = new Date(Date.now() + timeoutMs).toISOString();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve('timeout');
      }, timeoutMs);
      pending.set(id, (decision) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(decision === 'approve' ? 'approved' : 'declined');
      });
      const sent = extension.broadcast(
        write.kind === 'write'
          ? {
              type: 'confirmation_request',
              id,
              action: write.action,
              summary: write.summary,
              expiresAt,
            }
          : { type: 'read_approval_request', id, tool: write.tool, expiresAt },
      );
      if (sent === 0) {
        clearTimeout(timer);
        pending.delete(id);
        resolve('unsupported');
      }
    });
  }

  return {
    async confirm(write: ToConfirm): Promise<ConfirmationOutcome> {
      if (clientSupportsFormElicitation(options.server)) return viaElicitation(write);
      const extension = options.extension;
      if (extension && extension.authenticatedCount() > 0) return viaExtension(write, extension);
      return 'unsupported';
    },
    /** A confirmation_result frame from the extension; unknown or late ids are ignored. */
    settle(id: string, decision: Decision): boolean {
      const resolve = pending.get(id);
      if (!resolve) return false;
      resolve(decision);
      return true;
    },
  };
}

export type Confirmer = ReturnType<typeof createConfirmer>;
