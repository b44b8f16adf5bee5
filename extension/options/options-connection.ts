/**
 * The options page's link to the browser. A portal origin that is not declared in the manifest
 * needs the patient's grant, which the browser only asks for inside a click: so the permission
 * is requested here, in the submit handler, before the background is told. Firefox treats even
 * declared MV3 host permissions as the patient's to grant or withdraw (about:addons →
 * Permissions), so there it is requested for every origin; a grant already held resolves at
 * once, without a prompt. The request is made before any `await`: Firefox honours it only
 * while the click is being handled.
 */
import { browser } from 'wxt/browser';
import {
  needsRuntimePermission,
  normalizePortalOrigin,
  originMatchPattern,
} from '../config/portal-origin';
import { type ConfigSettings, sendToBackground } from '../messaging/protocol-map';

export const loadConfig = () => sendToBackground('options:getConfig', {});

/** Saves the settings; returns a problem code, or null when saved. */
export async function saveConfig(config: ConfigSettings): Promise<string | null> {
  const origin = normalizePortalOrigin(config.portalOrigin);
  if (!origin) return 'invalid_origin';
  if (needsRuntimePermission(origin) || import.meta.env.FIREFOX) {
    const granted = await browser.permissions.request({ origins: [originMatchPattern(origin)] });
    if (!granted) return 'permission_denied';
  }
  const result = await sendToBackground('options:setConfig', { ...config, portalOrigin: origin });
  return result.ok ? null : result.problem;
}
