import { describe, expect, it } from 'vitest';
import { catalogues, langFromEnv, translator } from '../../../relay/i18n/messages';

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
        });
        expect(text.trim().length, `${lang}.${key}`).toBeGreaterThan(2);
        expect(text, `${lang}.${key}`).not.toContain('undefined');
      }
    }
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
