/**
 * One glossary for the relay and the extension: both languages define every term, and no
 * message the patient can read — the relay's sentences (tool answers, CLI), the extension's or
 * the remote mode's pages' — uses a word the glossary avoids for it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromeLocale } from '../../../relay/i18n/extension-messages';
import { AVOIDED, GLOSSARY } from '../../../relay/i18n/glossary';
import { catalogues, type Lang, translator } from '../../../relay/i18n/messages';
import { PAGE_MESSAGES, type PageMessage } from '../../../relay/i18n/page-messages';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const PARAMS = {
  scope: 's',
  url: 'u',
  seconds: 1,
  what: 'w',
  details: 'd',
  alternatives: 'a',
  doctor: 'd',
  specialty: 's',
  date: 'd',
  time: 't',
  reason: 'r',
  tries: 2,
};

function relayMessages(lang: Lang): string[] {
  const t = translator(lang);
  return (Object.keys(catalogues.en) as (keyof typeof catalogues.en)[]).map((key) =>
    t(key, PARAMS),
  );
}

function extensionMessages(lang: Lang): string[] {
  return Object.values(chromeLocale(lang)).map((entry) => entry.message);
}

function pageMessages(lang: Lang): string[] {
  return (Object.values(PAGE_MESSAGES[lang]) as PageMessage[]).map((message) =>
    typeof message === 'function'
      ? message(...Array.from({ length: message.length }, () => 'v'))
      : message,
  );
}

/** The French halves of the CLI's `say(en, fr)` sentences: every string literal of these files. */
function cliSources(): string {
  const dirs = ['relay/commands', 'relay/doctor'];
  return dirs
    .flatMap((dir) =>
      readdirSync(path.join(root, dir)).map((name) =>
        readFileSync(path.join(root, dir, name), 'utf8'),
      ),
    )
    .join('\n');
}

describe('one glossary for the relay and the extension', () => {
  it('defines every term in English and in French, and avoids words only for known terms', () => {
    expect(Object.keys(GLOSSARY.fr).sort()).toEqual(Object.keys(GLOSSARY.en).sort());
    for (const lang of ['en', 'fr'] as const) {
      for (const term of Object.keys(AVOIDED[lang])) expect(GLOSSARY[lang]).toHaveProperty(term);
      for (const [term, avoided] of Object.entries(AVOIDED[lang])) {
        // The chosen word is not itself avoided.
        expect(GLOSSARY[lang][term as keyof (typeof GLOSSARY)['en']], term).not.toMatch(avoided);
      }
    }
  });

  for (const lang of ['en', 'fr'] as const) {
    it(`no ${lang} message of the relay, the extension or the remote pages uses an avoided word`, () => {
      const texts = [...relayMessages(lang), ...extensionMessages(lang), ...pageMessages(lang)];
      for (const [term, avoided] of Object.entries(AVOIDED[lang])) {
        const offending = texts.filter((text) => avoided.test(text));
        expect(offending, `${lang} “${term}”: use “${GLOSSARY[lang][term as 'pair']}”`).toEqual([]);
      }
    });
  }

  it('the CLI’s French sentences use the glossary’s words too', () => {
    const sources = cliSources();
    for (const [term, avoided] of Object.entries(AVOIDED.fr)) {
      if (term === 'extensionWindow' || term === 'token') continue; // code and English use these words
      expect(sources, term).not.toMatch(avoided);
    }
    expect(sources).not.toMatch(/\b(un nouveau|le|du) token\b/);
  });

  it('catches an avoided word (the check can fail)', () => {
    expect('L’extension n’est pas encore associée.').toMatch(AVOIDED.fr.pair!);
    expect('Type it into the extension’s popup.').toMatch(AVOIDED.en.extensionWindow!);
    expect('générez un nouveau token dans Tokens API').toMatch(AVOIDED.fr.token!);
    expect('générez un jeton dans Tokens API (« Token invalide »)').not.toMatch(AVOIDED.fr.token!);
    expect('ouvrez Tokens API (https://portail/dashboard/tokens)').not.toMatch(AVOIDED.fr.token!);
  });
});
