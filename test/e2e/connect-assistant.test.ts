/**
 * "Connect an AI assistant" in the popup. The popup cannot know where a relay is installed, so
 * until a relay says how it is started it shows how to install one — the .mcpb for Claude
 * Desktop, the package and `hospiai-mcp setup` for the others — and never a guessed command.
 * A paired relay says how it is started; then the view shows that command and install links.
 */
import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_PORTAL_ORIGIN } from '../../extension/config/portal-origin';
import { renderSnippet } from '../../relay/setup/snippet';
import { configureExtension, openPopup, pairInPopup, screenshotPopup } from '../support/browser';
import { startScenario } from '../support/extension-scenario';
import { RELAY_BIN } from '../support/stdio-relay';

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
    await popup.locator('[data-section="assistants"]').waitFor();
    expect(await popup.locator('[data-section="connect"]').count()).toBe(0);
  });

  it('once a relay is paired, shows the configuration that starts it and VS Code/Cursor install links', async () => {
    const scenario = await startScenario();
    await scenario.startRelay('Claude Desktop');
    const popup = await openPopup(scenario.browser);
    expect((await pairInPopup(popup, await scenario.pairingCode())).key).toBe('pair_done');
    await popup.locator('button[data-open="connect"]').click();
    const view = popup.locator('[data-section="connect"]');
    const launch = {
      kind: 'local' as const,
      node: process.execPath,
      bundle: realpathSync(RELAY_BIN),
    };
    const portal = scenario.portal.url;

    const config = view.locator('[data-copy-block="config"] pre');
    await expect
      .poll(() => config.textContent())
      .toBe(renderSnippet('claude-desktop', { os: 'linux', portal, relay: launch }));
    expect(await view.locator('[data-copy-block="command"] pre').textContent()).toBe(
      `${launch.node} ${launch.bundle} setup claude-desktop --portal ${portal}`,
    );
    expect(await view.locator('[data-install-first]').count()).toBe(0);

    await popup.locator('#connect-client').selectOption('cursor');
    const cursorLink = view.locator('[data-install-link="cursor"]');
    const href = (await cursorLink.getAttribute('href')) ?? '';
    const config64 = new URL(href).searchParams.get('config') ?? '';
    expect(JSON.parse(Buffer.from(config64, 'base64').toString())).toEqual({
      command: launch.node,
      args: [launch.bundle],
      env: { HOSPIAI_URL: portal },
    });
    await popup.locator('#connect-client').selectOption('vscode');
    expect(await view.locator('[data-install-link="vscode"]').getAttribute('href')).toMatch(
      /^vscode:mcp\/install\?/,
    );
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
