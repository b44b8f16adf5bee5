/**
 * "Connect an AI assistant" in the popup: the configuration for the chosen client and OS, the
 * same text `hospiai-mcp setup <client> --print` shows, copied to the clipboard with one click.
 */
import { describe, expect, it } from 'vitest';
import { PRODUCTION_PORTAL_ORIGIN } from '../../extension/config/portal-origin';
import { renderSnippet } from '../../relay/setup/snippet';
import { configureExtension, openPopup, screenshotPopup } from '../support/browser';
import { startScenario } from '../support/extension-scenario';

describe('connect an AI assistant', () => {
  it('shows the Claude Desktop configuration for the chosen OS and copies it', async () => {
    const scenario = await startScenario();
    const { context } = scenario.browser;
    // Chromium refuses a grant for the extension's origin by name: granted to every origin.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const popup = await openPopup(scenario.browser);
    await popup.locator('button[data-open="connect"]').click();
    const view = popup.locator('[data-section="connect"]');
    await view.waitFor();
    // Opened from the keyboard or not, the focus is in the view (on its Back button).
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toContain('Back');
    // Headless Chromium on Linux: the OS shown first is the browser's own.
    expect(await popup.locator('#connect-os').inputValue()).toBe('linux');
    expect(await popup.locator('#connect-client').inputValue()).toBe('claude-desktop');

    const portal = scenario.portal.url;
    const config = view.locator('[data-copy-block="config"] pre');
    expect(await config.textContent()).toBe(
      renderSnippet('claude-desktop', { os: 'linux', portal }),
    );
    expect(await view.locator('[data-copy-block="command"] pre').textContent()).toBe(
      `npx hospiai-mcp setup claude-desktop --portal ${portal}`,
    );
    expect(await view.textContent()).toContain('~/.config/Claude/claude_desktop_config.json');

    await popup.locator('#connect-os').selectOption('windows');
    const windows = renderSnippet('claude-desktop', { os: 'windows', portal });
    await expect.poll(() => config.textContent()).toBe(windows);
    expect(await view.textContent()).toContain('%APPDATA%\\Claude\\claude_desktop_config.json');

    await view.getByRole('button', { name: 'Copy the configuration' }).click();
    await view
      .locator('[data-copy-block="config"] [role="status"]', { hasText: 'Copied.' })
      .waitFor();
    expect(await popup.evaluate(() => navigator.clipboard.readText())).toBe(windows);

    await popup.locator('#connect-client').selectOption('claude-code');
    await expect
      .poll(() => view.locator('[data-copy-block="add-command"] pre').textContent())
      .toContain('claude mcp add --transport stdio --scope user --env');

    await view.getByRole('button', { name: /Back/ }).click();
    await popup.locator('[data-section="relays"]').waitFor();
    expect(await popup.locator('[data-section="connect"]').count()).toBe(0);
  });

  it('gives a patient of the production portal the plain configuration, with no portal in it', async () => {
    const scenario = await startScenario();
    await configureExtension(scenario.browser, {
      portalOrigin: PRODUCTION_PORTAL_ORIGIN,
      ports: scenario.ports,
    });
    const popup = await openPopup(scenario.browser);
    await popup.locator('button[data-open="connect"]').click();
    await popup.locator('#connect-os').selectOption('macos');
    const view = popup.locator('[data-section="connect"]');
    const config = view.locator('[data-copy-block="config"] pre');
    await expect
      .poll(() => config.textContent())
      .toBe(renderSnippet('claude-desktop', { os: 'macos' }));
    expect(await config.textContent()).not.toContain('HOSPIAI_URL');
    expect(await view.locator('[data-copy-block="command"] pre').textContent()).toBe(
      'npx hospiai-mcp setup claude-desktop',
    );
    expect(await view.textContent()).toContain(
      '~/Library/Application Support/Claude/claude_desktop_config.json',
    );
    await screenshotPopup(popup, '09-connect-an-assistant');
  });
});
