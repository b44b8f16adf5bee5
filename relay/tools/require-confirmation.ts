import { randomUUID } from 'node:crypto';
import type {
  ConfirmationAnswer,
  ConfirmationOutcome,
  ToConfirm,
} from '../confirm/patient-confirmation';
import { ErrorCode, RelayError } from '../errors';
import type { PinnedPatient } from '../portal/patient-api';
import type { WriteSummary } from '../protocol/protocol';
import {
  CONFIRM_ON_PAGE,
  PAGE_QUESTION_META_KEY,
  type PageQuestion,
} from '../protocol/tool-result-meta';
import { cleanText } from '../protocol/untrusted-text';
import type { ToolCallContext, ToolContext } from './define-tool';

const REFUSAL = {
  declined: 'NOT_CONFIRMED_DECLINED',
  timeout: 'NOT_CONFIRMED_TIMEOUT',
  unsupported: 'NOT_CONFIRMED_UNSUPPORTED',
} as const satisfies Record<Exclude<ConfirmationOutcome, 'approved'>, string>;

/**
 * Asks the patient; returns their yes (with any read grant), else throws NOT_CONFIRMED. A write
 * whose client cannot ask may be confirmed on a page instead (`later` then does it): the
 * refusal then carries the page's link, and nothing is done now.
 */
export async function requirePatientConfirmation(
  request: ToConfirm,
  { confirmer, t }: ToolContext,
  later?: () => Promise<WriteSummary>,
): Promise<ConfirmationAnswer> {
  const answer = await confirmer.confirm(request);
  if (answer.outcome === 'approved') return answer;
  if (answer.outcome === 'unsupported' && later && request.kind === 'write') {
    const url = confirmer.deferWrite?.(request, later) ?? null;
    if (url) {
      // The question too, for a card the client shows (relay/card/): the model reads the link.
      const question: PageQuestion = { action: request.action, summary: request.summary };
      throw new RelayError(
        ErrorCode.NOT_CONFIRMED,
        t('NOT_CONFIRMED_ON_PAGE', { url }),
        { reason: CONFIRM_ON_PAGE, confirmUrl: url },
        { [PAGE_QUESTION_META_KEY]: question },
      );
    }
  }
  throw new RelayError(ErrorCode.NOT_CONFIRMED, t(REFUSAL[answer.outcome]), {
    reason: answer.outcome,
  });
}

export interface ConfirmedWrite<T> {
  /** The question, from the portal's data read with the pinned token (the patient's own). */
  question(as: PinnedPatient): Promise<Extract<ToConfirm, { kind: 'write' }>>;
  /**
   * The write, with that same token and the approved write's Idempotency-Key: the same key each
   * time this question's write is run, so the portal applies it once however often it is sent.
   */
  write(as: PinnedPatient, idempotencyKey: string): Promise<T>;
  /** What the portal answered, for the patient's receipt. */
  describe(result: T): WriteSummary;
}

/**
 * Asks the patient to approve a write — naming whose record it is — then runs it and tells the
 * extension what the portal answered: done, with the portal's details, or failed with the
 * error's code. Everything goes with the token in use when the question was built (pinned),
 * never one the vault holds for another patient by the time they answer. The write's own result
 * or error goes on to the AI client unchanged.
 */
export async function confirmedWrite<T>(
  context: ToolCallContext,
  steps: ConfirmedWrite<T>,
): Promise<T> {
  const as = await context.asPatient();
  const [asked, patient] = await Promise.all([steps.question(as), as.displayName()]);
  const shown = patient ? cleanText(patient, 120) : null;
  const question = shown
    ? {
        ...asked,
        summary: { ...asked.summary, patient: shown },
        message: context.t('CONFIRM_FOR_PATIENT', { patient: shown, question: asked.message }),
      }
    : asked;
  // One key per question, not per run: a confirmation page answered twice (or a run retried)
  // replays the portal's first answer instead of booking or cancelling again.
  const idempotencyKey = randomUUID();
  const answer = await requirePatientConfirmation(question, context, async () => ({
    ...question.summary,
    ...steps.describe(await steps.write(as, idempotencyKey)),
  }));
  const report = { id: answer.id, action: question.action };
  let result: T;
  try {
    result = await steps.write(as, idempotencyKey);
  } catch (error) {
    context.confirmer.reportWrite({
      ...report,
      outcome: 'failed',
      summary: question.summary,
      problem: error instanceof RelayError ? error.code : ErrorCode.INTERNAL_ERROR,
    });
    throw error;
  }
  // The portal's details win; what it does not say (a doctor's city) stays as the patient saw it.
  context.confirmer.reportWrite({
    ...report,
    outcome: 'done',
    summary: { ...question.summary, ...steps.describe(result) },
  });
  return result;
}

/** Whether the held token may read details for the confirmation (read:data). */
export function canReadDetails({ vault }: ToolContext): boolean {
  return vault.info().scopes.includes('read:data');
}

/**
 * The portal's record of what a write is about, so the patient confirms a name and a date, not
 * an id; an id the portal does not list is refused (NOT_FOUND) before anyone is asked. Without
 * read:data only the (strict) id can be shown, and the portal refuses an unknown one at the write.
 */
export async function recordToConfirm<T extends { id: string }>(
  context: ToolContext,
  what: 'doctor' | 'appointment',
  id: string,
  list: () => Promise<readonly T[]>,
): Promise<T | { id: string }> {
  if (!canReadDetails(context)) return { id };
  const found = (await list()).find((record) => record.id === id);
  if (!found) {
    throw new RelayError(ErrorCode.NOT_FOUND, context.t('NOT_FOUND', { what }), {
      [`${what}Id`]: id,
    });
  }
  return found;
}
