/**
 * The popup for everyone: every control is labelled, the pairing works from the keyboard
 * alone, and text keeps a WCAG AA contrast (4.5:1) against its background.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loginToPortal, openPopup, readPopupState } from '../support/browser';
import { PATIENT, startScenario } from '../support/extension-scenario';

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

describe('popup accessibility', () => {
  it('labels every control and keeps text contrast at WCAG AA, in both views', async () => {
    const scenario = await startScenario();
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
  });

  it('pairs with the keyboard alone', async () => {
    const scenario = await startScenario();
    await scenario.startRelay('Claude Desktop');
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
    // The focus ring is visible where the keyboard is.
    await popup.keyboard.press('Shift+Tab');
    const outline = await popup.evaluate(
      () => getComputedStyle(document.activeElement as Element).outlineStyle,
    );
    expect(outline).not.toBe('none');
  });
});
