/**
 * The page a patient sees when an AI assistant asks to reach their HospiAI record: which
 * assistant asks (and what of that is verified), the permissions to tick, where to get their
 * HospiAI access (the portal's Tokens page), Allow or Deny — in French or English. Everything
 * the client said of itself is escaped; the page loads nothing and cannot be framed (its CSP).
 */
import type { Lang } from '../../i18n/messages';
import type { OAuthClient } from './client-registry';

export const CONSENT_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const TEXT = {
  en: {
    title: 'Connect an assistant to your HospiAI record',
    asks: 'asks to reach your HospiAI record.',
    verified: (host: string) => `Verified: its description is published by ${host}.`,
    unverified: (host: string) =>
      `This is the name it gives itself; it is not verified. You will be sent back to ${host}.`,
    unnamed: 'An assistant',
    permissions: 'What it may do (untick what you do not want):',
    scopes: {
      'read:data': 'Read your appointments, medical records, doctors and free slots',
      'book:appointments': 'Book and cancel appointments — you confirm each one',
      'write:data': 'Write data in your record',
    } as Record<string, string>,
    extensionTitle: 'With the HospiAI browser extension',
    extensionLink: 'Use the HospiAI extension',
    extensionHelp:
      'Opens the HospiAI portal: the extension asks you there, in its own window, which permissions to give. Nothing to copy.',
    orPaste: 'Or paste a token',
    tokenLabel: 'Your HospiAI access',
    tokenHelp: (portal: string) =>
      `On the HospiAI portal, open Tokens API (${portal}/dashboard/tokens), generate a token with the permissions ticked here, and paste it below. Paste it here only — never into a chat.`,
    allow: 'Allow',
    deny: 'Deny',
    after:
      'You can end this access at any time: delete the token on the Tokens API page, or remove the connection in your assistant.',
    errorTitle: 'This connection cannot go on',
  },
  fr: {
    title: 'Connecter un assistant à votre dossier HospiAI',
    asks: 'demande l’accès à votre dossier HospiAI.',
    verified: (host: string) => `Vérifié : sa description est publiée par ${host}.`,
    unverified: (host: string) =>
      `C’est le nom qu’il se donne ; il n’est pas vérifié. Vous serez renvoyé vers ${host}.`,
    unnamed: 'Un assistant',
    permissions: 'Ce qu’il pourra faire (décochez ce que vous ne voulez pas) :',
    scopes: {
      'read:data': 'Lire vos rendez-vous, dossiers médicaux, médecins et créneaux libres',
      'book:appointments': 'Prendre et annuler des rendez-vous — vous confirmez chacun',
      'write:data': 'Écrire des données dans votre dossier',
    } as Record<string, string>,
    extensionTitle: 'Avec l’extension de navigateur HospiAI',
    extensionLink: 'Utiliser l’extension HospiAI',
    extensionHelp:
      'Ouvre le portail HospiAI : l’extension vous y demande, dans sa propre fenêtre, quelles permissions donner. Rien à copier.',
    orPaste: 'Ou collez un jeton',
    tokenLabel: 'Votre accès HospiAI',
    tokenHelp: (portal: string) =>
      `Sur le portail HospiAI, ouvrez Tokens API (${portal}/dashboard/tokens), générez un jeton avec les permissions cochées ici, et collez-le ci-dessous. Collez-le ici seulement — jamais dans une conversation.`,
    allow: 'Autoriser',
    deny: 'Refuser',
    after:
      'Vous pouvez mettre fin à cet accès à tout moment : supprimez le jeton sur la page Tokens API, ou retirez la connexion dans votre assistant.',
    errorTitle: 'Cette connexion ne peut pas continuer',
  },
} as const;

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

const STYLE =
  'body{font:16px/1.45 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}' +
  'h1{font-size:1.3rem;color:#0b4f8a}label{display:block;margin:.4rem 0}' +
  'textarea{width:100%;font:13px monospace}.note{color:#4a535c;font-size:.9rem}' +
  '.error{color:#a4161a;font-weight:600}button{font:inherit;padding:.45rem 1rem;margin-right:.5rem}' +
  'dt{font-weight:600}dd{margin:0 0 .4rem}h2{font-size:1.05rem}' +
  'a.button{display:inline-block;padding:.5rem 1rem;background:#0b4f8a;color:#fff;text-decoration:none;border-radius:4px}';

