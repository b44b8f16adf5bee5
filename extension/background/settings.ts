/**
 * Checks new settings from the options page: a canonical portal origin the extension may reach
 * (declared, or granted by the patient in the options page's click), and a sane port range.
 */
import { browser } from 'wxt/browser';
import { type ExtensionConfig, PortRange } from '../config/extension-config';
import {
  needsRuntimePermission,
  normalizePortalOrigin,
  originMatchPattern,
} from '../config/portal-origin';

export type SettingsCheck =
  | { ok: true; config: ExtensionConfig }
  | { ok: false; problem: 'invalid_origin' | 'invalid_ports' | 'permission_denied' };

export async function checkSettings(input: {
  portalOrigin: string;
  firstPort: number;
  lastPort: number;
}): Promise<SettingsCheck> {
  const origin = normalizePortalOrigin(input.portalOrigin);
  if (!origin) return { ok: false, problem: 'invalid_origin' };
  const ports = PortRange.safeParse({ first: input.firstPort, last: input.lastPort });
  if (!ports.success) return { ok: false, problem: 'invalid_ports' };
  if (
    (needsRuntimePermission(origin) || import.meta.env.FIREFOX) &&
    !(await browser.permissions.contains({ origins: [originMatchPattern(origin)] }))
  ) {
    return { ok: false, problem: 'permission_denied' };
  }
  return { ok: true, config: { portalOrigin: origin, ports: ports.data } };
}
