import type {
  ConfirmationAnswer,
  ConfirmationOutcome,
  ToConfirm,
} from '../confirm/patient-confirmation';
import { ErrorCode, RelayError } from '../errors';
import type { WriteSummary } from '../protocol/protocol';
import type { ToolContext } from './define-tool';

const REFUSAL = {
  declined: 'NOT_CONFIRMED_DECLINED',
  timeout: 'NOT_CONFIRMED_TIMEOUT',
  unsupported: 'NOT_CONFIRMED_UNSUPPORTED',
} as const satisfies Record<Exclude<ConfirmationOutcome, 'approved'>, string>;

/** Asks the patient; returns their yes (with any read grant), else throws NOT_CONFIRMED. */
export async function requirePatientConfirmation(
  request: ToConfirm,
  { confirmer, t }: ToolContext,
): Promise<ConfirmationAnswer> {
  const answer = await confirmer.confirm(request);
  if (answer.outcome === 'approved') return answer;
  throw new RelayError(ErrorCode.NOT_CONFIRMED, t(REFUSAL[answer.outcome]), {
    reason: answer.outcome,
  });
}

/**
 * Asks the patient to approve a write, then runs it and tells the extension what the portal
 * answered: done, with the portal's details (`describe`), or failed with the error's code. The
 * write's own result or error goes on to the AI client unchanged.
 */
export async function confirmedWrite<T>(
  asked: Extract<ToConfirm, { kind: 'write' }>,
  context: ToolContext,
  write: () => Promise<T>,
  describe: (result: T) => WriteSummary,
): Promise<T> {
  const answer = await requirePatientConfirmation(asked, context);
  const report = { id: answer.id, action: asked.action };
  let result: T;
  try {
    result = await write();
  } catch (error) {
    context.confirmer.reportWrite({
      ...report,
      outcome: 'failed',
      summary: asked.summary,
      problem: error instanceof RelayError ? error.code : 'INTERNAL_ERROR',
    });
    throw error;
  }
  // The portal's details win; what it does not say (a doctor's city) stays as the patient saw it.
  context.confirmer.reportWrite({
    ...report,
    outcome: 'done',
    summary: { ...asked.summary, ...describe(result) },
  });
  return result;
}

/** Whether the held token may read details for the confirmation (read:data). */
export function canReadDetails({ vault }: ToolContext): boolean {
  return vault.info().scopes.includes('read:data');
}
