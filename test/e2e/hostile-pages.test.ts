/**
 * A connected patient's install, in one story. The patient sees what their AI assistants did:
 * every tool call, from every relay, listed once in the popup (newest first) in the patient's
 * words, and saved as a file from Details — no `downloads` permission. Pages the patient did
 * not choose cannot get at the bridge or the token: a page on another local origin cannot open
 * the relay's WebSocket nor message the extension, and a script on the portal page itself
 * cannot feed the extension a token. The pairing secret is a non-extractable key in the
 * extension's own IndexedDB, out of reach of the content script (what a compromised portal
 * renderer runs as) and of the page.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { listPairings } from '../../relay/bridge/pairing-store';
import { CHROME_EXTENSION_ID } from '../../relay/protocol/extension-identity';
import { hasExtensionPanel, readHeldToken, readPopupState } from '../support/browser';
import { evaluateAsContentScript } from '../support/content-script-world';
import { startHostilePage } from '../support/extension-hostile-page';
import { inExtensionPage, readKeyStore } from '../support/extension-key-store';
import { connectedStory, resultText } from '../support/extension-scenario';
import { waitForPageDecision } from '../support/page-decision';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const FAKE_TOKEN = `${b64({ alg: 'RS256' })}.${b64({ sub: 'pat_8f3a21c4', scope: 'read:data book:appointments', jti: 'tok_fake', exp: 4_000_000_000 })}.Zm9yZ2Vk`;

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

// One install, connected once with two AI clients, Claude Desktop and Cursor, reads allowed
// (extension-scenario.ts, connectedStory); the tests continue one another in this order:
// 1. the latest requests and their export — first, because it lists and exports every call the
//    install has seen and the later tests make calls; a third AI client (Zed) joins in it;
// 2. a page on another local origin; 3. a script on the portal page; 4. the pairing key store.
// Each leaves the patient connected, closes the tabs it opened, and judges only what it did.
describe('a connected patient’s install', () => {
  const story = connectedStory({ clients: ['Claude Desktop', 'Cursor'] });

  it('lists each call once, whichever relays report it, and exports them as JSON and CSV', async () => {
    const { scenario, popup } = story;
    const [claude, cursor] = story.relays;
    if (!claude || !cursor) throw new Error('the story started two relays');
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

    // A relay started later greets the extension with the home's latest calls: no duplicates.
    const zed = await scenario.startRelay('Zed');
    await expect
      .poll(async () => (await readPopupState(popup)).relays.length, { timeout: 20_000 })
      .toBe(3);
    // Its greeting is on the wire; its own call's report follows it on the same connection, and
    // the extension takes a relay's frames in order: once the call is listed, the greeting was.
    await expect.poll(() => zed.stderr.join('')).toContain('greeted the extension');
    await zed.call('find_doctors', {});
    await expect
      .poll(async () => (await readPopupState(popup)).audit)
      .toEqual([
        { tool: 'find_doctors', outcome: 'ok' },
        { tool: 'find_doctors', outcome: 'ok' },
        { tool: 'get_appointments', outcome: 'ok' },
      ]);
  });

  it('a page on another local origin cannot reach the bridge nor the extension', async () => {
    const { scenario, relay, popup } = story;
    const hostile = await startHostilePage();
    onTestFinished(hostile.close);

    const page = await scenario.browser.context.newPage();
    onTestFinished(() => page.close());
    await page.goto(hostile.url);
    const attempt = await page.evaluate(
      async ({ port, extensionId }) => {
        const socket = await new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('refused');
          setTimeout(() => resolve('timeout'), 5_000);
        });
        const runtime = (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome
          ?.runtime;
        let messaging = 'unavailable';
        if (typeof runtime?.sendMessage === 'function') {
          try {
            await (runtime.sendMessage as (id: string, m: unknown) => Promise<unknown>)(
              extensionId,
              {
                type: 'popup:stopAndRevoke',
                data: {},
              },
            );
            messaging = 'delivered';
          } catch {
            messaging = 'refused';
          }
        }
        return { socket, messaging };
      },
      { port: scenario.ports.first, extensionId: CHROME_EXTENSION_ID },
    );
    expect(attempt.socket).toBe('refused');
    expect(attempt.messaging).not.toBe('delivered');

    // Portal-like markup on another origin gets no content script: no panel, no report. The
    // page has loaded, and what runs on it was decided beforehand: the content script is
    // registered for exactly the portal's origin, port included.
    const worker = await scenario.browser.serviceWorker();
    const registered = await worker.evaluate(async () => {
      const { chrome } = globalThis as unknown as {
        chrome: {
          scripting: { getRegisteredContentScripts(): Promise<Array<{ matches?: string[] }>> };
        };
      };
      return (await chrome.scripting.getRegisteredContentScripts()).map((script) => script.matches);
    });
    expect(registered).toEqual([[`${scenario.portal.url}/*`]]);
    expect(hostile.url.startsWith(`${scenario.portal.url}/`)).toBe(false);
    expect(await hasExtensionPanel(page, 'consent')).toBe(false);
    expect((await readPopupState(popup)).token).toBe('active');
    const result = await relay.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();
  });

  it('a script on the portal page that posts a fake token to the extension is ignored', async () => {
    const { scenario, relay, dashboard } = story;
    const held = await readHeldToken(scenario.browser);

    const tokensPage = await scenario.browser.context.newPage();
    onTestFinished(() => tokensPage.close());
    await tokensPage.goto(`${scenario.portal.url}/dashboard/tokens`);
    await tokensPage.evaluate((token) => {
      // Everything a page script can do to "send" a token to an extension.
      const message = { type: 'content:capture', data: { token, tokenId: 'tok_fake' } };
      window.postMessage(message, '*');
      window.postMessage({ type: 'token', token }, location.origin);
      document.dispatchEvent(new CustomEvent('hospiai-token', { detail: token }));
      const section = document.createElement('section');
      section.id = 'new-token';
      section.innerHTML = `<code id="new-token-secret" data-token-id="tok_fake">${token}</code>`;
      document.querySelector('main')?.prepend(section);
    }, FAKE_TOKEN);
    // The content script has decided for this page (it reads the page once, and listens to
    // nothing the page says): nothing offered — no new token shown, or none the portal vouches for.
    const { decision } = await waitForPageDecision(scenario.browser, tokensPage);
    expect(['no_secret_on_page', 'capture_rejected']).toContain(decision);

    expect(await hasExtensionPanel(tokensPage, 'capture')).toBe(false);
    expect((await readHeldToken(scenario.browser))?.tokenId).toBe(held?.tokenId);
    const result = await relay.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();

    // The extension's own panels are closed to page scripts.
    const shadowVisible = await dashboard.evaluate(() => {
      const host = document.createElement('div');
      return document.getElementById('hospiai-mcp-consent')?.shadowRoot ?? host.shadowRoot;
    });
    expect(shadowVisible).toBeNull();
  });

  it('keeps the pairing secret as a non-extractable key the content script and the page cannot reach', async () => {
    const { scenario, dashboard } = story;
    const [relayPairing] = await listPairings(scenario.home);
    if (!relayPairing) throw new Error('the relay recorded no pairing');

    const store = await inExtensionPage(scenario.browser, readKeyStore);
    expect(store).toEqual({
      pairingId: relayPairing.pairingId,
      extractable: false,
      exported: 'refused',
    });

    // What our content script on the portal page can reach (a compromised renderer could too).
    const reach = await evaluateAsContentScript<{
      local: string;
      session: string;
      databases: string[];
    }>(
      dashboard,
      scenario.browser.extensionId,
      `(async () => {
        const local = JSON.stringify(await chrome.storage.local.get(null));
        let session = 'denied';
        try {
          if (chrome.storage.session) {
            session = JSON.stringify(await chrome.storage.session.get(null));
          }
        } catch {}
        const databases = (await indexedDB.databases()).map((d) => d.name);
        return { local, session, databases };
      })()`,
    );
    expect(reach.local).not.toContain(relayPairing.key);
    expect(reach.local).not.toContain(relayPairing.pairingId);
    expect(reach.session).toBe('denied');
    expect(reach.databases).not.toContain('hospiai-pairing');
    // And the page's own scripts see the same origin storage: nothing of ours.
    const pageDatabases = await dashboard.evaluate(async () =>
      (await indexedDB.databases()).map((d) => d.name),
    );
    expect(pageDatabases).not.toContain('hospiai-pairing');
  });
});