export function page(lang: Lang, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export interface ConsentView {
  lang: Lang;
  client: OAuthClient;
  redirectUri: string;
  /** The scopes offered: those the client asked for, or all of them. */
  scopes: string[];
  /** Those ticked at first: all it asked for, or, when it named none, the ones the tools use. */
  ticked: string[];
  /** The pending authorization this form answers. */
  requestId: string;
  portalUrl: string;
  /** This server's origin: where the extension asks about the request and delivers to it. */
  issuer: string;
  /** Shown above the form when a first try failed (a token refused, nothing ticked). */
  problem?: string;
}

/**
 * The portal's dashboard with the request in its fragment, which the portal's server never
 * receives; the extension's content script reads it there, strips it, and asks the patient.
 */
export const EXTENSION_FRAGMENT_KEY = 'hospiai-connect';

export function extensionLink(portalUrl: string, issuer: string, requestId: string): string {
  const payload = Buffer.from(JSON.stringify({ server: issuer, request: requestId })).toString(
    'base64url',
  );
  return `${new URL('/dashboard', portalUrl).href}#${EXTENSION_FRAGMENT_KEY}=${payload}`;
}

export function renderConsentPage(view: ConsentView): string {
  const text = TEXT[view.lang];
  const name = view.client.clientName?.trim() || text.unnamed;
  const provenance = view.client.verifiedHost
    ? text.verified(view.client.verifiedHost)
    : text.unverified(new URL(view.redirectUri).host || view.redirectUri);
  const scopes = view.scopes
    .map(
      (scope) =>
        `<label><input type="checkbox" name="scope" value="${escapeHtml(scope)}"${view.ticked.includes(scope) ? ' checked' : ''}> ${escapeHtml(text.scopes[scope] ?? scope)}</label>`,
    )
    .join('');
  return page(
    view.lang,
    text.title,
    `<h1>${escapeHtml(text.title)}</h1>` +
      `<p><strong data-client-name>${escapeHtml(name)}</strong> ${escapeHtml(text.asks)}</p>` +
      `<p class="note" data-client-provenance>${escapeHtml(provenance)}</p>` +
      (view.problem ? `<p class="error" role="alert">${escapeHtml(view.problem)}</p>` : '') +
      `<section data-extension-path><h2>${escapeHtml(text.extensionTitle)}</h2>` +
      `<p><a class="button" data-use-extension href="${escapeHtml(extensionLink(view.portalUrl, view.issuer, view.requestId))}">${escapeHtml(text.extensionLink)}</a></p>` +
      `<p class="note">${escapeHtml(text.extensionHelp)}</p></section>` +
      `<h2>${escapeHtml(text.orPaste)}</h2>` +
      `<form method="post" action="/oauth/authorize">` +
      `<input type="hidden" name="request" value="${escapeHtml(view.requestId)}">` +
      `<fieldset><legend>${escapeHtml(text.permissions)}</legend>${scopes}</fieldset>` +
      `<p><label for="portal_token">${escapeHtml(text.tokenLabel)}</label>` +
      `<textarea id="portal_token" name="portal_token" rows="4" autocomplete="off" spellcheck="false"></textarea></p>` +
      `<p class="note">${escapeHtml(text.tokenHelp(view.portalUrl))}</p>` +
      `<p><button type="submit" name="decision" value="allow">${escapeHtml(text.allow)}</button>` +
      `<button type="submit" name="decision" value="deny">${escapeHtml(text.deny)}</button></p>` +
      `</form><p class="note">${escapeHtml(text.after)}</p>`,
  );
}

/** A request that cannot be sent back to the client (unknown client, unregistered redirect). */
export function renderErrorPage(lang: Lang, reason: string): string {
  const text = TEXT[lang];
  return page(
    lang,
    text.errorTitle,
    `<h1>${escapeHtml(text.errorTitle)}</h1><p class="error" role="alert">${escapeHtml(reason)}</p>`,
  );
}

/** The page's language: `?lang=`, else the browser's first choice, else the server's. */
export function consentLang(
  query: string | null,
  acceptLanguage: string | undefined,
  fallback: Lang,
): Lang {
  if (query === 'fr' || query === 'en') return query;
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  if (first.startsWith('fr')) return 'fr';
  if (first.startsWith('en')) return 'en';
  return fallback;
}

/** What the patient may be refused with on the form, in their language. */
export const CONSENT_PROBLEMS = {
  en: {
    noToken: 'Paste your HospiAI access (a token from the Tokens API page) to allow.',
    badToken: (why: string) => `This HospiAI access was not accepted: ${why}.`,
    nothingTicked: 'Tick at least one permission, or choose Deny.',
    missingScopes: (scopes: string) =>
      `This token does not carry what you ticked (${scopes}): generate one with those permissions, or untick them.`,
    expired: 'This request has expired: start the connection again from your assistant.',
    otherBrowser:
      'Open this sign-in in the browser where it started (the one that showed the HospiAI consent page). Nothing was given here.',
  },
  fr: {
    noToken: 'Collez votre accès HospiAI (un jeton de la page Tokens API) pour autoriser.',
    badToken: (why: string) => `Cet accès HospiAI n’a pas été accepté : ${why}.`,
    nothingTicked: 'Cochez au moins une permission, ou choisissez Refuser.',
    missingScopes: (scopes: string) =>
      `Ce jeton ne porte pas ce que vous avez coché (${scopes}) : générez-en un avec ces permissions, ou décochez-les.`,
    expired: 'Cette demande a expiré : relancez la connexion depuis votre assistant.',
    otherBrowser:
      'Ouvrez cette connexion dans le navigateur où elle a commencé (celui qui a affiché la page d’accord HospiAI). Rien n’a été donné ici.',
  },
} as const;
