/**
 * Sentences that differ in remote mode, where no browser extension is involved: the patient
 * confirms through their AI client, and permissions come from the token they gave it.
 */
import type { Lang, MessageKey, Translate } from '../i18n/messages';

type Override = string | ((p: Record<string, string | number>) => string);

const overrides: Record<Lang, Partial<Record<MessageKey, Override>>> = {
  en: {
    NOT_CONFIRMED_UNSUPPORTED:
      'Nothing was done: this needs your confirmation, and this AI client cannot ask you for it (it does not support MCP elicitation forms). Use an AI client that does (for example VS Code, Cursor, Goose or Claude Code), or book or cancel in the HospiAI portal directly.',
    NO_TOKEN:
      'Not connected — this HospiAI server needs your HospiAI access token. Sign in again from your AI assistant (or generate a token in Dashboard → Tokens API).',
    INSUFFICIENT_SCOPE: (p) =>
      `Insufficient permissions: this needs the “${p.scope}” permission, which your HospiAI access does not include. Sign in again from your AI assistant and allow “${p.scope}” (or generate a token with it in Dashboard → Tokens API).`,
  },
  fr: {
    NOT_CONFIRMED_UNSUPPORTED:
      'Rien n’a été fait : cette action demande votre confirmation, et ce client IA ne peut pas vous la demander (il ne prend pas en charge les formulaires d’« elicitation » MCP). Utilisez un client IA qui les prend en charge (par exemple VS Code, Cursor, Goose ou Claude Code), ou prenez ou annulez le rendez-vous directement sur le portail HospiAI.',
    NO_TOKEN:
      'Non connecté — ce serveur HospiAI a besoin de votre token d’accès HospiAI. Reconnectez-vous depuis votre assistant IA (ou générez un token dans Tableau de bord → Tokens API).',
    INSUFFICIENT_SCOPE: (p) =>
      `Permissions insuffisantes : il faut l’autorisation « ${p.scope} », que votre accès HospiAI n’inclut pas. Reconnectez-vous depuis votre assistant IA en autorisant « ${p.scope} » (ou générez un token qui l’inclut dans Tableau de bord → Tokens API).`,
  },
};

export function remoteTranslator(lang: Lang, base: Translate): Translate {
  const own = overrides[lang];
  return (key, params = {}) => {
    // A tool's own wording (an object) has no remote override.
    const message = typeof key === 'string' ? own[key] : undefined;
    if (message === undefined) return base(key, params);
    return typeof message === 'function' ? message(params) : message;
  };
}
