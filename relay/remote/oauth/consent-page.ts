/**
 * The page a patient sees when an AI assistant asks to reach their HospiAI record: which
 * assistant asks (and what of that is verified), the permissions to tick, where to get their
 * HospiAI access (the portal's Tokens page), Allow or Deny — in French or English, its words
 * from the pages' catalogue (i18n/page-messages.ts). Every sentence, and everything the client
 * said of itself, is escaped here; the page loads nothing and cannot be framed (its CSP).
 */
import type { Lang } from '../../i18n/messages';
import { PAGE_MESSAGES, type PageMessageKey, type PageMessages } from '../../i18n/page-messages';
import type { KnownScope } from '../../protocol/protocol';
import type { OAuthClient } from './client-registry';

export const CONSENT_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Each scope's label on the form (tsc fails on a scope without one). */
const SCOPE_LABELS = {
  'read:data': 'consent_scope_read_data',
  'book:appointments': 'consent_scope_book_appointments',
  'write:data': 'consent_scope_write_data',
} as const satisfies Record<KnownScope, PageMessageKey>;

/** A scope's label, or its name for one this server does not know (never offered today). */
function scopeLabel(text: PageMessages, scope: string): string {
  return Object.hasOwn(SCOPE_LABELS, scope) ? text[SCOPE_LABELS[scope as KnownScope]] : scope;
}

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
  const text = PAGE_MESSAGES[view.lang];
  const name = view.client.clientName?.trim() || text.consent_unnamed;
  const provenance = view.client.verifiedHost
    ? text.consent_verified(view.client.verifiedHost)
    : text.consent_unverified(new URL(view.redirectUri).host || view.redirectUri);
  const scopes = view.scopes
    .map(
      (scope) =>
        `<label><input type="checkbox" name="scope" value="${escapeHtml(scope)}"${view.ticked.includes(scope) ? ' checked' : ''}> ${escapeHtml(scopeLabel(text, scope))}</label>`,
    )
    .join('');
  return page(
    view.lang,
    text.consent_title,
    `<h1>${escapeHtml(text.consent_title)}</h1>` +
      `<p><strong data-client-name>${escapeHtml(name)}</strong> ${escapeHtml(text.consent_asks)}</p>` +
      `<p class="note" data-client-provenance>${escapeHtml(provenance)}</p>` +
      (view.problem ? `<p class="error" role="alert">${escapeHtml(view.problem)}</p>` : '') +
      `<section data-extension-path><h2>${escapeHtml(text.consent_extension_title)}</h2>` +
      `<p><a class="button" data-use-extension href="${escapeHtml(extensionLink(view.portalUrl, view.issuer, view.requestId))}">${escapeHtml(text.consent_extension_link)}</a></p>` +
      `<p class="note">${escapeHtml(text.consent_extension_help)}</p></section>` +
      `<h2>${escapeHtml(text.consent_or_paste)}</h2>` +
      `<form method="post" action="/oauth/authorize">` +
      `<input type="hidden" name="request" value="${escapeHtml(view.requestId)}">` +
      `<fieldset><legend>${escapeHtml(text.consent_permissions)}</legend>${scopes}</fieldset>` +
      `<p><label for="portal_token">${escapeHtml(text.consent_token_label)}</label>` +
      `<textarea id="portal_token" name="portal_token" rows="4" autocomplete="off" spellcheck="false"></textarea></p>` +
      `<p class="note">${escapeHtml(text.consent_token_help(view.portalUrl))}</p>` +
      `<p><button type="submit" name="decision" value="allow">${escapeHtml(text.consent_allow)}</button>` +
      `<button type="submit" name="decision" value="deny">${escapeHtml(text.consent_deny)}</button></p>` +
      `</form><p class="note">${escapeHtml(text.consent_after)}</p>`,
  );
}

/** A request that cannot be sent back to the client (unknown client, unregistered redirect). */
export function renderErrorPage(lang: Lang, reason: string): string {
  const title = PAGE_MESSAGES[lang].error_title;
  return page(
    lang,
    title,
    `<h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(reason)}</p>`,
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
