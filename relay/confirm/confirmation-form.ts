/**
 * The confirmation question as an MCP form, and how the patient's answer to it reads — the one
 * form whether it is asked as a server request (2025 era) or inside an input-required result
 * (2026-07-28).
 */
import type { ElicitRequestFormParams } from '@modelcontextprotocol/sdk/types.js';
import type { MessageKey, Translate } from '../i18n/messages';
import type { ReadGrant } from '../protocol/protocol';

/**
 * The elicitation modes a client declared (its `elicitation` capability, as sent: untrusted) —
 * from `initialize` on the 2025 protocol, from each request's envelope on 2026-07-28.
 */
export function elicitationModes(elicitation: unknown): { form: boolean; url: boolean } {
  if (elicitation === null || typeof elicitation !== 'object') return { form: false, url: false };
  // An empty object means form mode (spec 2025-06); newer clients list modes explicitly.
  return {
    form: Object.keys(elicitation).length === 0 || 'form' in elicitation,
    url: 'url' in elicitation,
  };
}

export type ConfirmationOutcome = 'approved' | 'declined' | 'timeout' | 'unsupported';

/** What the form's answer says: for an approved read, also whether to allow the reads that follow. */
export interface FormAnswer {
  outcome: ConfirmationOutcome;
  readGrant?: ReadGrant;
}

/** The read question's choices, in the order the form lists them. */
const READ_CHOICES = ['once', 'conversation', 'hour', 'no'] as const;
const READ_CHOICE_WORDS = {
  once: 'CONFIRM_READ_ONCE',
  conversation: 'CONFIRM_READ_CONVERSATION',
  hour: 'CONFIRM_READ_HOUR',
  no: 'CONFIRM_READ_NO',
} as const satisfies Record<(typeof READ_CHOICES)[number], MessageKey>;

/** The form the patient answers in the AI client, and how its answer reads. */
export interface ConfirmationForm {
  params: ElicitRequestFormParams & { mode: 'form' };
  /** The patient's answer (an MCP elicitation result, untrusted) as an outcome. */
  read(result: unknown): FormAnswer;
}

/**
 * The question as an MCP form: a write is a yes or no; a read offers to allow once, for this
 * conversation or for one hour. The choices are an enum of the sentences themselves: every
 * form-capable client (MCP 2025-06 and later) shows a plain enum, and the patient reads words,
 * not ids. Asked as a server request (2025 era) or inside an input-required result (2026-07-28).
 */
export function confirmationForm(ask: {
  t: Translate;
  message: string;
  /** A read: offer to allow the reads that follow too. */
  offerReadGrants?: boolean;
}): ConfirmationForm {
  const choices = READ_CHOICES.map((choice) => ({
    choice,
    words: ask.t(READ_CHOICE_WORDS[choice]),
  }));
  const field: ElicitRequestFormParams['requestedSchema']['properties'] = ask.offerReadGrants
    ? {
        allow: {
          type: 'string',
          title: ask.t('CONFIRM_READ_FIELD'),
          enum: choices.map(({ words }) => words),
          default: choices[0]?.words,
        },
      }
    : { confirm: { type: 'boolean', title: ask.t('CONFIRM_FIELD'), default: false } };
  return {
    params: {
      mode: 'form',
      message: ask.message,
      requestedSchema: { type: 'object', properties: field, required: Object.keys(field) },
    },
    read(result) {
      const { action, content } = (result ?? {}) as {
        action?: unknown;
        content?: Record<string, unknown>;
      };
      if (action !== 'accept') return { outcome: 'declined' };
      if (!ask.offerReadGrants) {
        return { outcome: content?.confirm === true ? 'approved' : 'declined' };
      }
      const choice = choices.find(({ words }) => words === content?.allow)?.choice;
      if (choice === 'once') return { outcome: 'approved' };
      if (choice === 'conversation' || choice === 'hour') {
        return { outcome: 'approved', readGrant: choice };
      }
      return { outcome: 'declined' };
    },
  };
}
