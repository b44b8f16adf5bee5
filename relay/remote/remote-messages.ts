/**
 * The sentences that differ in remote mode, where no browser extension is involved (the patient
 * confirms through their AI client or this server's page; permissions come from their sign-in
 * or token): the catalogue's `REMOTE_` keys (i18n/messages.ts) stand in for the local ones.
 */
import type { MessageKey, Translate } from '../i18n/messages';

const REMOTE_WORDING: Partial<Record<MessageKey, MessageKey>> = {
  NOT_CONFIRMED_UNSUPPORTED: 'REMOTE_NOT_CONFIRMED_UNSUPPORTED',
  NO_TOKEN: 'REMOTE_NO_TOKEN',
  INSUFFICIENT_SCOPE: 'REMOTE_INSUFFICIENT_SCOPE',
};

export function remoteTranslator(base: Translate): Translate {
  return (key, params) => base(REMOTE_WORDING[key] ?? key, params);
}
