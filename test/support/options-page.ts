import { type ExtensionBrowser, extensionUrl, releaseTab, takeTab } from './chromium-fixture';
/** Sets the portal origin and the relays' port range in the options page, as a patient would. */
export async function configureExtension(
  browser: ExtensionBrowser,
  settings: { portalOrigin: string; ports: { first: number; last: number } },
): Promise<void> {
  const page = await takeTab(browser);
  try {
    await page.goto(extensionUrl(browser, 'options.html'));
    await page.locator('#portal-origin').fill(settings.portalOrigin);
    // The port range is folded under "Advanced" (a patient rarely changes it).
    const advanced = page.locator('details[data-advanced]:not([open]) > summary');
    if ((await advanced.count()) > 0) await advanced.click();
    await page.locator('#first-port').fill(String(settings.ports.first));
    await page.locator('#last-port').fill(String(settings.ports.last));
    await page.locator('form.options button[type=submit]').click();
    const status = page.locator('#options-status');
    await status.waitFor();
    if ((await status.getAttribute('data-error')) === 'true') {
      throw new Error(
        `the options page refused the settings: ${(await status.textContent()) ?? ''}`,
      );
    }
  } finally {
    await releaseTab(browser, page);
  }
}
