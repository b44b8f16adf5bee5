import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../relay/errors';
import { catalogues, ERROR_SENTENCES, langFromEnv, translator } from '../../../relay/i18n/messages';
import { remoteTranslator } from '../../../relay/remote/remote-messages';

describe('relay messages in French and English', () => {
  it('has every key in both languages, each a non-empty sentence', () => {
    expect(Object.keys(catalogues.fr).sort()).toEqual(Object.keys(catalogues.en).sort());
    for (const lang of ['en', 'fr'] as const) {
      const t = translator(lang);
      for (const key of Object.keys(catalogues.en) as (keyof typeof catalogues.en)[]) {
        const text = t(key, {
          scope: 'read:data',
          url: 'https://x',
          seconds: 3,
          what: 'x',
          details: 'x',
          alternatives: '',
          doctor: 'x',
          specialty: 'x',
          date: 'x',
          time: 'x',
          reason: 'x',
          id: 'x',
          tries: 3,
          when: 'x',
          place: 'x',
          value: 'x',
          origin: 'x',
          example: 'x',
          problem: 'x',
          name: 'x',
          max: 3,
          first: 1,
          last: 2,
          dir: 'x',
          uid: 3,
          flag: 'x',
          second: 'x',
          list: 'x',
          client: 'x',
          bundle: 'x',
          withToken: 'yes',
          code: 'x',
          until: 'x',
          patient: 'x',
          question: 'x',
        });
        expect(text.trim().length, `${lang}.${key}`).toBeGreaterThan(2);
        expect(text, `${lang}.${key}`).not.toContain('undefined');
      }
    }
  });

  it('has a sentence for every error code, in both languages (NOT_CONFIRMED: one per reason)', () => {
    for (const code of Object.values(ErrorCode)) {
      for (const lang of ['en', 'fr'] as const) {
        const keys = Object.keys(catalogues[lang]).filter(
          (key) => key === code || key.startsWith(`${code}_`),
        );
        expect(keys, `${lang}: ${code}`).not.toEqual([]);
      }
    }
    expect(Object.keys(catalogues.en)).toContain(ErrorCode.INTERNAL_ERROR);
  });

  it('writes an appointment’s day and time in full through Intl, in each language', () => {
    const when = { date: '2026-12-07', time: '10:00' };
    expect(translator('fr')('APPOINTMENT_WHEN', when)).toBe('lundi 7 décembre 2026 à 10:00');
    expect(translator('en')('APPOINTMENT_WHEN', when)).toBe('Monday, 7 December 2026 at 10:00');
    // Not the portal's format: shown as given, never as "Invalid Date".
    expect(translator('en')('APPOINTMENT_WHEN', { date: '?', time: '?' })).toBe('? at ?');
  });

  it('follows LANG, with HOSPIAI_MCP_LANG first', () => {
    expect(langFromEnv({ LANG: 'fr_FR.UTF-8' })).toBe('fr');
    expect(langFromEnv({ LANG: 'en_GB.UTF-8' })).toBe('en');
    expect(langFromEnv({ LANG: 'fr_FR.UTF-8', HOSPIAI_MCP_LANG: 'en' })).toBe('en');
    expect(langFromEnv({})).toBe('en');
  });

  it('says what to do in both languages for the seed’s three troubleshooting cases', () => {
    for (const lang of ['en', 'fr'] as const) {
      const t = translator(lang);
      expect(t('TOKEN_INVALID')).toContain('Token invalide');
      expect(t('INSUFFICIENT_SCOPE', { scope: 'book:appointments' })).toContain(
        'book:appointments',
      );
      expect(t('PORTAL_UNREACHABLE', { url: 'https://portal' })).toContain('https://portal');
    }
  });
});

describe('the one catalogue of what the model sees', () => {
  it('names the sentences of every error code, each one in the catalogue', () => {
    expect(Object.keys(ERROR_SENTENCES).sort()).toEqual(Object.values(ErrorCode).sort());
    for (const keys of Object.values(ERROR_SENTENCES))
      for (const key of keys) expect(catalogues.en[key], key).toBeDefined();
  });

  it('gives remote mode its own wording from the catalogue, in both languages', () => {
    for (const lang of ['en', 'fr'] as const) {
      const local = translator(lang);
      const remote = remoteTranslator(local);
      expect(remote('NO_TOKEN')).toBe(local('REMOTE_NO_TOKEN'));
      expect(remote('NO_TOKEN')).not.toBe(local('NO_TOKEN'));
      expect(remote('INSUFFICIENT_SCOPE', { scope: 'read:data' })).toBe(
        local('REMOTE_INSUFFICIENT_SCOPE', { scope: 'read:data' }),
      );
      // What remote mode does not reword is the local sentence.
      expect(remote('PORTAL_ERROR')).toBe(local('PORTAL_ERROR'));
    }
  });
});
