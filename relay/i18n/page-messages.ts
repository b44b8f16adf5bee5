/**
 * The remote mode's pages' catalogue: every word the consent page, its error page and the
 * confirmation page show the patient (and the problems the consent form can be refused with),
 * in English (page-messages-en.ts, whose keys are the catalogue's) and French
 * (page-messages-fr.ts, typed by those keys). Its siblings: i18n/messages.ts for what the model
 * sees, extension-messages.ts for the extension; terminal output alone is written with
 * `say(en, fr)`. Only the remote mode's pages import it (it is in the serve bundle, not the
 * stdio relay's).
 */

import type { Lang } from './lang';
import { en } from './page-messages-en';
import { fr } from './page-messages-fr';

export type { PageMessageKey, PageMessages } from './page-messages-en';

/** A sentence, or a sentence made of values (host names, a refusal's reason…). */
export type PageMessage = string | ((...values: string[]) => string);

export const PAGE_MESSAGES = { en, fr } satisfies Record<Lang, Record<string, PageMessage>>;
