/**
 * One word per concept, for the relay's messages and the extension's alike, in English and
 * French: what the patient reads must not call one thing by two names ("appairé" in the popup,
 * "associée" in the assistant's answer). Each term lists the words that must not stand for it;
 * test/unit/i18n/glossary.test.ts checks both languages have every term and that no message of
 * the relay or the extension uses an avoided word.
 */
import type { Lang } from './messages';

export const GLOSSARY = {
  en: {
    pair: 'pair',
    pairingCode: 'code',
    extensionWindow: 'the HospiAI extension’s window',
    assistant: 'AI assistant',
    token: 'token',
    dashboard: 'HospiAI dashboard',
  },
  fr: {
    pair: 'appairer',
    pairingCode: 'code',
    extensionWindow: 'la fenêtre de l’extension HospiAI',
    assistant: 'assistant IA',
    token: 'jeton',
    dashboard: 'tableau de bord HospiAI',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type Term = keyof (typeof GLOSSARY)['en'];

/** Words that must not stand for a term (proper names such as the portal's "Tokens API" page, its /dashboard/tokens address and its "Token invalide" error are allowed). */
export const AVOIDED: Record<Lang, Partial<Record<Term, RegExp>>> = {
  en: {
    pair: /\bassociat(e|ed|ion)\b/i,
    extensionWindow: /\bpop-?up\b/i,
    assistant: /\bAI clients?\b/i,
  },
  fr: {
    pair: /\bassoci(er|é|ée|és|ées|ation)\b/i,
    extensionWindow: /\bpop-?up\b/i,
    assistant: /\bclients? IA\b/i,
    token: /(?<!\/)\btokens?\b(?! API| invalide)/i,
  },
};
