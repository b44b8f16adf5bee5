/**
 * Confirmations for assistants that cannot show a form (claude.ai, ChatGPT, Le Chat have no MCP
 * elicitation): a booking or cancellation the patient asked for in the chat is confirmed on a page
 * of this server, in the browser where they signed in — never by the model. The tool answers at
 * once with the page's address; the write runs, with the token it was asked with, only when the
 * patient presses Confirm there.
 * - The page's link is single use, lasts 10 minutes, and names nothing (a random id).
 * - It opens the question only for the patient it was asked for: their browser carries a cookie
 *   this server set when they signed in (HttpOnly, SameSite=Lax, on /oauth/ only), which no model
 *   and no other site can read or send with a form post (the post is same-origin only). Whoever
 *   else opens the link — the model, a link preview, another patient — sees no question and can
 *   confirm nothing.
 * - The grant must still be live when the patient confirms.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lang } from '../../i18n/messages';
import type { WriteSummary } from '../../protocol/protocol';
import { readBody } from '../http-io';
import { CONSENT_PAGE_CSP, consentLang, escapeHtml, page } from './consent-page';

export const CONFIRM_PATH = '/oauth/confirm';
export const CONFIRM_TTL_MS = 10 * 60_000;
const BROWSER_COOKIE = 'hospiai_patient';
const BROWSER_TTL_MS = 30 * 24 * 3_600_000;
const MAX_ENTRIES = 10_000;

export interface PageQuestion {
  patientId: string;
  grantId: string;
  message: string;
  summary: WriteSummary;
  /**
   * Confirm was pressed: the write is done now (its summary), or — when the assistant's tool call
   * waits for the answer (URL-mode elicitation) — the answer is handed back to it (null).
   */
  confirm: () => Promise<WriteSummary | null>;
  decline: () => void;
}

interface PendingPageConfirmation extends PageQuestion {
  expiresAt: number;
}

const TEXT = {
  en: {
    title: 'Confirm on HospiAI',
    confirm: 'Confirm',
    decline: 'Do not do it',
    done: 'Done. Your assistant does not know yet: ask it to look (your appointments list shows it).',
    handedBack: 'Confirmed. Back in your assistant, it does it now and tells you.',
    declined: 'Nothing was done.',
    failed: (why: string) => `Nothing was done: the portal refused (${why}).`,
    gone: 'This confirmation is no longer valid (used, expired or unknown). Ask your assistant again.',
    otherBrowser:
      'Open this link in the browser where you signed in to HospiAI from your assistant. Nothing is done from here.',
    ended:
      'Your assistant’s sign-in has ended: nothing was done. Sign in again from your assistant.',
    fields: {
      doctor: 'Doctor',
      date: 'Date',
      time: 'Time',
      reason: 'Reason',
      hospital: 'Hospital',
      address: 'Address',
    },
  },
  fr: {
    title: 'Confirmer sur HospiAI',
    confirm: 'Confirmer',
    decline: 'Ne pas le faire',
    done: 'C’est fait. Votre assistant ne le sait pas encore : demandez-lui de vérifier (la liste de vos rendez-vous le montre).',
    handedBack: 'Confirmé. De retour dans votre assistant, il le fait maintenant et vous le dit.',
    declined: 'Rien n’a été fait.',
    failed: (why: string) => `Rien n’a été fait : le portail a refusé (${why}).`,
    gone: 'Cette confirmation n’est plus valable (utilisée, expirée ou inconnue). Redemandez à votre assistant.',
    otherBrowser:
      'Ouvrez ce lien dans le navigateur où vous vous êtes connecté à HospiAI depuis votre assistant. Rien n’est fait d’ici.',
    ended:
      'La connexion de votre assistant a pris fin : rien n’a été fait. Reconnectez-vous depuis votre assistant.',
    fields: {
      doctor: 'Médecin',
      date: 'Date',
      time: 'Heure',
      reason: 'Motif',
      hospital: 'Hôpital',
      address: 'Adresse',
    },
  },
} as const;

export interface ConfirmationPagesOptions {
  issuer: URL;
  lang: Lang;
  /** Whether a grant still stands (the patient may have revoked it meanwhile). */
  grantIsLive: (grantId: string) => boolean;
  now?: () => number;
}

