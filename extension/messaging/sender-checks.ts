/**
 * Who may send what to the background. Requests of the popup and options page must come from
 * the extension's own pages; requests of the content script must come from our content script
 * in the top frame of a tab on exactly the configured portal origin. A web page cannot message
 * the extension at all (no `externally_connectable`), and `postMessage` is never listened to.
 */
import type { Browser } from 'wxt/browser';

export type MessageSender = Browser.runtime.MessageSender;

export interface TrustAnchors {
  /** `browser.runtime.id`. */
  extensionId: string;
  /** `browser.runtime.getURL('/')`, e.g. `chrome-extension://<id>/`. */
  extensionBaseUrl: string;
  /** The configured portal origin, e.g. `https://hospi-ai-v8rf.vercel.app`. */
  portalOrigin: string;
}

export function isFromExtensionPage(sender: MessageSender, anchors: TrustAnchors): boolean {
  return (
    sender.id === anchors.extensionId &&
    typeof sender.url === 'string' &&
    sender.url.startsWith(anchors.extensionBaseUrl)
  );
}

export function isFromPortalContentScript(sender: MessageSender, anchors: TrustAnchors): boolean {
  if (sender.id !== anchors.extensionId) return false;
  if (sender.tab?.id === undefined || sender.frameId !== 0) return false;
  if (originOf(sender.url) !== anchors.portalOrigin) return false;
  // Chrome also reports the sender's origin (Firefox does not); when present it must agree.
  if (sender.origin !== undefined && sender.origin !== anchors.portalOrigin) return false;
  // The tab's URL is absent without the "tabs" permission for other origins; when present it must agree too.
  if (sender.tab.url !== undefined && originOf(sender.tab.url) !== anchors.portalOrigin)
    return false;
  return true;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
