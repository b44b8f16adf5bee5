/**
 * Pages the patient did not choose cannot get at the bridge or the token: a page on another
 * local origin cannot open the relay's WebSocket nor message the extension, and a script on the
 * portal page itself cannot feed the extension a token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ID } from '../../relay/protocol/extension-identity';
import { hasExtensionPanel, readHeldToken, readPopupState } from '../support/browser';
import { startHostilePage } from '../support/extension-hostile-page';
import { connectEverything, resultText, startScenario } from '../support/extension-scenario';

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const FAKE_TOKEN = `${b64({ alg: 'RS256' })}.${b64({ sub: 'pat_8f3a21c4', scope: 'read:data book:appointments', jti: 'tok_fake', exp: 4_000_000_000 })}.Zm9yZ2Vk`;

describe('hostile pages', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('a page on another local origin cannot reach the bridge nor the extension', async () => {
    const scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const { popup } = await connectEverything(scenario);
    const hostile = await startHostilePage();
    cleanups.push(hostile.close);

    const page = await scenario.browser.context.newPage();
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

    // Portal-like markup on another origin gets no content script: no panel, no report.
    await page.waitForTimeout(1_000);
    expect(await hasExtensionPanel(page, 'consent')).toBe(false);
    expect((await readPopupState(popup)).token).toBe('active');
    const result = await relay.call('get_appointments', {});
    expect(result.isError, resultText(result)).toBeFalsy();
  });

  it('a script on the portal page that posts a fake token to the extension is ignored', async () => {
    const scenario = await startScenario();
    const relay = await scenario.startRelay('Claude Desktop');
    const { dashboard } = await connectEverything(scenario);
    const held = await readHeldToken(scenario.browser);

    const tokensPage = await scenario.browser.context.newPage();
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
    await tokensPage.waitForTimeout(1_000);

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
});
