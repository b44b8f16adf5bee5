/**
 * "Connect an AI assistant" in the popup, and the popup for everyone. The popup cannot know where
 * a relay is installed, so until a relay says how it is started it shows how to install one —
 * the .mcpb for Claude Desktop, the package and `hospiai-mcp setup` for the others — and never a
 * guessed command. A paired relay says how it is started; then the view shows that command and
 * install links. Every control of the popup is labelled, text keeps a WCAG AA contrast (4.5:1)
 * against its background, and the pairing works from the keyboard alone. A token the patient
 * generates by hand on the Tokens API page is offered to the paired AI assistant, and used only
 * once the patient accepts.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PRODUCTION_PORTAL_ORIGIN } from '../../extension/config/portal-origin';
import { renderSnippet } from '../../relay/setup/snippet';
import { tools } from '../../relay/tools/index';
import {
  acceptTokenCapture,
  configureExtension,
  hasExtensionPanel,
  loginToPortal,
  openPopup,
  readHeldToken,
  readPopupState,
  screenshotPopup,
} from '../support/browser';
import {
  freshStory,
  PATIENT,
  resultText,
  waitForRelaysWithToken,
} from '../support/extension-scenario';
import { BUILT_BUNDLE, startBundle, unpackBundle, validateBundle } from '../support/mcp-bundle';
import { waitForPageDecision } from '../support/page-decision';
import { RELAY_BIN } from '../support/stdio-relay';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Controls without a name and text under WCAG AA contrast, in the page as it is now. */
const accessibilityReport = (page: Page) =>
  page.evaluate(() => {
    const unlabelled = [...document.querySelectorAll('input, select, textarea')]
      .filter(
        (el) => (el as HTMLInputElement).labels?.length === 0 && !el.getAttribute('aria-label'),
      )
      .map((el) => el.outerHTML);
    const nameless = [...document.querySelectorAll('button')]
      .filter((button) => !button.textContent?.trim() && !button.getAttribute('aria-label'))
      .map((button) => button.outerHTML);

    const rgb = (color: string) => (color.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const backgroundOf = (el: Element | null): number[] => {
      for (let node = el; node; node = node.parentElement) {
        const parts = rgb(getComputedStyle(node).backgroundColor);
        if (parts.length === 3 || (parts[3] ?? 0) > 0) return parts;
      }
      return [255, 255, 255];
    };
    const lowContrast: string[] = [];
    for (const el of document.querySelectorAll(
      'p, li, label, legend, h1, h2, h3, a, pre, button, span, summary',
    )) {
      if (!el.textContent?.trim() || (el as HTMLButtonElement).disabled) continue;
      const fg = luminance(rgb(getComputedStyle(el).color));
      const bg = luminance(backgroundOf(el));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      if (ratio < 4.5)
        lowContrast.push(
          `${el.tagName} "${el.textContent.trim().slice(0, 40)}" ${ratio.toFixed(2)}`,
        );
    }
    return { unlabelled, nameless, lowContrast };
  });

// One install, fresh, with no relay; in this order: the connect view before anything else, then
// the patient logs in and both views are checked for accessibility, then — last, since the
// extension is then set to another portal — the connect view for the production portal.
describe('connect an AI assistant, before any relay is paired', () => {
  const story = freshStory({ clients: [] });

  it('shows how to install the relay for the chosen client, and no unpublished command', async () => {
    const { scenario } = story;
    const popup = await openPopup(scenario.browser);
    await popup.locator('button[data-open="connect"]').click();
    const view = popup.locator('[data-section="connect"]');
    await view.waitFor();
    // Opened from the keyboard or not, the focus is in the view (on its Back button).
    expect(await popup.evaluate(() => document.activeElement?.textContent)).toContain('Back');
    // Headless Chromium on Linux: the OS shown first is the browser's own.
    expect(await popup.locator('#connect-os').inputValue()).toBe('linux');
    expect(await popup.locator('#connect-client').inputValue()).toBe('claude-desktop');

    // Claude Desktop: its bundle, one download away, and the one next step.
    const bundle = view.locator('[data-bundle]');
    expect(await bundle.locator('a[data-download-bundle]').getAttribute('download')).toBe(
      'hospiai-mcp.mcpb',
    );
    expect(await bundle.textContent()).toContain('Open the downloaded hospiai-mcp.mcpb');
    expect(await view.locator('[data-install-first]').count()).toBe(0);
    // Another client: this release's exact commands, the only way there without a relay.
    await popup.locator('#connect-client').selectOption('cursor');
    const installFirst = view.locator('[data-install-first]');
    await installFirst.waitFor();
    expect(await view.locator('[data-bundle]').count()).toBe(0);
    const version = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    expect(await installFirst.locator('[data-copy-block="install"] code').textContent()).toBe(
      `npm install -g hospiai-mcp@${version}\nhospiai-mcp setup cursor --portal ${scenario.portal.url}`,
    );
    expect(await view.locator('[data-copy-block]').count()).toBe(1);
    expect(await view.textContent()).not.toMatch(/npx (-y )?hospiai-mcp(?!@)/);

    await view.getByRole('button', { name: /Back/ }).click();
    await popup.locator('[data-section="assistants"]').waitFor();
    expect(await popup.locator('[data-section="connect"]').count()).toBe(0);
    await popup.close();
  });

  it('Claude Desktop: the download is this build’s .mcpb, byte for byte, which validates and starts', async () => {
    const { scenario } = story;
    const popup = await openPopup(scenario.browser);
    await popup.locator('button[data-open="connect"]').click();
    const link = popup.locator('[data-section="connect"] a[data-download-bundle]');
    const [download] = await Promise.all([popup.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toBe('hospiai-mcp.mcpb');
    const scratch = await mkdtemp(path.join(tmpdir(), 'hospiai-downloaded-'));
    try {
      const saved = path.join(scratch, download.suggestedFilename());
      await download.saveAs(saved);
      const bytes = await readFile(saved);
      // The one `npm run build:mcpb` packed, which both extension builds carry.
      expect(bytes.equals(await readFile(BUILT_BUNDLE))).toBe(true);
      for (const output of ['chrome-mv3', 'firefox-mv3']) {
        const shipped = await readFile(path.join(REPO, '.output', output, 'hospiai-mcp.mcpb'));
        expect(shipped.equals(bytes), output).toBe(true);
      }
      // What Claude Desktop then does with it: validate, unpack, start, list the tools.
      const unpacked = await unpackBundle(saved, scratch);
      expect(await validateBundle(unpacked)).toMatch(/valid/i);
      const client = await startBundle(unpacked, scratch);
      try {
        const listed = await client.listTools();
        expect(listed.tools.map((tool) => tool.name)).toEqual(tools.map((tool) => tool.name));
      } finally {
        await client.close();
      }
    } finally {
      await rm(scratch, { recursive: true, force: true });
      await popup.close();
    }
  });

  it('then, logged in: labels every control and keeps text contrast at WCAG AA, in both views', async () => {
    const { scenario } = story;
    await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
    const popup = await openPopup(scenario.browser);
    await expect.poll(async () => (await readPopupState(popup)).login).toBe('logged_in');

    expect(await accessibilityReport(popup)).toEqual({
      unlabelled: [],
      nameless: [],
      lowContrast: [],
    });
    await popup.locator('button[data-open="connect"]').click();
    await popup.locator('[data-section="connect"]').waitFor();
    expect(await accessibilityReport(popup)).toEqual({
      unlabelled: [],
      nameless: [],
      lowContrast: [],
    });
    await popup.close();
  });

  it('shows the same for a patient of the production portal (last: the extension is set to it)', async () => {
    const { scenario } = story;
    await configureExtension(scenario.browser, {
      portalOrigin: PRODUCTION_PORTAL_ORIGIN,
      ports: scenario.ports,
    });
    const popup = await openPopup(scenario.browser);
    await popup.locator('button[data-open="connect"]').click();
    await popup.locator('#connect-os').selectOption('macos');
    const view = popup.locator('[data-section="connect"]');
    await view.locator('[data-bundle]').waitFor();
    // The bundle's default portal is production's: nothing to enter.
    expect(await view.locator('[data-bundle-portal]').count()).toBe(0);
    expect(await view.textContent()).not.toContain('HOSPIAI_URL');
    await screenshotPopup(popup, '09-connect-an-assistant');
  });
});

// One install, fresh, with Claude Desktop's relay running; in this order: the patient pairs it
// from the keyboard alone (first: pairing is its subject), the connect view then shows how that
// relay is started, then the patient logs in and a token they generate by hand is captured.
describe('connect an AI assistant, from pairing to a first token', () => {
  const story = freshStory();

  it('pairs with the keyboard alone', async () => {
    const { scenario } = story;
    const popup = await openPopup(scenario.browser);
    // The form for a terminal's code is folded under its question: open it with the keyboard.
    const tabUntil = async (check: () => boolean) => {
      for (let presses = 0; presses < 30; presses++) {
        await popup.keyboard.press('Tab');
        if (await popup.evaluate(check)) return true;
      }
      return false;
    };
    expect(
      await tabUntil(
        () => document.activeElement?.matches('details.pair-details > summary') ?? false,
      ),
    ).toBe(true);
    await popup.keyboard.press('Enter');
    expect(await tabUntil(() => document.activeElement?.id === 'pair-code')).toBe(true);
    await popup.keyboard.type(await scenario.pairingCode());
    await popup.keyboard.press('Enter');
    await popup.locator('[data-notice="pair_done"]').waitFor({ timeout: 20_000 });
    // The form folds away once paired: the focus goes to the news, not back to the page's top,
    // and the next Tab reaches the next control, its focus ring visible.
    await expect
      .poll(() => popup.evaluate(() => document.activeElement?.getAttribute('data-notice')))
      .toBe('pair_done');
    await popup.keyboard.press('Tab');
    const outline = await popup.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe('none');
    await popup.close();
  });

  it('once a relay is paired, shows the configuration that starts it and VS Code/Cursor install links', async () => {
    const { scenario } = story;
    const popup = await openPopup(scenario.browser);
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
    await popup.close();
  });

  it('offers the token shown on the Tokens API page and uses it only once the patient accepts', async () => {
    const { scenario } = story;
    const [relay] = story.relays;
    if (!relay) throw new Error('the story started a relay');
    const portalTab = await loginToPortal(scenario.browser, scenario.portal.url, PATIENT);
    const popup = await openPopup(scenario.browser);

    // Back to the portal's tab (a tab in the background gets its animation frames throttled, and
    // Playwright waits on them before each click).
    await portalTab.bringToFront();
    await portalTab.goto(`${scenario.portal.url}/dashboard/tokens`);
    await portalTab.locator('#generate-token-form input[name=name]').fill('Mon assistant');
    await portalTab.locator('#generate-token-form input[value="read:data"]').check();
    await Promise.all([
      portalTab.waitForURL(`${scenario.portal.url}/dashboard/tokens`),
      portalTab.locator('#generate-token-form button[type=submit]').click(),
    ]);
    const shownId = await portalTab.locator('#new-token-secret').getAttribute('data-token-id');
    await portalTab.locator('#hospiai-mcp-capture').waitFor({ state: 'attached' });

    // Offered, not taken: nothing held, nothing delivered yet.
    expect(await readHeldToken(scenario.browser)).toBeNull();
    expect(resultText(await relay.call('get_appointments', {}))).toMatch(/^NO_TOKEN/);

    await acceptTokenCapture(scenario.browser, { allowReads: true });
    await waitForRelaysWithToken(popup, 1);
    expect((await readHeldToken(scenario.browser))?.tokenId).toBe(shownId);
    expect((await readPopupState(popup)).tokenText).toMatch(/created by you on HospiAI/);
    const result = await relay.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();

    // Reloading the page shows no secret any more, and so no new offer.
    const offered = await waitForPageDecision(scenario.browser, portalTab);
    expect(offered.decision).toBe('capture_offered');
    await portalTab.reload();
    const reloaded = await waitForPageDecision(scenario.browser, portalTab, offered.reports);
    expect(reloaded.decision).toBe('no_secret_on_page');
    expect(await hasExtensionPanel(portalTab, 'capture')).toBe(false);
  });
});
