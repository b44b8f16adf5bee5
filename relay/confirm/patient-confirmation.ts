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
  ReadGrant,
  ReadTool,
  RelaySessionFrame,
  WriteOutcomeFrame,
  WriteSummary,
} from '../protocol/protocol';

import { type ConfirmationOutcome, confirmationForm, elicitationModes } from './confirmation-form';

export type { ConfirmationOutcome } from './confirmation-form';

/** The patient's answer: for an approved read, also whether to allow the reads that follow. */
export interface ConfirmationAnswer {
  outcome: ConfirmationOutcome;
  readGrant?: ReadGrant;
  /** The extension's name for the question (null when asked in the AI client's form). */
  id: string | null;
}

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
  /** To every authenticated extension, or only to those of one pairing (`to`). */
  broadcast(frame: RelaySessionFrame, to?: { pairingId: string }): number;
}

/** One paired extension (the pairing its session authenticated with). */
export interface PairedSender {
  pairingId: string;
}

export interface ConfirmerOptions {
  server: Server;
  extension: ExtensionChannel | null;
  /**
   * The extension asked to confirm (the one whose token is in use); null = any paired one.
   * A question is sent only to it, and only its answer settles that question.
   */
  answerer?: () => PairedSender | null;
  t: Translate;
  logger: Logger;
  timeoutMs?: number;
}

/** Whether the AI client can show a form (MCP elicitation) — the model never sees its answer. */
export function clientSupportsFormElicitation(server: Server): boolean {
  return elicitationModes(server.getClientCapabilities()?.elicitation).form;
}

/** Asks the patient in the AI client's own form (an MCP server request); no answer in time = `timeout`. */
export async function askThroughElicitation(ask: {
  server: Server;
  t: Translate;
  logger: Logger;
  message: string;
  timeoutMs: number;
  /** A read: offer to allow the reads that follow too. */
  offerReadGrants?: boolean;
  /** The tool call the question belongs to (remote mode routes it on that call's stream). */
  relatedRequestId?: string | number;
}): Promise<Omit<ConfirmationAnswer, 'id'>> {
  const form = confirmationForm(ask);
  try {
    const result = await ask.server.elicitInput(form.params, {
      timeout: ask.timeoutMs,
      relatedRequestId: ask.relatedRequestId,
    });
    return form.read(result);
  } catch (error) {
    ask.logger.info('elicitation ended without an answer', { error: (error as Error).message });
    return { outcome: 'timeout' };
  }
}

export function createConfirmer(options: ConfirmerOptions) {
  const timeoutMs = options.timeoutMs ?? 120_000;
  type Settle = (decision: Decision, readGrant?: ReadGrant) => void;
  const pending = new Map<string, { settle: Settle; askedOf: PairedSender | null }>();

  const viaElicitation = async (asked: ToConfirm): Promise<ConfirmationAnswer> => ({
    ...(await askThroughElicitation({
      ...options,
      message: asked.message,
      timeoutMs,
      offerReadGrants: asked.kind === 'read',
    })),
    id: null,
  });

  function viaExtension(
    asked: ToConfirm,
    extension: ExtensionChannel,
  ): Promise<ConfirmationAnswer> {
    const id = randomId(16);
    const askedOf = options.answerer?.() ?? null;
    const expiresAt = new Date(Date.now() + timeoutMs).toISOString();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        resolve({ outcome: 'timeout', id });
      }, timeoutMs);
      const settle: Settle = (decision, readGrant) => {
        clearTimeout(timer);
        pending.delete(id);
        if (decision !== 'approve') resolve({ outcome: 'declined', id });
        // A grant is for reads only: a write's answer never carries one forward.
        else if (asked.kind === 'read' && readGrant)
          resolve({ outcome: 'approved', readGrant, id });
        else resolve({ outcome: 'approved', id });
      };
      pending.set(id, { settle, askedOf });
      const sent = extension.broadcast(
        asked.kind === 'write'
          ? {
              type: 'confirmation_request',
              id,
              action: asked.action,
              summary: asked.summary,
              expiresAt,
            }
          : { type: 'read_approval_request', id, tool: asked.tool, expiresAt },
        askedOf ?? undefined,
      );
      if (sent === 0) {
        clearTimeout(timer);
        pending.delete(id);
        resolve({ outcome: 'unsupported', id: null });
      }
    });
  }

  return {
    async confirm(asked: ToConfirm): Promise<ConfirmationAnswer> {
      if (clientSupportsFormElicitation(options.server)) return viaElicitation(asked);
      const extension = options.extension;
      if (extension && extension.authenticatedCount() > 0) return viaExtension(asked, extension);
      return { outcome: 'unsupported', id: null };
    },
    /**
     * A confirmation_result frame from the extension `from`; unknown or late ids are ignored, and
     * so is an answer from another pairing than the one asked.
     */
    settle(id: string, decision: Decision, readGrant?: ReadGrant, from?: PairedSender): boolean {
      const entry = pending.get(id);
      if (!entry) return false;
      if (entry.askedOf && entry.askedOf.pairingId !== from?.pairingId) {
        options.logger.warn(
          'a confirmation answer from another pairing than the one asked: ignored',
        );
        return false;
      }
      entry.settle(decision, readGrant);
      return true;
    },
    /** What the portal answered to an approved write, for the extension to show ("Booked ✓"). */
    reportWrite(outcome: Omit<WriteOutcomeFrame, 'type' | 'at'>): void {
      options.extension?.broadcast(
        { type: 'write_outcome', ...outcome, at: new Date().toISOString() },
        options.answerer?.() ?? undefined,
      );
    },
  };
}

export type Confirmer = ReturnType<typeof createConfirmer> & {
  /**
   * For a client that cannot ask (`unsupported`): the write is confirmed elsewhere — remote mode's
   * confirmation page — and `run` does it then. The link to give the patient, or null when there
   * is no such place for this patient.
   */
  deferWrite?: (
    question: Extract<ToConfirm, { kind: 'write' }>,
    run: () => Promise<WriteSummary>,
  ) => string | null;
};
