/**
 * The sandbox portal's pages as the patient uses them: logging in, and the extension's panels
 * on the page (in a closed shadow root page scripts cannot reach; clicked through DevTools).
 */
import type { Page } from 'playwright-core';
import { type ExtensionBrowser, takeTab } from './chromium-fixture';
/** Logs into the sandbox portal in a new tab; returns the tab, on the dashboard. */
export async function loginToPortal(
  browser: ExtensionBrowser,
  portalUrl: string,
  patient: { email: string; password: string },
): Promise<Page> {
  const page = await takeTab(browser);
  await page.goto(`${portalUrl}/login`);
  await page.locator('input[name=email]').fill(patient.email);
  await page.locator('input[name=password]').fill(patient.password);
  await Promise.all([
    page.waitForURL(`${portalUrl}/dashboard`),
    page.locator('#login-form button[type=submit]').click(),
  ]);
  return page;
}

const CONSENT_BANNER = '#hospiai-mcp-consent';
const CAPTURE_BANNER = '#hospiai-mcp-capture';

/**
 * The extension's panels live in a closed shadow root (page scripts cannot reach them); the
 * DevTools protocol can, and a mouse click at the element's position is a real, trusted click.
 */
export async function clickInExtensionPanel(
  page: Page,
  host: string,
  selector: string,
): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId: hostId } = await cdp.send('DOM.querySelector', {
      nodeId: root.nodeId,
      selector: host,
    });
    if (!hostId) throw new Error(`no extension panel ${host} on ${page.url()}`);
    const { node } = await cdp.send('DOM.describeNode', { nodeId: hostId, depth: 1, pierce: true });
    const shadow = node.shadowRoots?.[0];
    if (!shadow) throw new Error(`the panel ${host} has no shadow root`);
    const {
      nodeIds: [shadowId],
    } = await cdp.send('DOM.pushNodesByBackendIdsToFrontend', {
      backendNodeIds: [shadow.backendNodeId],
    });
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: shadowId ?? 0,
      selector,
    });
    if (!nodeId) throw new Error(`no ${selector} in the panel ${host}`);
    const { model } = await cdp.send('DOM.getBoxModel', { nodeId });
    const [x1 = 0, y1 = 0, , , x3 = 0, y3 = 0] = model.content;
    await page.mouse.click((x1 + x3) / 2, (y1 + y3) / 2);
  } finally {
    await cdp.detach();
  }
}

/** Whether an extension panel (consent, capture offer) is on the page. */
export async function hasExtensionPanel(
  page: Page,
  which: 'consent' | 'capture',
): Promise<boolean> {
  return (await page.locator(which === 'consent' ? CONSENT_BANNER : CAPTURE_BANNER).count()) > 0;
}
