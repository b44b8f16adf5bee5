/**
 * The patient sees what their AI assistants did: every tool call, from every relay, listed once
 * in the popup (newest first) in the patient's words, and saved as a file from Details — no
 * `downloads` permission.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readPopupState } from '../support/browser';
import { connectEverything, startScenario } from '../support/extension-scenario';

/** Clicks an export button (under Details) and returns the downloaded file's name and text. */
async function exportFrom(popup: Page, format: 'json' | 'csv') {
  const folded = popup.locator('details[data-section="details"]:not([open]) > summary');
  if ((await folded.count()) > 0) await folded.click();
  const [download] = await Promise.all([
    popup.waitForEvent('download'),
    popup.locator(`button[data-export="${format}"]`).click(),
  ]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
}

describe('latest requests in the popup', () => {
  it('lists each call once, whichever relays report it, and exports them as JSON and CSV', async () => {
    const scenario = await startScenario();
    const claude = await scenario.startRelay('Claude Desktop');
    const cursor = await scenario.startRelay('Cursor');
    const { popup } = await connectEverything(scenario);
    expect((await readPopupState(popup)).audit).toEqual([]);

    await claude.call('get_appointments', {});
    const { doctors } = (await cursor.call('find_doctors', {})).structuredContent as {
      doctors: Array<{ name: string }>;
    };
    expect(doctors.length).toBeGreaterThan(0);
    await expect
      .poll(async () => (await readPopupState(popup)).audit)
      .toEqual([
        { tool: 'find_doctors', outcome: 'ok' },
        { tool: 'get_appointments', outcome: 'ok' },
      ]);

    // A relay started later greets the extension with the home's latest calls: no duplicates.
    await scenario.startRelay('Zed');
    await expect
      .poll(async () => (await readPopupState(popup)).relays.length, { timeout: 20_000 })
      .toBe(3);
    await popup.waitForTimeout(500);
    expect((await readPopupState(popup)).audit).toHaveLength(2);
    const listed = (await popup.locator('[data-section="audit"]').textContent()) ?? '';
    expect(listed).toContain('Claude Desktop read your appointments — done');
    expect(listed).toContain('Cursor searched for a doctor — done');
    expect(listed).not.toMatch(/get_appointments|find_doctors/);

    const json = await exportFrom(popup, 'json');
    expect(json.name).toMatch(/^hospiai-ai-requests-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.json$/);
    const { entries } = JSON.parse(json.text) as {
      entries: Array<{ tool: string; client: string; outcome: string; scopes: string[] }>;
    };
    expect(entries.map(({ tool, client, outcome }) => ({ tool, client, outcome }))).toEqual([
      { tool: 'find_doctors', client: 'Cursor', outcome: 'ok' },
      { tool: 'get_appointments', client: 'Claude Desktop', outcome: 'ok' },
    ]);
    expect(entries[1]?.scopes).toEqual(['read:data']);

    const csv = await exportFrom(popup, 'csv');
    expect(csv.name).toMatch(/\.csv$/);
    const lines = csv.text.trimEnd().split('\r\n');
    // Every cell quoted (a spreadsheet never reads a client's name as a formula).
    expect(lines[0]).toBe('"at","client","tool","scopes","resourceIds","outcome","durationMs"');
    expect(lines.slice(1).map((line) => line.split(',').slice(1, 3))).toEqual([
      ['"Cursor"', '"find_doctors"'],
      ['"Claude Desktop"', '"get_appointments"'],
    ]);
    // What the assistant read stays out of the files: tools and ids only, never a token.
    for (const text of [json.text, csv.text]) {
      for (const doctor of doctors) expect(text).not.toContain(doctor.name);
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    }
  });
});
