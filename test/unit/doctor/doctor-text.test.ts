/**
 * The doctor's sentences live in one catalogue: every one exists in English and in French with
 * the same placeholders, and the terminal names each link in the patient's language.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_NAMES, fill, labelIn, SENTENCES, tellIn } from '../../../relay/doctor/doctor-text';

const placeholders = (template: string) =>
  [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

const catalogues = { SENTENCES, CHECK_NAMES } as Record<
  string,
  Record<string, Record<string, string>>
>;

describe('the doctor’s text', () => {
  for (const [name, entries] of Object.entries(catalogues)) {
    it(`${name}: every key has English and French, with the same placeholders`, () => {
      for (const [key, entry] of Object.entries(entries)) {
        expect(Object.keys(entry).sort(), key).toEqual(['en', 'fr']);
        expect(entry.en!.trim(), key).not.toBe('');
        expect(entry.fr!.trim(), key).not.toBe('');
        expect(placeholders(entry.fr!), key).toEqual(placeholders(entry.en!));
      }
    });
  }

  it('fills placeholders once: braces inside a value (a hostile client name) stay as they are', () => {
    expect(fill('AI client {client}', { client: '{client}{x}' })).toBe('AI client {client}{x}');
    const tell = tellIn('fr');
    expect(tell('homeOk', { home: '/h' })).toBe('/h (privé)');
    // A sentence's params are checked by tsc, not only at run time.
    // @ts-expect-error homeOk needs {home}
    tell('homeOk');
  });

  it('keeps English ids for the report and shows each link’s name in the patient’s language', () => {
    const tell = tellIn('fr');
    expect(tell.check('aiClient', { client: 'Cursor' })).toBe('AI client Cursor');
    const sample = { port: '47311', client: 'Claude Desktop' };
    for (const [key, entry] of Object.entries(CHECK_NAMES)) {
      const id = fill(entry.en, sample);
      expect(labelIn('fr', id), key).toBe(fill(entry.fr, sample));
      expect(labelIn('en', id), key).toBe(id);
    }
    expect(labelIn('fr', 'something else')).toBe('something else');
  });
});
