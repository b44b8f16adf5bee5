import type { ConfirmationOutcome, ToConfirm } from '../confirm/patient-confirmation';
import { ErrorCode, RelayError } from '../errors';
import type { ToolContext } from './define-tool';

const REFUSAL = {
  declined: 'NOT_CONFIRMED_DECLINED',
  timeout: 'NOT_CONFIRMED_TIMEOUT',
  unsupported: 'NOT_CONFIRMED_UNSUPPORTED',
} as const satisfies Record<Exclude<ConfirmationOutcome, 'approved'>, string>;

/** Asks the patient; returns only when they approved, else throws NOT_CONFIRMED. */
export async function requirePatientConfirmation(
  request: ToConfirm,
  { confirmer, t }: ToolContext,
): Promise<void> {
  const outcome = await confirmer.confirm(request);
  if (outcome === 'approved') return;
  throw new RelayError(ErrorCode.NOT_CONFIRMED, t(REFUSAL[outcome]), { reason: outcome });
}

/** Whether the held token may read details for the confirmation (read:data). */
export function canReadDetails({ vault }: ToolContext): boolean {
  return vault.info().scopes.includes('read:data');
}