export function createConfirmationPages(options: ConfirmationPagesOptions) {
  const now = options.now ?? Date.now;
  const pending = new Map<string, PendingPageConfirmation>();
  const browsers = new Map<string, { patientId: string; expiresAt: number }>();
  const secure = options.issuer.protocol === 'https:';

  const bounded = <V extends { expiresAt: number }>(map: Map<string, V>) => {
    for (const [key, entry] of map) if (entry.expiresAt <= now()) map.delete(key);
    if (map.size >= MAX_ENTRIES) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
  };

  function patientOf(req: IncomingMessage): string | null {
    const cookie = req.headers.cookie ?? '';
    const value = new RegExp(`(?:^|;\\s*)${BROWSER_COOKIE}=([A-Za-z0-9_-]+)`).exec(cookie)?.[1];
    const browser = value ? browsers.get(value) : undefined;
    return browser && browser.expiresAt > now() ? browser.patientId : null;
  }

  function html(res: ServerResponse, status: number, lang: Lang, body: string) {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONSENT_PAGE_CSP,
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    res.end(page(lang, TEXT[lang].title, `<h1>${escapeHtml(TEXT[lang].title)}</h1>${body}`));
  }

  const note = (text: string, role = 'status') =>
    `<p role="${role}" data-outcome>${escapeHtml(text)}</p>`;

  function details(lang: Lang, summary: WriteSummary): string {
    const labels = TEXT[lang].fields;
    const rows = (Object.keys(labels) as (keyof typeof labels)[])
      .filter((key) => summary[key])
      .map(
        (key) => `<dt>${escapeHtml(labels[key])}</dt><dd>${escapeHtml(String(summary[key]))}</dd>`,
      )
      .join('');
    return `<dl>${rows}</dl>`;
  }

  return {
    handles: (path: string) => path === CONFIRM_PATH,

    /** The patient allowed a sign-in in this browser: it may confirm their writes from now on. */
    rememberBrowser(res: ServerResponse, patientId: string): void {
      bounded(browsers);
      const value = randomBytes(24).toString('base64url');
      browsers.set(value, { patientId, expiresAt: now() + BROWSER_TTL_MS });
      res.setHeader(
        'Set-Cookie',
        `${BROWSER_COOKIE}=${value}; Path=/oauth/; HttpOnly; SameSite=Lax; Max-Age=${BROWSER_TTL_MS / 1000}${secure ? '; Secure' : ''}`,
      );
    },

    /** A question for the page, for `ttlMs` at most; its link, and how to take it back. */
    create(entry: PageQuestion, ttlMs = CONFIRM_TTL_MS): { url: string; withdraw(): void } {
      bounded(pending);
      // 128 random bits: unguessable, and short of what logs and results treat as token-shaped.
      const id = randomBytes(16).toString('base64url');
      pending.set(id, { ...entry, expiresAt: now() + ttlMs });
      const url = new URL(CONFIRM_PATH, options.issuer);
      url.searchParams.set('id', id);
      return { url: url.href, withdraw: () => pending.delete(id) };
    },

    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const query = new URL(req.url ?? '/', options.issuer).searchParams;
      const lang = consentLang(query.get('lang'), req.headers['accept-language'], options.lang);
      const text = TEXT[lang];
      if (req.method === 'GET') {
        const id = query.get('id') ?? '';
        const entry = pending.get(id);
        if (!entry || entry.expiresAt <= now())
          return html(res, 404, lang, note(text.gone, 'alert'));
        if (patientOf(req) !== entry.patientId)
          return html(res, 403, lang, note(text.otherBrowser, 'alert'));
        return html(
          res,
          200,
          lang,
          `<p data-question>${escapeHtml(entry.message)}</p>${details(lang, entry.summary)}` +
            `<form method="post" action="${CONFIRM_PATH}">` +
            `<input type="hidden" name="id" value="${escapeHtml(id)}">` +
            `<button type="submit" name="decision" value="confirm">${escapeHtml(text.confirm)}</button> ` +
            `<button type="submit" name="decision" value="decline">${escapeHtml(text.decline)}</button></form>`,
        );
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'GET, POST' });
        return void res.end();
      }
      const origin = req.headers.origin;
      const site = req.headers['sec-fetch-site'];
      if ((origin && origin !== options.issuer.origin) || (site && site !== 'same-origin'))
        return html(res, 403, lang, note(text.otherBrowser, 'alert'));
      const body = await readBody(req, 4096);
      const form = new URLSearchParams(body === 'too_large' ? '' : body);
      const id = form.get('id') ?? '';
      const entry = pending.get(id);
      if (!entry || entry.expiresAt <= now()) return html(res, 404, lang, note(text.gone, 'alert'));
      if (patientOf(req) !== entry.patientId)
        return html(res, 403, lang, note(text.otherBrowser, 'alert'));
      // Single use from here on, whatever happens next.
      pending.delete(id);
      if (form.get('decision') !== 'confirm') {
        entry.decline();
        return html(res, 200, lang, note(text.declined));
      }
      if (!options.grantIsLive(entry.grantId)) {
        entry.decline();
        return html(res, 409, lang, note(text.ended, 'alert'));
      }
      try {
        const done = await entry.confirm();
        if (!done) return html(res, 200, lang, note(text.handedBack));
        return html(res, 200, lang, note(text.done) + details(lang, done));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return html(
          res,
          502,
          lang,
          note(text.failed(typeof code === 'string' ? code : 'error'), 'alert'),
        );
      }
    },
  };
}

export type ConfirmationPages = ReturnType<typeof createConfirmationPages>;
