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
 * - Behind nginx, a page's id starts with the replica that holds its question (`r1.…`, routed
 *   like sessions); which browser belongs to which patient is in the state store, so any replica
 *   recognises the browser that signed in on another.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Lang } from '../../i18n/messages';
import { PAGE_MESSAGES, type PageMessageKey } from '../../i18n/page-messages';
import type { WriteSummary } from '../../protocol/protocol';
import { readBody } from '../http-io';
import type { StateStore } from '../state/state-store';
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

/** The summary's rows, in the order the page lists them, and their labels. */
const FIELD_LABELS = {
  doctor: 'confirm_field_doctor',
  date: 'confirm_field_date',
  time: 'confirm_field_time',
  reason: 'confirm_field_reason',
  hospital: 'confirm_field_hospital',
  address: 'confirm_field_address',
} as const satisfies Partial<Record<keyof WriteSummary, PageMessageKey>>;

export interface ConfirmationPagesOptions {
  issuer: URL;
  lang: Lang;
  /** Whether a grant still stands (the patient may have revoked it meanwhile). */
  grantIsLive: (grantId: string) => Promise<boolean>;
  /** Where the browsers that signed in are kept (shared by the replicas). */
  store: StateStore;
  /** Starts every page id: nginx sends a page's requests to the replica holding its question. */
  replicaId: string;
  now?: () => number;
}

export function createConfirmationPages(options: ConfirmationPagesOptions) {
  const now = options.now ?? Date.now;
  const pending = new Map<string, PendingPageConfirmation>();
  const browserKey = (value: string) =>
    `oauth:browser:${createHash('sha256').update(value).digest('base64url')}`;
  const secure = options.issuer.protocol === 'https:';

  /** Expired questions go; past MAX_ENTRIES, the oldest: a flood of bookings cannot grow memory. */
  const makeRoom = () => {
    for (const [key, entry] of pending) if (entry.expiresAt <= now()) pending.delete(key);
    if (pending.size >= MAX_ENTRIES) {
      const oldest = pending.keys().next().value;
      if (oldest !== undefined) pending.delete(oldest);
    }
  };

  async function patientOf(req: IncomingMessage): Promise<string | null> {
    const cookie = req.headers.cookie ?? '';
    const value = new RegExp(`(?:^|;\\s*)${BROWSER_COOKIE}=([A-Za-z0-9_-]{32})`).exec(cookie)?.[1];
    return value ? options.store.get(browserKey(value)) : null;
  }

  function html(res: ServerResponse, status: number, lang: Lang, body: string) {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CONSENT_PAGE_CSP,
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    const title = PAGE_MESSAGES[lang].confirm_title;
    res.end(page(lang, title, `<h1>${escapeHtml(title)}</h1>${body}`));
  }

  const note = (text: string, role = 'status') =>
    `<p role="${role}" data-outcome>${escapeHtml(text)}</p>`;

  function details(lang: Lang, summary: WriteSummary): string {
    const text = PAGE_MESSAGES[lang];
    const rows = (Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[])
      .filter((key) => summary[key])
      .map(
        (key) =>
          `<dt>${escapeHtml(text[FIELD_LABELS[key]])}</dt><dd>${escapeHtml(String(summary[key]))}</dd>`,
      )
      .join('');
    return `<dl>${rows}</dl>`;
  }

  return {
    handles: (path: string) => path === CONFIRM_PATH,

    /** The patient allowed a sign-in in this browser: it may confirm their writes from now on. */
    async rememberBrowser(res: ServerResponse, patientId: string): Promise<void> {
      const value = randomBytes(24).toString('base64url');
      await options.store.set(browserKey(value), patientId, BROWSER_TTL_MS);
      res.setHeader(
        'Set-Cookie',
        `${BROWSER_COOKIE}=${value}; Path=/oauth/; HttpOnly; SameSite=Lax; Max-Age=${BROWSER_TTL_MS / 1000}${secure ? '; Secure' : ''}`,
      );
    },

    /** A question for the page, for `ttlMs` at most; its link, and how to take it back. */
    create(entry: PageQuestion, ttlMs = CONFIRM_TTL_MS): { url: string; withdraw(): void } {
      makeRoom();
      // 128 random bits: unguessable, and short of what logs and results treat as token-shaped.
      const id = `${options.replicaId}.${randomBytes(16).toString('base64url')}`;
      pending.set(id, { ...entry, expiresAt: now() + ttlMs });
      const url = new URL(CONFIRM_PATH, options.issuer);
      url.searchParams.set('id', id);
      return { url: url.href, withdraw: () => pending.delete(id) };
    },

    async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
      const query = new URL(req.url ?? '/', options.issuer).searchParams;
      const lang = consentLang(query.get('lang'), req.headers['accept-language'], options.lang);
      const text = PAGE_MESSAGES[lang];
      if (req.method === 'GET') {
        const id = query.get('id') ?? '';
        const entry = pending.get(id);
        if (!entry || entry.expiresAt <= now())
          return html(res, 404, lang, note(text.confirm_gone, 'alert'));
        if ((await patientOf(req)) !== entry.patientId)
          return html(res, 403, lang, note(text.confirm_other_browser, 'alert'));
        return html(
          res,
          200,
          lang,
          `<p data-question>${escapeHtml(entry.message)}</p>${details(lang, entry.summary)}` +
            `<form method="post" action="${CONFIRM_PATH}?id=${encodeURIComponent(id)}">` +
            `<input type="hidden" name="id" value="${escapeHtml(id)}">` +
            `<button type="submit" name="decision" value="confirm">${escapeHtml(text.confirm_confirm)}</button> ` +
            `<button type="submit" name="decision" value="decline">${escapeHtml(text.confirm_decline)}</button></form>`,
        );
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { Allow: 'GET, POST' });
        return void res.end();
      }
      const origin = req.headers.origin;
      const site = req.headers['sec-fetch-site'];
      if ((origin && origin !== options.issuer.origin) || (site && site !== 'same-origin'))
        return html(res, 403, lang, note(text.confirm_other_browser, 'alert'));
      const body = await readBody(req, 4096);
      const form = new URLSearchParams(body === 'too_large' ? '' : body);
      const id = form.get('id') ?? '';
      const entry = pending.get(id);
      if (!entry || entry.expiresAt <= now())
        return html(res, 404, lang, note(text.confirm_gone, 'alert'));
      if ((await patientOf(req)) !== entry.patientId)
        return html(res, 403, lang, note(text.confirm_other_browser, 'alert'));
      // Single use from here on, whatever happens next. Taken only if still there after the
      // store's answer: a second Confirm sent meanwhile (a double click, a retried post) — or a
      // withdrawal — finds it gone, so no write can run twice.
      if (pending.get(id) !== entry) return html(res, 404, lang, note(text.confirm_gone, 'alert'));
      pending.delete(id);
      if (form.get('decision') !== 'confirm') {
        entry.decline();
        return html(res, 200, lang, note(text.confirm_declined));
      }
      if (!(await options.grantIsLive(entry.grantId))) {
        entry.decline();
        return html(res, 409, lang, note(text.confirm_ended, 'alert'));
      }
      try {
        const done = await entry.confirm();
        if (!done) return html(res, 200, lang, note(text.confirm_handed_back));
        return html(res, 200, lang, note(text.confirm_done) + details(lang, done));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        return html(
          res,
          502,
          lang,
          note(text.confirm_failed(typeof code === 'string' ? code : 'error'), 'alert'),
        );
      }
    },
  };
}

export type ConfirmationPages = ReturnType<typeof createConfirmationPages>;
