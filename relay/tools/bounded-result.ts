/**
 * Every tool answer is bounded before it reaches the model: a result larger than a model can
 * use becomes an actionable error, and an error's sentence and details are capped and cleaned
 * whatever produced them (a portal's body, a bug's message).
 */
import { ErrorCode, RelayError } from '../errors';
import type { Translate } from '../i18n/messages';
import { cleanText } from '../protocol/untrusted-text';
import type { ToolFailure } from './tool-result';

/** Characters of JSON a successful result may take (~50k tokens). */
export const MAX_RESULT_CHARS = 200_000;
export const MAX_ERROR_MESSAGE_CHARS = 1_000;
/** Characters of JSON an error's details may take; beyond, they are left out. */
export const MAX_ERROR_DETAILS_CHARS = 2_000;
/** Characters of JSON an error's `_meta` for the client's view may take; beyond, it is left out. */
export const MAX_ERROR_META_CHARS = 4_000;

/** The result's JSON text, or RESULT_TOO_LARGE when it would flood the model's context. */
export function boundedResultText(structured: unknown, t: Translate): string {
  const text = JSON.stringify(structured);
  if (text.length > MAX_RESULT_CHARS) {
    throw new RelayError(ErrorCode.RESULT_TOO_LARGE, t('RESULT_TOO_LARGE'), {
      resultChars: text.length,
      maxChars: MAX_RESULT_CHARS,
    });
  }
  return text;
}

export function boundedFailure(failure: ToolFailure): ToolFailure {
  const details =
    JSON.stringify(failure.details).length <= MAX_ERROR_DETAILS_CHARS
      ? failure.details
      : { detailsOmitted: true };
  const meta =
    failure.meta && JSON.stringify(failure.meta).length <= MAX_ERROR_META_CHARS
      ? failure.meta
      : undefined;
  return {
    code: cleanText(failure.code, 64),
    message: cleanText(failure.message, MAX_ERROR_MESSAGE_CHARS),
    details,
    ...(meta ? { meta } : {}),
  };
}
