/**
 * Text that someone else wrote — an AI client's name, a model's free text, a portal's error
 * message — made safe for the one place it is going to. One function per sink, used everywhere
 * such text goes; nothing formats untrusted text by hand. Browser-safe (the extension uses it).
 *
 * Every sink gets single-line text without control characters (a line break draws a second,
 * fake line; ESC drives a terminal), without bidirectional formatting (RLO makes
 * `exe.txt` read as `txt.exe`), without invisible characters, and bounded.
 */

/** C0 and C1 controls, DEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/**
 * Bidi embeddings/overrides/isolates and marks (U+202A–U+202E, U+2066–U+2069, U+200E/F,
 * U+061C), zero-width and invisible formatting (U+200B, U+2060–U+2064, U+FEFF, U+180E,
 * U+00AD), lone surrogates.
 */
const INVISIBLES =
  /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b\u2060-\u2064\ufeff\u180e\u00ad]|\p{Cs}/gu;
/** Every kind of line or paragraph break and tab: each becomes a plain space. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;

/**
 * Single-line, printable, at most `maxChars` characters (code points), `…` when cut. Breaks
 * become spaces, other controls `?` (visible: something was there), bidi and invisible
 * formatting go (the text then reads in its true order).
 */
export function cleanText(text: string, maxChars: number): string {
  const flat = String(text)
    .replace(BREAKS, ' ')
    .replace(CONTROLS, '?')
    .replace(INVISIBLES, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const chars = Array.from(flat);
  return chars.length <= maxChars ? flat : `${chars.slice(0, Math.max(0, maxChars - 1)).join('')}…`;
}

/** For a terminal line (`hospiai-mcp audit`, `doctor`). */
export function forTerminal(text: string, maxChars = 200): string {
  return cleanText(text, maxChars);
}

/** For the popup and notifications (Preact escapes markup; this removes what escaping cannot). */
export function forPopup(text: string, maxChars = 120): string {
  return cleanText(text, maxChars);
}

/**
 * Free text shown inside a sentence the patient approves (a booking reason): visibly quoted,
 * so it cannot pass for the question itself, single-line and bounded.
 */
export function quoteFreeText(text: string, maxChars = 200): string {
  // The curly quotes are escaped in the pattern: a regular expression is the one place esbuild
  // leaves a non-ASCII character as is, and one such character makes V8 hold the whole bundle's
  // source as two bytes per character (relay/build.mjs checks the bundles are ASCII).
  return `“${cleanText(text, maxChars).replace(/[\u201C\u201D]/g, '"')}”`;
}

/** Characters a spreadsheet reads as the start of a formula (and their full-width forms). */
const FORMULA_START = /[=+\-@\uff1d\uff0b\uff0d\uff20]/;
/** Where a spreadsheet may start a new cell: `,` and `;` (French Excel splits on `;`), tab, `|`. */
const CELL_SEPARATOR = /[,;|\t]/;

/**
 * One CSV cell, always quoted, with every formula start made inert by a `'` — at the start of
 * the cell and after any character a spreadsheet might split cells on, since a file read with
 * another separator than the one it was written with cuts quoted text apart.
 */
export function forCsvCell(value: string | number, maxChars = 1000): string {
  const text = cleanText(String(value), maxChars);
  let inert = '';
  let atCellStart = true;
  for (const char of text) {
    if (atCellStart && FORMULA_START.test(char)) inert += "'";
    inert += char;
    if (CELL_SEPARATOR.test(char)) atCellStart = true;
    else if (char !== ' ' && char !== '"' && char !== "'") atCellStart = false;
  }
  return `"${inert.replaceAll('"', '""')}"`;
}
