/**
 * Terminal output only (the catalogues, messages.ts, extension-messages.ts and
 * page-messages.ts, hold what the model, the extension and the remote mode's pages show): the
 * CLI's sentences, written in both languages where they are
 * used. `say(en, fr)` returns the one the patient reads (HOSPIAI_MCP_LANG, then LC_ALL,
 * LC_MESSAGES, LANG). Both are required, so no sentence exists in one language only; the
 * glossary test checks their words.
 */
import { type Lang, langFromEnv } from './messages';

export type Say = (en: string, fr: string) => string;

export function sayIn(lang: Lang): Say {
  return (en, fr) => (lang === 'fr' ? fr : en);
}

export function sayFor(env: NodeJS.ProcessEnv): Say {
  return sayIn(langFromEnv(env));
}

/** Dates and times as the patient reads them, in their language (Intl). */
export function formatDateTime(iso: string | Date, lang: Lang): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(date);
}

export function formatTime(iso: string | Date, lang: Lang): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    timeStyle: 'short',
  }).format(date);
}
