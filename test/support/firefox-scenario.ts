/**
 * The Firefox twin of extension-scenario.ts: the same world (sandbox portal, relay home, port
 * range, stdio relays) with Firefox ESR and the Firefox MV3 add-on instead of Chromium.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, onTestFinished } from 'vitest';
import { PATIENT, startWorld, type World, type WorldOptions } from './extension-scenario';
import {
  acquireSharedFirefox,
  applyFirefoxSettings,
  closeSharedFirefox,
  consentInFirefoxPopup,
  type FirefoxLaunchOptions,
  type FirefoxWithExtension,
  loginToPortalInFirefox,
  openPopupInFirefox,
  pairInFirefoxPopup,
  waitForFirefoxRelaysWithToken,
} from './firefox';

// Each test file that starts Firefox scenarios shares one Firefox (firefox.ts); closed after it.
afterAll(() => closeSharedFirefox());

export interface FirefoxScenario extends World {
  firefox: FirefoxWithExtension;
}

export interface FirefoxScenarioOptions extends WorldOptions, FirefoxLaunchOptions {
  /**
   * `test` (default): closed when the test that started it finishes. `suite`: for stories that
   * continue one another on one install, started in a `beforeAll` that returns its `close`.
   */
  lifetime?: 'test' | 'suite';
}

export async function startFirefoxScenario(
  options: FirefoxScenarioOptions = {},
): Promise<FirefoxScenario> {
  const world = await startWorld(options);
  let firefox: FirefoxWithExtension;
  try {
    const { headless, extensionPath, prefs } = options;
    firefox = await acquireSharedFirefox({ headless, extensionPath, prefs });
    await applyFirefoxSettings(firefox, { portalOrigin: world.portal.url, ports: world.ports });
  } catch (error) {
    await world.close();
    throw error;
  }
  let closed: Promise<void> | undefined;
  const scenario: FirefoxScenario = {
    ...world,
    firefox,
    close: () => {
      closed ??= (async () => {
        await Promise.allSettled(world.relays.splice(0).map((relay) => relay.close()));
        await firefox.close().catch(() => {});
        await world.close();
      })();
      return closed;
    },
  };
  if (options.lifetime !== 'suite') onTestFinished(() => scenario.close());
  return scenario;
}

/** Log in, consent (reads allowed), pair in the popup, and wait until every relay holds the token. */
export async function connectEverythingInFirefox(
  scenario: FirefoxScenario,
): Promise<{ dashboard: Page; popup: Page }> {
  const dashboard = await loginToPortalInFirefox(scenario.firefox, scenario.portal.url, PATIENT);
  // One popup for both steps, as a patient who consents and then pairs in it.
  const popup = await openPopupInFirefox(scenario.firefox);
  await consentInFirefoxPopup(popup, { allowReads: true });
  const notice = await pairInFirefoxPopup(popup, await scenario.pairingCode());
  if (notice.key !== 'pair_done') throw new Error(`pairing failed: ${notice.text}`);
  await waitForFirefoxRelaysWithToken(popup, scenario.relays.length);
  return { dashboard, popup };
}
