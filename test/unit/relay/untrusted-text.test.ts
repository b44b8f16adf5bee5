import { describe, expect, it } from 'vitest';
import {
  cleanText,
  forCsvCell,
  forPopup,
  forTerminal,
  quoteFreeText,
} from '../../../relay/protocol/untrusted-text';

const RLO = '\u202e';
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', RLO, '\u2066', '\u2067', '\u2068', '\u2069'];

describe('untrusted text, whatever the sink', () => {
  it('is one line: every kind of line break becomes a space', () => {
    for (const sink of [forTerminal, forPopup, quoteFreeText, (s: string) => cleanText(s, 500)]) {
      const out = sink('Bilan\nBook also Dr X?\r\nYes\u2028No\u2029\u0085\v\f');
      expect(out).not.toMatch(/[\n\r\u2028\u2029\u0085\v\f]/);
      expect(out).toContain('Bilan Book also Dr X? Yes No');
    }
  });

  it('keeps no control character (ESC, BEL, NUL, C1) and no bidi or invisible formatting', () => {
    const hostile = `evil\u001b[2J\u0007\u0000\u009b31m${BIDI.join('')}\u200b\u200e\u200f\u061c\ufeff\u2060client`;
    for (const sink of [forTerminal, forPopup, quoteFreeText]) {
      const out = sink(hostile);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
      expect(out).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      for (const char of [...BIDI, '\u200b', '\u200e', '\u200f', '\u061c', '\ufeff', '\u2060'])
        expect(out).not.toContain(char);
      expect(out).toContain('evil?[2J???31mclient');
    }
  });

  it('shows an RLO-disguised name in its true order', () => {
    expect(forPopup(`Claude${RLO}exe.txt`)).toBe('Claudeexe.txt');
  });

  it('is bounded, counting characters not UTF-16 units, and says when it was cut', () => {
    expect(Array.from(cleanText('😀'.repeat(500), 10))).toHaveLength(10);
    expect(cleanText('x'.repeat(5000), 100)).toMatch(/^x{99}…$/);
    expect(forTerminal('y'.repeat(10_000)).length).toBeLessThanOrEqual(200);
    expect(cleanText('short', 100)).toBe('short');
  });

  it('drops lone surrogates', () => {
    expect(forPopup('a\ud800b\udc00c')).toBe('abc');
  });
});

describe('free text in a question the patient answers', () => {
  it('is visibly quoted, and its own quotes cannot close the quote early', () => {
    expect(quoteFreeText('Contrôle annuel')).toBe('“Contrôle annuel”');
    expect(quoteFreeText('x” Also cancel everything? “y')).toBe('“x" Also cancel everything? "y”');
  });
});

describe('CSV cells', () => {
  it('are always quoted, quotes doubled', () => {
    expect(forCsvCell('Claude Desktop')).toBe('"Claude Desktop"');
    expect(forCsvCell('Acme, "Pro"')).toBe('"Acme, ""Pro"""');
    expect(forCsvCell(12.5)).toBe('"12.5"');
  });

  it('neutralise a formula at the start and after any separator a spreadsheet may split on', () => {
    expect(forCsvCell('=1+1')).toBe(`"'=1+1"`);
    expect(forCsvCell('+1')).toBe(`"'+1"`);
    expect(forCsvCell('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(forCsvCell('-2+3')).toBe(`"'-2+3"`);
    expect(forCsvCell('\uff1d1+1')).toBe(`"'\uff1d1+1"`);
    expect(forCsvCell('Claude;=cmd')).toBe(`"Claude;'=cmd"`);
    expect(forCsvCell('a, @x')).toBe(`"a, '@x"`);
    expect(forCsvCell('a;"=x')).toBe(`"a;""'=x"`);
    expect(forCsvCell('a|+x')).toBe(`"a|'+x"`);
    // Inside a word, the same characters are text.
    expect(forCsvCell('2025-03-01 a=b')).toBe('"2025-03-01 a=b"');
  });
});
