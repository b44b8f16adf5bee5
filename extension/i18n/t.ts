/**
 * Every user-facing string goes through `t`: patients are French, and the browser picks the
 * language. The words are the extension's catalogue (relay/i18n/extension-messages.ts), which the
 * build writes into `_locales/{en,fr}/messages.json` for the browser; keys are checked at compile
 * time against it.
 */
import { browser } from 'wxt/browser';
import type { ExtensionMessageKey } from '../../relay/i18n/extension-messages';

export type MessageKey = ExtensionMessageKey;

type GetMessage = (key: string, substitutions?: string | string[]) => string;

export function t(key: MessageKey, substitutions?: string | string[]): string {
  try {
    return (browser.i18n.getMessage as GetMessage)(key, substitutions) || key;
  } catch {
    // Outside the extension (unit tests of components) the key itself is the text.
    return key;
  }
}

/** The scope's label (`scope_read_data` for `read:data`), or the scope itself when unknown. */
export function scopeLabel(scope: string): string {
  const key = `scope_${scope.replace(/[^a-z]/g, '_')}`;
  const text = t(key as MessageKey);
  return text === key ? scope : text;
}
