/**
 * Every DOM selector the extension relies on in the HospiAI portal, in one place, each with the
 * pages it was checked on (test/fixtures/portal-pages/, saved from the sandbox portal). When the
 * portal's markup changes, this file and its test change, nothing else.
 */
import type { PortalPage } from '../messaging/message-schemas';

export const PORTAL_SELECTORS = {
  /** Every portal page, logged in or not. Checked on: login, dashboard, tokens. */
  portalBody: 'body[data-portal="hospiai"]',
  /** The patient's name in the header, logged-in pages only. Checked on: dashboard, tokens. */
  patientName: 'span#patient-name',
  /** Checked on: dashboard. */
  dashboard: 'main#dashboard',
  /** Checked on: tokens, tokens-with-new-token. */
  tokensPage: 'main#tokens-page',
  /** Checked on: tokens. */
  generateTokenForm: 'form#generate-token-form',
  /** The secret, shown once after a manual generation. Checked on: tokens-with-new-token. */
  newTokenSecret: 'section#new-token code#new-token-secret[data-token-id]',
  /** Checked on: login. */
  loginForm: 'form#login-form',
  /** Checked on: tokens-with-new-token. */
  tokenRows: 'table#tokens tr[data-token-id]',
} as const;

/** The attribute that carries the logged-in patient's id on `body`. */
const PATIENT_ID_ATTRIBUTE = 'data-patient-id';

/** What the page says about itself; null when it is not a HospiAI portal page at all. */
export function readPortalPage(doc: Document): PortalPage | null {
  const body = doc.querySelector(PORTAL_SELECTORS.portalBody);
  if (!body) return null;
  const patientId = body.getAttribute(PATIENT_ID_ATTRIBUTE) || null;
  const name = patientId
    ? doc.querySelector(PORTAL_SELECTORS.patientName)?.textContent?.trim()
    : null;
  return { kind: pageKind(doc), patientId, patientName: name || null };
}

function pageKind(doc: Document): PortalPage['kind'] {
  if (doc.querySelector(PORTAL_SELECTORS.dashboard)) return 'dashboard';
  if (doc.querySelector(PORTAL_SELECTORS.tokensPage)) return 'tokens';
  if (doc.querySelector(PORTAL_SELECTORS.loginForm)) return 'login';
  return 'other';
}

export interface DisplayedToken {
  token: string;
  tokenId: string;
}

/** The token the portal shows once after a manual generation, if this page shows one. */
export function readNewTokenSecret(doc: Document): DisplayedToken | null {
  const element = doc.querySelector(PORTAL_SELECTORS.newTokenSecret);
  const token = element?.textContent?.trim();
  const tokenId = element?.getAttribute('data-token-id');
  return token && tokenId ? { token, tokenId } : null;
}

/** Ids of the tokens listed on the Tokens API page. */
export function readListedTokenIds(doc: Document): string[] {
  return [...doc.querySelectorAll(PORTAL_SELECTORS.tokenRows)]
    .map((row) => row.getAttribute('data-token-id'))
    .filter((id): id is string => Boolean(id));
}
