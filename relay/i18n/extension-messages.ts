/**
 * The extension's catalogue: every word the popup, the options page, the notifications, the
 * portal page's banner and the manifest show, in English (extension-messages-en.ts, whose keys
 * are the catalogue's) and French (extension-messages-fr.ts, typed by those keys). Placeholders
 * are Chrome's: `$1`, `$2`… replaced by `t(key, substitutions)`'s substitutions.
 *
 * The browser still picks the language and reads the words at run time (`browser.i18n`, and
 * `__MSG_…__` in the manifest need `_locales`): the build writes `_locales/<lang>/messages.json`
 * from this module (wxt.config.ts, `build:publicAssets`); no copy of them is kept in git.
 * The relay's sentences (what the model sees) are its sibling, i18n/messages.ts, and the remote
 * mode's pages' its other, i18n/page-messages.ts; terminal output alone is written with
 * `say(en, fr)` (i18n/say.ts).
 * Shared with the extension: it imports nothing but its own languages.
 */
import { en } from './extension-messages-en';
import { fr } from './extension-messages-fr';
import type { Lang } from './lang';

export type { ExtensionMessageKey } from './extension-messages-en';

/** A sentence, or a sentence with a note for translators. */
export type ExtensionMessage = string | { message: string; description: string };

export const EXTENSION_MESSAGES = { en, fr } satisfies Record<
  Lang,
  Record<string, ExtensionMessage>
>;

/** A `_locales/<lang>/messages.json` as Chrome and Firefox read it. */
export type ChromeLocale = Record<string, { message: string; description?: string }>;

export function chromeLocale(lang: Lang): ChromeLocale {
  const messages: Record<string, ExtensionMessage> = EXTENSION_MESSAGES[lang];
  return Object.fromEntries(
    Object.entries(messages).map(([key, entry]) => [
      key,
      typeof entry === 'string' ? { message: entry } : entry,
    ]),
  );
}

/** Every language's `_locales` file, as the build writes it into the extension. */
export function chromeLocaleFiles(): { relativeDest: string; contents: string }[] {
  return (Object.keys(EXTENSION_MESSAGES) as Lang[]).map((lang) => ({
    relativeDest: `_locales/${lang}/messages.json`,
    contents: `${JSON.stringify(chromeLocale(lang), null, 2)}\n`,
  }));
}
