/**
 * The options page's link to the browser. A portal origin that is not declared in the manifest
 * needs the patient's grant, which the browser only asks for inside a click: so the permission
 * is requested here, in the submit handler, before the background is told.
 */
import { browser } from 'wxt/browser';
import {
  needsRuntimePermission,
  normalizePortalOrigin,
  originMatchPattern,
} from '../config/portal-origin';
import { type ConfigView, sendToBackground } from '../messaging/protocol-map';

export const loadConfig = () => sendToBackground('options:getConfig', {});

/** Saves the settings; returns a problem code, or null when saved. */
export async function saveConfig(
  config: Omit<ConfigView, 'productionOrigin'>,
): Promise<string | null> {
  const origin = normalizePortalOrigin(config.portalOrigin);
  if (!origin) return 'invalid_origin';
  if (needsRuntimePermission(origin)) {
    const granted = await browser.permissions.request({ origins: [originMatchPattern(origin)] });
    if (!granted) return 'permission_denied';
  }
  const result = await sendToBackground('options:setConfig', { ...config, portalOrigin: origin });
  return result.ok ? null : result.problem;
}
