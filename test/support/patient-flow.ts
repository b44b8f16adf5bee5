/** The patient's whole story in one call: log in, consent, pair, wait for the token to arrive. */
import type { Page } from 'playwright-core';
import { type ExtensionBrowser, launchBrowserWithExtension } from './chromium-fixture';
import { configureExtension } from './options-page';
import {
  type ConsentChoices,
  consentInOpenPopup,
  openPopup,
  pairInPopup,
  waitForRelaysWithToken,
} from './popup-page';
import { loginToPortal } from './portal-page';

export interface ConnectPatientOptions extends ConsentChoices {
  portalUrl: string;
  patient: { email: string; password: string };
  /** Runs `hospiai-mcp pair` and returns the code it printed. */
  pairingCode: () => Promise<string>;
  /** How many running relays must end up holding the token. Default 1. */
  relays?: number;
  /** Told each step as it happens (the demo prints them). */
  onStep?: (text: string) => void;
}

/**
 * The patient's story in a browser whose extension is set up: log in, consent on the dashboard,
 * pair in the popup, and wait until every relay holds the token.
 */
export async function connectPatient(
  browser: ExtensionBrowser,
  options: ConnectPatientOptions,
): Promise<{ dashboard: Page; popup: Page }> {
  const step = options.onStep ?? (() => {});
  const dashboard = await loginToPortal(browser, options.portalUrl, options.patient);
  step(`Logged into the portal as ${options.patient.email}: the extension's banner points to it`);
  // One popup for both steps, as a patient who keeps it open does: the checklist moves from
  // "allow" to "connect" in place.
  const popup = await openPopup(browser);
  await consentInOpenPopup(popup, options);
  step('Consent given in the extension: a dedicated token is created through the portal');
  const notice = await pairInPopup(popup, await options.pairingCode());
  if (notice.key !== 'pair_done') throw new Error(`pairing failed: ${notice.text}`);
  step(`Paired in the popup: ${notice.text}`);
  const relays = await waitForRelaysWithToken(popup, options.relays ?? 1);
  step(`Token delivered to ${relays.map((relay) => relay.client || 'an AI client').join(', ')}`);
  return { dashboard, popup };
}

export interface PatientFlowOptions extends ConnectPatientOptions {
  /** The relays' bridge port range (HOSPIAI_MCP_PORTS). */
  ports: { first: number; last: number };
  /** Default: headless when there is no display. */
  headless?: boolean;
}

export interface PatientFlow {
  browser: ExtensionBrowser;
  dashboard: Page;
  popup: Page;
}

/**
 * Everything `npm start` shows of the extension: Chromium with the extension, set to the portal
 * and the relays' ports, then `connectPatient`. The caller closes `browser` — or leaves it open
 * for the person at the display.
 */
export async function runPatientFlow(options: PatientFlowOptions): Promise<PatientFlow> {
  const headless = options.headless ?? !process.env.DISPLAY;
  const browser = await launchBrowserWithExtension({ headless });
  try {
    options.onStep?.(
      `Chromium started${headless ? ' (headless)' : ''} with the extension ${browser.extensionId}`,
    );
    await configureExtension(browser, { portalOrigin: options.portalUrl, ports: options.ports });
    options.onStep?.(
      `Extension set to the portal ${options.portalUrl}, relay ports ${options.ports.first}–${options.ports.last}`,
    );
    return { browser, ...(await connectPatient(browser, options)) };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
