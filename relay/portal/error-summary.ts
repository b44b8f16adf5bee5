/**
 * A portal error body, summarised for the model: what it says goes into the tool's answer, so
 * it is bounded (a few fields, short sentences) and cleaned like any outside text. A 1.6 MB
 * `details` must not travel whole into the model's context.
 */
import { cleanText } from '../protocol/untrusted-text';
import type { PortalErrorBody } from './portal-schemas';

export const MAX_SUMMARISED_FIELDS = 5;
const FIELD_CHARS = 40;
const MESSAGE_CHARS = 120;
const MAX_ALTERNATIVES = 6;

export interface FieldIssue {
  field: string;
  message: string;
}

export interface DetailsSummary {
  /** One line for the error sentence. */
  text: string;
  /** The first few fields, for the structured error; null when the portal named none. */
  fields: FieldIssue[] | null;
}

export function summariseDetails(body: PortalErrorBody): DetailsSummary {
  const { shown, total } = fieldIssues(body.details);
  if (shown.length === 0) {
    return { text: cleanText(body.error ?? 'invalid request', MESSAGE_CHARS), fields: null };
  }
  const more = total - shown.length;
  const text = shown.map((f) => `${f.field}: ${f.message}`).join('; ');
  return { text: more > 0 ? `${text}; and ${more} more` : text, fields: shown };
}

/** Slots the portal proposes instead: only well-formed ones, a handful. */
export function summariseAlternatives(
  alternatives: PortalErrorBody['alternatives'],
): { date: string; time: string }[] {
  return (alternatives ?? [])
    .filter((a) => /^\d{4}-\d{2}-\d{2}$/.test(a.date) && /^\d{2}:\d{2}$/.test(a.time))
    .slice(0, MAX_ALTERNATIVES)
    .map(({ date, time }) => ({ date, time }));
}

/** The first few issues (only those are read and cleaned) and how many there are. */
function fieldIssues(details: unknown): { shown: FieldIssue[]; total: number } {
  const issue = (field: unknown, message: unknown): FieldIssue => ({
    field: cleanText(typeof field === 'string' ? field : '?', FIELD_CHARS),
    message: cleanText(typeof message === 'string' ? message : 'invalid', MESSAGE_CHARS),
  });
  if (Array.isArray(details)) {
    const shown = details
      .slice(0, MAX_SUMMARISED_FIELDS)
      .map((d) =>
        typeof d === 'object' && d !== null && 'field' in d
          ? issue((d as { field: unknown }).field, (d as { message?: unknown }).message)
          : issue('?', typeof d === 'string' ? d : 'invalid'),
      );
    return { shown, total: details.length };
  }
  if (details && typeof details === 'object') {
    const entries = Object.entries(details);
    const shown = entries
      .slice(0, MAX_SUMMARISED_FIELDS)
      .map(([field, message]) => issue(field, message));
    return { shown, total: entries.length };
  }
  return { shown: [], total: 0 };
}
