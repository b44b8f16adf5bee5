/**
 * "Connect an AI assistant" in the popup. The popup cannot know where a relay is installed, so
 * until a relay says how it is started it shows how to install one — the .mcpb for Claude
 * Desktop, the package and `hospiai-mcp setup` for the others — and never a guessed command.
 */
import { describe, expect, it } from 'vitest';
import { PRODUCTION_PORTAL_ORIGIN } from '../../extension/config/portal-origin';
import { configureExtension, openPopup, screenshotPopup } from '../support/browser';
import { startScenario } from '../support/extension-scenario';

describe('connect an AI assistant', () => {
  it('shows how to install the relay for the chosen client, and no unpublished command', async () => {
    const scenario = await startScenario();
    const popup = await openPopup(scenario.browser);
    await popup.locator('button[data-open="connect"]').click();
    const view = popup.locator('[data-section="connect"]');
    await view.waitFor();
    // Opened from the keyboard or not, the focus is in the view (on its Back button).
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toContain('Back');
    // Headless Chromium on Linux: the OS shown first is the browser's own.
    expect(await popup.locator('#connect-os').inputValue()).toBe('linux');
    expect(await popup.locator('#connect-client').inputValue()).toBe('claude-desktop');

    const installFirst = view.locator('[data-install-first]');
    expect(await installFirst.textContent()).toContain('hospiai-mcp.mcpb');
    await popup.locator('#connect-client').selectOption('cursor');
    await expect.poll(() => installFirst.textContent()).toContain('hospiai-mcp setup cursor');
    expect(await view.locator('[data-copy-block]').count()).toBe(0);
    expect(await view.textContent()).not.toMatch(/npx (-y )?hospiai-mcp(?!@)/);

    await view.getByRole('button', { name: /Back/ }).click();
    await popup.locator('[data-section="relays"]').waitFor();
    expect(await popup.locator('[data-section="connect"]').count()).toBe(0);
  });

  it('shows the same for a patient of the production portal', async () => {
    const scenario = await startScenario();
    await configureExtension(scenario.browser, {
      portalOrigin: PRODUCTION_PORTAL_ORIGIN,
      ports: scenario.ports,
    });
    const popup = await openPopup(scenario.browser);
    await popup.locator('button[data-open="connect"]').click();
    await popup.locator('#connect-os').selectOption('macos');
    const view = popup.locator('[data-section="connect"]');
    await view.locator('[data-install-first]').waitFor();
    expect(await view.textContent()).not.toContain('HOSPIAI_URL');
    await screenshotPopup(popup, '09-connect-an-assistant');
  });
});
