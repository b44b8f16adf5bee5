/**
 * The extension's one catalogue (relay/i18n/extension-messages.ts): both languages say every
 * message with the same substitutions, nothing is empty, and the `_locales` files the build
 * writes for the browser are exactly that catalogue — no hand-edited copy beside it.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  chromeLocale,
  chromeLocaleFiles,
  EXTENSION_MESSAGES,
} from '../../../relay/i18n/extension-messages';

const en = chromeLocale('en');
const fr = chromeLocale('fr');
const placeholders = (text: string) => [...text.matchAll(/\$\d/g)].map((m) => m[0]).sort();

describe('the extension’s catalogue', () => {
  it('has the same messages in English and French', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    expect(Object.keys(en).length).toBeGreaterThan(200);
  });

  it('uses the same substitutions in both languages', () => {
    for (const key of Object.keys(en)) {
      expect(placeholders(fr[key]?.message ?? ''), key).toEqual(
        placeholders(en[key]?.message ?? ''),
      );
    }
  });

  it('leaves no message empty', () => {
    for (const [key, value] of [...Object.entries(en), ...Object.entries(fr)]) {
      expect(value.message.trim(), key).not.toBe('');
    }
  });

  it('explains every problem the popup can show without jargon; ports are named in Details', () => {
    const problems = Object.keys(en).filter((key) => key.startsWith('problem_'));
    expect(problems.length).toBeGreaterThan(10);
    for (const key of problems) {
      expect(en[key]?.message, key).not.toMatch(/\b(port|relay|token|program)\b|\$1/i);
    }
    expect(en['port_untrusted']?.message).toMatch(/Port \$1: a program that is not your relay/);
    expect(en['problem_login_needed']?.message).toMatch(/log in to HospiAI to reconnect/i);
  });
});

describe('the _locales files the build writes', () => {
  const files = new Map(chromeLocaleFiles().map((file) => [file.relativeDest, file.contents]));

  it('writes one messages.json per language, in Chrome’s format, from the catalogue', () => {
    expect([...files.keys()].sort()).toEqual([
      '_locales/en/messages.json',
      '_locales/fr/messages.json',
    ]);
    const written = JSON.parse(files.get('_locales/fr/messages.json')!);
    expect(Object.keys(written)).toEqual(Object.keys(EXTENSION_MESSAGES.fr));
    expect(written.popup_loading).toEqual({ message: EXTENSION_MESSAGES.fr.popup_loading });
  });

  it('keeps the notes for translators', () => {
    const written = JSON.parse(files.get('_locales/en/messages.json')!);
    expect(written.extension_name).toEqual({
      message: 'HospiAI for AI assistants',
      description: 'Extension name',
    });
  });

  it('has no JSON copy in extension/public to drift from the catalogue', () => {
    expect(existsSync(new URL('../../../extension/public/_locales', import.meta.url))).toBe(false);
  });
});
