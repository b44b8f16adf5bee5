import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Messages = Record<string, { message: string }>;
const load = (locale: string): Messages =>
  JSON.parse(
    readFileSync(
      new URL(`../../../extension/public/_locales/${locale}/messages.json`, import.meta.url),
      'utf8',
    ),
  );
const en = load('en');
const fr = load('fr');
const placeholders = (text: string) => [...text.matchAll(/\$\d/g)].map((m) => m[0]).sort();

describe('extension locales', () => {
  it('has the same messages in English and French', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
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
