/**
 * THE message map of the extension: every message between the popup, the options page, the
 * content script and the background, with its answer, declared once. Request payloads are the
 * zod schemas of message-schemas.ts (imported here as types only, so the popup bundle carries
 * no zod); answers are declared below.
 */
import { browser } from 'wxt/browser';
import type { PairOutcome } from '../bridge/relay-views';
import type { PopupState } from '../state/popup-state';
import type {
  BackgroundRequestData,
  BackgroundRequestType,
  PortalCallAnswer,
  PortalPage,
} from './message-schemas';

/** The outcome of a popup action, with a problem code the popup can explain. */
export type ActionResult = { ok: true } | { ok: false; problem: string };

/** The settings the options page changes: what its `options:setConfig` request carries. */
export type ConfigSettings = BackgroundRequestData<'options:setConfig'>;

/** The settings, with the defaults they are measured against. */
export interface ConfigView extends ConfigSettings {
  productionOrigin: string;
  defaultFirstPort: number;
  defaultLastPort: number;
}

/** What the content script should point to on the page it just described. */
export interface PageAdvice {
  /** Show the banner that points to the extension, where the patient decides. */
  offerConsent: boolean;
  /** The token shown on this page is already the one in use: do not offer it again. */
  knownTokenIds: string[];
}

/** Answers of the background, per request type. */
export interface BackgroundAnswers {
  'popup:pair': PairOutcome;
  'popup:consent': ActionResult;
  'popup:setReadPolicy': ActionResult;
  'popup:pause': ActionResult;
  'popup:resume': ActionResult;
  'popup:stopAndRevoke': ActionResult & { portal?: 'revoked' | 'pending' };
  'popup:openPortal': ActionResult;
  'popup:startPairingCode': ActionResult;
  'popup:cancelPairingCode': ActionResult;
  'popup:confirmPairingCheck': ActionResult;
  'popup:declinePairingCheck': ActionResult;
  'popup:confirm': ActionResult;
  'popup:dismissReceipt': ActionResult;
  'popup:allowSignIn': ActionResult;
  'popup:denySignIn': ActionResult;
  'popup:signInPermission': ActionResult;
  'popup:revokeSignIn': ActionResult;
  'options:getConfig': ConfigView;
  'options:setConfig': ActionResult;
  'popup:capture': ActionResult;
  'popup:ignoreCapture': ActionResult;
  'content:page': PageAdvice;
  'content:openExtension': ActionResult;
  'content:dismissConsent': ActionResult;
  'content:tokenShown': ActionResult;
  'content:signInRequest': ActionResult;
  'content:pageDecided': ActionResult;
}

export type BackgroundMessage = {
  [K in BackgroundRequestType]: { type: K; data: BackgroundRequestData<K> };
}[BackgroundRequestType];

export function sendToBackground<K extends BackgroundRequestType>(
  type: K,
  data: BackgroundRequestData<K>,
): Promise<BackgroundAnswers[K]> {
  return browser.runtime.sendMessage({ type, data });
}

// ── background → content script (tabs.sendMessage), answered from the portal page ──

export interface ContentRequests {
  /** What this page is; null when it is not a HospiAI page. */
  'portal:describe': Record<string, never>;
  'portal:session': Record<string, never>;
  'portal:generateToken': { name: string; scopes: string[]; expiresInDays: number };
  'portal:revokeToken': { tokenId: string };
  /**
   * Consent was given elsewhere (popup): the dashboard banner can go — replaced by what comes
   * next (`connect`: the assistant is not connected yet), or by nothing.
   */
  'portal:consentSettled': { next: 'connect' | null };
}

export interface ContentAnswers {
  'portal:describe': PortalPage | null;
  'portal:session': PortalCallAnswer;
  'portal:generateToken': PortalCallAnswer;
  'portal:revokeToken': PortalCallAnswer;
  'portal:consentSettled': true;
}

export type ContentMessage = {
  [K in keyof ContentRequests]: { type: K; data: ContentRequests[K] };
}[keyof ContentRequests];

/** The answer is `unknown` on purpose: the background parses it before use. */
export function sendToContent<K extends keyof ContentRequests>(
  tabId: number,
  type: K,
  data: ContentRequests[K],
): Promise<unknown> {
  return browser.tabs.sendMessage(tabId, { type, data });
}

// ── background → popup: the state, pushed over a long-lived port ────────────

export const POPUP_STATE_PORT = 'popup-state';

export interface PopupStatePush {
  type: 'state';
  state: PopupState;
}
