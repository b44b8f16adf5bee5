/**
 * What the confirmation card shows for one tool result, in the host's language: for a write the
 * patient confirms on this server's page (NOT_CONFIRMED with `confirmUrl`), the question — whose
 * record, when, the doctor, where, the reason quoted as the assistant wrote it — and the button
 * that asks the host to open the page; for any other result, its sentence. Everything here is
 * plain text for `textContent` (card-app.ts): the portal's names and the model's words are never
 * markup; the words come from the remote pages’ catalogue. Pure, so that it is tested without a browser.
 */
import { z } from 'zod';
import { PAGE_MESSAGES } from '../i18n/page-messages';
import { type DisplayLang, formatAppointmentTime } from '../protocol/appointment-time';
import type { WriteTool } from '../protocol/extension-frames';
import type { WriteSummary } from '../protocol/relay-frames';
import {
  CONFIRM_ON_PAGE,
  ERROR_META_KEY,
  PAGE_QUESTION_META_KEY,
  PageQuestion,
} from '../protocol/tool-result-meta';

/** The card's words, from the remote pages' catalogue (relay/i18n/page-messages-*.ts). */
function textOf(lang: DisplayLang) {
  const words = PAGE_MESSAGES[lang];
  return {
    headline: {
      book_appointment: words.card_headline_book_appointment,
      cancel_appointment: words.card_headline_cancel_appointment,
    },
    patient: words.card_patient,
    when: words.card_when,
    doctor: words.card_doctor,
    where: words.card_where,
    reason: words.card_reason,
    reasonSource: words.card_reason_source,
    note: {
      book_appointment: words.card_note_book_appointment,
      cancel_appointment: words.card_note_cancel_appointment,
    },
    button: words.card_button,
    notOpened: words.card_not_opened,
    booked: words.card_booked,
    cancelled: words.card_cancelled,
    waiting: words.card_waiting,
    nothingDone: words.card_nothing_done,
  } satisfies Record<string, string | Record<WriteTool, string>>;
}

const TEXT = { en: textOf('en'), fr: textOf('fr') };

export type CardText = ReturnType<typeof textOf>;

export function cardText(lang: DisplayLang): CardText {
  return TEXT[lang];
}

/** One labelled line of the question. */
export interface CardLine {
  label: string;
  text: string;
}

export type CardView =
  | {
      kind: 'question';
      headline: string;
      lines: CardLine[];
      note: string;
      button: string;
      /** The confirmation page, as the result gave it. */
      url: string;
    }
  | { kind: 'sentence'; text: string };

/** A tool result as the host hands it to the app (MCP CallToolResult), read defensively. */
const ToolResult = z.object({
  isError: z.boolean().optional(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })).default([]),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  _meta: z.record(z.string(), z.unknown()).optional(),
});

const PageRefusal = z.object({
  code: z.literal('NOT_CONFIRMED'),
  reason: z.literal(CONFIRM_ON_PAGE),
  message: z.string(),
  confirmUrl: z.string().max(2_000).refine(isWebLink, 'an http(s) link'),
});

function isWebLink(url: string): boolean {
  try {
    return /^https?:$/.test(new URL(url).protocol);
  } catch {
    return false;
  }
}

const Failure = z.object({ message: z.string() });

/** What a booking or cancellation answered (its structured output). */
const Done = z.object({
  appointment: z.object({
    date: z.string(),
    time: z.string(),
    status: z.string(),
    doctor: z.object({ name: z.string() }),
  }),
});

const MAX_SENTENCE_CHARS = 2_000;

function when(summary: Pick<WriteSummary, 'date' | 'time'>, lang: DisplayLang): string {
  return (
    formatAppointmentTime(summary.date, summary.time, lang) ?? `${summary.date} ${summary.time}`
  );
}

function questionLines(summary: WriteSummary, text: CardText, lang: DisplayLang): CardLine[] {
  const doctor = summary.specialty ? `${summary.doctor}, ${summary.specialty}` : summary.doctor;
  const place = [summary.hospital, summary.city ?? summary.address].filter(Boolean).join(', ');
  return [
    ...(summary.patient ? [{ label: text.patient, text: summary.patient }] : []),
    { label: text.when, text: when(summary, lang) },
    { label: text.doctor, text: doctor },
    ...(place ? [{ label: text.where, text: place }] : []),
    ...(summary.reason
      ? [{ label: text.reason, text: `“${summary.reason}” (${text.reasonSource})` }]
      : []),
  ];
}

function question(action: WriteTool, summary: WriteSummary, url: string, lang: DisplayLang) {
  const text = TEXT[lang];
  return {
    kind: 'question' as const,
    headline: text.headline[action],
    lines: questionLines(summary, text, lang),
    note: text.note[action],
    button: text.button,
    url,
  };
}

/** The card for a tool result; a result it cannot read is told by its text. */
export function cardViewOf(value: unknown, lang: DisplayLang): CardView {
  const parsed = ToolResult.safeParse(value);
  if (!parsed.success) return { kind: 'sentence', text: TEXT[lang].nothingDone };
  const result = parsed.data;
  const plainText = result.content
    .map((part) => (part.type === 'text' ? (part.text ?? '') : ''))
    .filter(Boolean)
    .join('\n');
  if (result.isError) {
    const refusal = PageRefusal.safeParse(result._meta?.[ERROR_META_KEY]);
    const asked = PageQuestion.safeParse(result._meta?.[PAGE_QUESTION_META_KEY]);
    if (refusal.success && asked.success) {
      return question(asked.data.action, asked.data.summary, refusal.data.confirmUrl, lang);
    }
    const failure = Failure.safeParse(result._meta?.[ERROR_META_KEY]);
    const sentence = failure.success ? failure.data.message : plainText;
    return { kind: 'sentence', text: bounded(sentence || TEXT[lang].nothingDone) };
  }
  const done = Done.safeParse(result.structuredContent);
  if (done.success) {
    const { appointment } = done.data;
    const headline = appointment.status === 'cancelled' ? TEXT[lang].cancelled : TEXT[lang].booked;
    return {
      kind: 'sentence',
      text: bounded(`${headline}${appointment.doctor.name}, ${when(appointment, lang)}`),
    };
  }
  return { kind: 'sentence', text: bounded(plainText || TEXT[lang].nothingDone) };
}

function bounded(text: string): string {
  return text.length > MAX_SENTENCE_CHARS ? `${text.slice(0, MAX_SENTENCE_CHARS - 1)}…` : text;
}
