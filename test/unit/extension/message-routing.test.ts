import { describe, expect, it, vi } from 'vitest';
import {
  type BackgroundHandlers,
  routeBackgroundMessage,
} from '../../../extension/messaging/background-router';
import type { MessageSender, TrustAnchors } from '../../../extension/messaging/sender-checks';

const anchors: TrustAnchors = {
  extensionId: 'jffdobaadlaknnodpidlilihkogoekjj',
  extensionBaseUrl: 'chrome-extension://jffdobaadlaknnodpidlilihkogoekjj/',
  portalOrigin: 'http://127.0.0.1:47600',
};

const popup: MessageSender = {
  id: anchors.extensionId,
  url: `${anchors.extensionBaseUrl}popup.html`,
};
const portalTab = (url: string, extra: Partial<MessageSender> = {}): MessageSender => ({
  id: anchors.extensionId,
  url,
  origin: new URL(url).origin,
  frameId: 0,
  tab: {
    id: 7,
    url,
    index: 0,
    pinned: false,
    highlighted: false,
    windowId: 1,
    active: true,
    incognito: false,
    selected: false,
    discarded: false,
    autoDiscardable: true,
    groupId: -1,
    frozen: false,
  },
  ...extra,
});
const capture = {
  type: 'content:tokenShown',
  data: {
    token: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXRfMSJ9.sig',
    tokenId: 'tok_1',
  },
};

function handlers() {
  const calls: string[] = [];
  const record = (name: string) =>
    vi.fn(async () => {
      calls.push(name);
      return { ok: true } as never;
    });
  const all = new Proxy({} as BackgroundHandlers, { get: (_t, name) => record(String(name)) });
  return { all, calls };
}

describe('background message routing', () => {
  it('hands a well-formed popup request from the extension page to its handler', async () => {
    const { all, calls } = handlers();
    const route = routeBackgroundMessage(
      { type: 'popup:pair', data: { code: 'K7QM-3XPA' } },
      popup,
      anchors,
      all,
    );
    expect(route.handled).toBe(true);
    if (route.handled) await route.answer;
    expect(calls).toEqual(['popup:pair']);
  });

  it('accepts a captured token only from our content script on the configured portal origin', async () => {
    const { all, calls } = handlers();
    const route = routeBackgroundMessage(
      capture,
      portalTab('http://127.0.0.1:47600/dashboard/tokens'),
      anchors,
      all,
    );
    expect(route.handled).toBe(true);
    if (route.handled) await route.answer;
    expect(calls).toEqual(['content:tokenShown']);
  });

  it('ignores a token sent from a page on another local origin (another port)', () => {
    const { all, calls } = handlers();
    const route = routeBackgroundMessage(
      capture,
      portalTab('http://127.0.0.1:47601/evil'),
      anchors,
      all,
    );
    expect(route).toEqual({ handled: false, reason: 'untrusted_sender' });
    expect(calls).toEqual([]);
  });

  it('ignores a token from a frame inside a portal page', () => {
    const { all } = handlers();
    const sender = portalTab('http://127.0.0.1:47600/dashboard', { frameId: 3 });
    expect(routeBackgroundMessage(capture, sender, anchors, all).handled).toBe(false);
  });

  it('ignores a token when the tab has since navigated elsewhere', () => {
    const { all } = handlers();
    const sender = portalTab('http://127.0.0.1:47600/dashboard');
    sender.tab = { ...(sender.tab as NonNullable<MessageSender['tab']>), url: 'http://evil.test/' };
    expect(routeBackgroundMessage(capture, sender, anchors, all).handled).toBe(false);
  });

  it('ignores messages from another extension', () => {
    const { all } = handlers();
    const sender = { ...portalTab('http://127.0.0.1:47600/dashboard'), id: 'someotherextensionid' };
    expect(routeBackgroundMessage(capture, sender, anchors, all).handled).toBe(false);
  });

  it('does not let a content script use the popup’s actions', () => {
    const { all } = handlers();
    const route = routeBackgroundMessage(
      { type: 'popup:stopAndRevoke', data: {} },
      portalTab('http://127.0.0.1:47600/dashboard'),
      anchors,
      all,
    );
    expect(route).toEqual({ handled: false, reason: 'untrusted_sender' });
  });

  it('grants nothing on a content script’s word: consent and capture are popup actions only', () => {
    const { all, calls } = handlers();
    const fromPage = portalTab('http://127.0.0.1:47600/dashboard');
    for (const message of [
      { type: 'popup:consent', data: { scopes: ['read:data'], allowReads: true } },
      { type: 'popup:capture', data: { allowReads: true } },
    ]) {
      expect(routeBackgroundMessage(message, fromPage, anchors, all)).toEqual({
        handled: false,
        reason: 'untrusted_sender',
      });
    }
    // The old page-side grants no longer exist at all.
    for (const type of ['content:consent', 'content:capture']) {
      expect(routeBackgroundMessage({ type, data: {} }, fromPage, anchors, all)).toEqual({
        handled: false,
        reason: 'malformed',
      });
    }
    // Nor does a content script report who is logged in: extra fields are refused.
    expect(
      routeBackgroundMessage(
        { ...capture, data: { ...capture.data, patientId: 'pat_2' } },
        fromPage,
        anchors,
        all,
      ),
    ).toEqual({ handled: false, reason: 'invalid_payload' });
    expect(calls).toEqual([]);
  });

  it('drops messages of unknown type or with a payload that does not parse', () => {
    const { all, calls } = handlers();
    expect(routeBackgroundMessage({ type: 'token', token: 'x' }, popup, anchors, all)).toEqual({
      handled: false,
      reason: 'malformed',
    });
    expect(
      routeBackgroundMessage({ type: 'popup:consent', data: { scopes: [] } }, popup, anchors, all),
    ).toEqual({ handled: false, reason: 'invalid_payload' });
    expect(
      routeBackgroundMessage(
        { ...capture, data: { ...capture.data, token: 'not a token<script>' } },
        portalTab('http://127.0.0.1:47600/dashboard/tokens'),
        anchors,
        all,
      ),
    ).toEqual({ handled: false, reason: 'invalid_payload' });
    expect(calls).toEqual([]);
  });
});
